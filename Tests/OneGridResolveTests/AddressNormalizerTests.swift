import OneGridModel
import Testing
@testable import OneGridResolve

/// One row: the raw text, the summary of every component, and (when given) the key.
struct AddressCase: CustomTestStringConvertible, Sendable {
    let text: String
    let expected: String
    let key: String?
    init(_ text: String, _ expected: String, key: String? = nil) {
        self.text = text
        self.expected = expected
        self.key = key
    }
    var testDescription: String { text }
}

private let qx = "d:320116 s:320116006 c:320116006001"   // 六合区雄州街道桥西社区
private let xz = "d:320116 s:320116006"                  // 六合区雄州街道
private let lh = "d:320116"                              // 六合区

let addressTable: [AddressCase] = [
    // The four forms of docs/feeds.md (Addresses).
    .init("南京市六合区雄州街道桥西社区华城名府3栋2单元", "\(qx) cpd:华城名府 bld:3 unit:2",
          key: "320116006001||华城名府|3幢|2单元"),
    .init("六合区华城名府3幢", "\(lh) cpd:华城名府 bld:3", key: "320116||华城名府|3幢|"),
    .init("雄州街道 华城名府 三栋", "\(xz) cpd:华城名府 bld:3", key: "320116006||华城名府|3幢|"),
    .init("桥西社区延安路18号", "d:320116 s:320116006 c:320116006001 road:延安路 no:18",
          key: "320116006001|延安路18号|||"),
    // Province and city prefixes.
    .init("江苏省南京市六合区雄州街道桥西社区华城名府3幢2单元", "\(qx) cpd:华城名府 bld:3 unit:2"),
    .init("江苏南京六合区雄州街道桥西社区华城名府3幢2单元", "\(qx) cpd:华城名府 bld:3 unit:2"),
    .init("江苏省六合区华城名府3幢", "\(lh) cpd:华城名府 bld:3"),
    .init("南京六合区华城名府3幢", "\(lh) cpd:华城名府 bld:3"),
    // Building words.
    .init("六合区雄州街道桥西社区华城名府3号楼2单元", "\(qx) cpd:华城名府 bld:3 unit:2"),
    .init("六合区雄州街道桥西社区华城名府3座2单元", "\(qx) cpd:华城名府 bld:3 unit:2"),
    .init("六合区雄州街道桥西社区华城名府A座", "\(qx) cpd:华城名府 bld:A"),
    .init("六合区雄州街道桥西社区华城名府a座", "\(qx) cpd:华城名府 bld:A"),
    .init("六合区雄州街道桥西社区华城名府3#楼", "\(qx) cpd:华城名府 bld:3"),
    .init("六合区雄州街道桥西社区华城名府3#2单元", "\(qx) cpd:华城名府 bld:3 unit:2"),
    .init("桥西社区华城名府18号", "\(qx) cpd:华城名府 bld:18"),
    // Chinese numerals.
    .init("雄州街道华城名府十二号楼", "\(xz) cpd:华城名府 bld:12"),
    .init("雄州街道华城名府二十一幢一单元", "\(xz) cpd:华城名府 bld:21 unit:1"),
    .init("雄州街道华城名府三栋二单元三〇二室", "\(xz) cpd:华城名府 bld:3 unit:2 room:302"),
    .init("雄州街道华城名府三栋二单元三零二室", "\(xz) cpd:华城名府 bld:3 unit:2 room:302"),
    .init("雄州街道华城名府十栋两单元", "\(xz) cpd:华城名府 bld:10 unit:2"),
    .init("雄州街道延安路十八号", "\(xz) road:延安路 no:18"),
    .init("雄州街道延安路一百零五号", "\(xz) road:延安路 no:105"),
    // Rooms and floors.
    .init("六合区雄州街道桥西社区华城名府3幢2单元302室", "\(qx) cpd:华城名府 bld:3 unit:2 room:302",
          key: "320116006001||华城名府|3幢|2单元"),
    .init("桥西社区华城名府3幢2单元302", "\(qx) cpd:华城名府 bld:3 unit:2 room:302"),
    .init("桥西社区华城名府3-2-302", "\(qx) cpd:华城名府 bld:3 unit:2 room:302"),
    .init("桥西社区华城名府3幢2-302", "\(qx) cpd:华城名府 bld:3 unit:2 room:302"),
    .init("桥西社区华城名府3幢2单元3楼", "\(qx) cpd:华城名府 bld:3 unit:2"),
    .init("桥西社区华城名府3幢302室", "\(qx) cpd:华城名府 bld:3 room:302"),
    // Full-width and spaces.
    .init("六合区　华城名府　３栋２单元", "\(lh) cpd:华城名府 bld:3 unit:2"),
    .init("桥西社区延安路１８号", "\(qx) road:延安路 no:18"),
    .init(" 雄州街道 延安路 18 号 华城名府 3 幢 ", "\(xz) road:延安路 no:18 cpd:华城名府 bld:3"),
    .init("六合区（雄州街道）华城名府，3栋。", "\(xz) cpd:华城名府 bld:3"),
    // Road with number, with compound after.
    .init("南京市六合区雄州街道桥西社区延安路18号华城名府3幢2单元",
          "\(qx) road:延安路 no:18 cpd:华城名府 bld:3 unit:2",
          key: "320116006001|延安路18号|华城名府|3幢|2单元"),
    .init("雄州街道延安路18-1号", "\(xz) road:延安路 no:18-1"),
    .init("雄州街道延安路18", "\(xz) road:延安路 no:18"),
    .init("雄州街道延安路", "\(xz) road:延安路"),
    .init("雄州街道延安路华城名府3幢", "\(xz) road:延安路 cpd:华城名府 bld:3"),
    .init("仙林街道仙林大道10号", "d:320113 s:320113007 road:仙林大道 no:10"),
    .init("仙林大道10号", "road:仙林大道 no:10", key: "|仙林大道10号|||"),
    .init("雄州街道大树巷5号", "\(xz) road:大树巷 no:5"),
    .init("雄州街道园林西街3号", "\(xz) road:园林西街 no:3"),
    // Streets named after old bridges take a house number like any road.
    .init("桥西社区竺桥12号", "\(qx) road:竺桥 no:12", key: "320116006001|竺桥12号|||"),
    .init("雄州街道竺桥52号华城名府12幢1单元", "\(xz) road:竺桥 no:52 cpd:华城名府 bld:12 unit:1"),
    .init("石桥路188号", "road:石桥路 no:188"),
    // Schools, hospitals and markets are named places like compounds.
    .init("泰山街道新华社区浦口外国语学校", "d:320111 s:320111001 c:320111001001 cpd:浦口外国语学校"),
    .init("六合区人民医院东侧", "\(lh) cpd:人民医院"),
    .init("雄州街道延安路18号龙池农贸市场", "\(xz) road:延安路 no:18 cpd:龙池农贸市场"),
    .init("桥西社区实验小学门口", "\(qx) cpd:实验小学"),
    // Compounds named after roads stay compounds.
    .init("仙林街道杉湖路社区杉湖路小区5栋", "d:320113 s:320113007 c:320113007001 cpd:杉湖路小区 bld:5"),
    .init("杉湖路社区南大和园3幢", "d:320113 s:320113007 c:320113007001 cpd:南大和园 bld:3"),
    .init("南大和园社区和园新村12幢", "d:320113 s:320113007 c:320113007002 cpd:和园新村 bld:12"),
    // Abbreviated and office forms of divisions.
    .init("六合华城名府3栋", "\(lh) cpd:华城名府 bld:3"),
    .init("雄州华城名府3栋", "\(xz) cpd:华城名府 bld:3"),
    .init("雄州街道办事处华城名府3栋", "\(xz) cpd:华城名府 bld:3"),
    .init("雄州街道桥西社区居委会华城名府3栋", "\(qx) cpd:华城名府 bld:3"),
    .init("雄州街道桥西居委会华城名府3栋", "\(qx) cpd:华城名府 bld:3"),
    .init("六合雄州桥西社区华城名府3栋", "\(qx) cpd:华城名府 bld:3"),
    .init("六合区雄州镇华城名府", "\(lh) cpd:雄州镇华城名府"),
    .init("玄武湖街道玄武湖小区2幢", "d:320102 s:320102010 cpd:玄武湖小区 bld:2"),
    .init("南京经济技术开发区恒通大道8号", "d:320113 s:320113450 road:恒通大道 no:8"),
    // Villages and towns.
    .init("六合区竹镇镇大泉村三组", "d:320116 s:320116110 c:320116110201 grp:3", key: "320116110201|||3组|"),
    .init("竹镇大泉村村委会三组", "d:320116 s:320116110 c:320116110201 grp:3"),
    .init("竹镇镇人民政府对面", "d:320116 s:320116110"),
    .init("竹镇镇金磁村5组", "d:320116 s:320116110 cpd:金磁村 grp:5"),
    // Ambiguous community names: the district or street decides.
    .init("新华社区华城名府", "uc:新华社区 cpd:华城名府"),
    .init("浦口区新华社区华城名府", "d:320111 s:320111001 c:320111001001 cpd:华城名府"),
    .init("泰山街道新华社区", "d:320111 s:320111001 c:320111001001"),
    .init("雄州街道新华居委会", "d:320116 s:320116006 c:320116006003"),
    .init("星甸街道星兴社区星兴花园2幢", "d:320111 s:320111008 c:320111008001 cpd:星兴花园 bld:2"),
    // Jiangbei New Area.
    .init("江北新区泰山街道新华社区华城名府1幢", "d:320111 s:320111001 c:320111001001 cpd:华城名府 bld:1"),
    .init("南京市江北新区大厂街道凤凰山社区", "d:320116 s:320116001 c:320116001001"),
    .init("江北新区华城名府", "d:320192 cpd:华城名府", key: "320192||华城名府||"),
    .init("江北大厂街道凤凰山社区", "d:320116 s:320116001 c:320116001001"),
    // Unknown communities.
    .init("雄州街道永宁社区华城名府3幢", "\(xz) uc:永宁社区 cpd:华城名府 bld:3"),
    // Noise.
    .init("桥西社区延安路18号附近", "\(qx) road:延安路 no:18"),
    .init("桥西社区华城名府对面", "\(qx) cpd:华城名府"),
    .init("桥西社区华城名府门口", "\(qx) cpd:华城名府"),
    .init("桥西社区华城名府3栋旁边", "\(qx) cpd:华城名府 bld:3"),
    .init("桥西社区延安路口", "\(qx) road:延安路"),
    // Missing divisions, remainders.
    .init("华城名府3栋2单元", "cpd:华城名府 bld:3 unit:2", key: "||华城名府|3幢|2单元"),
    .init("延安路18号张记饭店", "road:延安路 no:18 rest:张记饭店", key: "|延安路18号||||张记饭店"),
    .init("华城名府东门", "cpd:华城名府 rest:东门"),
    .init("张记饭店", "rest:张记饭店"),
    .init("", ""),
]

@Suite struct AddressNormalizerTests {
    @Test(arguments: addressTable)
    func normalises(_ row: AddressCase) {
        let n = TestRegistry.normalizer.normalize(row.text)
        #expect(n.summary == row.expected)
        if let key = row.key { #expect(n.key == key) }
    }

    @Test func tableHasSixtyRows() {
        #expect(addressTable.count >= 60)
    }

    @Test func theFourFeedFormsOfOneBuildingShareTheComponentKey() {
        let forms = ["南京市六合区雄州街道桥西社区华城名府3栋", "六合区华城名府3幢", "雄州街道 华城名府 三栋",
                     "六合区雄州街道桥西社区华城名府３号楼"]
        let keys = Set(forms.map { TestRegistry.normalizer.normalize($0).componentKey })
        #expect(keys == ["|华城名府|3幢|"])
    }

    @Test func sameComponentsSameDivisionGiveOneKey() {
        let forms = ["南京市六合区雄州街道桥西社区华城名府3栋2单元", "江苏省六合区雄州街道桥西社区华城名府三幢二单元",
                     "雄州桥西社区居委会 华城名府 3号楼 2单元 302室", "六合区雄州街道桥西社区华城名府3#2单元附近"]
        let keys = Set(forms.map { TestRegistry.normalizer.normalize($0).key })
        #expect(keys == ["320116006001||华城名府|3幢|2单元"])
    }

    @Test func contextFillsDivisionsTheTextLeavesOut() {
        let context = DivisionPath(districtCode: "320116", streetCode: "320116006", communityCode: "320116006001")
        let n = TestRegistry.normalizer.normalize("华城名府3栋", context: context)
        #expect(n.key == "320116006001||华城名府|3幢|")
        #expect(n.compoundKey == "320116006001|华城名府")
    }

    @Test func contextSettlesAnAmbiguousCommunity() {
        let context = DivisionPath(districtCode: "320111", streetCode: "320111001")
        let n = TestRegistry.normalizer.normalize("新华社区华城名府", context: context)
        #expect(n.division.communityCode == "320111001001")
    }

    @Test func textWinsOverAContradictingContext() {
        let context = DivisionPath(districtCode: "320113", streetCode: "320113007")
        let n = TestRegistry.normalizer.normalize("雄州街道华城名府", context: context)
        #expect(n.division == DivisionPath(districtCode: "320116", streetCode: "320116006"))
    }

    @Test func withoutBareAbbreviationsADivisionNameBeginsThePlaceName() {
        let first = TestRegistry.normalizer.normalize("栖霞区仙林翠谷21栋")
        let second = TestRegistry.normalizer.normalize("栖霞区仙林翠谷21栋", bareAbbreviations: false)
        #expect(first.summary == "d:320113 s:320113007 cpd:翠谷 bld:21")
        #expect(second.summary == "d:320113 cpd:仙林翠谷 bld:21")
    }

    @Test func withoutBareAbbreviationsFullDivisionNamesStillCount() {
        let n = TestRegistry.normalizer.normalize("雄州街道桥西社区华城名府3栋", bareAbbreviations: false)
        #expect(n.summary == "\(qx) cpd:华城名府 bld:3")
    }

    @Test func compoundKeyFallsBackToRoadAndNumber() {
        let n = TestRegistry.normalizer.normalize("桥西社区延安路18号")
        #expect(n.compoundKey == "320116006001|延安路18号")
    }

    @Test func canonicalComponentsOfStandardAddressFields() {
        #expect(AddressNormalizer.canonicalComponent("3幢") == "3")
        #expect(AddressNormalizer.canonicalComponent("三栋") == "3")
        #expect(AddressNormalizer.canonicalComponent("3号楼") == "3")
        #expect(AddressNormalizer.canonicalComponent("2单元") == "2")
        #expect(AddressNormalizer.canonicalComponent("18号") == "18")
        #expect(AddressNormalizer.canonicalComponent("十二") == "12")
        #expect(AddressNormalizer.canonicalComponent("华城名府") == "华城名府")
        #expect(AddressNormalizer.canonicalComponent("  ") == nil)
    }
}

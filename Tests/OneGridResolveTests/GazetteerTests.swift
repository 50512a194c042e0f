import OneGridModel
import Testing
@testable import OneGridResolve

@Suite struct GazetteerTests {
    let g = TestRegistry.gazetteer

    @Test func districtAbbreviation() {
        #expect(g.resolve(district: "六合", street: nil, community: nil) == DivisionPath(districtCode: "320116"))
    }

    @Test(arguments: ["雄州街道办事处", "雄州街道", "雄州", "雄州街道办", " 雄州街道 ", "南京市六合区雄州街道"])
    func streetSpellings(_ name: String) {
        #expect(g.resolve(district: nil, street: name, community: nil)
            == DivisionPath(districtCode: "320116", streetCode: "320116006"))
    }

    @Test(arguments: ["竹镇镇", "竹镇", "竹镇镇人民政府"])
    func townSpellings(_ name: String) {
        #expect(g.resolve(district: nil, street: name, community: nil).streetCode == "320116110")
    }

    @Test(arguments: ["桥西社区", "桥西", "桥西社区居委会", "桥西居委会", "桥西社区居民委员会"])
    func communitySpellings(_ name: String) {
        #expect(g.resolve(district: nil, street: "雄州", community: name)
            == DivisionPath(districtCode: "320116", streetCode: "320116006", communityCode: "320116006001"))
    }

    @Test(arguments: ["大泉村", "大泉村村委会", "大泉村委会", "大泉村民委员会", "大泉"])
    func villageSpellings(_ name: String) {
        #expect(g.resolve(district: nil, street: nil, community: name).communityCode == "320116110201")
    }

    @Test func ambiguousCommunityAloneIsLeftOut() {
        #expect(g.resolve(district: nil, street: nil, community: "新华社区") == DivisionPath())
    }

    @Test func ambiguousCommunitySettledByDistrict() {
        #expect(g.resolve(district: "浦口区", street: nil, community: "新华社区").communityCode == "320111001001")
    }

    @Test func ambiguousCommunitySettledByStreet() {
        #expect(g.resolve(district: nil, street: "雄州街道", community: "新华").communityCode == "320116006003")
    }

    @Test func contradictingCommunityIsDropped() {
        #expect(g.resolve(district: "栖霞区", street: nil, community: "桥西社区") == DivisionPath(districtCode: "320113"))
    }

    @Test func jiangbeiStreetResolvesToTheNationalCode() {
        #expect(g.resolve(district: "江北新区", street: "泰山街道", community: nil)
            == DivisionPath(districtCode: "320111", streetCode: "320111001"))
    }

    @Test func jiangbeiAloneStaysThePseudoDistrict() {
        #expect(g.resolve(district: "江北新区", street: nil, community: nil) == DivisionPath(districtCode: "320192"))
    }

    @Test func districtAndStreetSharingAnAbbreviation() {
        // 栖霞 abbreviates both 栖霞区 and 栖霞街道 (so do 江宁区 and 江宁街道 in the real list).
        #expect(g.resolve(district: "栖霞", street: nil, community: nil) == DivisionPath(districtCode: "320113"))
        #expect(g.resolve(district: nil, street: "栖霞", community: nil).streetCode == "320113005")
        #expect(TestRegistry.normalizer.normalize("栖霞街道华城名府").division.streetCode == "320113005")
        #expect(TestRegistry.normalizer.normalize("栖霞华城名府").division == DivisionPath(districtCode: "320113"))
    }

    @Test func canonicalCodes() {
        #expect(g.canonicalCode("320192007000") == "320111001")
        #expect(g.canonicalCode("320192006") == "320116001")
        #expect(g.canonicalCode("320116006000") == "320116006")
        #expect(g.canonicalCode("320116006001") == "320116006001")
        #expect(g.canonicalCode("999999") == nil)
    }

    @Test func ancestryRunsCommunityStreetDistrict() {
        #expect(g.ancestry(of: "320116006001").map(\.name) == ["桥西社区", "雄州街道", "六合区"])
        #expect(g.ancestry(of: "320192007000").map(\.code) == ["320111001", "320111"])
    }

    @Test func jiangbeiMembership() {
        #expect(g.isWithin("320111001001", "320192"))
        #expect(g.isWithin("320116001", "320192"))
        #expect(!g.isWithin("320111008001", "320192"))
    }

    @Test func crosswalkHasTheSevenStreetsOfSources() {
        #expect(JiangbeiCrosswalk.nanjing.localToNational.count == 7)
        #expect(JiangbeiCrosswalk.nanjing.nationalToLocal["320116005"] == "320192005000")
    }
}

import OneGridModel
import Testing
@testable import OneGridResolve

enum TestAddresses {
    static let list: [StandardAddress] = [
        StandardAddress(id: "A001", address: "南京市六合区雄州街道桥西社区延安路18号华城名府3幢2单元",
                        road: "延安路", number: "18号", compound: "华城名府", building: "3幢", unit: "2单元",
                        gridCode: "320116006001002", location: Coordinate(lng: 118.845, lat: 32.345)),
        StandardAddress(id: "A002", address: "南京市六合区雄州街道桥西社区延安路18号华城名府3幢1单元",
                        gridCode: "320116006001002", location: Coordinate(lng: 118.8451, lat: 32.3451)),
        StandardAddress(id: "A003", address: "南京市六合区雄州街道桥西社区延安路18号华城名府5幢1单元",
                        gridCode: "320116006001001", location: Coordinate(lng: 118.835, lat: 32.345)),
        StandardAddress(id: "A004", address: "南京市六合区雄州街道南门社区延安路20号南门新村1幢",
                        gridCode: "320116006002001", location: Coordinate(lng: 118.84, lat: 32.355)),
        StandardAddress(id: "A005", address: "南京市栖霞区仙林街道杉湖路社区杉湖路小区5幢",
                        gridCode: "320113007001001", location: Coordinate(lng: 118.901, lat: 32.101)),
        // Text without components: the fields fill them.
        StandardAddress(id: "A006", address: "南京市六合区雄州街道桥西社区", road: nil, number: nil,
                        compound: "华城名府", building: "七栋", unit: nil, gridCode: "320116006001001"),
    ]
    static let index = StandardAddressIndex(addresses: list, normalizer: TestRegistry.normalizer)
}

@Suite struct StandardAddressIndexTests {
    let index = TestAddresses.index
    func match(_ text: String, hint: DivisionPath = DivisionPath()) -> AddressMatch? {
        index.match(TestRegistry.normalizer.normalize(text), hint: hint)
    }

    @Test func exactWithoutRoad() {
        let m = match("六合区雄州街道桥西社区华城名府3栋2单元")
        #expect(m?.address.id == "A001" && m?.method == .exact && m?.score == 1)
    }

    @Test func exactWithRoadAndCompound() {
        let m = match("桥西社区延安路十八号华城名府三幢二单元302室")
        #expect(m?.address.id == "A001" && m?.method == .exact)
    }

    @Test func exactAtStreetLevel() {
        #expect(match("雄州街道 华城名府 3号楼2单元")?.method == .exact)
    }

    @Test func exactAtDistrictLevel() {
        let m = match("六合区华城名府3幢2单元")
        #expect(m?.address.id == "A001" && m?.method == .exact)
    }

    @Test func componentsFromFieldsWhenTheTextLacksThem() {
        let m = match("桥西社区华城名府7幢")
        #expect(m?.address.id == "A006" && m?.method == .exact)
    }

    @Test func buildingLevelRecordMatchesFuzzilyTheLowestID() {
        let m = match("雄州街道华城名府3幢")
        #expect(m?.address.id == "A001" && m?.method == .fuzzy && m?.score == 1)
    }

    @Test func misspelledCompoundMatchesFuzzily() {
        let m = match("雄州街道华成名府3幢2单元")
        #expect(m?.address.id == "A001" && m?.method == .fuzzy)
        #expect(abs((m?.score ?? 0) - 0.54 / 0.7) < 1e-9)
    }

    @Test func anotherBuildingIsNoMatch() {
        #expect(match("雄州街道华城名府9幢2单元") == nil)
    }

    @Test func roadAndNumberAloneMatchFuzzily() {
        let m = match("桥西社区延安路18号")
        #expect(m?.address.id == "A001" && m?.method == .fuzzy && m?.score == 1)
    }

    @Test func noDivisionSearchesACompoundUniqueInTheCity() {
        let m = match("华城名府3幢2单元")
        #expect(m?.address.id == "A001" && m?.method == .exact && m?.isCityWide == true)
    }

    @Test func hintFromCoordinatesGivesTheBlock() {
        let m = match("华城名府3幢2单元", hint: DivisionPath(districtCode: "320116", streetCode: "320116006", communityCode: "320116006001"))
        #expect(m?.address.id == "A001" && m?.method == .exact)
    }

    @Test func anotherDistrictIsNoMatch() {
        #expect(match("栖霞区华城名府3幢2单元") == nil)
    }

    @Test func thresholdIsConfigurable() {
        let strict = StandardAddressIndex(addresses: TestAddresses.list, normalizer: TestRegistry.normalizer,
                                          thresholds: MatchThresholds(fuzzyAccept: 0.9))
        #expect(strict.match(TestRegistry.normalizer.normalize("雄州街道华成名府3幢2单元")) == nil)
    }

    @Test func bigramSimilarity() {
        #expect(BigramSimilarity.dice("华城名府", "华城名府") == 1)
        #expect(abs(BigramSimilarity.dice("华城名府", "华成名府") - 0.6) < 1e-12)
        #expect(BigramSimilarity.dice("华城名府", "") == 0)
    }
}

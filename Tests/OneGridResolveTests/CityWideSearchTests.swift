import OneGridModel
import Testing
@testable import OneGridResolve

/// A list where 学府花园 lies in one community, 金城花园 in two, and 龙华路8号 in two
/// communities of 雄州街道 about 1.1 km apart.
enum CityWideAddresses {
    static let nearB006 = Coordinate(lng: 118.8451, lat: 32.3548)
    static let farFromBoth = Coordinate(lng: 118.90, lat: 32.35)

    static let list: [StandardAddress] = [
        StandardAddress(id: "B001", address: "南京市栖霞区仙林街道南大和园社区学府花园3幢", gridCode: "320113007002001",
                        location: Coordinate(lng: 118.93, lat: 32.11)),
        StandardAddress(id: "B002", address: "南京市栖霞区仙林街道南大和园社区学府花园5幢", gridCode: "320113007002001",
                        location: Coordinate(lng: 118.931, lat: 32.11)),
        StandardAddress(id: "B003", address: "南京市六合区雄州街道桥西社区金城花园2幢", gridCode: "320116006001001"),
        StandardAddress(id: "B004", address: "南京市栖霞区仙林街道杉湖路社区金城花园2幢", gridCode: "320113007001001"),
        StandardAddress(id: "B005", address: "南京市六合区雄州街道桥西社区龙华路8号", gridCode: "320116006001002",
                        location: Coordinate(lng: 118.845, lat: 32.345)),
        StandardAddress(id: "B006", address: "南京市六合区雄州街道南门社区龙华路8号", gridCode: "320116006002001",
                        location: Coordinate(lng: 118.845, lat: 32.355)),
        StandardAddress(id: "B007", address: "南京市栖霞区仙林街道杉湖路社区学海路153号", gridCode: "320113007001001",
                        location: Coordinate(lng: 118.91, lat: 32.10)),
    ]
    static let index = StandardAddressIndex(addresses: list, normalizer: TestRegistry.normalizer)
    static let resolver = PlaceResolver(normalizer: TestRegistry.normalizer, addresses: index,
                                        grids: GridIndex(boundaries: []), registry: [])
}

@Suite struct CityWideSearchTests {
    func match(_ text: String, near: Coordinate? = nil) -> AddressMatch? {
        CityWideAddresses.index.match(TestRegistry.normalizer.normalize(text), near: near)
    }

    // MARK: city-wide

    @Test func aCompoundUniqueInTheCityMatchesWithoutADivision() {
        let m = match("学府花园三栋")
        #expect(m?.address.id == "B001" && m?.method == .exact && m?.isCityWide == true && m?.byCoordinates == false)
    }

    @Test func aCompoundUniqueInTheCityMatchesFuzzilyWithoutADivision() {
        let m = match("学府花园3栋2单元")
        #expect(m?.address.id == "B001" && m?.method == .fuzzy && m?.isCityWide == true)
    }

    @Test func aCompoundInTwoCommunitiesMatchesNothingWithoutADivision() {
        #expect(match("金城花园2栋") == nil)
        #expect(match("金城花园") == nil)
    }

    @Test func aRoadUniqueInTheCityMatchesWithoutADivision() {
        let m = match("学海路153号")
        #expect(m?.address.id == "B007" && m?.method == .exact && m?.isCityWide == true)
    }

    @Test func aRoadAndNumberInTwoCommunitiesNeedTheRecordsPoint() {
        #expect(match("龙华路8号") == nil)
        #expect(match("龙华路8号", near: CityWideAddresses.farFromBoth) == nil)
        let m = match("龙华路8号", near: CityWideAddresses.nearB006)
        #expect(m?.address.id == "B006" && m?.method == .exact && m?.isCityWide == true && m?.byCoordinates == true)
    }

    @Test func anUnknownNameMatchesNothing() {
        #expect(match("翠屏山庄3栋") == nil)
    }

    @Test func aNamedDivisionIsNotSearchedCityWide() {
        #expect(match("栖霞区金城花园2幢")?.address.id == "B004")
        #expect(match("栖霞区金城花园2幢")?.isCityWide == false)
        #expect(match("六合区学府花园3幢") == nil)
    }

    // MARK: coordinates break ties

    @Test func theNearestOfTwoEqualExactMatchesWins() {
        let m = match("雄州街道龙华路8号", near: CityWideAddresses.nearB006)
        #expect(m == AddressMatch(address: MatchedAddress(id: "B006", gridCode: "320116006002001",
                                                          location: Coordinate(lng: 118.845, lat: 32.355)),
                                  method: .exact, score: 1, byCoordinates: true))
    }

    @Test func withoutAPointOrBeyondTheBoundTheLowestIDStandsAsAmbiguous() {
        for near in [nil, CityWideAddresses.farFromBoth] {
            let m = match("雄州街道龙华路8号", near: near)
            #expect(m?.address.id == "B005" && m?.method == .fuzzy && m?.score == 0.8 && m?.byCoordinates == false)
        }
    }

    @Test func theNearestOfTwoEqualFuzzyMatchesWins() {
        #expect(match("雄州街道龙华路8号1幢")?.address.id == "B005")
        let m = match("雄州街道龙华路8号1幢", near: CityWideAddresses.nearB006)
        #expect(m?.address.id == "B006" && m?.method == .fuzzy && m?.byCoordinates == true)
    }

    @Test func theBoundIsConfigurable() {
        let tight = StandardAddressIndex(addresses: CityWideAddresses.list, normalizer: TestRegistry.normalizer,
                                         thresholds: MatchThresholds(tieBreakMeters: 10))
        #expect(tight.match(TestRegistry.normalizer.normalize("雄州街道龙华路8号"), near: CityWideAddresses.nearB006)?.address.id == "B005")
    }

    // MARK: through the resolver

    @Test func theResolverMatchesAUniqueCompoundCityWideLessSurely() {
        let p = CityWideAddresses.resolver.resolve(PlaceDraft(address: "学府花园三栋"))
        #expect(p.standardAddressID == "B001" && p.gridCode == "320113007002001" && p.method == .exact)
        #expect(p.confidence == 0.9)
        #expect(p.communityCode == "320113007002")
    }

    @Test func theResolverLetsTheRecordsPointPickBetweenTwoCommunities() {
        let point = GeoPoint(lng: CityWideAddresses.nearB006.lng, lat: CityWideAddresses.nearB006.lat, datum: .wgs84)
        let p = CityWideAddresses.resolver.resolve(PlaceDraft(address: "雄州街道龙华路8号", point: point))
        #expect(p.standardAddressID == "B006" && p.gridCode == "320116006002001" && p.method == .exact)
    }
}

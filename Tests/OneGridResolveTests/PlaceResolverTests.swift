import OneGridModel
import Testing
@testable import OneGridResolve

enum TestResolver {
    static let registry: [Grid] = TestGrids.boundaries.map {
        Grid(code: $0.gridCode, name: "网格\($0.gridCode.suffix(3))", communityCode: String($0.gridCode.prefix(12)),
             kind: .comprehensive, households: 400)
    }
    static let resolver = PlaceResolver(normalizer: TestRegistry.normalizer, addresses: TestAddresses.index,
                                        grids: TestGrids.index, registry: registry)
}

@Suite struct PlaceResolverTests {
    let r = TestResolver.resolver
    let inGrid001 = GeoPoint(lng: 118.835, lat: 32.345, datum: .wgs84)
    let inGrid002 = GeoPoint(lng: 118.845, lat: 32.345, datum: .wgs84)

    @Test func addressDecidesAndAgreesWithTheGivenGrid() {
        let p = r.resolve(PlaceDraft(address: "六合区雄州街道桥西社区华城名府3栋2单元"), givenGridCode: "320116006001002")
        #expect(p == ResolvedPlace(
            text: "六合区雄州街道桥西社区华城名府3栋2单元", normalizedKey: "320116006001||华城名府|3幢|2单元",
            compoundKey: "320116006001|华城名府", standardAddressID: "A001", gridCode: "320116006001002",
            communityCode: "320116006001", streetCode: "320116006", districtCode: "320116",
            location: Coordinate(lng: 118.845, lat: 32.345), method: .exact, confidence: 1, conflict: nil,
            incidentPlaceKey: IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "3")))
    }

    @Test func everyUnitOfABuildingSharesTheIncidentPlaceKey() {
        let unit1 = r.resolve(PlaceDraft(address: "桥西社区华城名府3幢1单元"))
        let building = r.resolve(PlaceDraft(address: "桥西社区华城名府3幢"))
        #expect(unit1.standardAddressID == "A002")
        #expect(unit1.incidentPlaceKey == IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "3"))
        #expect(building.incidentPlaceKey == IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "3"))
    }

    @Test func aRecordNamingOnlyTheCompoundIsLinkedOnTheCompound() {
        let p = r.resolve(PlaceDraft(address: "桥西社区华城名府"))
        #expect(p.incidentPlaceKey == IncidentPlaceKey.compound("320116006001|华城名府"))
    }

    @Test func anUnmatchedRecordHasNoIncidentPlaceKeyOfItsOwn() {
        let p = r.resolve(PlaceDraft(address: "雄州街道南门社区延安路20号南门新村1幢"))
        #expect(p.standardAddressID == "A004" && p.incidentPlaceKey == IncidentPlaceKey.building(compound: "320116006002|南门新村", building: "1"))
        let road = r.resolve(PlaceDraft(address: "仙林大道10号"))
        #expect(road.incidentPlaceKey == nil)
    }

    @Test func addressWinsOverADisagreeingGivenGrid() {
        let p = r.resolve(PlaceDraft(address: "六合区雄州街道桥西社区华城名府3栋2单元"), givenGridCode: "320116006001001")
        #expect(p.gridCode == "320116006001002")
        #expect(p.conflict == "given grid 320116006001001 ≠ address grid 320116006001002 (address wins)")
    }

    @Test func staleGivenGridStillResolvesFromTheAddress() {
        let p = r.resolve(PlaceDraft(address: "雄州街道 华城名府 三栋二单元"), givenGridCode: "320116006001099")
        #expect(p.gridCode == "320116006001002" && p.method == .exact)
        #expect(p.conflict == "given grid 320116006001099 not in registry")
    }

    @Test func staleGivenGridStillResolvesFromCoordinates() {
        let p = r.resolve(PlaceDraft(point: inGrid001), givenGridCode: "320116006009001")
        #expect(p.gridCode == "320116006001001" && p.method == .coordinates && p.confidence == 0.8)
        #expect(p.conflict == "given grid 320116006009001 not in registry")
    }

    @Test func addressWinsOverDisagreeingCoordinates() {
        let p = r.resolve(PlaceDraft(address: "桥西社区华城名府3幢2单元", point: inGrid001))
        #expect(p.gridCode == "320116006001002" && p.method == .exact)
        #expect(p.location == Coordinate(lng: 118.835, lat: 32.345))
        #expect(p.conflict == "address grid 320116006001002 ≠ coordinate grid 320116006001001 (address wins)")
    }

    @Test func allThreeDisagreeingAreAllReported() {
        let p = r.resolve(PlaceDraft(address: "桥西社区华城名府3幢2单元", point: inGrid001), givenGridCode: "320116006002001")
        #expect(p.conflict == "given grid 320116006002001 ≠ address grid 320116006001002 (address wins); "
            + "given grid 320116006002001 ≠ coordinate grid 320116006001001 (address wins); "
            + "address grid 320116006001002 ≠ coordinate grid 320116006001001 (address wins)")
    }

    @Test func coordinatesWinOverTheGivenGridWithoutAnAddressMatch() {
        let p = r.resolve(PlaceDraft(address: "雄州街道张记饭店", point: inGrid001), givenGridCode: "320116006001002")
        #expect(p.gridCode == "320116006001001" && p.method == .coordinates)
        #expect(p.communityCode == "320116006001")
        #expect(p.conflict == "given grid 320116006001002 ≠ coordinate grid 320116006001001 (coordinates win)")
    }

    @Test func gcjCoordinatesAreConvertedBeforeTheLookup() {
        let w = Coordinate(lng: 118.8449, lat: 32.3449)
        let g = CoordinateTransform.wgs84ToGCJ02(w)
        let p = r.resolve(PlaceDraft(point: GeoPoint(lng: g.lng, lat: g.lat, datum: .gcj02)))
        #expect(p.gridCode == "320116006001002")
        #expect(GeoDistance.meters(p.location!, w) < 1)
        // Unconverted, the GCJ point would lie ~500 m away, outside every grid.
        #expect(TestGrids.index.locate(g) == nil)
    }

    @Test func coordinatesGiveTheBlockForAnAddressWithoutDivisions() {
        let p = r.resolve(PlaceDraft(address: "华城名府3幢2单元", point: inGrid002))
        #expect(p.standardAddressID == "A001" && p.method == .exact)
        #expect(p.normalizedKey == "320116006001||华城名府|3幢|2单元")
        #expect(p.conflict == nil)
    }

    @Test func divisionFieldsGiveTheBlock() {
        let p = r.resolve(PlaceDraft(address: "华城名府3栋2单元", street: "雄州", community: "桥西"))
        #expect(p.standardAddressID == "A001" && p.method == .exact)
    }

    @Test func givenGridUsedWhenItLiesUnderTheNamedCommunity() {
        let p = r.resolve(PlaceDraft(address: "雄州街道桥西社区张记饭店"), givenGridCode: "320116006001002")
        #expect(p.gridCode == "320116006001002" && p.method == .division && p.confidence == 0.6)
        #expect(p.conflict == nil)
    }

    @Test func givenGridOutsideTheNamedCommunityIsNotUsed() {
        let p = r.resolve(PlaceDraft(community: "南门社区"), givenGridCode: "320116006001002")
        #expect(p.gridCode == nil && p.method == .division && p.confidence == 0.4)
        #expect(p.communityCode == "320116006002")
        #expect(p.conflict == "given grid 320116006001002 not under named division 320116006002")
    }

    @Test func divisionOnly() {
        let p = r.resolve(PlaceDraft(address: "雄州街道张记饭店"))
        #expect(p == ResolvedPlace(text: "雄州街道张记饭店", normalizedKey: "320116006|||||张记饭店",
                                   compoundKey: "320116006|张记饭店", streetCode: "320116006", districtCode: "320116",
                                   method: .division, confidence: 0.3))
    }

    @Test func nothingKnown() {
        let p = r.resolve(PlaceDraft(address: "张记饭店"))
        #expect(p.method == .none && p.confidence == 0 && p.gridCode == nil)
    }

    @Test func fuzzyMatchConfidenceIsScaled() {
        let p = r.resolve(PlaceDraft(address: "雄州街道华成名府3幢2单元"))
        #expect(p.method == .fuzzy && p.standardAddressID == "A001")
        #expect(abs(p.confidence - 0.9 * 0.54 / 0.7) < 1e-9)
    }

    @Test func aPlaceNameBeginningWithADivisionNameMatchesOnTheSecondReading() {
        let list = [
            StandardAddress(id: "B001", address: "南京市栖霞区仙林街道杉湖路社区仙林大道58号仙林翠谷21幢1单元",
                            road: "仙林大道", number: "58号", compound: "仙林翠谷", building: "21幢", unit: "1单元",
                            gridCode: "320113007001001"),
            StandardAddress(id: "B002", address: "南京市六合区雄州街道桥西社区雄州南路43号", road: "雄州南路", number: "43号",
                            gridCode: "320116006001002"),
        ]
        let resolver = PlaceResolver(normalizer: TestRegistry.normalizer,
                                     addresses: StandardAddressIndex(addresses: list, normalizer: TestRegistry.normalizer),
                                     grids: TestGrids.index, registry: TestResolver.registry)
        let school = resolver.resolve(PlaceDraft(address: "栖霞区仙林翠谷21栋"))
        #expect(school.standardAddressID == "B001" && school.gridCode == "320113007001001" && school.method == .fuzzy)
        #expect(school.normalizedKey == "320113||仙林翠谷|21幢|")
        let road = resolver.resolve(PlaceDraft(address: "雄州南路43号"))
        #expect(road.standardAddressID == "B002" && road.gridCode == "320116006001002" && road.method == .exact)
        #expect(road.incidentPlaceKey == IncidentPlaceKey.standardAddress("B002")) // no building: the standard address itself
    }

    @Test func theFirstReadingStandsWhenItMatches() {
        let p = r.resolve(PlaceDraft(address: "雄州华城名府3栋2单元"))
        #expect(p.standardAddressID == "A001" && p.normalizedKey == "320116006||华城名府|3幢|2单元")
    }

    @Test func pointAtZeroZeroIsIgnored() {
        let p = r.resolve(PlaceDraft(point: GeoPoint(lng: 0, lat: 0, datum: .wgs84)))
        #expect(p.location == nil && p.method == .none)
    }
}

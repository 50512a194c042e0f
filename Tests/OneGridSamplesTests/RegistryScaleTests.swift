import Testing
import OneGridModel
@testable import OneGridSamples

@Suite struct RegistryScaleTests {
    let small = SampleRegistry.make(seed: 7)
    let scaled = SampleRegistry.make(seed: 7, scale: 6)

    @Test func scaleOneIsTheSeededRegistry() {
        let one = SampleRegistry.make(seed: 7, scale: 1)
        #expect(one.addresses == small.addresses && one.boundaries == small.boundaries && one.workers == small.workers)
        #expect(one.divisions == small.divisions)
    }

    @Test func scaleSixHasThreeRowsAndTwiceTheAddressesPerCommunity() {
        #expect(RegistryScale(6).rows == 3 && RegistryScale(6).addressFactor == 2)
        #expect(RegistryScale(111).rows == 11 && RegistryScale(111).addressFactor == 11)
        #expect(scaled.communities.count == 16 * 3)
        let perCommunity = Dictionary(grouping: scaled.addresses) { $0.gridCode!.prefix(12) }
        #expect(perCommunity.count == 48)
        for (_, list) in perCommunity { #expect((40...80).contains(list.count)) }
    }

    @Test func scaledCommunitiesKeepRealStreetsAndUniqueNames() {
        let streets = Set(SampleRegistry.realDivisions.filter { $0.level == .street }.map(\.code))
        #expect(Set(scaled.communities.map(\.streetCode)).isSubset(of: streets))
        #expect(Set(scaled.communities.map(\.code)).count == 48)
        #expect(Set(scaled.communities.map(\.name)).count == 48)
        #expect(scaled.communities.contains { $0.code == "320116006009" && $0.name == "祥和春社区" })
        #expect(scaled.communities.contains { $0.code == "320111008006" && $0.name == "乐顺春村" })
        let compounds = Dictionary(grouping: scaled.addresses.filter { $0.compound != nil }) { $0.gridCode!.prefix(12) }
        #expect(compounds.count == 48)
    }

    @Test func scaledAddressesLieInTheirGridOnly() throws {
        let polygons = Dictionary(uniqueKeysWithValues: scaled.boundaries.map { ($0.gridCode, $0.polygons[0]) })
        #expect(Set(scaled.addresses.map(\.id)).count == scaled.addresses.count)
        for a in scaled.addresses {
            let p = try #require(a.location)
            let containing = polygons.filter { rayCast($0.value, p) }.map(\.key)
            #expect(containing == [a.gridCode!], "\(a.id) in \(containing)")
        }
    }

    @Test func scaledDoorNumbersNameOnePlace() {
        // A road number of a street is one compound's gate or one shop, never two places.
        var places: [String: Set<String>] = [:]
        for a in scaled.addresses {
            let door = String(a.gridCode!.prefix(9)) + a.road! + a.number!
            places[door, default: []].insert(a.compound ?? a.id)
        }
        #expect(places.values.allSatisfy { $0.count == 1 })
        let gates = Dictionary(grouping: scaled.addresses.filter { $0.compound != nil }) { $0.gridCode!.prefix(12) + $0.compound! }
        #expect(gates.values.allSatisfy { Set($0.map { $0.road! + $0.number! }).count == 1 })
    }

    @Test func compoundsOfOneCommunityShareAtMostTwoCharacters() {
        let names = RegistryScale.compoundNames(count: 48, first: 1000)
        #expect(Set(names).count == 48)
        for i in names.indices {
            for j in names.indices where j > i {
                let same = zip(names[i], names[j]).filter { $0 == $1 }.count
                #expect(same <= 2, "\(names[i]) \(names[j])")
            }
        }
    }

    @Test func scaledCommunityBoxesDoNotOverlap() {
        let boxes = scaled.communities.map(\.box)
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                let a = boxes[i], b = boxes[j]
                let apart = a.lng + a.width <= b.lng || b.lng + b.width <= a.lng || a.lat + a.height <= b.lat || b.lat + b.height <= a.lat
                #expect(apart, "\(scaled.communities[i].code) overlaps \(scaled.communities[j].code)")
            }
        }
    }

    @Test func derivedScaleKeepsSmallSamplesAtOne() {
        #expect(FeedSampleOptions().effectiveRegistryScale == 1)
        var year = FeedSampleOptions(days: 365)
        year.hotlineRecords = 5883; year.petitionRecords = 1176; year.patrolRecords = 2941
        #expect(year.effectiveRegistryScale == 1)
        var twoMonths = FeedSampleOptions(days: 60)
        twoMonths.hotlineRecords = 58824; twoMonths.petitionRecords = 11764; twoMonths.patrolRecords = 29412
        #expect(twoMonths.effectiveRegistryScale == 111)
        twoMonths.registryScale = 4
        #expect(twoMonths.effectiveRegistryScale == 4)
    }

    @Test func derivedScaleStopsAt128() {
        var oneDay = FeedSampleOptions(days: 1)
        oneDay.hotlineRecords = 1_000_000; oneDay.petitionRecords = 200_000; oneDay.patrolRecords = 1_000_000
        #expect(oneDay.effectiveRegistryScale == 128)
    }
}

import Foundation
import Testing
import OneGridModel
@testable import OneGridSamples

@Suite struct RegistryTests {
    let registry = SampleRegistry.make(seed: 7)

    @Test func namedCommunitiesAndRealStreetsExist() {
        let names = Set(registry.communities.map { $0.name })
        for name in ["桥西社区", "杉湖路社区", "南大和园社区", "星兴社区"] { #expect(names.contains(name)) }
        let byCode = Dictionary(uniqueKeysWithValues: registry.divisions.map { ($0.code, $0) })
        #expect(byCode["320116006"]?.name == "雄州街道")
        #expect(byCode["320116007"]?.name == "龙池街道")
        #expect(byCode["320113007"]?.name == "仙林街道")
        #expect(byCode["320111008"]?.name == "星甸街道")
        #expect(byCode["320111001"]?.name == "泰山街道")
        #expect(byCode["320102002"]?.name == "梅园新村街道")
        #expect(byCode["320116006001"]?.name == "桥西社区")
        #expect(registry.divisions.filter { $0.level == .district }.count == 11)
        #expect(registry.divisions.filter { $0.level == .street }.count == 140)
        #expect(registry.communities.count == 16)
        for c in registry.communities {
            #expect(c.code.count == 12 && c.code.hasPrefix(c.streetCode))
            #expect(byCode[c.streetCode] != nil)
        }
    }

    @Test func gridCodesExtendCommunityCodes() {
        let communities = Set(registry.communities.map(\.code))
        for g in registry.grids {
            #expect(g.code.count == 15)
            #expect(String(g.code.prefix(12)) == g.communityCode)
            #expect(communities.contains(g.communityCode))
            if g.kind == .comprehensive { #expect((300...500).contains(g.households ?? 0)) } else { #expect(g.households == nil) }
        }
        for c in registry.communities {
            let count = registry.grids.filter { $0.communityCode == c.code }.count
            #expect((2...5).contains(count), "\(c.name) has \(count) grids")
        }
        #expect(registry.grids.contains { $0.kind == .exclusive })
        #expect(registry.boundaries.contains { !$0.polygons[0].holes.isEmpty })
    }

    @Test func everyAddressLiesInItsGridOnly() throws {
        let polygons = Dictionary(uniqueKeysWithValues: registry.boundaries.map { ($0.gridCode, $0.polygons[0]) })
        #expect(registry.addresses.count >= 16 * 20)
        for a in registry.addresses {
            let p = try #require(a.location)
            #expect(rayCast(polygons[a.gridCode!]!, p), "\(a.id) outside its grid")
            let containing = polygons.filter { rayCast($0.value, p) }.map(\.key)
            #expect(containing == [a.gridCode!], "\(a.id) in \(containing)")
            #expect(a.id.hasPrefix("A" + a.gridCode!.prefix(12)))
            #expect(a.address.hasPrefix("南京市"))
        }
        let perCommunity = Dictionary(grouping: registry.addresses) { $0.gridCode!.prefix(12) }
        for (_, list) in perCommunity { #expect((20...40).contains(list.count)) }
    }

    @Test func gridsDoNotOverlap() {
        // Sample a lattice over each community box: every point is in exactly one grid of it.
        for c in registry.communities {
            let grids = registry.boundaries.filter { $0.gridCode.hasPrefix(c.code) }
            for i in 1..<20 {
                for j in 1..<20 {
                    let p = Coordinate(lng: c.box.lng + c.box.width * Double(i) / 20 + 0.0000013,
                                       lat: c.box.lat + c.box.height * Double(j) / 20 + 0.0000017)
                    #expect(grids.filter { rayCast($0.polygons[0], p) }.count == 1, "\(c.name) at \(p)")
                }
            }
        }
    }

    @Test func rosterIsValid() throws {
        for g in registry.grids {
            #expect(registry.workers.filter { $0.gridCode == g.code && $0.role == .fullTime }.count == 1)
        }
        let legal = Dictionary(grouping: registry.workers.filter { $0.role == .legal }, by: \.workerID)
        #expect(!legal.isEmpty)
        #expect(legal.values.allSatisfy { $0.count >= 3 })
        #expect(registry.workers.contains { $0.role == .partTime })
        for w in registry.workers {
            let id = try IDNumber(parsing: w.idNumber!)
            #expect(id.value == w.idNumber)
            #expect(try PhoneNumber(parsing: w.phone!).value.count == 11)
        }
    }

    @Test func peopleHaveValidIDs() throws {
        var old = 0
        for i in 0..<500 {
            let p = PeopleFactory.person(seed: 3, index: i, addressCount: 100)
            #expect(try IDNumber(parsing: p.idNumber).value == p.idNumber)
            if let o = p.oldIDNumber {
                old += 1
                #expect(try IDNumber(parsing: o).value == p.idNumber)
            }
            #expect((2...3).contains(p.name.count))
            #expect(p.mobile.count == 11)
            if let l = p.landline { #expect(l.hasPrefix("025") && l.count == 11) }
        }
        #expect(old > 100)
        // The standard's own example checks the check-character computation.
        #expect(IDNumber.checkCharacter(for: Array("11010519491231002".utf8)) == "X")
    }

    @Test func writtenReferenceHasExactHeaders() throws {
        let dir = temporaryDirectory("reference")
        try registry.write(to: dir)
        #expect(listFiles(dir) == ["addresses.csv", "grid_workers.csv", "grids.csv", "grids.geojson", "nanjing-divisions.csv"])
        func header(_ name: String) throws -> String {
            String(try String(contentsOfFile: dir + "/" + name, encoding: .utf8).split(separator: "\n")[0])
        }
        #expect(try header("nanjing-divisions.csv") == "code,name,level,parent_code,urban_rural_code")
        #expect(try header("grids.csv") == "grid_code,grid_name,community_code,kind,households")
        #expect(try header("addresses.csv") == "address_id,address,road,number,compound,building,unit,grid_code,lng,lat")
        #expect(try header("grid_workers.csv") == "worker_id,name,id_no,phone,role,grid_code")
        // Every real row is kept verbatim, then the synthetic communities.
        let divisions = try String(contentsOfFile: dir + "/nanjing-divisions.csv", encoding: .utf8)
        #expect(divisions.hasPrefix(NanjingDivisions.csv + "\n"))
        #expect(divisions.contains("320116006001,桥西社区,community,320116006,111\n"))
        let geo = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/grids.geojson"))) as! [String: Any]
        let features = geo["features"] as! [[String: Any]]
        #expect(features.count == registry.grids.count)
        let props = features[0]["properties"] as! [String: Any]
        #expect(props["grid_code"] as? String == registry.grids[0].code)
        let rows = csvRows(try String(contentsOfFile: dir + "/addresses.csv", encoding: .utf8))
        #expect(rows.count == registry.addresses.count)
        #expect(rows.allSatisfy { $0.count == 10 })
    }

    @Test func registryIsDeterministic() {
        let a = SampleRegistry.make(seed: 11), b = SampleRegistry.make(seed: 11), c = SampleRegistry.make(seed: 12)
        #expect(a.addresses == b.addresses && a.workers == b.workers && a.boundaries == b.boundaries)
        #expect(a.addresses != c.addresses)
    }
}

/// Ray casting, written here independently of the generator's own.
func rayCast(_ polygon: OneGridModel.Polygon, _ p: Coordinate) -> Bool {
    func inRing(_ ring: [Coordinate]) -> Bool {
        var inside = false
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            if (a.lat <= p.lat && b.lat > p.lat) || (b.lat <= p.lat && a.lat > p.lat) {
                let t = (p.lat - a.lat) / (b.lat - a.lat)
                if p.lng < a.lng + t * (b.lng - a.lng) { inside = !inside }
            }
        }
        return inside
    }
    return inRing(polygon.outer) && !polygon.holes.contains(where: inRing)
}

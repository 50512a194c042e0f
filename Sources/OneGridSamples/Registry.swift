import OneGridModel
import OneGridCodecs

/// The synthetic reference data behind every sample: divisions (real districts and streets,
/// synthetic communities), grids with WGS-84 boundaries, the standard address list and the
/// grid worker roster.
public struct SampleRegistry: Sendable {
    /// Every division written to `nanjing-divisions.csv`: the real Nanjing rows, then the
    /// synthetic communities.
    public let divisions: [Division]
    /// The synthetic community rows only, with their 城乡分类代码.
    public let communities: [SampleCommunity]
    public let grids: [Grid]
    /// One boundary per grid, same order as `grids`.
    public let boundaries: [GridBoundary]
    public let addresses: [StandardAddress]
    /// Roster rows (a 政法网格员 has one row per grid served).
    public let workers: [GridWorker]
    /// The people behind the roster, by worker ID.
    public let workerPeople: [String: SamplePerson]
    public let seed: UInt64

    /// Where each address sits in the division tree, same order as `addresses`.
    let addressPlaces: [AddressPlace]
    /// Indices into `workers` of the rows serving each grid.
    let workersByGrid: [String: [Int]]
    /// The other grids of the same community, for stale grid codes.
    let neighbours: [String: [String]]

    struct AddressPlace: Sendable {
        var districtName: String, streetName: String, communityName: String
        var districtCode: String, streetCode: String
        var road: String, number: Int, compound: String?, building: Int?, unit: Int?
    }

    /// Builds the registry of `seed`: same seed, same registry. `scale` (≥ 1) multiplies the
    /// standard addresses about `scale` times: scale 1 is the small hand-seeded registry (448
    /// addresses for seed 20200623); above it every street gets ⌈√scale⌉ rows of communities
    /// (synthetic names and codes) and every community ⌈scale / rows⌉ times the compounds and
    /// addresses, so the register grows with the volume of events as a real city's does.
    public static func make(seed: UInt64, scale: Int = 1) -> SampleRegistry {
        var builder = RegistryBuilder(seed: seed, scale: max(1, scale))
        return builder.build()
    }

    /// The real division rows shipped with the generator (districts and streets).
    public static var realDivisions: [Division] {
        NanjingDivisions.csv.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Division(code: f[0], name: f[1], level: DivisionLevel(rawValue: f[2]) ?? .street,
                            parentCode: f[3].isEmpty ? nil : f[3])
        }
    }

    /// Writes the reference folder: `nanjing-divisions.csv`, `grids.csv`, `grids.geojson`,
    /// `addresses.csv`, `grid_workers.csv` (UTF-8, LF, header row).
    public func write(to directory: String) throws {
        try FileSystem.makeDirectories(directory)
        var text = "code,name,level,parent_code,urban_rural_code\n"
        let urbanRural = Dictionary(uniqueKeysWithValues: communities.map { ($0.code, $0.urbanRuralCode) })
        for d in divisions {
            text += "\(d.code),\(d.name),\(d.level.rawValue),\(d.parentCode ?? ""),\(urbanRural[d.code] ?? "")\n"
        }
        try FileSystem.write(text, to: directory + "/nanjing-divisions.csv")

        text = "grid_code,grid_name,community_code,kind,households\n"
        for g in grids {
            text += "\(g.code),\(g.name),\(g.communityCode),\(g.kind.rawValue),\(g.households.map(String.init) ?? "")\n"
        }
        try FileSystem.write(text, to: directory + "/grids.csv")

        text = "{\"type\":\"FeatureCollection\",\"features\":[\n"
        for (i, b) in boundaries.enumerated() {
            let polygon = b.polygons[0]
            func ring(_ r: [Coordinate]) -> String {
                "[" + (r + [r[0]]).map { "[\(Fmt.fixed($0.lng, 6)),\(Fmt.fixed($0.lat, 6))]" }.joined(separator: ",") + "]"
            }
            let rings = ([polygon.outer] + polygon.holes).map(ring).joined(separator: ",")
            text += "{\"type\":\"Feature\",\"properties\":{\"grid_code\":\"\(b.gridCode)\",\"grid_name\":\(Fmt.jsonString(grids[i].name))},"
                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[\(rings)]}}"
                + (i == boundaries.count - 1 ? "\n" : ",\n")
        }
        text += "]}\n"
        try FileSystem.write(text, to: directory + "/grids.geojson")

        text = "address_id,address,road,number,compound,building,unit,grid_code,lng,lat\n"
        for a in addresses {
            text += [a.id, a.address, a.road ?? "", a.number ?? "", a.compound ?? "", a.building ?? "", a.unit ?? "",
                     a.gridCode ?? "", Fmt.fixed(a.location!.lng, 6), Fmt.fixed(a.location!.lat, 6)]
                .map(Fmt.csvField).joined(separator: ",") + "\n"
        }
        try FileSystem.write(text, to: directory + "/addresses.csv")

        text = "worker_id,name,id_no,phone,role,grid_code\n"
        for w in workers {
            text += "\(w.workerID),\(w.name),\(w.idNumber ?? ""),\(w.phone ?? ""),\(w.role.rawValue),\(w.gridCode)\n"
        }
        try FileSystem.write(text, to: directory + "/grid_workers.csv")
    }

    /// The boundary of a grid.
    public func boundary(of gridCode: String) -> GridBoundary? {
        boundaries.first { $0.gridCode == gridCode }
    }
}

/// A synthetic community (社区/村) under a real street.
public struct SampleCommunity: Sendable {
    public let code: String
    /// Short name, e.g. 桥西社区.
    public let name: String
    public let streetCode: String
    /// 城乡分类代码 (111 主城区, 112 城乡结合区, 121 镇中心区, 220 村庄): synthetic.
    public let urbanRuralCode: String
    /// South-west corner and size of the community's box, WGS-84 degrees.
    let box: (lng: Double, lat: Double, width: Double, height: Double)
}

/// The hand-written seeds of the registry: real streets with plausible places.
struct StreetSeed {
    let code: String, name: String, districtCode: String, districtName: String
    let center: (lng: Double, lat: Double)
    let roads: [String]
    /// Community name, 城乡分类代码, compounds, and an exclusive grid's name if it has one.
    let communities: [(name: String, urbanRural: String, compounds: [String], exclusive: String?)]

    static let all: [StreetSeed] = [
        StreetSeed(code: "320116006", name: "雄州街道", districtCode: "320116", districtName: "六合区",
                   center: (118.84, 32.34), roads: ["延安路", "雄州南路", "龙池路", "文峰路", "园林路"],
                   communities: [("桥西社区", "111", ["华城名府", "桥西新村", "金城花园"], nil),
                                 ("方州社区", "111", ["方州花园", "金牛湖花园", "文峰小区"], "方州农贸市场"),
                                 ("城东社区", "112", ["城东新苑", "龙湖苑"], nil)]),
        StreetSeed(code: "320116007", name: "龙池街道", districtCode: "320116", districtName: "六合区",
                   center: (118.87, 32.32), roads: ["龙津路", "长江路", "古棠大道", "虎跃东路"],
                   communities: [("古棠社区", "111", ["古棠苑", "龙池花园"], nil),
                                 ("龙津社区", "112", ["龙津新村", "桂山苑", "龙湾小区"], "六合实验小学")]),
        StreetSeed(code: "320113007", name: "仙林街道", districtCode: "320113", districtName: "栖霞区",
                   center: (118.93, 32.10), roads: ["杉湖东路", "学海路", "仙林大道", "文苑路", "仙鹤路"],
                   communities: [("杉湖路社区", "111", ["杉湖路小区", "东方天郡", "仙林翠谷"], "仙林中学"),
                                 ("南大和园社区", "111", ["南大和园", "学府花园"], nil),
                                 ("仙鹤社区", "111", ["仙鹤山庄", "白象片区", "亚东城"], nil)]),
        StreetSeed(code: "320111008", name: "星甸街道", districtCode: "320111", districtName: "浦口区",
                   center: (118.50, 32.12), roads: ["星甸大街", "九华路", "石桥路", "后圩路"],
                   communities: [("星兴社区", "121", ["星兴花园", "星甸新村"], nil),
                                 ("石桥社区", "121", ["石桥小区", "九华苑"], "星甸集贸市场"),
                                 ("后圩村", "220", ["后圩新村"], nil)]),
        StreetSeed(code: "320111001", name: "泰山街道", districtCode: "320111", districtName: "浦口区",
                   center: (118.72, 32.09), roads: ["柳洲东路", "浦珠北路", "大桥北路", "泰山路", "新华路"],
                   communities: [("柳洲社区", "111", ["柳洲花园", "明发滨江新城"], nil),
                                 ("浦珠社区", "111", ["浦珠花园", "泰山新村", "威尼斯水城"], "浦口外国语学校")]),
        StreetSeed(code: "320102002", name: "梅园新村街道", districtCode: "320102", districtName: "玄武区",
                   center: (118.80, 32.05), roads: ["长江路", "汉府街", "竺桥", "大悲巷", "利济巷"],
                   communities: [("大行宫社区", "111", ["长江新里", "汉府雅苑", "梅园小区"], nil),
                                 ("竺桥社区", "111", ["竺桥新村", "锦绣华庭"], nil),
                                 ("东箭道社区", "111", ["东箭道小区", "珠江壹号"], nil)]),
    ]
}

struct RegistryBuilder {
    let seed: UInt64
    let scale: Int
    var rng: SplitMix64

    init(seed: UInt64, scale: Int = 1) {
        self.seed = seed
        self.scale = scale
        rng = SplitMix64(seed: seed, stream: 1, index: 0)
    }

    mutating func build() -> SampleRegistry {
        var divisions = SampleRegistry.realDivisions
        var communities: [SampleCommunity] = []
        var grids: [Grid] = []
        var boundaries: [GridBoundary] = []
        var addresses: [StandardAddress] = []
        var places: [SampleRegistry.AddressPlace] = []
        var workers: [GridWorker] = []
        var workerPeople: [String: SamplePerson] = [:]
        var neighbours: [String: [String]] = [:]
        var workerSerial = 0

        func newWorkerPerson(_ rng: inout SplitMix64, area: String) -> SamplePerson {
            workerSerial += 1
            return SamplePerson(personID: "PW" + Fmt.pad(workerSerial, 4), name: PeopleFactory.name(&rng),
                                idNumber: PeopleFactory.idNumber(&rng, years: 1965...1998, area: rng.chance(0.7) ? area : nil),
                                mobile: PeopleFactory.mobile(&rng), landline: nil, homeAddressIndex: 0)
        }

        let layout = RegistryScale(scale)
        var named = SyntheticNames()
        for street in StreetSeed.all {
            let count = street.communities.count
            let width = 0.0098, height = 0.0098, gap = 0.0004
            var streetGrids: [String] = []
            // Above scale 1 a door number names one place on its road in the street: each
            // compound has one gate number, shops numbers of their own (scale 1 draws freely).
            var doorNumbers: [String: Set<Int>] = [:]
            for (ri, ci, seedCommunity) in layout.communities(of: street, named: &named) {
                let code = street.code + Fmt.pad(ri * count + ci + 1, 3)
                let box = (lng: street.center.lng + (Double(ci) - Double(count) / 2) * (width + gap),
                           lat: street.center.lat - height / 2 + layout.rowOffset(ri) * (height + gap), width: width, height: height)
                let community = SampleCommunity(code: code, name: seedCommunity.name, streetCode: street.code,
                                                urbanRuralCode: seedCommunity.urbanRural, box: box)
                communities.append(community)
                divisions.append(Division(code: code, name: seedCommunity.name, level: .community, parentCode: street.code))

                // Grids: vertical strips with shared, slightly bent borders (no gaps, no overlaps).
                let gridCount = rng.int(in: 2...(seedCommunity.exclusive == nil ? 5 : 4))
                var borders: [[Coordinate]] = [] // bottom, middle, top points of each inner border
                let xs = (0...gridCount).map { box.lng + box.width * Double($0) / Double(gridCount) }
                let midLat = Fmt.round(box.lat + box.height * rng.double(in: 0.35...0.65), 6)
                for i in 1..<gridCount {
                    let jitter = box.width / Double(gridCount) * 0.2
                    borders.append([Coordinate(lng: Fmt.round(xs[i] + rng.double(in: -jitter...jitter), 6), lat: Fmt.round(box.lat, 6)),
                                    Coordinate(lng: Fmt.round(xs[i] + rng.double(in: -jitter...jitter), 6), lat: midLat),
                                    Coordinate(lng: Fmt.round(xs[i] + rng.double(in: -jitter...jitter), 6), lat: Fmt.round(box.lat + box.height, 6))])
                }
                let left = [Coordinate(lng: Fmt.round(box.lng, 6), lat: Fmt.round(box.lat, 6)),
                            Coordinate(lng: Fmt.round(box.lng, 6), lat: midLat),
                            Coordinate(lng: Fmt.round(box.lng, 6), lat: Fmt.round(box.lat + box.height, 6))]
                let right = left.map { Coordinate(lng: Fmt.round(box.lng + box.width, 6), lat: $0.lat) }
                let lines = [left] + borders + [right]
                var communityGrids: [(code: String, polygon: Polygon, kind: GridKind)] = []
                for i in 0..<gridCount {
                    let l = lines[i], r = lines[i + 1]
                    // Counter-clockwise: up the left border's reverse… i.e. bottom-left, bottom-right, up the right, top-left, down the left.
                    let outer = [l[0], r[0], r[1], r[2], l[2], l[1]]
                    let gridCode = code + Fmt.pad(i + 1, 3)
                    // The last strip of a community with an exclusive place is that place (a market, a school).
                    let kind: GridKind = (seedCommunity.exclusive != nil && i == gridCount - 1 && !seedCommunity.name.hasPrefix("杉湖")) ? .exclusive : .comprehensive
                    communityGrids.append((gridCode, Polygon(outer: outer), kind))
                }
                // 杉湖路社区: the school is an exclusive grid cut out of the first strip as a hole.
                if seedCommunity.name == "杉湖路社区" {
                    let first = communityGrids[0].polygon.outer
                    let minX = max(first[0].lng, first[5].lng, first[4].lng)
                    let maxX = min(first[1].lng, first[2].lng, first[3].lng)
                    let w = (maxX - minX) * 0.4, h = box.height * 0.25
                    let x0 = Fmt.round(minX + (maxX - minX) * 0.3, 6), y0 = Fmt.round(box.lat + box.height * 0.15, 6)
                    let hole = [Coordinate(lng: x0, lat: y0), Coordinate(lng: x0, lat: Fmt.round(y0 + h, 6)),
                                Coordinate(lng: Fmt.round(x0 + w, 6), lat: Fmt.round(y0 + h, 6)), Coordinate(lng: Fmt.round(x0 + w, 6), lat: y0)]
                    communityGrids[0].polygon.holes = [hole] // clockwise
                    let school = Polygon(outer: [hole[0], hole[3], hole[2], hole[1]])
                    communityGrids.append((code + Fmt.pad(gridCount + 1, 3), school, .exclusive))
                }
                var comprehensiveNo = 0
                for g in communityGrids {
                    let name: String
                    let households: Int?
                    if g.kind == .exclusive {
                        name = seedCommunity.name + (seedCommunity.exclusive ?? "") + "专属网格"
                        households = nil
                    } else {
                        comprehensiveNo += 1
                        name = seedCommunity.name + "第\(comprehensiveNo)网格"
                        households = rng.int(in: 300...500)
                    }
                    grids.append(Grid(code: g.code, name: name, communityCode: code, kind: g.kind, households: households))
                    boundaries.append(GridBoundary(gridCode: g.code, polygons: [g.polygon]))
                }
                let codes = communityGrids.map(\.code)
                for c in codes { neighbours[c] = codes.filter { $0 != c } }
                streetGrids += codes

                // Standard addresses: compounds sit in one comprehensive grid each; shops on roads anywhere.
                let comprehensive = communityGrids.filter { $0.kind == .comprehensive }
                let exclusive = communityGrids.filter { $0.kind == .exclusive }
                let target = rng.int(in: 20...40) * layout.addressFactor
                var gates: [String: (road: String, number: Int)] = [:]
                var seen = Set<String>()
                var serial = 0
                var attempts = 0
                while serial < target && attempts < 1000 * layout.addressFactor {
                    attempts += 1
                    var road = rng.pick(street.roads)
                    var number = rng.int(in: 1...(220 * layout.rows))
                    var compound: String? = nil, building: Int? = nil, unit: Int? = nil
                    var grid = comprehensive[rng.below(comprehensive.count)]
                    let roll = rng.unit()
                    if roll < 0.68 {
                        let ci2 = rng.below(seedCommunity.compounds.count)
                        compound = seedCommunity.compounds[ci2]
                        grid = comprehensive[ci2 % comprehensive.count]
                        building = rng.int(in: 1...32)
                        if rng.chance(0.7) { unit = rng.int(in: 1...4) }
                    } else if roll < 0.76, let ex = exclusive.first {
                        compound = seedCommunity.exclusive
                        grid = ex
                    }
                    if layout.scaled {
                        if let compound, let gate = gates[compound] {
                            (road, number) = gate
                        } else if doorNumbers[road, default: []].contains(number) {
                            continue
                        } else {
                            doorNumbers[road, default: []].insert(number)
                            if let compound { gates[compound] = (road, number) }
                        }
                    }
                    var text = "南京市" + street.districtName + street.name + seedCommunity.name + road + "\(number)号"
                    if let compound { text += compound }
                    if let building { text += "\(building)幢" }
                    if let unit { text += "\(unit)单元" }
                    guard !seen.contains(text) else { continue }
                    // A point inside the grid, away from its edges (rejection sampling in the bounding box).
                    let ring = grid.polygon.outer
                    let lo = (lng: ring.map(\.lng).min()!, lat: ring.map(\.lat).min()!)
                    let hi = (lng: ring.map(\.lng).max()!, lat: ring.map(\.lat).max()!)
                    var point: Coordinate? = nil
                    for _ in 0..<200 {
                        let p = Coordinate(lng: Fmt.round(rng.double(in: lo.lng...hi.lng), 6), lat: Fmt.round(rng.double(in: lo.lat...hi.lat), 6))
                        let margin = 0.0003
                        let probes = [p, Coordinate(lng: p.lng + margin, lat: p.lat), Coordinate(lng: p.lng - margin, lat: p.lat),
                                      Coordinate(lng: p.lng, lat: p.lat + margin), Coordinate(lng: p.lng, lat: p.lat - margin)]
                        if probes.allSatisfy({ PolygonMath.contains(grid.polygon, $0) }) { point = p; break }
                    }
                    guard let point else { continue }
                    seen.insert(text)
                    serial += 1
                    addresses.append(StandardAddress(id: "A" + code + Fmt.pad(serial, 3), address: text, road: road, number: "\(number)号",
                                                     compound: compound, building: building.map { "\($0)幢" }, unit: unit.map { "\($0)单元" },
                                                     gridCode: grid.code, location: point))
                    places.append(.init(districtName: street.districtName, streetName: street.name, communityName: seedCommunity.name,
                                        districtCode: street.districtCode, streetCode: street.code,
                                        road: road, number: number, compound: compound, building: building, unit: unit))
                }

                // Roster: one full-time worker a grid, part-time helpers in some.
                for g in communityGrids {
                    let full = newWorkerPerson(&rng, area: street.districtCode)
                    let fullID = "W" + g.code + "A"
                    workers.append(GridWorker(workerID: fullID, name: full.name, idNumber: full.idNumber, phone: full.mobile, role: .fullTime, gridCode: g.code))
                    workerPeople[fullID] = full
                    if rng.chance(0.35) {
                        let part = newWorkerPerson(&rng, area: street.districtCode)
                        let partID = "W" + g.code + "B"
                        workers.append(GridWorker(workerID: partID, name: part.name, idNumber: part.idNumber, phone: part.mobile, role: .partTime, gridCode: g.code))
                        workerPeople[partID] = part
                    }
                }
            }
            // One 政法网格员 (a police officer or lawyer) a street, serving several grids.
            let legal = newWorkerPerson(&rng, area: street.districtCode)
            let served = Array(streetGrids.prefix(rng.int(in: 3...min(6, streetGrids.count))))
            let legalID = "W" + served[0] + "Z"
            for g in served {
                workers.append(GridWorker(workerID: legalID, name: legal.name, idNumber: legal.idNumber, phone: legal.mobile, role: .legal, gridCode: g))
            }
            workerPeople[legalID] = legal
        }
        var byGrid: [String: [Int]] = [:]
        for (i, w) in workers.enumerated() { byGrid[w.gridCode, default: []].append(i) }
        return SampleRegistry(divisions: divisions, communities: communities, grids: grids, boundaries: boundaries,
                              addresses: addresses, workers: workers, workerPeople: workerPeople, seed: seed,
                              addressPlaces: places, workersByGrid: byGrid, neighbours: neighbours)
    }
}

import Foundation
import OneGridFeeds
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// Loads the grid platform's registers (docs/feeds.md §5) into the warehouse: divisions, grids,
/// boundaries, standard addresses and the worker roster, each optional, all in one
/// transaction, updating rows that exist.
public struct ReferenceImporter {
    public let workspace: Workspace

    /// The usual file names inside a reference folder.
    public enum FileName {
        public static let divisions = "nanjing-divisions.csv"
        public static let grids = "grids.csv"
        public static let boundaries = "grids.geojson"
        public static let addresses = "addresses.csv"
        public static let workers = "grid_workers.csv"
    }

    /// Which files to load.
    public struct Files: Sendable, Hashable {
        public var divisions: String?
        public var grids: String?
        public var boundaries: String?
        public var addresses: String?
        public var workers: String?

        public init(divisions: String? = nil, grids: String? = nil, boundaries: String? = nil,
                    addresses: String? = nil, workers: String? = nil) {
            self.divisions = divisions
            self.grids = grids
            self.boundaries = boundaries
            self.addresses = addresses
            self.workers = workers
        }

        /// The files of a folder that exist under their usual names.
        public init(folder: String) {
            func at(_ name: String) -> String? {
                let p = (folder as NSString).appendingPathComponent(name)
                return FileManager.default.fileExists(atPath: p) ? p : nil
            }
            self.init(divisions: at(FileName.divisions), grids: at(FileName.grids), boundaries: at(FileName.boundaries),
                      addresses: at(FileName.addresses), workers: at(FileName.workers))
        }

        public var isEmpty: Bool { [divisions, grids, boundaries, addresses, workers].allSatisfy { $0 == nil } }
    }

    /// A reference row that cannot be used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var position: SourcePosition
        public var message: String
        public var description: String { "\(position): \(message)" }
    }

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func load(_ files: Files) throws -> ReferenceStore.Counts {
        let divisions = try files.divisions.map(readDivisions) ?? []
        let grids = try files.grids.map(readGrids) ?? []
        let boundaries = try files.boundaries.map(readBoundaries) ?? []
        let addresses = try files.addresses.map(readAddresses) ?? []
        let workers = try files.workers.map(readWorkers) ?? []
        let tokenizer = PersonTokenizer(key: workspace.key)
        let rules = try Resolution(warehouse: workspace.warehouse).linkingRules
        let store = ReferenceStore(warehouse: workspace.warehouse)
        var counts = ReferenceStore.Counts()
        try store.write { batch in
            try batch.upsert(divisions: divisions.map(\.0), urbanRural: Dictionary(divisions.compactMap { d in d.1.map { (d.0.code, $0) } }, uniquingKeysWith: { a, _ in a }))
            for (grid, position) in grids {
                guard try batch.divisionExists(code: grid.communityCode) else {
                    throw Problem(position: position, message: "grid \(grid.code) names community \(grid.communityCode), which the divisions lack")
                }
            }
            try batch.upsert(grids: grids.map(\.0))
            counts.boundaries = try batch.update(boundaries: boundaries)
            try batch.upsert(addresses: addresses)
            if files.workers != nil {
                try batch.replaceWorkers(workers.map { w in
                    var party = PartyDraft(role: "grid_worker", name: w.name)
                    party.idNumber = w.idNumber.flatMap { try? IDNumber(parsing: $0) }.map { .init($0) }
                    party.phone = w.phone.flatMap { try? PhoneNumber(parsing: $0) }.map { .init($0) }
                    return (w, tokenizer.keys(for: party))
                }, rules: rules)
            }
        }
        // The standard-address index of the new list is built and kept now, not by the next import.
        _ = try Resolution(warehouse: workspace.warehouse)
        counts.divisions = divisions.count
        counts.grids = grids.count
        counts.addresses = addresses.count
        counts.workers = workers.count
        return counts
    }

    // MARK: - Readers

    /// Rows of a UTF-8 reference CSV as dictionaries by header, with positions.
    func rows(_ path: String, required: [String]) throws -> [([String: String], SourcePosition)] {
        let reader = try FeedReaders.open(path: path, format: .csv, options: FeedReaderOptions())
        let header = (reader.header ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw Problem(position: SourcePosition(file: path, line: 1),
                          message: "header lacks \(missing.joined(separator: ", ")); found \(header.joined(separator: ","))")
        }
        var out: [([String: String], SourcePosition)] = []
        while let item = try reader.next() {
            switch item {
            case .record(let r):
                guard case .row(let cells) = r.content else { continue }
                var dict: [String: String] = [:]
                for (i, name) in header.enumerated() where i < cells.count {
                    if let v = TextNormalization.clean(cells[i]) { dict[name] = v }
                }
                out.append((dict, r.position))
            case .unreadable(let bad):
                throw Problem(position: bad.position, message: bad.reason.description)
            case .skipped:
                continue
            }
        }
        return out
    }

    func need(_ row: [String: String], _ key: String, _ p: SourcePosition) throws -> String {
        guard let v = row[key] else { throw Problem(position: p.with(field: key), message: "value is empty") }
        return v
    }

    func readDivisions(_ path: String) throws -> [(Division, String?)] {
        try rows(path, required: ["code", "name", "level", "parent_code"]).map { row, p in
            guard let level = DivisionLevel(rawValue: try need(row, "level", p)) else {
                throw Problem(position: p.with(field: "level"), message: "level is district, street or community")
            }
            return (Division(code: try need(row, "code", p), name: try need(row, "name", p), level: level, parentCode: row["parent_code"]),
                    row["urban_rural_code"])
        }
    }

    func readGrids(_ path: String) throws -> [(Grid, SourcePosition)] {
        try rows(path, required: ["grid_code", "grid_name", "community_code", "kind"]).map { row, p in
            let code = try need(row, "grid_code", p)
            guard code.count == 15, code.allSatisfy(\.isNumber) else {
                throw Problem(position: p.with(field: "grid_code"), message: "a grid code is 15 digits, found '\(code)'")
            }
            let kindText = try need(row, "kind", p)
            guard let kind = GridKind(rawValue: kindText) else {
                throw Problem(position: p.with(field: "kind"), message: "kind is 综合网格 or 专属网格, found '\(kindText)'")
            }
            return (Grid(code: code, name: try need(row, "grid_name", p), communityCode: try need(row, "community_code", p),
                         kind: kind, households: row["households"].flatMap { Int($0) }), p)
        }
    }

    func readAddresses(_ path: String) throws -> [StandardAddress] {
        try rows(path, required: ["address_id", "address", "grid_code"]).map { row, p in
            let lng = row["lng"].flatMap(Double.init), lat = row["lat"].flatMap(Double.init)
            return StandardAddress(id: try need(row, "address_id", p), address: try need(row, "address", p), road: row["road"],
                                   number: row["number"], compound: row["compound"], building: row["building"],
                                   unit: row["unit"], gridCode: row["grid_code"],
                                   location: lng.flatMap { x in lat.map { Coordinate(lng: x, lat: $0) } })
        }
    }

    func readWorkers(_ path: String) throws -> [GridWorker] {
        try rows(path, required: ["worker_id", "name", "role", "grid_code"]).map { row, p in
            let roleText = try need(row, "role", p)
            guard let role = WorkerRole(rawValue: roleText) else {
                throw Problem(position: p.with(field: "role"), message: "role is 专职网格员, 兼职网格员 or 政法网格员, found '\(roleText)'")
            }
            return GridWorker(workerID: try need(row, "worker_id", p), name: try need(row, "name", p), idNumber: row["id_no"],
                              phone: row["phone"], role: role, gridCode: try need(row, "grid_code", p))
        }
    }

    /// A GeoJSON FeatureCollection of Polygons / MultiPolygons with `grid_code` properties.
    func readBoundaries(_ path: String) throws -> [GridBoundary] {
        guard let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let features = root["features"] as? [[String: Any]] else {
            throw Problem(position: SourcePosition(file: path, line: 1), message: "not a GeoJSON FeatureCollection")
        }
        func ring(_ any: Any?) -> [Coordinate]? {
            (any as? [[Double]])?.compactMap { $0.count >= 2 ? Coordinate(lng: $0[0], lat: $0[1]) : nil }
        }
        func polygon(_ any: Any?) -> Polygon? {
            guard let rings = any as? [Any], let outer = ring(rings.first) else { return nil }
            return Polygon(outer: outer, holes: rings.dropFirst().compactMap(ring))
        }
        return try features.enumerated().map { i, feature in
            let p = SourcePosition(file: path, line: 0, record: i + 1)
            guard let props = feature["properties"] as? [String: Any], let code = props["grid_code"] as? String else {
                throw Problem(position: p.with(field: "properties.grid_code"), message: "feature lacks grid_code")
            }
            guard let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String else {
                throw Problem(position: p.with(field: "geometry"), message: "feature lacks a geometry")
            }
            switch type {
            case "Polygon":
                guard let poly = polygon(geometry["coordinates"]) else { throw Problem(position: p, message: "bad Polygon coordinates") }
                return GridBoundary(gridCode: code, polygons: [poly])
            case "MultiPolygon":
                let polys = ((geometry["coordinates"] as? [Any]) ?? []).compactMap(polygon)
                return GridBoundary(gridCode: code, polygons: polys)
            default:
                throw Problem(position: p.with(field: "geometry.type"), message: "geometry \(type) is not a Polygon or MultiPolygon")
            }
        }
    }
}

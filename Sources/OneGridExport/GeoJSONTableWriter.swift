import OneGridCodecs
import OneGridModel
import OneGridWarehouse

/// A map layer through the `TableWriter` contract: an RFC 7946 FeatureCollection, one
/// feature per row, the row's cells as properties keyed by the headers (timestamps as ISO
/// 8601 text), the first cell as the feature id, and a geometry the table supplies per row
/// (nil writes `"geometry":null`). Written through an `OutputFile`.
public final class GeoJSONTableWriter: TableWriter {
    private let file: OutputFile
    private let writer: GeoJSONWriter
    private let geometry: ([ExportValue]) -> GeoJSONGeometry?
    private var keys: [String] = []

    public init(path: String, permissions: OutputPermissions = .ownerOnly, options: GeoJSONWriterOptions = GeoJSONWriterOptions(),
                geometry: @escaping ([ExportValue]) -> GeoJSONGeometry?) throws {
        file = try OutputFile(path: path, permissions: permissions)
        writer = try GeoJSONWriter(sink: OutputFileSink(file), options: options)
        self.geometry = geometry
    }

    public func begin(columns: [String]) throws {
        keys = columns
    }

    public func write(row: [ExportValue]) throws {
        let properties = zip(keys, row).map { key, value in (key: key, value: Self.property(value)) }
        let id = row.first.map(\.plainText)
        do {
            try writer.write(GeoJSONFeature(id: id, geometry: geometry(row), properties: properties))
        } catch let error as GeoJSONError {
            throw GeoJSONFeatureError(id: id ?? "", error: error)
        }
    }

    public func finish() throws -> Int64 {
        _ = try writer.finish()
        return file.bytes
    }

    public func discard() {
        file.discard()
    }

    public var sha256: String? { file.sha256 }

    static func property(_ value: ExportValue) -> GeoJSONValue {
        switch value {
        case .text(let s): return .string(s)
        case .integer(let i): return .integer(i)
        case .real(let d): return .number(d)
        case .timestamp(let t): return .string(t.iso8601)
        case .null: return .null
        }
    }

    /// A grid's polygons as GeoJSON: one polygon, or a multipolygon; nil without any.
    static func geometry(_ polygons: [Polygon]?) -> GeoJSONGeometry? {
        guard let polygons, !polygons.isEmpty else { return nil }
        func rings(_ p: Polygon) -> [[GeoPosition]] {
            ([p.outer] + p.holes).map { ring in ring.map { GeoPosition(longitude: $0.lng, latitude: $0.lat) } }
        }
        return polygons.count == 1 ? .polygon(rings(polygons[0])) : .multiPolygon(polygons.map(rings))
    }

    /// A point from a row's longitude and latitude cells; nil when either is missing.
    static func point(_ lng: ExportValue, _ lat: ExportValue) -> GeoJSONGeometry? {
        guard case .real(let x) = lng, case .real(let y) = lat else { return nil }
        return .point(GeoPosition(longitude: x, latitude: y))
    }
}

/// A row whose geometry GeoJSON cannot hold (a coordinate out of range, a ring without
/// area…), named by the feature's id (grid code, place id) as well as its position.
public struct GeoJSONFeatureError: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var error: GeoJSONError

    public init(id: String, error: GeoJSONError) {
        self.id = id
        self.error = error
    }

    public var description: String { "feature '\(id)': \(error)" }
}

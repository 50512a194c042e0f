/// A position in degrees, longitude first as GeoJSON writes it. The datum is whatever the
/// caller holds (WGS-84 in the warehouse) until the writer's transform changes it.
public struct GeoPosition: Sendable, Hashable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// The geometries OneGrid exports: places as points, grid boundaries as polygons (first
/// ring the exterior, the rest holes) or several polygons per grid.
public enum GeoJSONGeometry: Sendable, Hashable {
    case point(GeoPosition)
    case polygon([[GeoPosition]])
    case multiPolygon([[[GeoPosition]]])
}

/// A property value, typed as JSON types it.
public enum GeoJSONValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    /// Written in the shortest form that reads back to the same double; NaN and
    /// infinities, which JSON cannot hold, are written as null.
    case number(Double)
    case bool(Bool)
    case null
}

/// One feature: an optional id, a geometry (nil writes `"geometry":null`, a feature
/// without a location) and properties in the order given.
public struct GeoJSONFeature: Sendable {
    public var id: String?
    public var geometry: GeoJSONGeometry?
    public var properties: [(key: String, value: GeoJSONValue)]

    public init(id: String? = nil, geometry: GeoJSONGeometry?, properties: [(key: String, value: GeoJSONValue)]) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
    }
}

/// How positions are written: a transform applied first (WGS-84 → GCJ-02 or BD-09 for
/// 高德 and 百度 maps; identity by default), then rounding to `decimals` places (7 is
/// about 1 cm).
public struct GeoJSONWriterOptions: Sendable {
    public var decimals: Int = 7
    public var transform: (@Sendable (GeoPosition) -> GeoPosition)?

    public init(decimals: Int = 7, transform: (@Sendable (GeoPosition) -> GeoPosition)? = nil) {
        self.decimals = max(0, min(9, decimals))
        self.transform = transform
    }
}

/// Where a feature's geometry is wrong. Features count from 0 in the order written;
/// polygons and rings count from 0 within the feature (ring 0 is the exterior).
public enum GeoJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A coordinate is NaN or infinite (before or after the transform).
    case nonFiniteCoordinate(feature: Int, polygon: Int?, ring: Int?)
    /// A longitude outside ±180 or a latitude outside ±90, often longitude and latitude swapped.
    case outOfRange(feature: Int, polygon: Int?, ring: Int?, position: GeoPosition)
    /// A ring with fewer than three distinct positions, or with no area, once rounded.
    case degenerateRing(feature: Int, polygon: Int, ring: Int)
    /// A polygon without rings or a multipolygon without polygons.
    case emptyGeometry(feature: Int)
    /// Two properties of one feature share a key.
    case duplicateProperty(feature: Int, key: String)
    /// Features were written after `finish`.
    case finished
    /// The sink failed: what it said.
    case io(String)

    public var description: String {
        func at(_ feature: Int, _ polygon: Int?, _ ring: Int?) -> String {
            var s = "feature \(feature)"
            if let polygon { s += ", polygon \(polygon)" }
            if let ring { s += ", ring \(ring)" }
            return s
        }
        switch self {
        case .nonFiniteCoordinate(let f, let p, let r): return "geojson: \(at(f, p, r)): a coordinate is not a finite number"
        case .outOfRange(let f, let p, let r, let pos):
            return "geojson: \(at(f, p, r)): (\(pos.longitude), \(pos.latitude)) is outside longitude ±180 / latitude ±90"
        case .degenerateRing(let f, let p, let r): return "geojson: \(at(f, p, r)): fewer than three distinct positions or no area"
        case .emptyGeometry(let f): return "geojson: feature \(f): the geometry has no rings"
        case .duplicateProperty(let f, let key): return "geojson: feature \(f): property '\(key)' appears twice"
        case .finished: return "geojson: features written after the collection was finished"
        case .io(let message): return "geojson: \(message)"
        }
    }
}

/// Streams an RFC 7946 FeatureCollection: the opening is written at once, each feature as
/// it comes, the closing by `finish`; memory holds one feature.
///
/// Polygons are normalised as RFC 7946 §3.1.6 asks: exterior rings counter-clockwise,
/// holes clockwise, every ring closed. Winding is decided on the positions as written
/// (after the transform and rounding), so rounding cannot leave a ring the wrong way round.
/// A feature with a bad geometry is an error naming the feature, polygon and ring, and
/// nothing of it is written.
public final class GeoJSONWriter {
    public let options: GeoJSONWriterOptions
    private let sink: any ByteSink
    private var buffer: [UInt8] = []
    private var features = 0
    private var isFinished = false
    private let scale: Double

    public init(sink: any ByteSink, options: GeoJSONWriterOptions = GeoJSONWriterOptions()) throws {
        self.sink = sink
        self.options = options
        var scale = 1.0
        for _ in 0..<options.decimals { scale *= 10 }
        self.scale = scale
        buffer.append(contentsOf: #"{"type":"FeatureCollection","features":["#.utf8)
    }

    /// Creates (or truncates) the file at `path`.
    public convenience init(path: String, options: GeoJSONWriterOptions = GeoJSONWriterOptions()) throws {
        try self.init(sink: try FileByteSink(path: path), options: options)
    }

    /// Features written so far.
    public var featureCount: Int { features }

    public func write(_ feature: GeoJSONFeature) throws {
        guard !isFinished else { throw GeoJSONError.finished }
        var out: [UInt8] = []
        try encode(feature, index: features, into: &out)
        buffer.append(contentsOf: features == 0 ? [10] : [44, 10])
        buffer.append(contentsOf: out)
        features += 1
        if buffer.count >= 1 << 16 { try drain() }
    }

    /// Closes the collection and the sink; returns the number of features.
    @discardableResult
    public func finish() throws -> Int {
        guard !isFinished else { throw GeoJSONError.finished }
        isFinished = true
        buffer.append(contentsOf: Array("\n]}\n".utf8))
        try drain()
        do { try sink.close() } catch { throw GeoJSONError.io("\(error)") }
        return features
    }

    private func drain() throws {
        do { try sink.write(buffer) } catch { throw GeoJSONError.io("\(error)") }
        buffer.removeAll(keepingCapacity: true)
    }

    private func encode(_ feature: GeoJSONFeature, index: Int, into out: inout [UInt8]) throws(GeoJSONError) {
        out.append(contentsOf: #"{"type":"Feature","#.utf8)
        if let id = feature.id {
            out.append(contentsOf: #""id":"#.utf8)
            GeoJSONText.appendString(id, to: &out)
            out.append(44)
        }
        out.append(contentsOf: #""geometry":"#.utf8)
        if let geometry = feature.geometry {
            try appendGeometry(geometry, feature: index, to: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: #","properties":{"#.utf8)
        var keys = Set<String>()
        for (k, (key, value)) in feature.properties.enumerated() {
            guard keys.insert(key).inserted else { throw .duplicateProperty(feature: index, key: key) }
            if k > 0 { out.append(44) }
            GeoJSONText.appendString(key, to: &out)
            out.append(58)
            GeoJSONText.appendValue(value, to: &out)
        }
        out.append(contentsOf: "}}".utf8)
    }

    private func appendGeometry(_ geometry: GeoJSONGeometry, feature: Int, to out: inout [UInt8]) throws(GeoJSONError) {
        switch geometry {
        case .point(let p):
            let q = try fixed(p, feature: feature, polygon: nil, ring: nil)
            out.append(contentsOf: #"{"type":"Point","coordinates":"#.utf8)
            appendPosition(q, to: &out)
            out.append(125)
        case .polygon(let rings):
            out.append(contentsOf: #"{"type":"Polygon","coordinates":"#.utf8)
            try appendPolygon(rings, feature: feature, polygon: 0, to: &out)
            out.append(125)
        case .multiPolygon(let polygons):
            guard !polygons.isEmpty else { throw .emptyGeometry(feature: feature) }
            out.append(contentsOf: #"{"type":"MultiPolygon","coordinates":["#.utf8)
            for (p, rings) in polygons.enumerated() {
                if p > 0 { out.append(44) }
                try appendPolygon(rings, feature: feature, polygon: p, to: &out)
            }
            out.append(contentsOf: "]}".utf8)
        }
    }

    private func appendPolygon(_ rings: [[GeoPosition]], feature: Int, polygon: Int, to out: inout [UInt8]) throws(GeoJSONError) {
        guard !rings.isEmpty else { throw .emptyGeometry(feature: feature) }
        out.append(91)
        for (r, ring) in rings.enumerated() {
            var fixedRing: [FixedPosition] = []
            fixedRing.reserveCapacity(ring.count + 1)
            for p in ring { fixedRing.append(try fixed(p, feature: feature, polygon: polygon, ring: r)) }
            guard let closed = GeoJSONRing.normalized(fixedRing, exterior: r == 0) else {
                throw .degenerateRing(feature: feature, polygon: polygon, ring: r)
            }
            if r > 0 { out.append(44) }
            out.append(91)
            for (k, q) in closed.enumerated() {
                if k > 0 { out.append(44) }
                appendPosition(q, to: &out)
            }
            out.append(93)
        }
        out.append(93)
    }

    /// The position as written: transformed, checked, rounded to whole units of 10^-decimals.
    private func fixed(_ p: GeoPosition, feature: Int, polygon: Int?, ring: Int?) throws(GeoJSONError) -> FixedPosition {
        guard p.longitude.isFinite && p.latitude.isFinite else {
            throw .nonFiniteCoordinate(feature: feature, polygon: polygon, ring: ring)
        }
        let t = options.transform?(p) ?? p
        guard t.longitude.isFinite && t.latitude.isFinite else {
            throw .nonFiniteCoordinate(feature: feature, polygon: polygon, ring: ring)
        }
        guard abs(t.longitude) <= 180 && abs(t.latitude) <= 90 else {
            throw .outOfRange(feature: feature, polygon: polygon, ring: ring, position: t)
        }
        return FixedPosition(x: Int64((t.longitude * scale).rounded()), y: Int64((t.latitude * scale).rounded()))
    }

    private func appendPosition(_ q: FixedPosition, to out: inout [UInt8]) {
        out.append(91)
        GeoJSONText.appendFixed(q.x, decimals: options.decimals, to: &out)
        out.append(44)
        GeoJSONText.appendFixed(q.y, decimals: options.decimals, to: &out)
        out.append(93)
    }
}

/// A rounded position in whole units of 10^-decimals degrees: comparing and orienting
/// rings on these integers sees exactly what a reader of the file sees.
struct FixedPosition: Hashable, Sendable {
    var x: Int64
    var y: Int64
}

/// Ring clean-up for RFC 7946 polygons.
enum GeoJSONRing {
    /// The ring closed and oriented (counter-clockwise when `exterior`, clockwise for a
    /// hole), repeated consecutive positions dropped; nil when fewer than three distinct
    /// positions or no area remain.
    static func normalized(_ ring: [FixedPosition], exterior: Bool) -> [FixedPosition]? {
        var points: [FixedPosition] = []
        points.reserveCapacity(ring.count + 1)
        for p in ring where points.last != p { points.append(p) }
        while points.count > 1 && points.first == points.last { points.removeLast() }
        guard points.count >= 3 else { return nil }
        let area = twiceSignedArea(points)
        guard area != 0 else { return nil }
        // Reversed behind the first position, so the ring still starts where it was drawn.
        if (area > 0) != exterior { points[1...].reverse() }
        points.append(points[0])
        return points
    }

    /// Twice the signed area (shoelace), positive for counter-clockwise, computed relative
    /// to the first position so the products stay small.
    static func twiceSignedArea(_ points: [FixedPosition]) -> Double {
        let x0 = points[0].x, y0 = points[0].y
        var sum = 0.0
        for i in 0..<points.count {
            let a = points[i], b = points[(i + 1) % points.count]
            sum += Double(a.x - x0) * Double(b.y - y0) - Double(b.x - x0) * Double(a.y - y0)
        }
        return sum
    }
}

/// JSON text pieces shared by the GeoJSON writer.
enum GeoJSONText {
    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(34)
        for byte in text.utf8 {
            switch byte {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(34)
    }

    static func appendValue(_ value: GeoJSONValue, to out: inout [UInt8]) {
        switch value {
        case .string(let s): appendString(s, to: &out)
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .number(let d):
            out.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    /// `units` × 10^-decimals in plain decimal notation, trailing zeros dropped
    /// (118.79683, -0.0000005, 0).
    static func appendFixed(_ units: Int64, decimals: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let magnitude = units.magnitude
        if units < 0 { out.append(45) }
        out.append(contentsOf: String(magnitude / UInt64(divisor)).utf8)
        var fraction = magnitude % UInt64(divisor)
        guard fraction != 0 else { return }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        out.append(46)
        out.append(contentsOf: Array(repeating: UInt8(48), count: digits - text.count))
        out.append(contentsOf: text.utf8)
    }
}

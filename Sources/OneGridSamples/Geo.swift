import OneGridModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The datum shifts Chinese maps apply: WGS-84 → GCJ-02 (the "Mars" offset every web map in
/// China uses) and GCJ-02 → BD-09 (Baidu's further offset). The generator only needs the
/// forward directions: truth is WGS-84 and the feeds carry the shifted forms.
public enum Datums {
    static let a = 6378245.0
    static let ee = 0.00669342162296594323

    /// WGS-84 → GCJ-02 with the widely published formula (Krasovsky ellipsoid constants).
    public static func gcj02(fromWGS84 p: Coordinate) -> Coordinate {
        let x = p.lng - 105.0, y = p.lat - 35.0
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
        dLat += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLat += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        dLat += (160.0 * sin(y / 12.0 * .pi) + 320.0 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var dLng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
        dLng += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLng += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        dLng += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radLat = p.lat / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = sqrt(magic)
        dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * .pi)
        dLng = (dLng * 180.0) / (a / sqrtMagic * cos(radLat) * .pi)
        return Coordinate(lng: p.lng + dLng, lat: p.lat + dLat)
    }

    /// GCJ-02 → BD-09.
    public static func bd09(fromGCJ02 p: Coordinate) -> Coordinate {
        let xPi = Double.pi * 3000.0 / 180.0
        let x = p.lng, y = p.lat
        let z = sqrt(x * x + y * y) + 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) + 0.000003 * cos(x * xPi)
        return Coordinate(lng: z * cos(theta) + 0.0065, lat: z * sin(theta) + 0.006)
    }
}

/// Ray casting on a polygon with holes (a point on an edge may go either way; generated
/// points keep away from edges).
public enum PolygonMath {
    public static func ringContains(_ ring: [Coordinate], _ p: Coordinate) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let x = (b.lng - a.lng) * (p.lat - a.lat) / (b.lat - a.lat) + a.lng
                if p.lng < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    public static func contains(_ polygon: Polygon, _ p: Coordinate) -> Bool {
        ringContains(polygon.outer, p) && !polygon.holes.contains { ringContains($0, p) }
    }
}

import OneGridModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions between the three datums Chinese feeds use: WGS-84 (GPS, what the warehouse
/// stores), GCJ-02 (the obfuscated "Mars" datum of Chinese web maps) and BD-09 (Baidu's,
/// layered on GCJ-02).
///
/// WGS-84 → GCJ-02 is the widely published Krasovsky-ellipsoid formula (a = 6378245.0,
/// ee = 0.00669342162296594323), as in googollee/eviltransform; GCJ-02 → WGS-84 has no
/// closed form and is inverted by fixed-point iteration until the step is below 1e-9
/// degrees (millimetres). BD-09 ↔ GCJ-02 uses Baidu's x_pi = π·3000/180 formula. Outside
/// the rough bounding box of China GCJ-02 equals WGS-84, as in the reference code.
public enum CoordinateTransform {
    static let a = 6378245.0
    static let ee = 0.00669342162296594323
    static let xPi = Double.pi * 3000.0 / 180.0

    /// Whether the point lies outside the rough box where GCJ-02 applies
    /// (lng 72.004…137.8347, lat 0.8293…55.8271, the reference implementations' box).
    public static func isOutsideChina(_ c: Coordinate) -> Bool {
        c.lng < 72.004 || c.lng > 137.8347 || c.lat < 0.8293 || c.lat > 55.8271
    }

    /// WGS-84 → GCJ-02.
    public static func wgs84ToGCJ02(_ c: Coordinate) -> Coordinate {
        if isOutsideChina(c) { return c }
        let (dLng, dLat) = delta(c)
        return Coordinate(lng: c.lng + dLng, lat: c.lat + dLat)
    }

    /// GCJ-02 → WGS-84 by iterative inversion of `wgs84ToGCJ02` (error well under 1 m).
    public static func gcj02ToWGS84(_ g: Coordinate) -> Coordinate {
        if isOutsideChina(g) { return g }
        var w = g
        for _ in 0..<30 {
            let f = wgs84ToGCJ02(w)
            let dLng = f.lng - g.lng, dLat = f.lat - g.lat
            w = Coordinate(lng: w.lng - dLng, lat: w.lat - dLat)
            if abs(dLng) < 1e-9 && abs(dLat) < 1e-9 { break }
        }
        return w
    }

    /// BD-09 → GCJ-02.
    public static func bd09ToGCJ02(_ b: Coordinate) -> Coordinate {
        let x = b.lng - 0.0065, y = b.lat - 0.006
        let z = (x * x + y * y).squareRoot() - 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) - 0.000003 * cos(x * xPi)
        return Coordinate(lng: z * cos(theta), lat: z * sin(theta))
    }

    /// GCJ-02 → BD-09 (the forward Baidu formula; used by tests and by anyone exporting to Baidu maps).
    public static func gcj02ToBD09(_ g: Coordinate) -> Coordinate {
        let x = g.lng, y = g.lat
        let z = (x * x + y * y).squareRoot() + 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) + 0.000003 * cos(x * xPi)
        return Coordinate(lng: z * cos(theta) + 0.0065, lat: z * sin(theta) + 0.006)
    }

    /// BD-09 → WGS-84 (through GCJ-02).
    public static func bd09ToWGS84(_ b: Coordinate) -> Coordinate {
        gcj02ToWGS84(bd09ToGCJ02(b))
    }

    /// Any feed point in WGS-84.
    public static func toWGS84(_ p: GeoPoint) -> Coordinate {
        let c = Coordinate(lng: p.lng, lat: p.lat)
        switch p.datum {
        case .wgs84: return c
        case .gcj02: return gcj02ToWGS84(c)
        case .bd09: return bd09ToWGS84(c)
        }
    }

    static func delta(_ c: Coordinate) -> (Double, Double) {
        let x = c.lng - 105.0, y = c.lat - 35.0
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLat += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        dLat += (160.0 * sin(y / 12.0 * .pi) + 320 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var dLng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLng += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLng += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        dLng += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radLat = c.lat / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * .pi)
        dLng = (dLng * 180.0) / (a / sqrtMagic * cos(radLat) * .pi)
        return (dLng, dLat)
    }
}

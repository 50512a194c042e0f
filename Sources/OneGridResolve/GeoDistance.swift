import OneGridModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Great-circle distance on a sphere of radius 6 371 008.8 m (the IUGG mean Earth radius):
/// good to about 0.5 % — enough to say "within 1 m" or "a few hundred metres apart".
public enum GeoDistance {
    public static let earthRadius = 6_371_008.8

    /// Haversine distance in metres.
    public static func meters(_ p: Coordinate, _ q: Coordinate) -> Double {
        let rad = Double.pi / 180
        let dLat = (q.lat - p.lat) * rad, dLng = (q.lng - p.lng) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(p.lat * rad) * cos(q.lat * rad) * sin(dLng / 2) * sin(dLng / 2)
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }
}

import OneGridModel
import Testing
@testable import OneGridResolve

@Suite struct CoordinateTransformTests {
    /// Published test vectors of googollee/eviltransform (its go/python/ruby test files):
    /// (WGS-84, GCJ-02) for Shanghai, Shenzhen and Beijing.
    static let published: [(wgs: Coordinate, gcj: Coordinate)] = [
        (Coordinate(lng: 121.5272106, lat: 31.1774276), Coordinate(lng: 121.531541859215, lat: 31.17530398364597)),
        (Coordinate(lng: 113.912316, lat: 22.543847), Coordinate(lng: 113.9171764808363, lat: 22.540796131694766)),
        (Coordinate(lng: 116.377817, lat: 39.911954), Coordinate(lng: 116.38404722455657, lat: 39.91334545536069)),
    ]

    @Test func forwardMatchesPublishedVectors() {
        for v in Self.published {
            let g = CoordinateTransform.wgs84ToGCJ02(v.wgs)
            #expect(abs(g.lng - v.gcj.lng) < 1e-9 && abs(g.lat - v.gcj.lat) < 1e-9, "\(v.wgs)")
        }
    }

    @Test func inverseRecoversPublishedVectorsWithinOneMetre() {
        for v in Self.published {
            #expect(GeoDistance.meters(CoordinateTransform.gcj02ToWGS84(v.gcj), v.wgs) < 1, "\(v.gcj)")
        }
    }

    @Test func roundTripsWithinOneMetreAcrossChina() {
        var worst = 0.0
        for lng in stride(from: 74.0, through: 134.0, by: 1.5) {
            for lat in stride(from: 18.0, through: 53.0, by: 1.25) {
                let w = Coordinate(lng: lng + 0.123, lat: lat + 0.0456)
                let back = CoordinateTransform.gcj02ToWGS84(CoordinateTransform.wgs84ToGCJ02(w))
                worst = max(worst, GeoDistance.meters(back, w))
            }
        }
        #expect(worst < 1)
    }

    @Test func roundTripsWithinOneMetreAcrossNanjing() {
        var worst = 0.0
        for i in 0..<50 {
            for j in 0..<50 {
                let w = Coordinate(lng: 118.35 + Double(i) * 0.01, lat: 31.25 + Double(j) * 0.02)
                let viaBaidu = CoordinateTransform.bd09ToWGS84(CoordinateTransform.gcj02ToBD09(CoordinateTransform.wgs84ToGCJ02(w)))
                worst = max(worst, GeoDistance.meters(viaBaidu, w))
            }
        }
        #expect(worst < 1)
    }

    @Test func nanjingOffsetIsHundredsOfMetres() {
        // Sanity check computed with the forward formula itself (not a published pair):
        // GCJ-02 shifts central Nanjing by a few hundred metres.
        let w = Coordinate(lng: 118.7969, lat: 32.0603)
        let d = GeoDistance.meters(CoordinateTransform.wgs84ToGCJ02(w), w)
        #expect(d > 300 && d < 700)
    }

    @Test func baiduForwardFormulaPair() {
        // Computed with the standard x_pi = π·3000/180 forward formula (in Python, not a
        // published pair). eviltransform's BD-09 test vectors are not used: they were made with
        // π instead of x_pi and a one-step inverse, and differ from this formula by ~10 m.
        let g = Coordinate(lng: 118.7969, lat: 32.0603)
        let b = CoordinateTransform.gcj02ToBD09(g)
        #expect(abs(b.lng - 118.80332195462834) < 1e-9 && abs(b.lat - 32.06665625939316) < 1e-9)
        #expect(GeoDistance.meters(CoordinateTransform.bd09ToGCJ02(b), g) < 1)
    }

    @Test func outsideChinaNothingMoves() {
        let denver = Coordinate(lng: -104.9903, lat: 39.7392)
        #expect(CoordinateTransform.wgs84ToGCJ02(denver) == denver)
        #expect(CoordinateTransform.gcj02ToWGS84(denver) == denver)
    }

    @Test func toWGS84FollowsTheDatum() {
        let w = Coordinate(lng: 118.845, lat: 32.345)
        let g = CoordinateTransform.wgs84ToGCJ02(w)
        let b = CoordinateTransform.gcj02ToBD09(g)
        #expect(CoordinateTransform.toWGS84(GeoPoint(lng: w.lng, lat: w.lat, datum: .wgs84)) == w)
        #expect(GeoDistance.meters(CoordinateTransform.toWGS84(GeoPoint(lng: g.lng, lat: g.lat, datum: .gcj02)), w) < 1)
        #expect(GeoDistance.meters(CoordinateTransform.toWGS84(GeoPoint(lng: b.lng, lat: b.lat, datum: .bd09)), w) < 1)
    }

    @Test func haversineOfOneDegreeOfLatitude() {
        let d = GeoDistance.meters(Coordinate(lng: 118, lat: 32), Coordinate(lng: 118, lat: 33))
        #expect(abs(d - 111_195) < 1)
    }
}

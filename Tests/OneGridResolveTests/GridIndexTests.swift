import OneGridModel
import Testing
@testable import OneGridResolve

enum TestGrids {
    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
        [Coordinate(lng: x0, lat: y0), Coordinate(lng: x1, lat: y0), Coordinate(lng: x1, lat: y1), Coordinate(lng: x0, lat: y1)]
    }

    static let boundaries: [GridBoundary] = [
        // Two neighbours sharing the edge lng 118.84, and a third above both (shared corner 118.84, 32.35).
        GridBoundary(gridCode: "320116006001002", polygons: [Polygon(outer: square(118.84, 32.34, 118.85, 32.35))]),
        GridBoundary(gridCode: "320116006001001", polygons: [Polygon(outer: square(118.83, 32.34, 118.84, 32.35))]),
        GridBoundary(gridCode: "320116006002001", polygons: [Polygon(outer: square(118.83, 32.35, 118.85, 32.36))]),
        // A grid with a hole, and an exclusive grid (a school) filling the hole; closed rings.
        GridBoundary(gridCode: "320113007001001", polygons: [Polygon(
            outer: square(118.90, 32.10, 118.92, 32.12) + [Coordinate(lng: 118.90, lat: 32.10)],
            holes: [square(118.905, 32.105, 118.915, 32.115)])]),
        GridBoundary(gridCode: "320113007001002", polygons: [Polygon(outer: square(118.905, 32.105, 118.915, 32.115))]),
        // A multipolygon: two separate parts.
        GridBoundary(gridCode: "320111008001001", polygons: [
            Polygon(outer: square(118.50, 32.00, 118.51, 32.01)),
            Polygon(outer: square(118.52, 32.00, 118.53, 32.01)),
        ]),
        // Two triangles sharing a diagonal edge.
        GridBoundary(gridCode: "320116110201002", polygons: [Polygon(outer: [
            Coordinate(lng: 118.70, lat: 32.40), Coordinate(lng: 118.71, lat: 32.41), Coordinate(lng: 118.70, lat: 32.41)])]),
        GridBoundary(gridCode: "320116110201001", polygons: [Polygon(outer: [
            Coordinate(lng: 118.70, lat: 32.40), Coordinate(lng: 118.71, lat: 32.40), Coordinate(lng: 118.71, lat: 32.41)])]),
        // A U shape (concave): the notch is outside.
        GridBoundary(gridCode: "320116110201003", polygons: [Polygon(outer: [
            Coordinate(lng: 118.60, lat: 32.40), Coordinate(lng: 118.63, lat: 32.40), Coordinate(lng: 118.63, lat: 32.43),
            Coordinate(lng: 118.62, lat: 32.43), Coordinate(lng: 118.62, lat: 32.41), Coordinate(lng: 118.61, lat: 32.41),
            Coordinate(lng: 118.61, lat: 32.43), Coordinate(lng: 118.60, lat: 32.43)])]),
    ]
    static let index = GridIndex(boundaries: boundaries)
}

@Suite struct GridIndexTests {
    let index = TestGrids.index
    func at(_ lng: Double, _ lat: Double) -> String? { index.locate(Coordinate(lng: lng, lat: lat)) }

    @Test func inside() {
        #expect(at(118.835, 32.345) == "320116006001001")
        #expect(at(118.845, 32.345) == "320116006001002")
        #expect(at(118.84, 32.355) == "320116006002001")
    }

    @Test func onASharedEdgeTheLowestCodeWins() {
        #expect(at(118.84, 32.345) == "320116006001001")
    }

    @Test func onAVertexSharedByThreeTheLowestCodeWins() {
        #expect(at(118.84, 32.35) == "320116006001001")
    }

    @Test func onAnOuterEdgeWithNoNeighbourIsInside() {
        #expect(at(118.85, 32.345) == "320116006001002")
        #expect(at(118.85, 32.34) == "320116006001002")
    }

    @Test func inAHoleIsNotInTheOuterGrid() {
        #expect(at(118.91, 32.11) == "320113007001002")
        #expect(at(118.902, 32.11) == "320113007001001")
    }

    @Test func onAHoleBoundaryBothContainAndTheLowestWins() {
        #expect(at(118.905, 32.11) == "320113007001001")
    }

    @Test func multipolygonParts() {
        #expect(at(118.505, 32.005) == "320111008001001")
        #expect(at(118.525, 32.005) == "320111008001001")
        #expect(at(118.515, 32.005) == nil)
    }

    @Test func onADiagonalSharedEdgeTheLowestCodeWins() {
        #expect(at(118.705, 32.405) == "320116110201001")
        #expect(at(118.708, 32.402) == "320116110201001")
        #expect(at(118.702, 32.408) == "320116110201002")
    }

    @Test func concaveNotchIsOutside() {
        #expect(at(118.615, 32.42) == nil)
        #expect(at(118.605, 32.42) == "320116110201003")
    }

    @Test func outsideEveryGrid() {
        #expect(at(118.0, 31.0) == nil)
        #expect(at(118.86, 32.345) == nil)
        #expect(at(.nan, 32.345) == nil)
    }

    @Test func emptyIndexFindsNothing() {
        #expect(GridIndex(boundaries: []).locate(Coordinate(lng: 118.8, lat: 32.3)) == nil)
    }

    @Test func oneMillionLookups() {
        // 100 × 100 grids of 0.001°, each outer ring with 20 vertices, and 1 000 000 pseudo-random points.
        var boundaries: [GridBoundary] = []
        for i in 0..<100 {
            for j in 0..<100 {
                let x0 = 118.7 + Double(i) * 0.001, y0 = 32.0 + Double(j) * 0.001
                var ring: [Coordinate] = []
                for k in 0..<5 { ring.append(Coordinate(lng: x0 + Double(k) * 0.0002, lat: y0)) }
                for k in 0..<5 { ring.append(Coordinate(lng: x0 + 0.001, lat: y0 + Double(k) * 0.0002)) }
                for k in 0..<5 { ring.append(Coordinate(lng: x0 + 0.001 - Double(k) * 0.0002, lat: y0 + 0.001)) }
                for k in 0..<5 { ring.append(Coordinate(lng: x0, lat: y0 + 0.001 - Double(k) * 0.0002)) }
                let code = "320116006001" + String(i * 100 + j + 100_000).suffix(5)
                boundaries.append(GridBoundary(gridCode: code, polygons: [Polygon(outer: ring)]))
            }
        }
        let big = GridIndex(boundaries: boundaries)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var points: [Coordinate] = []
        points.reserveCapacity(1_000_000)
        for _ in 0..<1_000_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let v = Double(state >> 11) / Double(1 << 53)
            points.append(Coordinate(lng: 118.69 + u * 0.12, lat: 31.99 + v * 0.12))
        }
        let clock = ContinuousClock()
        var found = 0
        let elapsed = clock.measure {
            for p in points where big.locate(p) != nil { found += 1 }
        }
        print("GridIndex: 1000000 lookups over \(big.gridCount) grids in \(elapsed), \(found) inside a grid")
        #expect(found > 650_000 && found < 740_000)   // area share 0.1² / 0.12² ≈ 0.694
    }
}

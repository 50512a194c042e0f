import OneGridModel

/// Finds the grid a WGS-84 point lies in, from the registry's boundaries (polygons with holes,
/// several polygons per grid).
///
/// Index: a uniform raster of buckets over the bounding box of all boundaries; each polygon is
/// listed in every bucket its bounding box touches, in ascending grid-code order. A lookup
/// reads one bucket, checks bounding boxes, then runs the even-odd ray-casting test on the
/// polygon's rings (outer ring and holes together).
///
/// Boundary rule: boundaries belong to the polygon (closed sets). A point on an outer ring, on
/// a hole's ring or on a vertex — within `boundaryTolerance` degrees (1e-9°, about 0.1 mm) —
/// is inside; a point strictly inside a hole is not. When several grids contain a point (it
/// lies on a shared boundary, or registry polygons overlap), the lowest grid code wins, so the
/// answer never depends on input order. A point in no grid gives nil.
public struct GridIndex: Sendable {
    /// Distance in degrees within which a point counts as on an edge.
    public static let boundaryTolerance = 1e-9

    struct Part: Sendable {
        var grid: Int32
        var firstRing: Int32
        var ringCount: Int32
        var minX, minY, maxX, maxY: Double
    }

    private let codes: [String]
    private let parts: [Part]
    /// (start, count) into `xs`/`ys`, per ring.
    private let rings: [(start: Int32, count: Int32)]
    private let xs: [Double]
    private let ys: [Double]
    private let buckets: [[Int32]]
    private let minX, minY, cellW, cellH: Double
    private let cols, rows: Int

    /// Builds the index; empty rings and polygons are ignored.
    public init(boundaries: [GridBoundary]) {
        let sorted = boundaries.sorted { $0.gridCode < $1.gridCode }
        var codes: [String] = [], parts: [Part] = [], rings: [(start: Int32, count: Int32)] = []
        var xs: [Double] = [], ys: [Double] = []
        for b in sorted {
            if codes.last != b.gridCode { codes.append(b.gridCode) }
            for polygon in b.polygons where polygon.outer.count >= 3 {
                var part = Part(grid: Int32(codes.count - 1), firstRing: Int32(rings.count), ringCount: 0,
                                minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
                for ring in [polygon.outer] + polygon.holes where ring.count >= 3 {
                    rings.append((Int32(xs.count), Int32(ring.count)))
                    part.ringCount += 1
                    for c in ring {
                        xs.append(c.lng)
                        ys.append(c.lat)
                        part.minX = min(part.minX, c.lng); part.maxX = max(part.maxX, c.lng)
                        part.minY = min(part.minY, c.lat); part.maxY = max(part.maxY, c.lat)
                    }
                }
                parts.append(part)
            }
        }
        let eps = GridIndex.boundaryTolerance
        let minX = (parts.map(\.minX).min() ?? 0) - eps, maxX = (parts.map(\.maxX).max() ?? 0) + eps
        let minY = (parts.map(\.minY).min() ?? 0) - eps, maxY = (parts.map(\.maxY).max() ?? 0) + eps
        let side = max(1, min(1024, Int((Double(parts.count) * 2).squareRoot().rounded(.up))))
        let cols = side, rows = side
        let cellW = max((maxX - minX) / Double(cols), 1e-12), cellH = max((maxY - minY) / Double(rows), 1e-12)
        var buckets = [[Int32]](repeating: [], count: cols * rows)
        for (i, p) in parts.enumerated() {
            let c0 = max(0, min(cols - 1, Int((p.minX - eps - minX) / cellW)))
            let c1 = max(0, min(cols - 1, Int((p.maxX + eps - minX) / cellW)))
            let r0 = max(0, min(rows - 1, Int((p.minY - eps - minY) / cellH)))
            let r1 = max(0, min(rows - 1, Int((p.maxY + eps - minY) / cellH)))
            for r in r0...r1 { for c in c0...c1 { buckets[r * cols + c].append(Int32(i)) } }
        }
        (self.codes, self.parts, self.rings, self.xs, self.ys, self.buckets) = (codes, parts, rings, xs, ys, buckets)
        (self.minX, self.minY, self.cellW, self.cellH, self.cols, self.rows) = (minX, minY, cellW, cellH, cols, rows)
    }

    /// Number of grids indexed.
    public var gridCount: Int { codes.count }

    /// The grid containing the point (lowest code on shared boundaries), or nil.
    public func locate(_ point: Coordinate) -> String? {
        let x = point.lng, y = point.lat
        guard x.isFinite, y.isFinite else { return nil }
        let cx = (x - minX) / cellW, cy = (y - minY) / cellH
        guard cx >= 0, cy >= 0, cx < Double(cols), cy < Double(rows) else { return nil }
        let eps = GridIndex.boundaryTolerance
        for i in buckets[Int(cy) * cols + Int(cx)] {
            let p = parts[Int(i)]
            guard x >= p.minX - eps, x <= p.maxX + eps, y >= p.minY - eps, y <= p.maxY + eps else { continue }
            if contains(p, x, y) { return codes[Int(p.grid)] }
        }
        return nil
    }

    private func contains(_ p: Part, _ x: Double, _ y: Double) -> Bool {
        xs.withUnsafeBufferPointer { xb in
            ys.withUnsafeBufferPointer { yb in
                for k in 0..<Int(p.ringCount) {
                    let ring = rings[Int(p.firstRing) + k]
                    let (inside, onEdge) = GridIndex.test(xb, yb, Int(ring.start), Int(ring.count), x, y)
                    if onEdge { return true }
                    if k == 0 ? !inside : inside { return false }
                }
                return true
            }
        }
    }

    /// Even-odd crossing test of one ring, and whether the point lies on one of its edges.
    @inline(__always)
    static func test(_ xb: UnsafeBufferPointer<Double>, _ yb: UnsafeBufferPointer<Double>,
                     _ start: Int, _ count: Int, _ x: Double, _ y: Double) -> (Bool, Bool) {
        let eps = boundaryTolerance
        var inside = false
        var j = start + count - 1
        for i in start..<(start + count) {
            let xi = xb[i], yi = yb[i], xj = xb[j], yj = yb[j]
            if y >= min(yi, yj) - eps, y <= max(yi, yj) + eps, x >= min(xi, xj) - eps, x <= max(xi, xj) + eps {
                let dx = xj - xi, dy = yj - yi
                let cross = dx * (y - yi) - dy * (x - xi)
                let length = (dx * dx + dy * dy).squareRoot()
                if abs(cross) <= eps * length || length == 0 { return (false, true) }
            }
            if (yi > y) != (yj > y), x < crossingX(xi, yi, xj, yj, y) { inside.toggle() }
            j = i
        }
        return (inside, false)
    }

    @inline(__always)
    static func crossingX(_ xi: Double, _ yi: Double, _ xj: Double, _ yj: Double, _ y: Double) -> Double {
        (xj - xi) * (y - yi) / (yj - yi) + xi
    }
}

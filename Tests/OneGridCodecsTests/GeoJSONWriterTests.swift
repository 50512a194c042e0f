import Foundation
@testable import OneGridCodecs
import Testing

private func p(_ longitude: Double, _ latitude: Double) -> GeoPosition {
    GeoPosition(longitude: longitude, latitude: latitude)
}

/// The text a writer produces for `features`.
private func geojson(_ features: [GeoJSONFeature], options: GeoJSONWriterOptions = GeoJSONWriterOptions()) throws -> String {
    let sink = ByteBufferSink()
    let writer = try GeoJSONWriter(sink: sink, options: options)
    for feature in features { try writer.write(feature) }
    try writer.finish()
    return String(decoding: sink.bytes, as: UTF8.self)
}

private func collection(_ features: String...) -> String {
    #"{"type":"FeatureCollection","features":["# + features.map { "\n" + $0 }.joined(separator: ",") + "\n]}\n"
}

@Suite("GeoJSON writer")
struct GeoJSONWriterTests {
    // A grid cell near 鼓楼 drawn clockwise, with a hole drawn counter-clockwise.
    let clockwiseSquare = [p(118.78, 32.06), p(118.78, 32.07), p(118.79, 32.07), p(118.79, 32.06)]
    let counterClockwiseHole = [p(118.782, 32.062), p(118.788, 32.062), p(118.788, 32.068), p(118.782, 32.068), p(118.782, 32.062)]

    @Test func anEmptyCollectionIsStillAFeatureCollection() throws {
        #expect(try geojson([]) == collection())
    }

    @Test func exteriorRingsTurnCounterClockwiseHolesClockwiseAndRingsClose() throws {
        let feature = GeoJSONFeature(id: "320106001001", geometry: .polygon([clockwiseSquare, counterClockwiseHole]), properties: [])
        let ring0 = "[[118.78,32.06],[118.79,32.06],[118.79,32.07],[118.78,32.07],[118.78,32.06]]"
        let ring1 = "[[118.782,32.062],[118.782,32.068],[118.788,32.068],[118.788,32.062],[118.782,32.062]]"
        #expect(try geojson([feature]) == collection(
            #"{"type":"Feature","id":"320106001001","geometry":{"type":"Polygon","coordinates":["# + ring0 + "," + ring1 + #"]},"properties":{}}"#))
    }

    @Test func ringsAlreadyRightAreKeptAsTheyAre() {
        let ring = [FixedPosition(x: 0, y: 0), FixedPosition(x: 10, y: 0), FixedPosition(x: 10, y: 10), FixedPosition(x: 0, y: 0)]
        #expect(GeoJSONRing.normalized(ring, exterior: true) == ring)
        #expect(GeoJSONRing.normalized(ring, exterior: false) == ring.reversed())
    }

    @Test func repeatedPositionsAreDroppedAndACollapsedRingIsNil() {
        let ring = [FixedPosition(x: 0, y: 0), FixedPosition(x: 0, y: 0), FixedPosition(x: 10, y: 0), FixedPosition(x: 10, y: 10), FixedPosition(x: 10, y: 10)]
        #expect(GeoJSONRing.normalized(ring, exterior: true) == [FixedPosition(x: 0, y: 0), FixedPosition(x: 10, y: 0), FixedPosition(x: 10, y: 10), FixedPosition(x: 0, y: 0)])
        #expect(GeoJSONRing.normalized([FixedPosition(x: 0, y: 0), FixedPosition(x: 5, y: 5), FixedPosition(x: 0, y: 0)], exterior: true) == nil)
        // Three distinct but collinear positions enclose nothing.
        #expect(GeoJSONRing.normalized([FixedPosition(x: 0, y: 0), FixedPosition(x: 5, y: 5), FixedPosition(x: 9, y: 9)], exterior: true) == nil)
    }

    @Test func positionsAreRoundedToSevenDecimalsWithoutTrailingZeros() throws {
        let features = [
            GeoJSONFeature(geometry: .point(p(118.79683004, 32.0600000049)), properties: []),
            GeoJSONFeature(geometry: .point(p(-0.00000004, -12.3456789)), properties: []),
            GeoJSONFeature(geometry: .point(p(-179.99999996, 89.99999999)), properties: []),
        ]
        #expect(try geojson(features) == collection(
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[118.79683,32.06]},"properties":{}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[0,-12.3456789]},"properties":{}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[-180,90]},"properties":{}}"#))
    }

    @Test func fewerDecimalsAreAnOption() throws {
        let text = try geojson([GeoJSONFeature(geometry: .point(p(118.7968, 32.0649)), properties: [])],
                               options: GeoJSONWriterOptions(decimals: 3))
        #expect(text.contains(#""coordinates":[118.797,32.065]"#))
    }

    @Test func theTransformRunsBeforeRoundingAndWinding() throws {
        // A mirror image turns counter-clockwise rings clockwise: the writer orients the
        // ring it writes, not the one it was given.
        let mirror = GeoJSONWriterOptions(transform: { GeoPosition(longitude: -$0.longitude, latitude: $0.latitude + 0.00000004) })
        let ccw = [p(1, 1), p(2, 1), p(2, 2), p(1, 1)]
        let text = try geojson([GeoJSONFeature(geometry: .polygon([ccw]), properties: [])], options: mirror)
        #expect(text.contains(#""coordinates":[[[-1,1],[-2,2],[-2,1],[-1,1]]]"#))
    }

    @Test func multiPolygonsKeepEachPolygonsRings() throws {
        let text = try geojson([GeoJSONFeature(geometry: .multiPolygon([[clockwiseSquare], [[p(1, 1), p(2, 1), p(2, 2)]]]), properties: [])])
        #expect(text.contains(#"{"type":"MultiPolygon","coordinates":[[[[118.78,32.06],[118.79,32.06],[118.79,32.07],[118.78,32.07],[118.78,32.06]]],[[[1,1],[2,1],[2,2],[1,1]]]]}"#))
    }

    @Test func propertiesAreTypedAndStringsEscaped() throws {
        let feature = GeoJSONFeature(geometry: nil, properties: [
            ("名称", .string("鼓楼区\"宁海路\"\\ 1号\n\t\u{1}")),
            ("events", .integer(-42)),
            ("rate", .number(0.125)),
            ("nan", .number(.nan)),
            ("huge", .number(1e300)),
            ("red", .bool(true)),
            ("grade", .null),
        ])
        #expect(try geojson([feature]) == collection(
            #"{"type":"Feature","geometry":null,"properties":{"名称":"鼓楼区\"宁海路\"\\ 1号\n\t\u0001","events":-42,"rate":0.125,"nan":null,"huge":1e+300,"red":true,"grade":null}}"#))
    }

    @Test func theOutputParsesAsJSONWithTheSameValues() throws {
        let text = try geojson([
            GeoJSONFeature(id: "g1", geometry: .polygon([clockwiseSquare]), properties: [("a", .string("x\u{7f}\u{2028}")), ("b", .number(-0.5))]),
            GeoJSONFeature(geometry: .point(p(118.8, 32)), properties: [("c", .integer(Int64.max))]),
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let features = try #require(object["features"] as? [[String: Any]])
        #expect(features.count == 2)
        let properties = try #require(features[0]["properties"] as? [String: Any])
        #expect(properties["a"] as? String == "x\u{7f}\u{2028}")
        #expect(properties["b"] as? Double == -0.5)
    }

    @Test func aRingThatCollapsesNamesItsFeaturePolygonAndRingAndWritesNothing() throws {
        let sink = ByteBufferSink()
        let writer = try GeoJSONWriter(sink: sink)
        try writer.write(GeoJSONFeature(geometry: .point(p(1, 1)), properties: []))
        let tiny = [p(1, 1), p(1.00000001, 1), p(1, 1.00000001)]  // one position once rounded
        #expect(throws: GeoJSONError.degenerateRing(feature: 1, polygon: 1, ring: 1)) {
            try writer.write(GeoJSONFeature(geometry: .multiPolygon([[clockwiseSquare], [clockwiseSquare, tiny]]), properties: []))
        }
        try writer.write(GeoJSONFeature(geometry: .point(p(2, 2)), properties: []))
        #expect(try writer.finish() == 2)
        let text = String(decoding: sink.bytes, as: UTF8.self)
        #expect(text == collection(
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,1]},"properties":{}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[2,2]},"properties":{}}"#))
    }

    @Test func badCoordinatesAreErrorsWithTheirPlace() throws {
        let writer = try GeoJSONWriter(sink: ByteBufferSink())
        #expect(throws: GeoJSONError.nonFiniteCoordinate(feature: 0, polygon: nil, ring: nil)) {
            try writer.write(GeoJSONFeature(geometry: .point(p(.nan, 32)), properties: []))
        }
        // Latitude and longitude swapped: 118 is no latitude.
        #expect(throws: GeoJSONError.outOfRange(feature: 0, polygon: 0, ring: 0, position: p(32.06, 118.78))) {
            try writer.write(GeoJSONFeature(geometry: .polygon([[p(32.06, 118.78), p(32.07, 118.78), p(32.07, 118.79)]]), properties: []))
        }
        #expect(throws: GeoJSONError.emptyGeometry(feature: 0)) {
            try writer.write(GeoJSONFeature(geometry: .polygon([]), properties: []))
        }
        #expect(throws: GeoJSONError.duplicateProperty(feature: 0, key: "k")) {
            try writer.write(GeoJSONFeature(geometry: nil, properties: [("k", .null), ("k", .integer(1))]))
        }
        let failingTransform = GeoJSONWriterOptions(transform: { _ in GeoPosition(longitude: .infinity, latitude: 0) })
        let transformed = try GeoJSONWriter(sink: ByteBufferSink(), options: failingTransform)
        #expect(throws: GeoJSONError.nonFiniteCoordinate(feature: 0, polygon: nil, ring: nil)) {
            try transformed.write(GeoJSONFeature(geometry: .point(p(1, 1)), properties: []))
        }
    }

    static let ogrinfo = ["/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: ogrinfo != nil, "ogrinfo (apt-get install gdal-bin) is optional"))
    func gdalReadsTheFileBack() throws {
        let path = temporaryPath(".geojson")
        defer { unlink(path) }
        let writer = try GeoJSONWriter(path: path)
        try writer.write(GeoJSONFeature(id: "g1", geometry: .polygon([clockwiseSquare, counterClockwiseHole]),
                                        properties: [("网格", .string("宁海路第一网格")), ("events", .integer(12)), ("rate", .number(0.75)), ("red", .bool(false))]))
        try writer.write(GeoJSONFeature(id: "g2", geometry: .multiPolygon([[clockwiseSquare]]),
                                        properties: [("网格", .string("二")), ("events", .integer(0)), ("rate", .null), ("red", .bool(true))]))
        try writer.finish()
        let result = try ParquetReadback.run([Self.ogrinfo!, "-ro", "-al", "-q", path])
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(text.contains("网格 (String) = 宁海路第一网格"))
        #expect(text.contains("events (Integer) = 12"))
        #expect(text.contains("rate (Real) = 0.75"))
        #expect(text.contains("rate (Real) = (null)"))
        #expect(text.contains("red (Integer(Boolean)) = 1"))
        #expect(text.contains("POLYGON ((118.78 32.06,118.79 32.06,118.79 32.07,118.78 32.07,118.78 32.06),(118.782 32.062,118.782 32.068,118.788 32.068,118.788 32.062,118.782 32.062))"))
        #expect(text.contains("MULTIPOLYGON (((118.78 32.06,118.79 32.06,118.79 32.07,118.78 32.07,118.78 32.06)))"))
        #expect(!result.stderr.contains("Warning"), "\(result.stderr)")
    }
}

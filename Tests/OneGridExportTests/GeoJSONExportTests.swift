import Foundation
import GRDB
import OneGridCodecs
import OneGridExport
import OneGridModel
import OneGridWarehouse
import Testing

@Suite struct GeoJSONExportTests {
    func exported(_ table: ExportTable, _ o: ExportOptions = options(), boundaries: [String: String] = [:],
                  manifest: ((ExportManifest) -> Void)? = nil) throws -> [String: Any] {
        let warehouse = try Sample.warehouse()
        try warehouse.write { db in
            for (code, json) in boundaries { try db.execute(sql: "UPDATE grid SET boundary = ? WHERE code = ?", arguments: [json, code]) }
        }
        let path = try temporaryDirectory() + "/\(table.rawValue).geojson"
        let summary = try Exporter(warehouse: warehouse).export(table: table, format: .geojson, to: path, options: o)
        #expect(summary.manifest.format == "geojson")
        manifest?(summary.manifest)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    func features(_ collection: [String: Any]) -> [[String: Any]] { collection["features"] as! [[String: Any]] }

    // A clockwise square (RFC 7946 wants exterior rings counter-clockwise).
    let square = #"[{"outer":[{"lng":118.8,"lat":32.3},{"lng":118.8,"lat":32.4},{"lng":118.9,"lat":32.4},{"lng":118.9,"lat":32.3},{"lng":118.8,"lat":32.3}],"holes":[]}]"#

    @Test func gridsArePolygonsWithTheGridsPropertiesAndCounterClockwiseExteriors() throws {
        let all = features(try exported(.grids, boundaries: ["320116001003001": square]))
        #expect(all.map { $0["id"] as? String } == ["320113005001001", "320116001003001", "320116001003002"])
        let grid = all[1]
        let geometry = grid["geometry"] as! [String: Any]
        #expect(geometry["type"] as? String == "Polygon")
        #expect(geometry["coordinates"] as? [[[Double]]]
                == [[[118.8, 32.3], [118.9, 32.3], [118.9, 32.4], [118.8, 32.4], [118.8, 32.3]]])
        let properties = grid["properties"] as! [String: Any]
        #expect(properties["grid_name"] as? String == "桥西社区第一网格")
        #expect(properties["households"] as? Int == 420)
        #expect(properties["event_count"] as? Int == 3)
        #expect(all[0]["geometry"] is NSNull, "a grid without a stored boundary has a null geometry")
    }

    @Test func placesArePointsWithMatchMethodAndConfidence() throws {
        let all = features(try exported(.places))
        #expect(all.count == 2)
        let geometry = all[0]["geometry"] as! [String: Any]
        #expect(geometry["type"] as? String == "Point")
        #expect(geometry["coordinates"] as? [Double] == [118.83, 32.35])
        let properties = all[0]["properties"] as! [String: Any]
        #expect(properties["method"] as? String == "std_address")
        #expect(properties["confidence"] as? Double == 0.95)
        #expect(all[1]["geometry"] is NSNull, "a place without coordinates")
    }

    @Test func theTransformMovesEveryPositionAndTheManifestNamesTheDatum() throws {
        var o = options()
        o.crs = "gcj02"
        o.positionTransform = { GeoPosition(longitude: $0.longitude + 0.001, latitude: $0.latitude - 0.002) }
        var crs: String?
        let all = features(try exported(.places, o) { crs = $0.options["crs"] })
        #expect(crs == "gcj02")
        #expect((all[0]["geometry"] as! [String: Any])["coordinates"] as? [Double] == [118.831, 32.348])
    }

    @Test(arguments: [ExportTable.events, .incidents, .people, .gridMonthly, .alerts, .rejects])
    func tablesWithoutGeometryAreRefused(table: ExportTable) throws {
        let path = try temporaryDirectory() + "/x.geojson"
        #expect(throws: ExportError.invalidOption(name: "--format geojson", message: "only for grids, places")) {
            try Exporter(warehouse: try Sample.warehouse()).export(table: table, format: .geojson, to: path, options: options())
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aDamagedBoundaryNamesItsGrid() throws {
        #expect(throws: BoundaryUnreadable.self) {
            _ = try exported(.grids, boundaries: ["320116001003002": "{not json"])
        }
    }

    @Test func aBoundaryWithoutAreaIsAnErrorNamingItsGrid() throws {
        let line = #"[{"outer":[{"lng":118.8,"lat":32.3},{"lng":118.9,"lat":32.3},{"lng":118.8,"lat":32.3}],"holes":[]}]"#
        #expect(throws: GeoJSONFeatureError(id: "320116001003002", error: .degenerateRing(feature: 2, polygon: 0, ring: 0))) {
            _ = try exported(.grids, boundaries: ["320116001003002": line])
        }
    }
}

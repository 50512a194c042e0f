import Foundation
import GRDB
import Testing
import OneGridExport
import OneGridModel
import OneGridPrivacy

/// How an export lands on disk: through `OutputFile`s at the final paths (links planted
/// there are replaced, never followed), readable by the owner only when it holds clear
/// values, with a manifest that names the data file by its SHA-256.
@Suite struct ExportOutputOrderTests {
    let warehouse = try! Sample.warehouse()
    var exporter: Exporter { Exporter(warehouse: warehouse) }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    func isLink(_ path: String) throws -> Bool {
        (try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink
    }

    @Test(arguments: ExportFormat.allCases.filter { $0 != .geojson })
    func linksPlantedAtTheDataAndManifestPathsLeaveTheirTargetsUntouched(format: ExportFormat) throws {
        let dir = try temporaryDirectory()
        let path = dir + "/ev." + format.rawValue
        for (name, link) in [("victim-data", path), ("victim-manifest", path + ".manifest.json")] {
            try Data("precious \(name)\n".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir + "/" + name)
        }
        let summary = try exporter.export(table: .events, format: format, to: path, options: options())
        #expect(summary.rows == 8)
        #expect(try String(contentsOfFile: dir + "/victim-data", encoding: .utf8) == "precious victim-data\n")
        #expect(try String(contentsOfFile: dir + "/victim-manifest", encoding: .utf8) == "precious victim-manifest\n")
        #expect(try !isLink(path))
        #expect(try !isLink(path + ".manifest.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == ["ev.\(format.rawValue)", "ev.\(format.rawValue).manifest.json", "victim-data", "victim-manifest"])
    }

    @Test func clearExportsAreTheOwnersOnly() throws {
        let dir = try temporaryDirectory()
        for format in ExportFormat.allCases where format != .geojson {
            let path = dir + "/clear." + format.rawValue
            try exporter.export(table: .events, format: format, to: path, options: options(pii: .clear, key: Sample.key))
            #expect(try mode(path) == 0o600)
            #expect(try mode(path + ".manifest.json") == 0o600)
        }
    }

    @Test func maskedAndTokenExportsAreReadableByAll() throws {
        let dir = try temporaryDirectory()
        // 0644 less what the umask takes away (read here, and put back).
        let umaskBits = Int(umask(0o022))
        umask(mode_t(umaskBits))
        for pii in [PIILevel.masked, .token] {
            for format in ExportFormat.allCases where format != .geojson {
                let path = dir + "/\(pii.rawValue)." + format.rawValue
                try exporter.export(table: .people, format: format, to: path, options: options(pii: pii))
                #expect(try mode(path) == 0o644 & ~umaskBits)
                #expect(try mode(path + ".manifest.json") == 0o644 & ~umaskBits)
            }
        }
    }

    @Test(arguments: ExportFormat.allCases.filter { $0 != .geojson })
    func theManifestHoldsTheDataFilesSHA256(format: ExportFormat) throws {
        let dir = try temporaryDirectory()
        let path = dir + "/ev." + format.rawValue
        let summary = try exporter.export(table: .events, format: format, to: path, options: options())
        var digest = ContentDigest()
        digest.update(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(summary.manifest.sha256 == digest.hex())
        let written = try JSONDecoder().decode(ExportManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path + ".manifest.json")))
        #expect(written.sha256 == digest.hex())
        #expect(written.bytes == Int64(try Data(contentsOf: URL(fileURLWithPath: path)).count))
    }

    @Test func anExportFailingMidwayKeepsTheOldFileAndItsManifest() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/ev.csv"
        let first = try exporter.export(table: .events, format: .csv, to: path, options: options())
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let manifest = try Data(contentsOf: URL(fileURLWithPath: first.manifestPath))
        // The sixth event's payload goes missing: the clear export fails after rows were written.
        try warehouse.write { db in try db.execute(sql: "DELETE FROM event_version WHERE event_id = 6 AND content_hash = 'h6'") }
        #expect(throws: ExportError.clearPayloadMissing(source: "hotline12345", sourceKey: "NJ-003")) {
            try exporter.export(table: .events, format: .csv, to: path, options: options(pii: .clear, key: Sample.key))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.manifestPath)) == manifest)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["ev.csv", "ev.csv.manifest.json"])
    }

    @Test func formulasAreNeutralisedUnlessTurnedOff() throws {
        try warehouse.write { db in try db.execute(sql: "UPDATE event SET handling_unit = '=1+1' WHERE id = (SELECT min(id) FROM event)") }
        let dir = try temporaryDirectory()
        var o = options()
        try exporter.export(table: .events, format: .csv, to: dir + "/on.csv", options: o)
        o.neutralizesFormulas = false
        try exporter.export(table: .events, format: .csv, to: dir + "/off.csv", options: o)
        #expect(try String(contentsOfFile: dir + "/on.csv", encoding: .utf8).contains(",'=1+1,"))
        let off = try String(contentsOfFile: dir + "/off.csv", encoding: .utf8)
        #expect(off.contains(",=1+1,") && !off.contains("'=1+1"))
    }
}

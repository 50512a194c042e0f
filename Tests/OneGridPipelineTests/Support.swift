import Foundation
import GRDB
import OneGridMapping
import OneGridPipeline
import OneGridWarehouse

/// The repository root, found from this file, so tests use the committed mappings and samples.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let sampleData = repositoryRoot + "/SampleData"
let mappingsFolder = repositoryRoot + "/Mappings"

/// A fresh warehouse in a temporary folder with the sample reference data loaded; under
/// the key of `sharingKeyOf` when given (so tokens and payloads of two warehouses compare).
func makeWorkspace(sharingKeyOf other: Workspace? = nil) throws -> (Workspace, String) {
    let folder = NSTemporaryDirectory() + "onegrid-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let paths = WorkspacePaths(warehouse: folder + "/onegrid.sqlite", keyFile: folder + "/onegrid.key")
    if let other { try other.key.write(path: paths.keyFile) }
    let workspace = try Workspace.initialise(paths).workspace
    _ = try ReferenceImporter(workspace: workspace).load(.init(folder: sampleData + "/reference"))
    return (workspace, folder)
}

func mapping(_ feed: String) throws -> Mapping {
    try Mapping.load(path: mappingsFolder + "/\(feed).yaml")
}

func files(_ folder: String) -> [String] {
    let dir = sampleData + "/" + folder
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
}

func importFeed(_ workspace: Workspace, _ feed: String, _ paths: [String], force: Bool = false) throws -> [FileResult] {
    try ImportJob(workspace: workspace, mapping: try mapping(feed)).run(files: paths, force: force, command: "test")
}

/// A digest of every row of the core tables, sorted, to compare warehouses by content.
func contentDigest(_ warehouse: Warehouse) throws -> [String: [String]] {
    try warehouse.read { db in
        var out: [String: [String]] = [:]
        for table in ["event", "event_version", "event_party", "event_step", "person", "place", "incident", "reject"] {
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
                row.columnNames.filter { !["source_file_id", "id", "event_id", "person_id", "place_id", "incident_id"].contains($0) }
                    .map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: ",")
            }
            out[table] = rows.sorted()
        }
        return out
    }
}

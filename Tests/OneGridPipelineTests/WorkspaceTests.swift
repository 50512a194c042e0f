import Foundation
import GRDB
import OneGridModel
import OneGridPipeline
import OneGridPrivacy
import OneGridWarehouse
import Testing

@Suite("Warehouse, key and reference data")
struct WorkspaceTests {
    @Test("init writes a key file of mode 0600 and the warehouse refuses any other key")
    func keyBinding() throws {
        let (workspace, folder) = try makeWorkspace()
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.paths.keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let other = folder + "/other.key"
        try PIIKey.generate().write(path: other)
        #expect(throws: Warehouse.Problem.self) {
            _ = try Workspace.open(WorkspacePaths(warehouse: workspace.paths.warehouse, keyFile: other))
        }
    }

    @Test("reloading the reference registers updates in place")
    func referenceReload() throws {
        let (workspace, _) = try makeWorkspace()
        func counts() throws -> [Int] {
            try workspace.warehouse.read { db in
                try ["division", "grid", "std_address", "worker", "person"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")! }
            }
        }
        let first = try counts()
        #expect(first[1] == 57 && first[2] == 448 && first[3] == 111)
        _ = try ReferenceImporter(workspace: workspace).load(.init(folder: sampleData + "/reference"))
        #expect(try counts() == first)
    }

    @Test("rejects are listed with their raw record opened by the key")
    func rejectList() throws {
        let (workspace, _) = try makeWorkspace()
        _ = try importFeed(workspace, "patrol", files("patrol"))
        let entries = try RejectList(workspace: workspace).entries(reason: .invalidJSON)
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.raw.hasPrefix("{") && $0.file.hasSuffix(".jsonl") })
    }
}

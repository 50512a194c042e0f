import Foundation
import OneGridWarehouse
import Testing

/// Where a warehouse keeps its standard-address index between processes.
@Suite struct AddressIndexFileTests {
    @Test func fileWarehouseKeepsItBesideItsFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-index-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writable = ReferenceStore(warehouse: try Warehouse(path: dir + "/onegrid.sqlite")).addressIndexFile
        #expect(writable?.path == dir + "/onegrid.sqlite.address-index")
        #expect(writable?.readOnly == false)
    }

    @Test func readOnlyWarehouseOnlyReadsIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-index-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Warehouse(path: dir + "/onegrid.sqlite")
        let readOnly = ReferenceStore(warehouse: try Warehouse(readOnlyPath: dir + "/onegrid.sqlite")).addressIndexFile
        #expect(readOnly?.path == dir + "/onegrid.sqlite.address-index")
        #expect(readOnly?.readOnly == true)
    }

    @Test func inMemoryWarehouseHasNone() throws {
        #expect(ReferenceStore(warehouse: try Warehouse(inMemory: ())).addressIndexFile == nil)
    }
}

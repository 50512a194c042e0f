import Foundation
import OneGridPrivacy
import OneGridWarehouse

/// Where the warehouse and its key live: `--warehouse`, else `ONEGRID_WAREHOUSE`, else
/// `./onegrid.sqlite`; the key file is `ONEGRID_KEY_FILE`, else `onegrid.key` beside the
/// warehouse.
public struct WorkspacePaths: Sendable, Hashable {
    public var warehouse: String
    public var keyFile: String

    public init(warehouse: String? = nil, keyFile: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        let w = warehouse ?? environment["ONEGRID_WAREHOUSE"] ?? "onegrid.sqlite"
        self.warehouse = w
        let folder = (w as NSString).deletingLastPathComponent
        self.keyFile = keyFile ?? environment["ONEGRID_KEY_FILE"]
            ?? (folder.isEmpty ? "onegrid.key" : folder + "/onegrid.key")
    }
}

/// An opened warehouse with the key that belongs to it.
public struct Workspace: Sendable {
    public let paths: WorkspacePaths
    public let warehouse: Warehouse
    public let key: PIIKey

    /// Creates the warehouse and, unless one exists, a new key file (mode 0600).
    public static func initialise(_ paths: WorkspacePaths) throws -> (workspace: Workspace, createdKey: Bool) {
        var created = false
        let key: PIIKey
        if FileManager.default.fileExists(atPath: paths.keyFile) {
            key = try PIIKey.load(path: paths.keyFile)
        } else {
            key = PIIKey.generate()
            try key.write(path: paths.keyFile)
            created = true
        }
        let warehouse = try Warehouse(path: paths.warehouse)
        try warehouse.bindKey(fingerprint: key.fingerprint)
        return (Workspace(paths: paths, warehouse: warehouse, key: key), created)
    }

    /// Opens an existing warehouse; refuses a key that is not the warehouse's.
    public static func open(_ paths: WorkspacePaths) throws -> Workspace {
        let warehouse = try Warehouse(path: paths.warehouse, create: false)
        let key = try PIIKey.load(path: paths.keyFile)
        try warehouse.bindKey(fingerprint: key.fingerprint)
        return Workspace(paths: paths, warehouse: warehouse, key: key)
    }
}

import Foundation
import OneGridWarehouse

/// The small JSON file written beside every export (`<out>.manifest.json`): what was
/// exported, how, from which warehouse and mapping versions, and when.
public struct ExportManifest: Sendable, Hashable, Codable {
    /// One mapping version seen in the warehouse's loaded files.
    public struct Mapping: Sendable, Hashable, Codable {
        public var feed: String
        public var mappingHash: String
        public var files: Int
    }

    public var table: String
    public var format: String
    /// CSV text encoding (`utf-8`, `gb18030`), nil for other formats.
    public var encoding: String?
    public var headers: String
    public var pii: String
    public var file: String
    public var rows: Int
    public var bytes: Int64
    public var columns: [String]
    /// The filters given, as text.
    public var filters: [String: String]
    /// The filters given that the table applied.
    public var filtersApplied: [String]
    /// Table options (`level`, `asOf`, thresholds, alert parameters) as text.
    public var options: [String: String]
    /// Migrations applied to the warehouse (its schema version).
    public var schemaMigrations: [String]
    /// The warehouse `meta` table (key fingerprint, versions…).
    public var warehouseMeta: [String: String]
    public var keyFingerprint: String?
    public var mappings: [Mapping]
    /// ISO 8601, Beijing time.
    public var exportedAt: String
    /// SHA-256 of the data file (64 lowercase hex characters), to check the file is the one
    /// this manifest describes.
    public var sha256: String?

    /// Writes the manifest whole at `path` (an `OutputFile`: a link planted there is
    /// replaced, never followed), readable as `permissions` say.
    func write(to path: String, permissions: OutputPermissions) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw ExportError.io(path: path, message: "cannot write the manifest: \(error)")
        }
        try OutputFile.write(Array(data), to: path, permissions: permissions)
    }
}

extension ExportManifest.Mapping {
    init(_ use: MappingUse) {
        self.init(feed: use.feed, mappingHash: use.mappingHash, files: use.files)
    }
}

import Foundation
import OneGridMapping
import OneGridModel
import OneGridWarehouse

/// One import of several files of a feed: a `run` row, files in order of their export
/// date, the taxonomy refreshed, one transaction per file.
public struct ImportJob {
    public let workspace: Workspace
    public let mapping: Mapping
    public var threshold: RejectThreshold = .none
    public var progress: ((String, Int, Int64, Int64) -> Void)?

    public init(workspace: Workspace, mapping: Mapping) {
        self.workspace = workspace
        self.mapping = mapping
    }

    public func run(files: [String], force: Bool, command: String) throws -> [FileResult] {
        let warehouse = workspace.warehouse
        let runID = try RunLog.start(warehouse, command: command)
        try refreshTaxonomy()
        let importer = FileImporter(workspace: workspace, mapping: mapping, resolving: { try Resolution(warehouse: warehouse) })
        importer.threshold = threshold
        let ordered = mapping.loadOrder(files)
        var results: [FileResult] = []
        for path in ordered {
            if let progress { importer.progress = { progress(path, $0, $1, $2) } }
            results.append(importer.importFile(path, runID: runID, force: force))
        }
        try RunLog.finish(warehouse, runID: runID, results: results)
        return results
    }

    /// Writes the mapping's unified taxonomy into `category` (before any file loads).
    public func refreshTaxonomy() throws {
        guard let taxonomy = mapping.taxonomy else { return }
        try ReferenceStore(warehouse: workspace.warehouse).write { batch in
            try batch.upsert(categories: taxonomy.entries.map { ($0.code, $0.name, $0.parentCode, $0.level) })
            try batch.replace(relatedCategories: taxonomy.related.filter { $0.codes.count == 2 }.map { ($0.codes[0], $0.codes[1], $0.why) })
        }
    }
}

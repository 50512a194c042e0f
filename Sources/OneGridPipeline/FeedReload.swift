import Foundation
import OneGridMapping
import OneGridModel
import OneGridWarehouse

/// `onegrid reload --feed NAME`: reprocesses the feed's loaded files whose mapping has
/// changed since, under the current mapping, in export-date order, one transaction each.
/// A record whose version is unchanged takes the new mapping's content; history keeps both.
public struct FeedReload {
    public let workspace: Workspace
    public let mapping: Mapping
    /// Folders to look in when a file is no longer at its logged path (the feed's archive).
    public var searchFolders: [String] = []
    /// Reprocess every loaded file of the feed, not only those loaded under another mapping.
    public var all = false
    public var onEvent: (RunEvent) -> Void = { _ in }

    public init(workspace: Workspace, mapping: Mapping) {
        self.workspace = workspace
        self.mapping = mapping
    }

    /// A loaded file due for reprocessing: its logged path and fingerprint.
    public struct Due: Sendable, Equatable {
        public var path: String
        public var sha256: String
    }

    /// The feed's files whose latest load used another mapping (or all of them).
    public func dueFiles() throws -> [Due] {
        try workspace.warehouse.loadedFiles(feed: mapping.feed).compactMap { file in
            (all || file.mappingHash != mapping.hash) ? Due(path: file.path, sha256: file.sha256) : nil
        }
    }

    /// Takes the run lock and reprocesses the due files. A file no longer found (at its
    /// path or in `searchFolders` with the same fingerprint) is reported as failed.
    public func execute() throws -> RunSummary {
        let lock = try RunLock(warehouse: workspace.paths.warehouse)
        defer { lock.release() }
        let started = Date()
        let warehouse = workspace.warehouse
        try RunLog.markInterrupted(warehouse)
        let due = try dueFiles()
        let runID = try RunLog.start(warehouse, command: "reload")
        onEvent(.runStarted(runID: runID, files: due.count, toLoad: due.count))
        var results: [FileResult] = []
        if !due.isEmpty {
            let job = ImportJob(workspace: workspace, mapping: mapping)
            try job.refreshTaxonomy()
            let importer = FileImporter(workspace: workspace, mapping: mapping, resolution: try Resolution(warehouse: warehouse))
            importer.remapping = true
            for file in due {
                guard let path = locate(file) else {
                    let result = FileResult(path: file.path, feed: mapping.feed, state: .failed, counts: FileCounts(), encoding: nil,
                                            gzip: false, message: "\(file.path): no longer found (nor in \(searchFolders.joined(separator: ", "))) with SHA-256 \(file.sha256.prefix(12))",
                                            seconds: 0, bytes: 0)
                    results.append(result)
                    onEvent(.fileFinished(result))
                    continue
                }
                onEvent(.fileStarted(feed: mapping.feed, path: path, bytes: 0))
                let result = importer.importFile(path, runID: runID, force: true)
                results.append(result)
                onEvent(.fileFinished(result))
            }
        }
        try RunLog.finish(warehouse, runID: runID, results: results)
        let summary = RunSummary(runID: runID, seconds: Date().timeIntervalSince(started), files: results)
        onEvent(.runFinished(summary))
        return summary
    }

    /// The file at its logged path, else under the same name in a search folder, when its
    /// fingerprint still matches.
    func locate(_ file: Due) -> String? {
        let name = (file.path as NSString).lastPathComponent
        let candidates = [file.path] + searchFolders.map { ($0 as NSString).appendingPathComponent(name) }
        return candidates.first { path in
            FileManager.default.fileExists(atPath: path) && (try? FileFingerprint.sha256(path: path)) == file.sha256
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OneGridMapping
import OneGridModel
import OneGridWarehouse

/// Finds feed mappings by name: `--mappings DIR`, else `$ONEGRID_MAPPINGS`, else `./Mappings`.
public struct MappingCatalog: Sendable {
    public let folder: String

    public init(folder: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.folder = folder ?? environment["ONEGRID_MAPPINGS"] ?? "Mappings"
    }

    public func path(feed: String) -> String {
        (folder as NSString).appendingPathComponent(feed + ".yaml")
    }
}

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
        let ordered = files.enumerated().sorted { a, b in
            let da = mapping.exportDate(fileName: a.element) ?? "", db = mapping.exportDate(fileName: b.element) ?? ""
            return da == db ? a.offset < b.offset : da < db
        }.map(\.element)
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

/// The `run` table: one row per command that loads.
public enum RunLog {
    public static func start(_ warehouse: Warehouse, command: String) throws -> Int64 {
        try markDead(warehouse)
        return try warehouse.startRun(command: command, at: Int64(Date().timeIntervalSince1970),
                                      pid: Int(ProcessInfo.processInfo.processIdentifier))
    }

    /// Runs still `running` whose process no longer exists (a killed `import`, which takes
    /// no lock, included) are marked `interrupted`, so none stays `running` forever. Needs
    /// no lock: a live process is never touched. The warehouse is on a local disk, so a pid
    /// names a process of this machine; a reused pid only delays the marking.
    public static func markDead(_ warehouse: Warehouse) throws {
        let own = Int(ProcessInfo.processInfo.processIdentifier)
        for run in try warehouse.recentRuns(limit: 1000) where run.state == "running" {
            guard let id = run.id, let pid = run.pid, pid != own, kill(pid_t(pid), 0) != 0, errno == ESRCH else { continue }
            try warehouse.finishRun(id: id, at: Int64(Date().timeIntervalSince1970), state: "interrupted",
                                    loaded: run.filesLoaded, failed: run.filesFailed, skipped: run.filesSkipped)
        }
    }

    /// Runs of the commands that take the lock (not `import`) still marked `running` when the lock is free were killed: mark them
    /// `interrupted` (call only while holding the run lock).
    public static func markInterrupted(_ warehouse: Warehouse) throws {
        try warehouse.markInterruptedRuns(commands: ["run", "reload", "rejects replay"])
    }

    public static func finish(_ warehouse: Warehouse, runID: Int64, results: [FileResult]) throws {
        let failed = results.filter { $0.state == .failed || $0.state == .overThreshold }.count
        let loaded = results.filter { $0.state == .loaded }.count
        let skipped = results.filter { $0.state == .alreadyLoaded }.count
        try warehouse.finishRun(id: runID, at: Int64(Date().timeIntervalSince1970), state: failed > 0 ? "partial" : "ok",
                                loaded: loaded, failed: failed, skipped: skipped)
    }
}

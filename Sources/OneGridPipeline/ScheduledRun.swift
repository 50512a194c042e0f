import Foundation
import OneGridMapping
import OneGridModel
import OneGridWarehouse

/// `onegrid run`: one unattended pass over every configured inbox.
///
/// Takes the run lock, scans the inboxes, skips files already loaded (SHA-256, whatever
/// their name) without building anything, loads the rest in order of their export date,
/// one transaction per file, then archives or sets aside what it processed. Every step can
/// be killed: a file's transaction commits whole or not at all, and a file moved after
/// commit is simply recognised by fingerprint (and moved) on the next run.
public struct ScheduledRun {
    public let configuration: RunConfiguration
    /// Files to reload even if already loaded (`--force FILE`).
    public var force: [String] = []
    /// Reports each step; called on the run's thread.
    public var onEvent: (RunEvent) -> Void = { _ in }
    /// Called once the run's files are loaded and logged, still under the run lock (a publish
    /// to the central warehouse), before the run is reported finished.
    public var afterLoading: ((Warehouse) throws -> Void)?

    public init(configuration: RunConfiguration) {
        self.configuration = configuration
    }

    /// A file found for a feed, with whether it must be reloaded.
    struct Delivery {
        var feed: Int
        var path: String
        var exportDate: String
        var forced: Bool
    }

    /// Runs once. Throws `RunLock.Held` when another run is active, a `ConfigurationError`,
    /// `MappingError` or `Warehouse.Problem` when the configuration cannot be used.
    public func execute() throws -> RunSummary {
        let lock = try RunLock(warehouse: configuration.warehouse)
        defer { lock.release() }
        let started = Date()
        var mappings: [Mapping] = []
        for feed in configuration.feeds {
            let mapping = try Mapping.load(path: feed.mapping)
            guard mapping.feed == feed.name else {
                throw ConfigurationError(file: configuration.path, line: 0, keyPath: "feeds.\(feed.name).mapping",
                                         message: "\(feed.mapping) describes feed '\(mapping.feed)', not '\(feed.name)'")
            }
            mappings.append(mapping)
        }
        let workspace = try Workspace.open(configuration.workspacePaths)
        var unreadableInboxes: [FileResult] = []
        let deliveries = try plan(mappings: mappings) { feed, problem in
            unreadableInboxes.append(FileResult(path: feed.inbox, feed: feed.name, state: .failed, counts: FileCounts(), encoding: nil,
                                                gzip: false, message: "\(problem.folder): \(problem.message)", seconds: 0, bytes: 0))
        }
        let warehouse = workspace.warehouse
        try RunLog.markInterrupted(warehouse)
        let runID = try RunLog.start(warehouse, command: "run")
        for failure in unreadableInboxes { onEvent(.fileFinished(failure)) }

        // Fingerprints first: an inbox of already-loaded files costs one hash each and
        // builds nothing else.
        var results: [Int: FileResult] = [:]
        var pending: [(Int, Delivery)] = []
        for (index, d) in deliveries.enumerated() {
            if !d.forced, let sha = try? FileFingerprint.sha256(path: d.path),
               try warehouse.isLoaded(sha256: sha) {
                results[index] = FileResult(path: d.path, feed: configuration.feeds[d.feed].name, state: .alreadyLoaded,
                                            counts: FileCounts(), encoding: nil, gzip: false, message: nil, seconds: 0,
                                            bytes: Self.size(d.path))
            } else {
                pending.append((index, d))
            }
        }
        onEvent(.runStarted(runID: runID, files: deliveries.count, toLoad: pending.count))
        for (index, d) in deliveries.enumerated() where results[index] != nil {
            onEvent(.fileFinished(results[index]!))
            moveAside(d, result: results[index]!)
        }
        if !pending.isEmpty {
            for feedIndex in Set(pending.map { $0.1.feed }).sorted() {
                try ImportJob(workspace: workspace, mapping: mappings[feedIndex]).refreshTaxonomy()
            }
            let resolution = try Resolution(warehouse: warehouse)
            var importers: [Int: FileImporter] = [:]
            for (index, d) in pending {
                let feed = configuration.feeds[d.feed]
                let importer = importers[d.feed] ?? {
                    let i = FileImporter(workspace: workspace, mapping: mappings[d.feed], resolution: resolution)
                    i.threshold = feed.threshold
                    return i
                }()
                importers[d.feed] = importer
                let fileStart = Date()
                onEvent(.fileStarted(feed: feed.name, path: d.path, bytes: Self.size(d.path)))
                importer.progress = { records, read, size in
                    onEvent(.fileProgress(feed: feed.name, path: d.path, records: records, bytesRead: read, bytes: size,
                                          seconds: Date().timeIntervalSince(fileStart)))
                }
                let result = importer.importFile(d.path, runID: runID, force: d.forced)
                results[index] = result
                onEvent(.fileFinished(result))
                moveAside(d, result: result)
            }
        }
        let ordered = unreadableInboxes + deliveries.indices.compactMap { results[$0] }
        try RunLog.finish(warehouse, runID: runID, results: ordered)
        // Fold the WAL back into the database so backups of the file alone are whole.
        try? warehouse.checkpoint()
        try afterLoading?(warehouse)
        let summary = RunSummary(runID: runID, seconds: Date().timeIntervalSince(started), files: ordered)
        onEvent(.runFinished(summary))
        return summary
    }

    /// Every inbox's files plus the forced ones, in export-date order across feeds. An inbox
    /// that cannot be listed (missing, unreadable) fails that feed only: `unreadable` hears of it.
    func plan(mappings: [Mapping], unreadable: (RunConfiguration.Feed, InboxProblem) -> Void = { _, _ in }) throws -> [Delivery] {
        var deliveries: [Delivery] = []
        var forced = Set(force.map(Self.canonical))
        for (i, feed) in configuration.feeds.enumerated() {
            let mapping = mappings[i]
            let inbox: Inbox.Listing
            do {
                inbox = try Inbox.listing(in: feed.inbox, pattern: feed.pattern, followSymlinks: configuration.followSymlinks,
                                          exportDate: mapping.exportDate(fileName:))
            } catch let problem as InboxProblem {
                unreadable(feed, problem)
                continue
            }
            for skip in inbox.skipped { onEvent(.fileSkipped(feed: feed.name, path: skip.path, reason: skip.reason)) }
            for path in inbox.files {
                let isForced = forced.remove(Self.canonical(path)) != nil
                deliveries.append(Delivery(feed: i, path: path, exportDate: mapping.exportDate(fileName: path) ?? "", forced: isForced))
            }
        }
        // A forced file outside the inboxes (e.g. in archive/) belongs to the feed whose
        // inbox or archive holds it, else whose pattern matches its name.
        for path in force where forced.contains(Self.canonical(path)) {
            let folder = Self.canonical((path as NSString).deletingLastPathComponent)
            let name = (path as NSString).lastPathComponent
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConfigurationError(file: configuration.path, line: 0, keyPath: "", message: "--force \(path): no such file")
            }
            guard let i = configuration.feeds.firstIndex(where: { Self.canonical($0.inbox) == folder || Self.canonical($0.archiveFolder) == folder })
                    ?? configuration.feeds.firstIndex(where: { Inbox.matches(name, pattern: $0.pattern) }) else {
                throw ConfigurationError(file: configuration.path, line: 0, keyPath: "",
                                         message: "--force \(path): no configured feed takes this file (not in an inbox, no pattern matches)")
            }
            deliveries.append(Delivery(feed: i, path: path, exportDate: mappings[i].exportDate(fileName: path) ?? "", forced: true))
        }
        return deliveries.enumerated().sorted { a, b in
            a.element.exportDate == b.element.exportDate ? a.offset < b.offset : a.element.exportDate < b.element.exportDate
        }.map(\.element)
    }

    /// In `archive` mode, a file in its inbox moves to `archive/` (loaded, already loaded)
    /// or `failed/`; files given with `--force` from elsewhere stay where they are.
    func moveAside(_ d: Delivery, result: FileResult) {
        // A changed file is retried where it is; a FIFO or device is never moved.
        guard configuration.processed == .archive, !result.retryLater, result.state != .skipped else { return }
        let feed = configuration.feeds[d.feed]
        guard Self.canonical((d.path as NSString).deletingLastPathComponent) == Self.canonical(feed.inbox) else { return }
        let folder = result.state == .loaded || result.state == .alreadyLoaded ? feed.archiveFolder : feed.failedFolder
        if let target = try? Inbox.move(d.path, into: folder) {
            onEvent(.fileMoved(from: d.path, to: target))
        }
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func size(_ path: String) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
    }
}

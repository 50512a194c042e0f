import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// `onegrid rejects replay`: re-reads the stored raw records of standing rejects and sends
/// them through the import loop under the current mapping (after an analyst fixed it),
/// loading those that now pass into the file they came from, one transaction per file. The rest stay rejects
/// (with the current reason). Each file's reconciliation moves the loaded records from
/// `rejected` to `new` / `updated` / `unchanged`, so it still adds up.
public struct RejectReplay {
    public let workspace: Workspace
    /// The current mapping of each feed to replay.
    public let mappings: [Mapping]

    /// What replay did to one file's rejects.
    public struct FileOutcome: Sendable, Codable, Equatable {
        public var feed: String
        public var file: String
        public var replayed: Int
        /// Loaded records by outcome.
        public var new: Int
        public var updated: Int
        public var unchanged: Int
        public var stillRejected: Int
    }

    public init(workspace: Workspace, mappings: [Mapping]) {
        self.workspace = workspace
        self.mappings = mappings
    }

    /// Takes the run lock and replays every standing reject of the given feeds.
    public func execute() throws -> [FileOutcome] {
        let lock = try RunLock(warehouse: workspace.paths.warehouse)
        defer { lock.release() }
        let warehouse = workspace.warehouse
        try RunLog.markInterrupted(warehouse)
        let runID = try RunLog.start(warehouse, command: "rejects replay")
        let sealer = RecordSealer(key: workspace.key)
        var outcomes: [FileOutcome] = []
        let resolution = try Resolution(warehouse: warehouse)
        for mapping in mappings {
            let rejects = try StoredReject.standing(in: warehouse, sealer: sealer, feed: mapping.feed)
            guard !rejects.isEmpty else { continue }
            try ImportJob(workspace: workspace, mapping: mapping).refreshTaxonomy()
            let importer = FileImporter(workspace: workspace, mapping: mapping, resolution: resolution)
            for (fileID, group) in Dictionary(grouping: rejects, by: \.sourceFileID).sorted(by: { $0.key < $1.key }) {
                outcomes.append(try replay(group, fileID: fileID, mapping: mapping, importer: importer))
            }
        }
        try warehouse.finishRun(id: runID, at: Int64(Date().timeIntervalSince1970), state: "ok", loaded: outcomes.count,
                                failed: 0, skipped: 0)
        return outcomes
    }

    /// Replays one file's rejects through the import loop (`FileImporter.process`, the same
    /// reading, mapping, resolution and loading as an import) into the file's ledger entry.
    /// A record that now loads is marked replayed; one that fails again takes its current
    /// reason; one the loop passes over (skipped, or not read again) stays as it was.
    func replay(_ rejects: [StoredReject], fileID: Int64, mapping: Mapping, importer: FileImporter) throws -> FileOutcome {
        let first = rejects[0]
        var outcome = FileOutcome(feed: mapping.feed, file: first.file, replayed: rejects.count, new: 0, updated: 0, unchanged: 0, stillRejected: 0)
        let now = Int64(Date().timeIntervalSince1970)
        let mask = SourceValueMask.standard
        try workspace.warehouse.replayIntoFile(fileID: fileID, feed: mapping.feed, exportDate: first.exportDate,
                                               rules: try importer.resolution().linkingRules) { load in
            let reader = StoredRejectReader(rejects: rejects, format: mapping.format, options: mapping.readOptions)
            let mapper: RecordMapper
            do {
                mapper = try RecordMapper(mapping: mapping, header: reader.header, file: first.file)
            } catch {
                // The header no longer fits the mapping: records read again fail as schema drift.
                for reject in rejects {
                    let failure: (RejectReason, String?, String)
                    switch reject.reread(format: mapping.format, options: mapping.readOptions).item {
                    case .record?: failure = (.schemaDrift, nil, "\(error)")
                    case .unreadable(let bad)?: failure = (bad.reason.rejectReason, bad.position.field, bad.reason.description)
                    case .skipped?, nil: failure = (reject.reason, reject.field, reject.message)
                    }
                    try load.restateReject(id: reject.id, reason: failure.0, field: failure.1, message: mask.wholeText(failure.2))
                }
                outcome.stillRejected = rejects.count
                return
            }
            // Outcomes come back in file order carrying the record's original position: the
            // reject each one settles is found by it.
            var pending = Dictionary(grouping: rejects, by: { ReplayKey($0.position) })
            func settle(_ position: SourcePosition) -> StoredReject? {
                let key = ReplayKey(position)
                guard let reject = pending[key]?.first else { return nil }
                pending[key]?.removeFirst()
                return reject
            }
            var counts = FileCounts()
            try importer.process(reader: reader, mapper: mapper, counts: &counts, redacting: true) { item in
                switch item {
                case .event(let event):
                    // Already redacted by the workers (`redacting: true`), as at import.
                    let loaded = try load.load(event)
                    if let reject = settle(event.position) { try load.markReplayed(rejectID: reject.id, at: now) }
                    return loaded
                case .reject(let position, let reason, let field, let message, _, _):
                    // Messages reach people: shown through the one masking rule, as at import.
                    if let reject = settle(position) {
                        try load.restateReject(id: reject.id, reason: reason, field: field, message: mask.wholeText(message))
                    }
                    return nil
                }
            }
            for reject in pending.values.joined().sorted(by: { $0.id < $1.id }) {
                try load.restateReject(id: reject.id, reason: reject.reason, field: reject.field, message: mask.wholeText(reject.message))
            }
            (outcome.new, outcome.updated, outcome.unchanged) = (counts.new, counts.updated, counts.unchanged)
            outcome.stillRejected = rejects.count - counts.new - counts.updated - counts.unchanged
            try load.moveReplayedCounts(new: outcome.new, updated: outcome.updated, unchanged: outcome.unchanged)
        }
        return outcome
    }
}

/// A record's place in its file, whatever field a reject names: what ties a replayed
/// outcome back to its stored reject.
private struct ReplayKey: Hashable {
    var byteOffset: Int64
    var line: Int
    var record: Int

    init(_ position: SourcePosition) {
        byteOffset = position.byteOffset
        line = position.line
        record = position.record
    }
}

import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// `onegrid rejects replay`: re-reads the stored raw records of standing rejects, maps
/// them under the current mapping (after an analyst fixed it) and loads those that now
/// pass into the file they came from, one transaction per file. The rest stay rejects
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

    func replay(_ rejects: [StoredReject], fileID: Int64, mapping: Mapping, importer: FileImporter) throws -> FileOutcome {
        let first = rejects[0]
        var outcome = FileOutcome(feed: mapping.feed, file: first.file, replayed: rejects.count, new: 0, updated: 0, unchanged: 0, stillRejected: 0)
        let now = Int64(Date().timeIntervalSince1970)
        try workspace.warehouse.replayIntoFile(fileID: fileID, feed: mapping.feed, exportDate: first.exportDate,
                                               rules: try importer.resolution().linkingRules) { load in
            var places = FileImporter.PlaceMemo(resolution: try importer.resolution())
            // The rejects of one file share its header: bind the mapping to it once.
            var mappers: [[String]?: Result<RecordMapper, FeedError>] = [:]
            for reject in rejects {
                let (item, header) = reject.reread(format: mapping.format, options: mapping.readOptions)
                var failure: (reason: String, field: String?, message: String)?
                switch item {
                case .record(let record)?:
                    do {
                        let bound = mappers[header] ?? Result { () throws(FeedError) in
                            try RecordMapper(mapping: mapping, header: header, file: reject.file)
                        }
                        mappers[header] = bound
                        let mapper = try bound.get()
                        switch mapper.map(record) {
                        case .event(let draft, let findings):
                            let event = importer.resolve(draft, findings: findings, position: record.position, places: &places)
                            switch try load.load(event.freeTextRedacted) {
                            case .new: outcome.new += 1
                            case .updated: outcome.updated += 1
                            case .unchanged: outcome.unchanged += 1
                            }
                            try load.markReplayed(rejectID: reject.id, at: now)
                        case .rejected(let r):
                            failure = (r.reason, r.field, r.message)
                        case .skipped:
                            failure = (reject.reason, reject.field, reject.message)
                        }
                    } catch {
                        failure = ("schema_drift", nil, "\(error)")
                    }
                case .unreadable(let bad)?:
                    failure = (bad.reason.code, bad.position.field, bad.reason.description)
                case .skipped?, nil:
                    failure = (reject.reason, reject.field, reject.message)
                }
                if let failure {
                    outcome.stillRejected += 1
                    // Messages reach people: shown through the one masking rule, as at import.
                    try load.restateReject(id: reject.id, reason: failure.reason, field: failure.field,
                                           message: SourceValueMask.standard.wholeText(failure.message))
                }
            }
            try load.moveReplayedCounts(new: outcome.new, updated: outcome.updated, unchanged: outcome.unchanged)
        }
        return outcome
    }
}

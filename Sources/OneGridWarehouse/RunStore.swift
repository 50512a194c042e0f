import Foundation
import GRDB

/// One row of the `run` table: a command that loads files, with how it ended.
public struct RunRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"

    public var id: Int64?
    public var command: String
    public var startedAt: Int64
    public var finishedAt: Int64?
    /// `running`, `ok`, `partial` or `interrupted`.
    public var state: String
    public var pid: Int?
    public var filesLoaded: Int
    public var filesFailed: Int
    public var filesSkipped: Int

    enum CodingKeys: String, CodingKey {
        case id, command, state, pid
        case startedAt = "started_at", finishedAt = "finished_at"
        case filesLoaded = "files_loaded", filesFailed = "files_failed", filesSkipped = "files_skipped"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// The operations log of runs: the only place the `run` table is written.
extension Warehouse {
    /// Opens a run (`running`) and returns its id.
    public func startRun(command: String, at now: Int64, pid: Int) throws -> Int64 {
        try write { db in
            var run = RunRecord(id: nil, command: command, startedAt: now, finishedAt: nil, state: "running", pid: pid,
                                filesLoaded: 0, filesFailed: 0, filesSkipped: 0)
            try run.insert(db)
            return db.lastInsertedRowID
        }
    }

    /// Marks as `interrupted` the runs of these commands still `running` (killed ones).
    public func markInterruptedRuns(commands: [String]) throws {
        _ = try write { db in
            try RunRecord.filter(Column("state") == "running" && commands.contains(Column("command")))
                .updateAll(db, Column("state").set(to: "interrupted"))
        }
    }

    /// Closes a run with its state and file counts.
    public func finishRun(id: Int64, at now: Int64, state: String, loaded: Int, failed: Int, skipped: Int) throws {
        _ = try write { db in
            try RunRecord.filter(key: id).updateAll(db, [
                Column("finished_at").set(to: now), Column("state").set(to: state), Column("files_loaded").set(to: loaded),
                Column("files_failed").set(to: failed), Column("files_skipped").set(to: skipped),
            ])
        }
    }

    /// The latest runs, newest first.
    public func recentRuns(limit: Int) throws -> [RunRecord] {
        try read { db in try RunRecord.order(Column("id").desc).limit(limit).fetchAll(db) }
    }
}

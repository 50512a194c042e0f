import Foundation
import GRDB
import OneGridModel

/// Version decisions: whether a record is new, a newer version of a loaded one, or
/// unchanged — one rule for loading and for the dry-run's classification.
extension FileLoad {
    /// What loading this event would do, without doing it.
    public func classify(_ event: ResolvedEvent) throws -> LoadOutcome {
        let rank = ResolvedEvent.versionRank(versionAt: event.draft.versionAt, exportDate: exportDate, contentHash: event.contentHash)
        let current: (rank: String, hash: String)?
        if let seen = try seenInFile?.version(of: event.draft.sourceKey) {
            current = seen
        } else if let row = try Row.fetchOne(db, sql: "SELECT version_rank, content_hash FROM event WHERE source = ? AND source_key = ?",
                                             arguments: [feed, event.draft.sourceKey]) {
            current = (row[0], row[1])
        } else {
            current = nil
        }
        let outcome: LoadOutcome = current.map { self.outcome(rank: rank, hash: event.contentHash, over: $0) } ?? .new
        if outcome != .unchanged { try seenInFile?.remember(event.draft.sourceKey, rank: rank, hash: event.contentHash) }
        return outcome
    }

    /// What a version does to the current one of its key: the same content changes nothing;
    /// a higher rank replaces it (under `remapping`, so does the same version); anything else
    /// is older and changes nothing. One rule for `load` and `classify`, so a dry-run predicts
    /// exactly what loading does.
    func outcome(rank: String, hash: String, over current: (rank: String, hash: String)) -> LoadOutcome {
        if current.hash == hash { return .unchanged }
        if rank > current.rank || (remapping && Self.version(of: rank) == Self.version(of: current.rank)) { return .updated }
        return .unchanged
    }

    /// A version rank without its content-hash tie-breaker: `time|export date`.
    static func version(of rank: String) -> Substring {
        rank[..<(rank.lastIndex(of: "|") ?? rank.endIndex)]
    }
}

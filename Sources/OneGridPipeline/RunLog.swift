import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OneGridWarehouse

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

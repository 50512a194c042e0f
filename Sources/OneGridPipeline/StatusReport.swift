import Foundation
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// `onegrid status`: recent runs, files with their counts and state, warnings.
public enum StatusReport {
    public static func render(warehouse: Warehouse, limit: Int, mappingHashes: [String: String] = [:]) throws -> String {
        var out: [String] = []
        let c = try warehouse.counts()
        out.append("warehouse \(warehouse.path): events \(c.events), people \(c.people), incidents \(c.incidents), rejects \(c.rejects), grids \(c.grids), standard addresses \(c.standardAddresses)")
        out.append("last runs:")
        for r in try warehouse.recentRuns(limit: 5) {
            let started = Timestamp(seconds: r.startedAt).beijingText
            out.append("  #\(r.id ?? 0) \(r.command) \(started) \(r.state): loaded \(r.filesLoaded), failed \(r.filesFailed), already loaded \(r.filesSkipped)")
        }
        out.append("files:")
        var warnings: [String] = []
        for f in try warehouse.recentFiles(limit: limit) {
            let name = (f.path as NSString).lastPathComponent
            out.append("  [\(f.feed)] \(name) \(f.state): read \(f.recordsRead) = new \(f.recordsNew) + updated \(f.recordsUpdated) + unchanged \(f.recordsUnchanged) + rejected \(f.recordsRejected) + skipped \(f.recordsSkipped)")
            if f.state != "loaded" { warnings.append("\(name): \(f.state): \(f.message ?? "")") }
            if f.isLatestLoadedCopy, let current = mappingHashes[f.feed], current != f.mappingHash {
                warnings.append("\(name): loaded under an earlier version of the \(f.feed) mapping; `onegrid reload --feed \(f.feed)` reprocesses it")
            }
        }
        if !warnings.isEmpty {
            out.append("warnings:")
            out.append(contentsOf: warnings.map { "  " + $0 })
        }
        return out.map(PrintableText.escaped).joined(separator: "\n")
    }
}

import Foundation
import GRDB
import OneGridModel
import OneGridWarehouse

/// The dry-run report for a terminal.
public enum DryRunText {
    public static func render(_ r: DryRunReport) -> String {
        var out: [String] = []
        let sources = r.format == "csv" ? "columns" : "fields"
        out.append("dry-run of feed \(r.feed) (mapping \(r.mappingPath), \(r.mappingHash.prefix(12))): nothing was written"
                   + (r.limit.map { "; at most \($0) records a file" } ?? ""))
        for f in r.files {
            let name = (f.path as NSString).lastPathComponent
            if let failure = f.failure {
                out.append("  \(name): FILE FAILS: \(failure)")
            } else {
                let c = f.counts
                out.append("  \(name) [\(f.encoding ?? "?")\(f.gzip ? ", gzip" : "")]: read \(c.read) = would be new \(c.new) + updated \(c.updated) + unchanged \(c.unchanged) + rejected \(c.rejected) + skipped \(c.skipped)")
            }
            if !f.missingSources.isEmpty { out.append("    \(sources) the mapping names but the file lacks: \(f.missingSources.joined(separator: ", "))") }
            if !f.unusedSources.isEmpty { out.append("    \(sources) the mapping never uses: \(f.unusedSources.joined(separator: ", "))") }
        }
        let t = r.totals
        out.append("total: read \(t.read) = new \(t.new) + updated \(t.updated) + unchanged \(t.unchanged) + rejected \(t.rejected) + skipped \(t.skipped)")
        if !r.rejects.isEmpty {
            out.append("rejects by reason:")
            for g in r.rejects {
                out.append("  \(g.reason): \(g.count)")
                for e in g.examples {
                    out.append("    \((e.file as NSString).lastPathComponent):\(e.line) field '\(e.field ?? "-")'\(e.value.map { " value '\($0)'" } ?? ""): \(e.message)")
                }
            }
        }
        if !r.skips.isEmpty {
            out.append("skipped: " + r.skips.map { "\($0.reason) \($0.count)" }.joined(separator: ", "))
        }
        out.append("field coverage (\(r.events) events; - = the mapping has no rule for it):")
        for c in r.coverage {
            let bar = String(repeating: "█", count: Int((c.share * 20).rounded()))
            out.append("  " + c.field.padding(toLength: 18, withPad: " ", startingAt: 0) + (c.mapped ? " " : "-")
                       + String(format: "%6.1f%% ", c.share * 100) + bar)
        }
        if !r.unmappedValues.isEmpty {
            out.append("values missing from value maps and crosswalks:")
            for u in r.unmappedValues { out.append("  \(u.field): '\(u.value)' × \(u.count)") }
        }
        out.append("places matched: " + r.placeMatches.filter { $0.count > 0 }.map { "\($0.method) \($0.count)" }.joined(separator: ", ")
                   + String(format: "; no grid: %.1f%%", r.noGridShare * 100))
        if !r.samples.isEmpty {
            out.append("sample records:")
            for s in r.samples {
                let parts: [(String, String?)] = [("key", s.sourceKey), ("reported_at", s.reportedAt), ("category", s.category),
                                                  ("status", s.status), ("title", s.title), ("place", s.place), ("grid", s.grid),
                                                  ("match", s.match), ("people", s.people), ("steps", s.steps)]
                out.append("  " + parts.compactMap { k, v in v.flatMap { $0.isEmpty ? nil : "\(k)=\($0)" } }.joined(separator: " | "))
            }
        }
        return out.joined(separator: "\n")
    }
}

/// `onegrid status`: recent runs, files with their counts and state, warnings.
public enum StatusReport {
    public static func render(warehouse: Warehouse, limit: Int, mappingHashes: [String: String] = [:]) throws -> String {
        try warehouse.read { db in
            var out: [String] = []
            let counts = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM person), (SELECT count(*) FROM incident),
                       (SELECT count(*) FROM reject), (SELECT count(*) FROM grid), (SELECT count(*) FROM std_address)
                """)!
            out.append("warehouse \(warehouse.path): events \(counts[0] as Int), people \(counts[1] as Int), incidents \(counts[2] as Int), rejects \(counts[3] as Int), grids \(counts[4] as Int), standard addresses \(counts[5] as Int)")
            out.append("last runs:")
            for r in try Row.fetchAll(db, sql: "SELECT id, command, started_at, finished_at, state, files_loaded, files_failed, files_skipped FROM run ORDER BY id DESC LIMIT 5") {
                let started = Timestamp(seconds: r[2]).beijingText
                out.append("  #\(r[0] as Int64) \(r[1] as String) \(started) \(r[4] as String): loaded \(r[5] as Int), failed \(r[6] as Int), already loaded \(r[7] as Int)")
            }
            out.append("files:")
            var warnings: [String] = []
            for f in try Row.fetchAll(db, sql: """
                SELECT feed, path, state, records_read, records_new, records_updated, records_unchanged, records_rejected,
                       records_skipped, message, mapping_hash,
                       coalesce(f.id = (SELECT max(g.id) FROM source_file g WHERE g.sha256 = f.sha256 AND g.state = 'loaded'), 0)
                FROM source_file f ORDER BY id DESC LIMIT ?
                """, arguments: [limit]) {
                let name = ((f[1] as String) as NSString).lastPathComponent
                out.append("  [\(f[0] as String)] \(name) \(f[2] as String): read \(f[3] as Int) = new \(f[4] as Int) + updated \(f[5] as Int) + unchanged \(f[6] as Int) + rejected \(f[7] as Int) + skipped \(f[8] as Int)")
                if (f[2] as String) != "loaded" { warnings.append("\(name): \(f[2] as String): \((f[9] as String?) ?? "")") }
                if f[11] as Bool, let current = mappingHashes[f[0]], current != (f[10] as String) {
                    warnings.append("\(name): loaded under an earlier version of the \(f[0] as String) mapping; `onegrid reload --feed \(f[0] as String)` reprocesses it")
                }
            }
            if !warnings.isEmpty {
                out.append("warnings:")
                out.append(contentsOf: warnings.map { "  " + $0 })
            }
            return out.joined(separator: "\n")
        }
    }
}

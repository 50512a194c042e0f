import Foundation
import GRDB
import OneGridModel
import OneGridWarehouse

/// The dry-run report for a terminal.
public enum DryRunText {
    public static func render(_ r: DryRunReport) -> String {
        var out: [String] = []
        out.append("dry-run of feed \(r.feed) (mapping \(r.mappingHash.prefix(12))): nothing was written")
        for f in r.files {
            let name = (f.path as NSString).lastPathComponent
            if let failure = f.failure {
                out.append("  \(name): FILE FAILS: \(failure)")
                continue
            }
            let c = f.counts
            out.append("  \(name) [\(f.encoding ?? "?")\(f.gzip ? ", gzip" : "")]: read \(c.read) = would be new \(c.new) + updated \(c.updated) + unchanged \(c.unchanged) + rejected \(c.rejected) + skipped \(c.skipped)")
            if !f.missingColumns.isEmpty { out.append("    columns the mapping names but the file lacks: \(f.missingColumns.joined(separator: ", "))") }
            if !f.unknownColumns.isEmpty { out.append("    columns the mapping never uses: \(f.unknownColumns.joined(separator: ", "))") }
        }
        let t = r.totals
        out.append("total: read \(t.read) = new \(t.new) + updated \(t.updated) + unchanged \(t.unchanged) + rejected \(t.rejected) + skipped \(t.skipped)")
        if !r.rejects.isEmpty {
            out.append("rejects by reason:")
            for g in r.rejects {
                out.append("  \(g.reason): \(g.count)")
                for e in g.examples {
                    out.append("    \((e.file as NSString).lastPathComponent):\(e.line) field '\(e.field ?? "-")': \(e.message)")
                }
            }
        }
        out.append("field coverage:")
        for (field, share) in r.coverage.sorted(by: { $0.key < $1.key }) {
            let bar = String(repeating: "█", count: Int((share * 20).rounded()))
            out.append("  " + field.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%5.1f%% ", share * 100) + bar)
        }
        if !r.unmappedValues.isEmpty {
            out.append("values missing from value maps and crosswalks:")
            for (field, values) in r.unmappedValues.sorted(by: { $0.key < $1.key }) {
                for (value, count) in values.sorted(by: { $0.value > $1.value }) { out.append("  \(field): '\(value)' × \(count)") }
            }
        }
        out.append("places matched: " + r.placeMatches.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                   + String(format: "; no grid: %.1f%%", r.noGridShare * 100))
        if !r.samples.isEmpty {
            out.append("sample records:")
            for s in r.samples {
                out.append("  " + s.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " | "))
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

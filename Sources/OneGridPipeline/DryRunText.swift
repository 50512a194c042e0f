import Foundation
import OneGridPrivacy

/// The dry-run report for a terminal. Every line is escaped as `PrintableText` does: file
/// names and source values cannot split a line or drive the terminal.
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
                out.append("  \(name) [\(f.encoding ?? "?")\(f.gzip ? ", gzip" : "")]: read \(c.read) = would be new \(c.new) + updated \(c.updated) + unchanged \(c.unchanged) + rejected \(c.rejected) + skipped \(c.skipped)"
                           + (f.paddedRows > 0 ? "; \(f.paddedRows) short rows padded with empty cells" : ""))
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
        out.append(contentsOf: r.findingLines)
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
        return out.map(PrintableText.escaped).joined(separator: "\n")
    }
}

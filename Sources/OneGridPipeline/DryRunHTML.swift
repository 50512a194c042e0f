import Foundation
import OneGridModel

/// The dry-run report as one self-contained HTML page: inline CSS and SVG, no script, no
/// network, so it can be mailed or opened from a file share. Same content as the text
/// report, with bar charts for field coverage, reject reasons and place matching, and
/// tables an analyst can scan.
public enum DryRunHTML {
    public static func render(_ r: DryRunReport) -> String {
        var body: [String] = []
        let sources = r.format == "csv" ? "columns" : "fields"
        body.append("<header><h1>Dry-run of feed <code>\(esc(r.feed))</code></h1>")
        body.append("<p class=\"note\">Nothing was written. Mapping <code>\(esc(r.mappingPath))</code> · hash <code>\(esc(String(r.mappingHash.prefix(12))))</code> · format \(esc(r.format))"
                    + (r.limit.map { " · at most \($0) records a file" } ?? "") + "</p></header>")

        // Totals.
        let t = r.totals
        let cards: [(String, Int, String)] = [("read", t.read, "read"), ("would be new", t.new, "new"), ("updated", t.updated, "upd"),
                                              ("unchanged", t.unchanged, "same"), ("rejected", t.rejected, "rej"), ("skipped", t.skipped, "skip")]
        body.append("<section id=\"totals\"><h2>Records</h2><div class=\"cards\">"
                    + cards.map { "<div class=\"card \($0.2)\"><b>\($0.1)</b><span>\(esc($0.0))</span></div>" }.joined()
                    + "</div>" + stackedBar(cards.dropFirst().map { ($0.0, $0.1, $0.2) }) + "</section>")

        // Files.
        var rows: [String] = []
        for f in r.files {
            let name = esc((f.path as NSString).lastPathComponent)
            if let failure = f.failure {
                rows.append("<tr class=\"fail\"><td>\(name)</td><td colspan=\"8\">FILE FAILS: \(esc(failure))</td></tr>")
            } else {
                let c = f.counts
                rows.append("<tr><td>\(name)</td><td>\(esc(f.encoding ?? "?"))\(f.gzip ? ", gzip" : "")</td>"
                            + [c.read, c.new, c.updated, c.unchanged, c.rejected, c.skipped].map { "<td class=\"n\">\($0)</td>" }.joined()
                            + "<td>ok\(f.paddedRows > 0 ? ", \(f.paddedRows) short rows padded" : "")</td></tr>")
            }
        }
        body.append("<section id=\"files\"><h2>Files</h2>" + table(["file", "encoding", "read", "new", "updated", "unchanged", "rejected", "skipped", "state"], rows) + "</section>")

        // Schema: missing and unused sources.
        var schemaRows: [String] = []
        for f in r.files {
            let name = esc((f.path as NSString).lastPathComponent)
            if !f.missingSources.isEmpty {
                schemaRows.append("<tr class=\"warn\"><td>\(name)</td><td>named by the mapping, missing from the file</td><td>\(f.missingSources.map { "<code>\(esc($0))</code>" }.joined(separator: " "))</td></tr>")
            }
            if !f.unusedSources.isEmpty {
                schemaRows.append("<tr><td>\(name)</td><td>in the file, never used by the mapping</td><td>\(f.unusedSources.map { "<code>\(esc($0))</code>" }.joined(separator: " "))</td></tr>")
            }
        }
        body.append("<section id=\"schema\"><h2>Source \(sources)</h2>"
                    + (schemaRows.isEmpty ? "<p>Every \(sources.dropLast()) the mapping names is present and every one present is used.</p>"
                                          : table(["file", "finding", sources], schemaRows)) + "</section>")

        // Rejects.
        if r.rejects.isEmpty {
            body.append("<section id=\"rejects\"><h2>Rejects</h2><p>No record would be rejected.</p></section>")
        } else {
            let examples = r.rejects.flatMap { g in g.examples.map { e in
                "<tr><td><code>\(esc(g.reason))</code></td><td>\(esc((e.file as NSString).lastPathComponent)):\(e.line)</td><td>\(esc(e.field ?? "—"))</td><td><code>\(esc(e.value ?? "—"))</code></td><td>\(esc(e.message))</td></tr>"
            } }
            body.append("<section id=\"rejects\"><h2>Rejects by reason</h2>"
                        + bars(r.rejects.map { ($0.reason, Double($0.count), "\($0.count)") }, cls: "rej")
                        + "<h3>First examples</h3>" + table(["reason", "file:line", "field", "value", "message"], examples) + "</section>")
        }
        if !r.skips.isEmpty {
            body.append("<section id=\"skips\"><h2>Skipped on purpose</h2>"
                        + table(["reason", "rows"], r.skips.map { "<tr><td>\(esc($0.reason))</td><td class=\"n\">\($0.count)</td></tr>" }) + "</section>")
        }

        // Coverage.
        body.append("<section id=\"coverage\"><h2>Field coverage</h2><p class=\"note\">Share of the \(r.events) mapped events where each unified field is filled; grey fields have no rule in the mapping.</p>"
                    + bars(r.coverage.map { ($0.field, $0.share, String(format: "%.1f%%", $0.share * 100)) }, cls: "cov", maximum: 1,
                           muted: Set(r.coverage.filter { !$0.mapped }.map(\.field))) + "</section>")

        // Unmapped values.
        body.append("<section id=\"unmapped\"><h2>Values missing from value maps and crosswalks</h2>"
                    + (r.unmappedValues.isEmpty ? "<p>None.</p>" : table(["field", "value", "records"], r.unmappedValues.map {
                        "<tr><td>\(esc($0.field))</td><td><code>\(esc($0.value))</code></td><td class=\"n\">\($0.count)</td></tr>"
                    })) + "</section>")

        // Dropped values.
        if r.droppedValues.isEmpty {
            body.append("<section id=\"dropped\"><h2>Values dropped</h2><p>No value would be dropped.</p></section>")
        } else {
            let examples = r.droppedValues.flatMap { d in d.examples.map { e in
                "<tr><td>\(esc(d.field))</td><td><code>\(esc(d.reason))</code></td><td>\(esc((e.file as NSString).lastPathComponent)):\(e.line)</td><td><code>\(esc(e.value ?? "—"))</code></td><td>\(esc(e.message))</td></tr>"
            } }
            body.append("<section id=\"dropped\"><h2>Values dropped (<code>on_error: drop_value</code>)</h2>"
                        + "<p class=\"note\">The records load without these values.</p>"
                        + bars(r.droppedValues.map { ("\($0.field) · \($0.reason)", Double($0.count), "\($0.count)") }, cls: "drop")
                        + "<h3>First examples</h3>" + table(["field", "reason", "file:line", "value", "message"], examples) + "</section>")
        }

        // Places.
        let unmatched = r.unmatchedPlaces.map { "<tr><td>\(esc($0.place))</td><td class=\"n\">\($0.count)</td></tr>" }
            + (r.unmatchedPlacesOther > 0 ? ["<tr><td>… other places</td><td class=\"n\">\(r.unmatchedPlacesOther)</td></tr>"] : [])
        body.append("<section id=\"places\"><h2>How places were matched</h2>"
                    + bars(r.placeMatches.map { ($0.method, Double($0.count), "\($0.count)") }, cls: "place")
                    + String(format: "<p><b>%.1f%%</b> of events found no grid.</p>", r.noGridShare * 100)
                    + (unmatched.isEmpty ? "" : "<h3>Places that matched nothing, most frequent first</h3>" + table(["place as written", "events"], unmatched))
                    + "</section>")

        // Samples.
        body.append("<section id=\"samples\"><h2>Sample records (people masked)</h2>"
                    + table(["key", "reported", "category", "status", "title", "place", "grid", "match", "people", "steps"], r.samples.map { s in
                        "<tr>" + [s.sourceKey, s.reportedAt, s.category, s.status, s.title, s.place, s.grid, s.match, s.people, s.steps]
                            .map { "<td>\(esc($0 ?? ""))</td>" }.joined() + "</tr>"
                    }) + "</section>")

        return """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Dry-run: \(esc(r.feed))</title>
        <style>\(css)</style></head>
        <body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    static let css = """
    body{font:14px/1.45 system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d2733}\
    h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d6dde5;padding-bottom:4px}h3{font-size:14px}\
    .note{color:#5b6b7b}code{background:#f1f4f7;padding:0 3px;border-radius:3px}\
    table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e4e9ee;padding:4px 8px;text-align:left;vertical-align:top}\
    th{background:#f6f8fa;position:sticky;top:0}tr:nth-child(even) td{background:#fafbfc}td.n{text-align:right;font-variant-numeric:tabular-nums}\
    tr.fail td{background:#fde8e8;color:#9b1c1c}tr.warn td{background:#fff6e0}\
    .cards{display:flex;gap:10px;flex-wrap:wrap}.card{border:1px solid #d6dde5;border-radius:6px;padding:8px 14px;min-width:96px}\
    .card b{display:block;font-size:22px}.card span{color:#5b6b7b}\
    svg text{font-size:12px;fill:#1d2733}.bar-cov{fill:#2f7dd1}.bar-rej{fill:#d14b2f}.bar-drop{fill:#e08a2f}.bar-place{fill:#3a9d6a}.bar-muted{fill:#c3ccd5}\
    .seg-new{fill:#2f7dd1}.seg-upd{fill:#7a5cd1}.seg-same{fill:#9aa7b4}.seg-rej{fill:#d14b2f}.seg-skip{fill:#e0b23a}
    """

    /// Horizontal bars, one row each: label, bar scaled to `maximum` (default the largest), figure.
    static func bars(_ items: [(String, Double, String)], cls: String, maximum: Double? = nil, muted: Set<String> = []) -> String {
        let rowHeight = 20, labelWidth = 170, barWidth = 560, width = 820
        let top = maximum ?? max(items.map(\.1).max() ?? 1, 1)
        var out = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\(quote(String(items.count * rowHeight + 4))) viewBox=\"0 0 \(width) \(items.count * rowHeight + 4)\">"
        for (i, item) in items.enumerated() {
            let y = i * rowHeight + 2
            let w = top > 0 ? Int((item.1 / top * Double(barWidth)).rounded()) : 0
            let barClass = muted.contains(item.0) ? "bar-muted" : "bar-\(cls)"
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(esc(item.0))</text>"
            out += "<rect class=\"\(barClass)\" x=\"\(labelWidth)\" y=\"\(y + 2)\" width=\"\(max(w, item.1 > 0 ? 1 : 0))\" height=\"\(rowHeight - 6)\"><title>\(esc(item.0)): \(esc(item.2))</title></rect>"
            out += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 13)\">\(esc(item.2))</text>"
        }
        return out + "</svg>"
    }

    /// One bar split into the outcome shares, with a legend.
    static func stackedBar(_ parts: [(String, Int, String)]) -> String {
        let total = parts.map(\.1).reduce(0, +)
        let width = 820
        var x = 0.0
        var out = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\"46\" viewBox=\"0 0 \(width) 46\">"
        for p in parts where total > 0 && p.1 > 0 {
            let w = Double(p.1) / Double(total) * Double(width)
            out += "<rect class=\"seg-\(p.2)\" x=\(quote(String(format: "%.1f", x))) y=\"2\" width=\(quote(String(format: "%.1f", w))) height=\"18\"><title>\(esc(p.0)): \(p.1)</title></rect>"
            x += w
        }
        var lx = 0
        for p in parts {
            out += "<rect class=\"seg-\(p.2)\" x=\"\(lx)\" y=\"30\" width=\"10\" height=\"10\"/><text x=\"\(lx + 14)\" y=\"39\">\(esc(p.0)) \(p.1)</text>"
            lx += 136
        }
        return out + "</svg>"
    }

    static func table(_ headers: [String], _ rows: [String]) -> String {
        "<table><thead><tr>" + headers.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead><tbody>"
            + rows.joined(separator: "\n") + "</tbody></table>"
    }

    static func quote(_ s: String) -> String { "\"\(s)\"" }

    static func esc(_ s: String) -> String { HTMLText.escaped(s) }
}

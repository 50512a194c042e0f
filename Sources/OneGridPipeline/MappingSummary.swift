import Foundation
import OneGridMapping

/// What `onegrid mapping check` prints for a mapping that compiled: what it reads, what it
/// fills, which files it depends on and its version hash.
public enum MappingSummary {
    public static func render(_ m: Mapping) -> String {
        var out: [String] = []
        out.append("\(m.path): ok")
        var format = "feed \(m.feed)" + (m.description.map { " (\($0))" } ?? "") + ", \(m.format.rawValue)"
        format += ", encoding " + (m.readOptions.encoding.map { $0 == .utf8 ? "utf-8" : "gb18030" } ?? "auto")
        if m.format == .csv { format += ", delimiter '\(m.readOptions.delimiter == 9 ? "\\t" : String(UnicodeScalar(m.readOptions.delimiter)))'" }
        if m.format == .xml { format += ", records at \(m.readOptions.xmlRecordPath)" }
        out.append(format)
        if m.format.addressing == .columns {
            let required = m.columns.filter(\.required).map(\.name)
            out.append("columns read: \(m.columns.count) (required in every file: \(required.isEmpty ? "none" : required.joined(separator: ", ")))")
            for c in m.columns where !c.aliases.isEmpty {
                out.append("  \(c.name) also accepts \(c.aliases.joined(separator: ", "))")
            }
        } else {
            out.append("paths read: \(m.sourcePaths.map(m.pathText).joined(separator: ", "))")
        }
        var seen = Set<String>()
        out.append("fills: \(m.targetNames.filter { seen.insert($0).inserted }.joined(separator: ", "))")
        if !m.skipRows.isEmpty {
            out.append("skips rows matching: " + m.skipRows.map { "\($0.patternText) (\($0.reason))" }.joined(separator: "; "))
        }
        if m.format.addressing == .columns {
            out.append("schema drift: missing required column → \(m.driftPolicy.missingRequired.rawValue), unknown column → \(m.driftPolicy.unknown.rawValue)")
        }
        if m.inputFiles.count > 1 {
            out.append("code tables: " + m.inputFiles.dropFirst().map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))
        }
        out.append("mapping hash: \(m.hash)")
        return out.joined(separator: "\n")
    }
}

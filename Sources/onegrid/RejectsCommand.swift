import ArgumentParser
import Foundation
import OneGridExport
import OneGridMapping
import OneGridModel
import OneGridPipeline
import OneGridPrivacy

/// A reason is given by its stored code; a code this build does not list still filters.
extension RejectReason: ExpressibleByArgument {
    public init?(argument: String) { self.init(code: argument) }
}

/// `onegrid rejects`: the standing rejects, listed or written out for correction.
struct Rejects: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List rejected records with their reason, position and raw record (needs the key file).",
        subcommands: [RejectsReplay.self])
    @OptionGroup var location: WarehouseOptions
    @Option(help: "Only rejects of this feed.") var feed: String?
    @Option(help: "Only rejects of files whose path ends with this.") var file: String?
    @Option(help: "Only this reason code (e.g. invalid_datetime, invalid_json).") var reason: RejectReason?
    @Option(help: "At most this many.") var limit: Int = 50
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Write the rejects (all that match, --limit ignored) to this CSV file (mode 0600) for correction and re-submission.")
    var out: String?
    @Option(help: "masked (default: names and identifiers in raw records and messages masked) or clear (raw records whole; needs the key file).")
    var pii: PIILevel = .masked
    @OptionGroup var folders: MappingFolderOptions

    /// Each feed's mapping where one can be read: its party name rules find the names to mask.
    func mappings() -> [String: Mapping] {
        var out: [String: Mapping] = [:]
        for (_, path) in folders.catalog.allPaths() {
            if let mapping = try? Mapping.load(path: path), out[mapping.feed] == nil { out[mapping.feed] = mapping }
        }
        return out
    }

    func validate() throws {
        guard pii != .token else { throw ValidationError("--pii is masked or clear for rejects") }
    }

    func run() throws {
        try failingAs("rejects") {
            let list = RejectList(workspace: try Workspace.open(location.paths))
            if let out {
                let sheet = RejectSheet.table(try list.entries(feed: feed, file: file, reason: reason, limit: nil, clear: pii == .clear,
                                                               mappings: mappings()))
                // The raw records hold what the departments sent: the owner's only, whatever --pii says.
                let writer = try CSVTableWriter(path: out, permissions: .ownerOnly)
                try writer.begin(columns: sheet.columns)
                for row in sheet.rows { try writer.write(row: row.map(ExportValue.text)) }
                _ = try writer.finish()
                print("\(sheet.rows.count) rejects written to \(PrintableText.escaped(out))")
                return
            }
            let entries = try list.entries(feed: feed, file: file, reason: reason, limit: limit, clear: pii == .clear,
                                           mappings: mappings())
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(entries), as: UTF8.self))
                return
            }
            for e in entries {
                print(PrintableText.escaped("\(e.file):\(e.line): \(e.reason)\(e.field.map { " field '\($0)'" } ?? ""): \(e.message)"))
                print("    \(e.raw.replacingOccurrences(of: "\n", with: "\n    "))")
            }
            if entries.isEmpty { print("no rejects") }
        }
    }
}

import ArgumentParser
import Foundation
import OneGridExport
import OneGridPipeline
import OneGridPrivacy

/// The renderings of a dry-run report.
enum DryRunFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
    case html
}

/// `onegrid dry-run`: the import path without writing.
struct DryRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Read, map and resolve files exactly as an import would, and write nothing.",
        discussion: "--format html needs --out: one self-contained page with charts. The JSON shape is documented in Mappings/README.md.")
    @OptionGroup var location: WarehouseOptions
    @OptionGroup var feedOptions: MappingOptions
    @Option(help: "text, json or html.") var format: DryRunFormat = .text
    @Option(help: "Write the report to this file instead of standard output (required for html).") var out: String?
    @Option(help: "Stop after N records per file.") var limit: Int?
    @Argument(help: "Files to read.") var files: [String]

    func validate() throws {
        if format == .html && out == nil { throw ValidationError("--format html needs --out FILE.html") }
        if let limit, limit < 1 { throw ValidationError("--limit is a positive number of records") }
    }

    func run() throws {
        try failingAs("dry-run") {
            let report = try DryRun(mapping: try feedOptions.load(), paths: location.paths).run(files: files, limit: limit)
            let text: String
            switch format {
            case .json: text = String(decoding: try JSONEncoder.pretty.encode(report), as: UTF8.self) + "\n"
            case .html: text = DryRunHTML.render(report)
            case .text: text = DryRunText.render(report) + "\n"
            }
            if let out {
                // Atomic, never through a planted link, the owner's only: a report quotes source values.
                _ = try OutputFile.write(Array(text.utf8), to: out, permissions: .ownerOnly)
                print("dry-run report written to \(PrintableText.escaped(out)) (read \(report.totals.read), would be new \(report.totals.new), updated \(report.totals.updated), unchanged \(report.totals.unchanged), rejected \(report.totals.rejected), skipped \(report.totals.skipped))")
            } else {
                print(text, terminator: "")
            }
            if report.files.contains(where: { $0.failure != nil }) { throw Exit.filesFailed }
        }
    }
}

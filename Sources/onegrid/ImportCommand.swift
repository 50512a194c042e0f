import ArgumentParser
import Foundation
import OneGridPipeline

/// `onegrid import`: files of one feed, one transaction each.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import files of one feed, one transaction per file.",
        discussion: "Files already loaded (same SHA-256) are skipped unless --force. Prints one reconciliation line per file.")
    @OptionGroup var location: WarehouseOptions
    @OptionGroup var feedOptions: MappingOptions
    @Flag(help: "Reload files even if already loaded (the result is identical).") var force = false
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @Argument(help: "Files to import (plain or gzip).") var files: [String]

    func run() throws {
        try failingAs("import") {
            let mapping = try feedOptions.load()
            let workspace = try Workspace.open(location.paths)
            let results = try ImportJob(workspace: workspace, mapping: mapping).run(files: files, force: force, command: "import")
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(results), as: UTF8.self))
            } else {
                for r in results { print(r.reconciliationLine) }
            }
            if results.contains(where: { $0.state == .failed || $0.state == .overThreshold }) { throw Exit.filesFailed }
        }
    }
}

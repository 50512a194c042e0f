import ArgumentParser
import Foundation
import OneGridPipeline
import OneGridPrivacy

/// `onegrid rejects replay`: stored rejects through the import loop again.
struct RejectsReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-map the stored raw records of the rejects under the current mapping; load those that now pass.",
        discussion: """
        Records that still fail stay rejects (with the current reason). Each file's reconciliation is updated. \
        With a configuration (--config, or ./onegrid.yaml when it exists) its warehouse and feeds are used; \
        without one, --warehouse and the mappings found in the mapping folders.
        """)
    @Option(help: "The configuration file (default: ./onegrid.yaml when it exists).") var config: String?
    @OptionGroup var location: WarehouseOptions
    @OptionGroup var folders: MappingFolderOptions
    @Option(help: "Only this feed (default: every configured feed, or every feed holding rejects).") var feed: String?
    @Flag(help: "Print the outcome as JSON on stdout.") var json = false

    func run() throws {
        try failingAs("rejects replay") {
            let setup = try FeedSetup(config: config, warehouse: location.warehouse, catalog: folders.catalog)
            let workspace = try Workspace.open(setup.paths)
            let mappings = try setup.replayMappings(feed: feed, warehouse: workspace.warehouse)
            let outcomes = try RejectReplay(workspace: workspace, mappings: mappings).execute()
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(outcomes), as: UTF8.self))
            } else {
                for o in outcomes {
                    print("\(PrintableText.escaped((o.file as NSString).lastPathComponent)): replayed \(o.replayed) = new \(o.new) + updated \(o.updated) + unchanged \(o.unchanged) + still rejected \(o.stillRejected)")
                }
                if outcomes.isEmpty { print("no rejects to replay") }
            }
        }
    }
}

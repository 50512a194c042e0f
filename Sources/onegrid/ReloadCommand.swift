import ArgumentParser
import OneGridPipeline

/// `onegrid reload`: a feed's files again under its current mapping.
struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reprocess a feed's files under its current mapping (after the mapping changed).",
        discussion: """
        With a configuration (--config, or ./onegrid.yaml when it exists) the warehouse and the feed's mapping come \
        from it, and a file no longer at its logged path is looked for in the feed's inbox and archive folder. \
        Without one, the warehouse is --warehouse and the mapping is found in the mapping folders; files are read \
        from where they were loaded.
        """)
    @Option(help: "The configuration file (default: ./onegrid.yaml when it exists).") var config: String?
    @OptionGroup var location: WarehouseOptions
    @OptionGroup var folders: MappingFolderOptions
    @Option(help: "The feed to reprocess.") var feed: String
    @Flag(help: "Reprocess every loaded file of the feed, not only those loaded under another mapping.") var all = false
    @OptionGroup var output: RunOutputOptions

    func run() throws {
        try failingAs("reload") {
            let setup = try FeedSetup(config: config, warehouse: location.warehouse, catalog: folders.catalog)
            let (mapping, searchFolders) = try setup.feed(feed)
            var reload = FeedReload(workspace: try Workspace.open(setup.paths), mapping: mapping)
            reload.searchFolders = searchFolders
            reload.all = all
            reload.onEvent = output.reporter()
            let summary = try reload.execute()
            try output.printSummary(summary)
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
        }
    }
}

import ArgumentParser
import Foundation
import OneGridMapping
import OneGridPipeline
import OneGridWarehouse

/// `onegrid status`: runs, files and warnings, or a content digest.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the last runs, files and warnings.",
        discussion: "With --config (or ./onegrid.yaml), the warehouse and the feeds' current mappings come from it, and files loaded under an earlier mapping are warned about; otherwise the mappings found in the mapping folders are used.")
    @OptionGroup var location: WarehouseOptions
    @Option(help: "How many files to list.") var limit: Int = 20
    @Option(help: "The run configuration (default: ./onegrid.yaml when it exists).") var config: String?
    @OptionGroup var folders: MappingFolderOptions
    @Flag(help: "Print a content digest per table instead (rows and SHA-256, surrogate ids replaced by natural keys), to compare warehouses.")
    var digest = false

    func run() throws {
        try failingAs("status") {
            if digest {
                let workspace = try Workspace.open(location.paths)
                for t in try WarehouseDigest.compute(workspace.warehouse) { print("\(t.name) \(t.rows) \(t.sha256)") }
                return
            }
            var paths = location.paths
            var hashes: [String: String] = [:]
            let configPath = config ?? (FileManager.default.fileExists(atPath: "onegrid.yaml") ? "onegrid.yaml" : nil)
            if let configPath {
                let configuration = try RunConfiguration.load(path: configPath)
                if location.warehouse == nil { paths = configuration.workspacePaths }
                for feed in configuration.feeds { hashes[feed.name] = try Mapping.load(path: feed.mapping).hash }
            } else {
                for (_, path) in folders.catalog.allPaths() {
                    if let mapping = try? Mapping.load(path: path), hashes[mapping.feed] == nil { hashes[mapping.feed] = mapping.hash }
                }
            }
            let workspace = try Workspace.open(paths)
            print(try StatusReport.render(warehouse: workspace.warehouse, limit: limit, mappingHashes: hashes))
            // What `onegrid publish` sends under, and how far the warehouse's changes run.
            print("origin \(try workspace.warehouse.originID()); changes through \(try workspace.warehouse.lastChange())")
        }
    }
}

import ArgumentParser
import Foundation
import OneGridPipeline

/// `onegrid demo`: a whole day of work in one command.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate sample feeds, build a warehouse, load everything, print a summary and write an export.")
    @Option(help: "Working folder for the demo's files.") var out: String = "demo"
    @Option(help: "Take the sample files from this folder (with reference/, hotline/, petition/, patrol/, citymgmt/) instead of generating them.")
    var sampleData: String?
    @OptionGroup var folders: MappingFolderOptions
    @Option(help: "Seed of the generated samples.") var seed: UInt64 = 20_200_623
    @Option(help: "Hotline work orders to generate.") var records: Int = 150

    func run() throws {
        try failingAs("demo") {
            let job = DemoJob(directory: out, sampleData: sampleData, mappings: folders.catalog, seed: seed, records: records)
            let outcome = try job.run(log: { print($0) })
            print(try StatusReport.render(warehouse: outcome.workspace.warehouse, limit: 0))
            let exportPath = (out as NSString).appendingPathComponent("events.csv")
            let rows = try DemoExport.events(workspace: outcome.workspace, to: exportPath)
            print("export: \(rows) events → \(exportPath) (UTF-8 with BOM, people masked)")
            if outcome.results.contains(where: { $0.state == .failed && !$0.path.contains("truncated") }) { throw Exit.filesFailed }
        }
    }
}

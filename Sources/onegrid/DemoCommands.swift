import ArgumentParser
import Foundation
import OneGridPipeline
import OneGridSamples

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate sample feeds, build a warehouse, load everything, print a summary and write an export.")
    @Option(help: "Working folder for the demo's files.") var out: String = "demo"
    @Option(help: "Take the sample files from this folder (with reference/, hotline/, petition/, patrol/, citymgmt/) instead of generating them.")
    var sampleData: String?
    @Option(help: "The folder of mapping files.") var mappings: String?
    @Option(help: "Seed of the generated samples.") var seed: UInt64 = 20_200_623
    @Option(help: "Hotline work orders to generate.") var records: Int = 150

    func run() throws {
        let job = DemoJob(directory: out, sampleData: sampleData, mappings: MappingCatalog(folder: mappings), seed: seed, records: records)
        let outcome = try job.run(log: { print($0) })
        print(try StatusReport.render(warehouse: outcome.workspace.warehouse, limit: 0))
        let exportPath = (out as NSString).appendingPathComponent("events.csv")
        let rows = try DemoExport.events(workspace: outcome.workspace, to: exportPath)
        print("export: \(rows) events → \(exportPath) (UTF-8 with BOM, people masked)")
        if outcome.results.contains(where: { $0.state == .failed && !$0.path.contains("truncated") }) { throw Exit.filesFailed }
    }
}

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write deterministic sample feeds with the departments' quirks, reference data and ground truth.")
    @Option(help: "Output folder.") var out: String
    @Option(help: "Seed: the same seed writes the same bytes (default: the variant's own, 20200623 for tuned).") var seed: UInt64?
    @Option(help: "Hotline work orders (petitions and patrol tickets scale with it).") var records: Int = 150
    @Option(help: "Days of daily files.") var days: Int = 3
    @Option(help: "Vocabulary: tuned (what SampleData holds and the rules were tuned on) or held-out (other wording, address, name and phone habits; kept out of tuning).")
    var variant: String = SampleVariant.tuned.rawValue
    @Flag(help: "Gzip every feed file.") var gzip = false
    @Option(help: "Petitions (default: a fifth of --records, at least 10).") var petitions: Int?
    @Option(help: "Patrol tickets (default: half of --records, at least 20).") var patrolTickets: Int?
    @Option(help: "Size of every petition attachment in bytes before base64 (default: small, 0.3–1.5 KB).") var attachmentBytes: Int?
    @Option(help: "Share of petitions carrying attachments (0…1).") var attachmentRate: Double = 0.12
    @Option(help: "Registry size: about 448 × N standard addresses (default: from the volume, at most one event an address a month).")
    var registryScale: Int?

    func run() throws {
        guard let variant = SampleVariant(rawValue: variant) else {
            throw ValidationError("--variant: expected one of \(SampleVariant.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var options = FeedSampleOptions(seed: seed ?? variant.defaultSeed, days: days)
        options.variant = variant
        options.hotlineRecords = records
        options.petitionRecords = petitions ?? max(10, records / 5)
        options.patrolRecords = patrolTickets ?? max(20, records / 2)
        options.gzipAll = gzip
        options.attachmentBytes = attachmentBytes
        options.attachmentRate = attachmentRate
        options.registryScale = registryScale
        let summary = try SampleDataset.write(to: out, options: options)
        print("wrote \(summary.files.count) files to \(out): hotline rows \(summary.hotlineRows), petitions \(summary.petitionElements), patrol lines \(summary.patrolLines), incidents \(summary.incidents), registry scale \(options.effectiveRegistryScale)")
    }
}

import ArgumentParser
import OneGridSamples

extension SampleVariant: ExpressibleByArgument {}

/// `onegrid sample`: deterministic sample feeds and reference data.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write deterministic sample feeds with the departments' quirks, reference data and ground truth.")
    @Option(help: "Output folder.") var out: String
    @Option(help: "Seed: the same seed writes the same bytes (default: the variant's own, 20200623 for tuned).") var seed: UInt64?
    @Option(help: "Hotline work orders (petitions and patrol tickets scale with it).") var records: Int = 150
    @Option(help: "Days of daily files.") var days: Int = 3
    @Option(help: "Vocabulary: tuned (what SampleData holds and the rules were tuned on) or held-out (other wording, address, name and phone habits; kept out of tuning).")
    var variant: SampleVariant = .tuned
    @Flag(help: "Gzip every feed file.") var gzip = false
    @Option(help: "Petitions (default: a fifth of --records, at least 10).") var petitions: Int?
    @Option(help: "Patrol tickets (default: half of --records, at least 20).") var patrolTickets: Int?
    @Option(help: "Size of every petition attachment in bytes before base64 (default: small, 0.3–1.5 KB).") var attachmentBytes: Int?
    @Option(help: "Share of petitions carrying attachments (0…1).") var attachmentRate: Double = 0.12
    @Option(help: "Registry size: about 448 × N standard addresses (default: from the volume, at most one event an address a month).")
    var registryScale: Int?

    func run() throws {
        var options = FeedSampleOptions(seed: seed ?? variant.defaultSeed, days: days)
        options.variant = variant
        options.hotlineRecords = records
        options.petitionRecords = petitions ?? max(10, records / 5)
        options.patrolRecords = patrolTickets ?? max(20, records / 2)
        options.gzipAll = gzip
        options.attachmentBytes = attachmentBytes
        options.attachmentRate = attachmentRate
        options.registryScale = registryScale
        let summary = try failingAs("sample") { try SampleDataset.write(to: out, options: options) }
        print("wrote \(summary.files.count) files to \(out): hotline rows \(summary.hotlineRows), petitions \(summary.petitionElements), patrol lines \(summary.patrolLines), incidents \(summary.incidents), registry scale \(options.effectiveRegistryScale)")
    }
}

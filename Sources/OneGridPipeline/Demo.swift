import Foundation
import OneGridMapping
import OneGridSamples

/// `onegrid demo`: a whole day of work in one command, for a newcomer: sample files (made,
/// or taken from a folder), a fresh warehouse, reference data, every feed imported.
public struct DemoJob {
    public var directory: String
    public var sampleData: String?
    public var mappings: MappingCatalog
    public var seed: UInt64
    public var records: Int

    /// The feeds the demo imports, with the folder their sample files sit in.
    public static let feeds = [("hotline12345", "hotline"), ("petition", "petition"), ("patrol", "patrol"), ("citymgmt", "citymgmt")]

    public init(directory: String, sampleData: String?, mappings: MappingCatalog, seed: UInt64 = 20_200_623, records: Int = 150) {
        self.directory = directory
        self.sampleData = sampleData
        self.mappings = mappings
        self.seed = seed
        self.records = records
    }

    /// What the demo did.
    public struct Outcome {
        public var workspace: Workspace
        public var reference: (divisions: Int, grids: Int, addresses: Int, workers: Int)
        public var results: [FileResult]
        public var dataFolder: String
    }

    /// The export files of a sample folder (not its README or generator script), by name.
    static func feedFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            .filter { name in !name.hasPrefix(".") && ![".md", ".py"].contains { name.hasSuffix($0) } }
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    public func run(log: (String) -> Void) throws -> Outcome {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data: String
        if let sampleData {
            data = sampleData
            log("using sample files in \(sampleData)")
        } else {
            data = (directory as NSString).appendingPathComponent("data")
            try? fm.removeItem(atPath: data)
            var options = FeedSampleOptions(seed: seed)
            options.hotlineRecords = records
            options.petitionRecords = max(10, records / 5)
            options.patrolRecords = max(20, records / 2)
            let summary = try SampleDataset.write(to: data, options: options)
            log("generated \(summary.files.count) sample files in \(data) (seed \(seed))")
        }
        let warehousePath = (directory as NSString).appendingPathComponent("onegrid.sqlite")
        for suffix in ["", "-wal", "-shm", ".address-index"] { try? fm.removeItem(atPath: warehousePath + suffix) }
        let paths = WorkspacePaths(warehouse: warehousePath, keyFile: (directory as NSString).appendingPathComponent("onegrid.key"))
        let workspace = try Workspace.initialise(paths).workspace
        log("warehouse \(warehousePath)")
        let refCounts = try ReferenceImporter(workspace: workspace)
            .load(.init(folder: (data as NSString).appendingPathComponent("reference")))
        log("reference: divisions \(refCounts.divisions), grids \(refCounts.grids), boundaries \(refCounts.boundaries), addresses \(refCounts.addresses), workers \(refCounts.workers)")
        var results: [FileResult] = []
        for (feed, folder) in Self.feeds {
            // A feed without a mapping fails the demo, naming where it looked: loading the
            // other feeds alone would look like success.
            let mappingPath = try mappings.path(feed: feed)
            let mapping = try Mapping.load(path: mappingPath)
            var feedFolder = (data as NSString).appendingPathComponent(folder)
            // Feeds the generator does not make (citymgmt) come from the committed samples
            // beside the folder the mapping was found in.
            let folderOfMapping = (mappingPath as NSString).deletingLastPathComponent
            let committed = (((folderOfMapping as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("SampleData") as NSString).appendingPathComponent(folder)
            if !fm.fileExists(atPath: feedFolder) && fm.fileExists(atPath: committed) {
                feedFolder = committed
                log("\(feed): sample files from \(committed)")
            }
            let files = Self.feedFiles(in: feedFolder)
            guard !files.isEmpty else { log("no sample files for feed \(feed) in \(feedFolder); skipped"); continue }
            let fileResults = try ImportJob(workspace: workspace, mapping: mapping).run(files: files, force: false, command: "demo")
            for r in fileResults { log(r.reconciliationLine) }
            results += fileResults
        }
        return Outcome(workspace: workspace, reference: (refCounts.divisions, refCounts.grids, refCounts.addresses, refCounts.workers),
                       results: results, dataFolder: data)
    }
}

import ArgumentParser
import Foundation
import OneGridExport
import OneGridMapping
import OneGridModel
import OneGridPipeline
import OneGridPrivacy
import OneGridWarehouse

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the warehouse and its PII key file.")
    @OptionGroup var location: WarehouseOptions

    func run() throws {
        do {
            let (workspace, created) = try Workspace.initialise(location.paths)
            print("warehouse: \(workspace.paths.warehouse)")
            print("key file:  \(workspace.paths.keyFile)\(created ? " (created, mode 0600: keep it safe and out of the warehouse's backups)" : " (existing)")")
            print("key fingerprint: \(workspace.key.fingerprint)")
        } catch {
            complain("onegrid init: \(error)")
            throw Exit.configuration
        }
    }
}

struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reference registers.", subcommands: [Load.self])

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load divisions, grids, boundaries, standard addresses and the worker roster.",
            discussion: "Give a folder holding nanjing-divisions.csv, grids.csv, grids.geojson, addresses.csv and grid_workers.csv, or the files one by one. Reloading updates in place.")
        @OptionGroup var location: WarehouseOptions
        @Argument(help: "A folder with the registers under their usual names.") var folder: String?
        @Option var divisions: String?
        @Option var grids: String?
        @Option var boundaries: String?
        @Option var addresses: String?
        @Option var workers: String?

        func run() throws {
            var files = folder.map(ReferenceImporter.Files.init(folder:)) ?? ReferenceImporter.Files()
            if let divisions { files.divisions = divisions }
            if let grids { files.grids = grids }
            if let boundaries { files.boundaries = boundaries }
            if let addresses { files.addresses = addresses }
            if let workers { files.workers = workers }
            guard !files.isEmpty else { throw ValidationError("no reference file given or found") }
            do {
                let workspace = try Workspace.open(location.paths)
                let c = try ReferenceImporter(workspace: workspace).load(files)
                print("divisions \(c.divisions), grids \(c.grids), boundaries \(c.boundaries), addresses \(c.addresses), workers \(c.workers)")
            } catch {
                complain("onegrid reference load: \(error)")
                throw Exit.configuration
            }
        }
    }
}

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
        let mapping: Mapping
        let workspace: Workspace
        do {
            mapping = try Mapping.load(path: feedOptions.mappingPath)
            workspace = try Workspace.open(location.paths)
        } catch {
            complain("onegrid import: \(error)")
            throw Exit.configuration
        }
        let results = try ImportJob(workspace: workspace, mapping: mapping).run(files: files, force: force, command: "import")
        if json {
            print(String(decoding: try JSONEncoder.pretty.encode(results), as: UTF8.self))
        } else {
            for r in results { print(r.reconciliationLine) }
        }
        if results.contains(where: { $0.state == .failed || $0.state == .overThreshold }) { throw Exit.filesFailed }
    }
}

struct DryRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Read, map and resolve files exactly as an import would, and write nothing.",
        discussion: "--format html needs --out: one self-contained page with charts. The JSON shape is documented in Mappings/README.md.")
    @OptionGroup var location: WarehouseOptions
    @OptionGroup var feedOptions: MappingOptions
    @Option(help: "text, json or html.") var format: String = "text"
    @Option(help: "Write the report to this file instead of standard output (required for html).") var out: String?
    @Option(help: "Stop after N records per file.") var limit: Int?
    @Argument(help: "Files to read.") var files: [String]

    func validate() throws {
        guard ["text", "json", "html"].contains(format) else { throw ValidationError("--format is text, json or html") }
        if format == "html" && out == nil { throw ValidationError("--format html needs --out FILE.html") }
        if let limit, limit < 1 { throw ValidationError("--limit is a positive number of records") }
    }

    func run() throws {
        let mapping: Mapping
        do { mapping = try Mapping.load(path: feedOptions.mappingPath) } catch {
            complain("onegrid dry-run: \(error)")
            throw Exit.configuration
        }
        let report = try DryRun(mapping: mapping, paths: location.paths).run(files: files, limit: limit)
        let text: String
        switch format {
        case "json": text = String(decoding: try JSONEncoder.pretty.encode(report), as: UTF8.self) + "\n"
        case "html": text = DryRunHTML.render(report)
        default: text = DryRunText.render(report) + "\n"
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

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the last runs, files and warnings.",
        discussion: "With --config (or ./onegrid.yaml), the warehouse and the feeds' current mappings come from it, and files loaded under an earlier mapping are warned about; otherwise the mappings in --mappings are used.")
    @OptionGroup var location: WarehouseOptions
    @Option(help: "How many files to list.") var limit: Int = 20
    @Option(help: "The run configuration (default: ./onegrid.yaml when it exists).") var config: String?
    @Option(help: "The folder of mapping files (default: $ONEGRID_MAPPINGS or ./Mappings).") var mappings: String?
    @Flag(help: "Print a content digest per table instead (rows and SHA-256, surrogate ids replaced by natural keys), to compare warehouses.")
    var digest = false

    func run() throws {
        do {
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
                let catalog = MappingCatalog(folder: mappings)
                let files = (try? FileManager.default.contentsOfDirectory(atPath: catalog.folder)) ?? []
                let feeds = files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
                for feed in feeds {
                    if let mapping = try? Mapping.load(path: catalog.path(feed: feed)) { hashes[mapping.feed] = mapping.hash }
                }
            }
            let workspace = try Workspace.open(paths)
            print(try StatusReport.render(warehouse: workspace.warehouse, limit: limit, mappingHashes: hashes))
        } catch {
            complain("onegrid status: \(error)")
            throw Exit.configuration
        }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

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
    @Option(help: "The folder of mapping files, whose name columns are masked (default: $ONEGRID_MAPPINGS or ./Mappings).")
    var mappings: String?

    /// Each feed's name columns, from its mapping where one can be read.
    func personNameColumns() -> [String: Set<String>] {
        let catalog = MappingCatalog(folder: mappings)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: catalog.folder)) ?? []
        var columns: [String: Set<String>] = [:]
        for name in files where name.hasSuffix(".yaml") {
            if let mapping = try? Mapping.load(path: catalog.path(feed: String(name.dropLast(5)))) {
                columns[mapping.feed, default: []].formUnion(mapping.personNameColumns)
            }
        }
        return columns
    }

    func validate() throws {
        guard pii != .token else { throw ValidationError("--pii is masked or clear for rejects") }
    }

    func run() throws {
        let workspace: Workspace
        do { workspace = try Workspace.open(location.paths) } catch {
            complain("onegrid rejects: \(error)")
            throw Exit.configuration
        }
        let list = RejectList(workspace: workspace)
        if let out {
            let sheet = RejectSheet.table(try list.entries(feed: feed, file: file, reason: reason, limit: nil, clear: pii == .clear,
                                                                    personNameColumns: personNameColumns()))
            // The raw records hold what the departments sent: the owner's only, whatever --pii says.
            let writer = try CSVTableWriter(path: out, permissions: .ownerOnly)
            try writer.begin(columns: sheet.columns)
            for row in sheet.rows { try writer.write(row: row.map(ExportValue.text)) }
            _ = try writer.finish()
            print("\(sheet.rows.count) rejects written to \(PrintableText.escaped(out))")
            return
        }
        let entries = try list.entries(feed: feed, file: file, reason: reason, limit: limit, clear: pii == .clear,
                                       personNameColumns: personNameColumns())
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

/// A reason is given by its stored code; a code this build does not list still filters.
extension RejectReason: ExpressibleByArgument {
    public init?(argument: String) { self.init(code: argument) }
}

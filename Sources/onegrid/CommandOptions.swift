import ArgumentParser
import Foundation
import Logging
import OneGridMapping
import OneGridPipeline
import OneGridPrivacy
#if canImport(Glibc)
import Glibc
#endif

/// Options every command that touches the warehouse takes.
struct WarehouseOptions: ParsableArguments {
    @Option(name: .long, help: "The warehouse file (default: $ONEGRID_WAREHOUSE or ./onegrid.sqlite).")
    var warehouse: String?

    var paths: WorkspacePaths { WorkspacePaths(warehouse: warehouse) }
}

/// Where mapping files are searched: the folder given first, then the catalog's places.
struct MappingFolderOptions: ParsableArguments {
    @Option(name: .long, help: "A folder of mapping files, searched first (then $ONEGRID_MAPPINGS, ./Mappings, and Mappings or ../share/onegrid/Mappings beside the binary).")
    var mappings: String?

    var catalog: MappingCatalog { MappingCatalog(folder: mappings) }
}

/// The mapping of one feed: `--feed NAME` (found through the catalog) or `--mapping FILE`.
struct MappingOptions: ParsableArguments {
    @Option(name: .long, help: "A feed name: NAME.yaml in the mapping folders.")
    var feed: String?

    @Option(name: .long, help: "A mapping file, instead of --feed.")
    var mapping: String?

    @OptionGroup var folders: MappingFolderOptions

    func validate() throws {
        guard (feed == nil) != (mapping == nil) else {
            throw ValidationError("give exactly one of --feed NAME or --mapping FILE")
        }
    }

    /// The mapping file; fails naming every folder searched when none holds the feed.
    func mappingPath() throws -> String {
        if let mapping { return mapping }
        return try folders.catalog.path(feed: feed!)
    }

    /// The mapping, loaded and validated.
    func load() throws -> Mapping {
        try Mapping.load(path: try mappingPath())
    }
}

/// How run log lines are written.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case json
    case text
}

/// How `run`, `reload` and `rejects replay` report: progress on a terminal, log lines otherwise.
struct RunOutputOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Log lines on stderr: json (default without a terminal) or text.")
    var logFormat: LogFormat?
    @Flag(help: "Print the run summary as JSON on stdout.") var json = false

    /// The event sink: a live progress line on a terminal (unless a log format is asked
    /// for), else one log line per event on stderr.
    func reporter() -> (RunEvent) -> Void {
        let terminal = isatty(STDERR_FILENO) == 1
        if terminal && logFormat == nil {
            var lastDraw = Date.distantPast
            return { event in
                switch event {
                case .fileProgress(_, let path, let records, let read, let bytes, let seconds):
                    guard Date().timeIntervalSince(lastDraw) > 0.2 else { return }
                    lastDraw = Date()
                    complainInline("\r\u{1B}[K" + RunEventFormat.progressLine(path: path, records: records, bytesRead: read, bytes: bytes, seconds: seconds))
                case .fileFinished(let r):
                    complainInline("\r\u{1B}[K")
                    complain(PrintableText.escaped(r.reconciliationLine))
                case .fileSkipped:
                    if let line = RunEventFormat.text(event, at: Date()) { complain(line) }
                default: break
                }
            }
        }
        let json = (logFormat ?? .json) == .json
        let logger = Logger(label: "onegrid.run") { _ in RunLogLineHandler() }
        return { event in
            let line = json ? RunEventFormat.json(event, at: Date()) : RunEventFormat.text(event, at: Date())
            if let line { logger.log(level: event.logLevel, "\(line)") }
        }
    }

    func printSummary(_ summary: RunSummary) throws {
        if json {
            print(String(decoding: try JSONEncoder.pretty.encode(summary), as: UTF8.self))
        } else {
            print(RunEventFormat.summaryTable(summary))
        }
    }
}

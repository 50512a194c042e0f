import ArgumentParser
import Foundation
import Logging
import OneGridMapping
import OneGridPipeline
import OneGridPrivacy
#if canImport(Glibc)
import Glibc
#endif

/// How `run`, `reload` and `rejects replay` report: progress on a terminal, log lines otherwise.
struct RunOutputOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Log lines on stderr: json (default without a terminal) or text.")
    var logFormat: String?
    @Flag(help: "Print the run summary as JSON on stdout.") var json = false

    func validate() throws {
        if let logFormat, !["json", "text"].contains(logFormat) { throw ValidationError("--log-format is json or text") }
    }

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
        let json = (logFormat ?? "json") == "json"
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

/// Writes to standard error without a line break (progress redraws).
func complainInline(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// Maps the failures every locked command shares to the README's exit codes.
func failureExit(for error: any Error, command: String) -> ExitCode {
    switch error {
    case let held as RunLock.Held:
        complain(PrintableText.escaped("onegrid \(command): \(held)"))
        return Exit.locked
    default:
        complain(PrintableText.escaped("onegrid \(command): \(error)"))
        return Exit.configuration
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load every new file of the configured inboxes (for cron and systemd timers).",
        discussion: """
        Skips files already loaded (same SHA-256, whatever their name), loads the rest in order of their export \
        date, one transaction per file, then archives them if configured. Exit codes: 0 every file loaded or was \
        already loaded; 1 some files failed or crossed their reject threshold; 2 bad configuration; 75 another run \
        holds the lock.
        """)
    @Option(help: "The configuration file.") var config: String = "onegrid.yaml"
    @Option(help: "Reload this file even if already loaded (repeatable; the result is identical).") var force: [String] = []
    @OptionGroup var output: RunOutputOptions

    func run() throws {
        let configuration: RunConfiguration
        do { configuration = try RunConfiguration.load(path: config) } catch {
            complain("onegrid run: \(error)")
            throw Exit.configuration
        }
        var job = ScheduledRun(configuration: configuration)
        job.force = force
        job.onEvent = output.reporter()
        let summary: RunSummary
        do { summary = try job.execute() } catch { throw failureExit(for: error, command: "run") }
        try output.printSummary(summary)
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reprocess a feed's files under its current mapping (after the mapping changed).",
        discussion: "Files whose latest load used another mapping are read again from their path or the feed's archive folder.")
    @Option(help: "The configuration file.") var config: String = "onegrid.yaml"
    @Option(help: "The feed to reprocess.") var feed: String
    @Flag(help: "Reprocess every loaded file of the feed, not only those loaded under another mapping.") var all = false
    @OptionGroup var output: RunOutputOptions

    func run() throws {
        let configuration: RunConfiguration
        let mapping: Mapping
        let workspace: Workspace
        do {
            configuration = try RunConfiguration.load(path: config)
            guard let entry = configuration.feeds.first(where: { $0.name == feed }) else {
                throw ValidationError("feed '\(feed)' is not in \(config) (configured: \(configuration.feeds.map(\.name).joined(separator: ", ")))")
            }
            mapping = try Mapping.load(path: entry.mapping)
            workspace = try Workspace.open(configuration.workspacePaths)
            var reload = FeedReload(workspace: workspace, mapping: mapping)
            reload.searchFolders = [entry.inbox, entry.archiveFolder]
            reload.all = all
            reload.onEvent = output.reporter()
            let summary = try reload.execute()
            try output.printSummary(summary)
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
        } catch let code as ExitCode {
            throw code
        } catch {
            throw failureExit(for: error, command: "reload")
        }
    }
}

struct RejectsReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-map the stored raw records of the rejects under the current mapping; load those that now pass.",
        discussion: "Records that still fail stay rejects (with the current reason). Each file's reconciliation is updated.")
    @Option(help: "The configuration file.") var config: String = "onegrid.yaml"
    @Option(help: "Only this feed (default: every configured feed).") var feed: String?
    @Flag(help: "Print the outcome as JSON on stdout.") var json = false

    func run() throws {
        do {
            let configuration = try RunConfiguration.load(path: config)
            let feeds = configuration.feeds.filter { feed == nil || $0.name == feed }
            guard !feeds.isEmpty else { throw ValidationError("feed '\(feed ?? "")' is not in \(config)") }
            let mappings = try feeds.map { try Mapping.load(path: $0.mapping) }
            let workspace = try Workspace.open(configuration.workspacePaths)
            let outcomes = try RejectReplay(workspace: workspace, mappings: mappings).execute()
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(outcomes), as: UTF8.self))
            } else {
                for o in outcomes {
                    print("\(PrintableText.escaped((o.file as NSString).lastPathComponent)): replayed \(o.replayed) = new \(o.new) + updated \(o.updated) + unchanged \(o.unchanged) + still rejected \(o.stillRejected)")
                }
                if outcomes.isEmpty { print("no rejects to replay") }
            }
        } catch {
            throw failureExit(for: error, command: "rejects replay")
        }
    }
}

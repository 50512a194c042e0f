import Foundation
import OneGridPrivacy

/// What an unattended run reports as it goes; the command line turns each into a progress
/// line, a text log line or a JSON log line.
public enum RunEvent: Sendable, Equatable {
    /// The lock is held and the inboxes are scanned: `files` found, `toLoad` of them new or forced.
    case runStarted(runID: Int64, files: Int, toLoad: Int)
    /// A file is about to be read.
    case fileStarted(feed: String, path: String, bytes: Int64)
    /// Every few thousand records of a file.
    case fileProgress(feed: String, path: String, records: Int, bytesRead: Int64, bytes: Int64, seconds: Double)
    /// A file is done with (loaded, already loaded, failed or over its threshold).
    case fileFinished(FileResult)
    /// A processed file moved to `archive/` or `failed/`.
    case fileMoved(from: String, to: String)
    /// An inbox entry that is not read: a symbolic link, a FIFO, a device, a folder.
    case fileSkipped(feed: String, path: String, reason: String)
    /// The run is over.
    case runFinished(RunSummary)
}

/// The outcome of one `onegrid run`, `reload` or replay: what `--json` prints.
public struct RunSummary: Sendable, Codable, Equatable {
    public var runID: Int64
    public var seconds: Double
    public var files: [FileResult]
    public var loaded: Int { files.filter { $0.state == .loaded }.count }
    public var alreadyLoaded: Int { files.filter { $0.state == .alreadyLoaded }.count }
    public var failed: Int { files.filter { $0.state == .failed || $0.state == .overThreshold }.count }
    /// 0 when every file loaded or was already loaded, 1 when some failed (README's table).
    public var exitCode: Int32 { failed > 0 ? 1 : 0 }

    enum CodingKeys: String, CodingKey { case runID = "run_id", seconds, files, loaded, alreadyLoaded = "already_loaded", failed, exitCode = "exit_code" }

    public init(runID: Int64, seconds: Double, files: [FileResult]) {
        self.runID = runID
        self.seconds = seconds
        self.files = files
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runID = try c.decode(Int64.self, forKey: .runID)
        seconds = try c.decode(Double.self, forKey: .seconds)
        files = try c.decode([FileResult].self, forKey: .files)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(files, forKey: .files)
        try c.encode(loaded, forKey: .loaded)
        try c.encode(alreadyLoaded, forKey: .alreadyLoaded)
        try c.encode(failed, forKey: .failed)
        try c.encode(exitCode, forKey: .exitCode)
    }
}

/// How run events are written for people and for machines. Pure: text in, text out.
public enum RunEventFormat {
    /// One JSON object per line (cron, journald): `{"event":"file_finished","time":…,…}`.
    /// Progress events are not logged (they are terminal noise).
    public static func json(_ event: RunEvent, at time: Date) -> String? {
        var fields: [(String, Any)] = [("time", iso8601(time))]
        switch event {
        case .runStarted(let runID, let files, let toLoad):
            fields += [("event", "run_started"), ("run_id", runID), ("files", files), ("to_load", toLoad)]
        case .fileStarted(let feed, let path, let bytes):
            fields += [("event", "file_started"), ("feed", feed), ("file", path), ("bytes", bytes)]
        case .fileProgress:
            return nil
        case .fileFinished(let r):
            fields += [("event", "file_finished"), ("feed", r.feed), ("file", r.path), ("state", r.state.rawValue),
                       ("read", r.counts.read), ("new", r.counts.new), ("updated", r.counts.updated),
                       ("unchanged", r.counts.unchanged), ("rejected", r.counts.rejected), ("skipped", r.counts.skipped),
                       ("bytes", r.bytes), ("seconds", (r.seconds * 1000).rounded() / 1000)]
            if let message = r.message { fields.append(("message", message)) }
        case .fileMoved(let from, let to):
            fields += [("event", "file_moved"), ("file", from), ("to", to)]
        case .fileSkipped(let feed, let path, let reason):
            fields += [("event", "file_skipped"), ("feed", feed), ("file", path), ("reason", reason)]
        case .runFinished(let s):
            fields += [("event", "run_finished"), ("run_id", s.runID), ("loaded", s.loaded), ("already_loaded", s.alreadyLoaded),
                       ("failed", s.failed), ("exit_code", Int(s.exitCode)), ("seconds", (s.seconds * 1000).rounded() / 1000)]
        }
        let object = Dictionary(fields, uniquingKeysWith: { a, _ in a })
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// One plain line per event (`--log-format text`); progress is not logged. File names
    /// and messages are escaped as `PrintableText` does: a crafted name cannot fake a line.
    public static func text(_ event: RunEvent, at time: Date) -> String? {
        let stamp = iso8601(time)
        let line: String
        switch event {
        case .runStarted(let runID, let files, let toLoad):
            line = "run #\(runID) started: \(files) files in the inboxes, \(toLoad) to load"
        case .fileStarted(let feed, let path, _):
            line = "[\(feed)] \(path): reading"
        case .fileProgress:
            return nil
        case .fileFinished(let r):
            line = "[\(r.feed)] \(r.reconciliationLine)"
        case .fileMoved(let from, let to):
            line = "moved \(from) → \(to)"
        case .fileSkipped(let feed, let path, let reason):
            line = "[\(feed)] \(path): skipped, \(reason)"
        case .runFinished(let s):
            line = "run #\(s.runID) finished in \(String(format: "%.2f", s.seconds)) s: loaded \(s.loaded), already loaded \(s.alreadyLoaded), failed \(s.failed) (exit \(s.exitCode))"
        }
        return stamp + " " + PrintableText.escaped(line)
    }

    /// The terminal progress line of a file:
    /// `12345_20200623.csv  40,960 records  51,200 rec/s  12.0/30.0 MB  ETA 2s`.
    public static func progressLine(path: String, records: Int, bytesRead: Int64, bytes: Int64, seconds: Double) -> String {
        let name = PrintableText.escaped((path as NSString).lastPathComponent)
        let rate = seconds > 0 ? Double(records) / seconds : 0
        var line = "\(name)  \(grouped(records)) records  \(grouped(Int(rate))) rec/s  "
            + String(format: "%.1f/%.1f MB", Double(bytesRead) / 1_048_576, Double(bytes) / 1_048_576)
        if bytesRead > 0, bytes > bytesRead, seconds > 0 {
            let eta = seconds * Double(bytes - bytesRead) / Double(bytesRead)
            line += "  ETA \(Int(eta.rounded()))s"
        }
        return line
    }

    /// The summary table printed at the end of a run on a terminal.
    public static func summaryTable(_ s: RunSummary) -> String {
        let header = ["file", "feed", "state", "read", "new", "updated", "unchanged", "rejected", "skipped", "seconds"]
        var rows = s.files.map { r -> [String] in
            let c = r.counts
            return [PrintableText.escaped((r.path as NSString).lastPathComponent), r.feed, r.state.rawValue, "\(c.read)", "\(c.new)", "\(c.updated)",
                    "\(c.unchanged)", "\(c.rejected)", "\(c.skipped)", String(format: "%.2f", r.seconds)]
        }
        rows.insert(header, at: 0)
        let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { i, cell in
                i < 3 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                      : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
        for r in s.files where r.message != nil && r.state != .loaded {
            lines.append(PrintableText.escaped("\((r.path as NSString).lastPathComponent): \(r.state.rawValue): \(r.message!)"))
        }
        lines.append("run #\(s.runID): loaded \(s.loaded), already loaded \(s.alreadyLoaded), failed \(s.failed) in \(String(format: "%.2f", s.seconds)) s")
        return lines.joined(separator: "\n")
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

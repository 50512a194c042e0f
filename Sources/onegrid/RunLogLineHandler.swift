import Foundation
import Logging
import OneGridPipeline
import OneGridPrivacy

/// The swift-log handler of unattended runs: each message is one already formatted log line
/// (JSON or text, from `RunEventFormat`), written whole to standard error, so cron and
/// journald receive exactly one line per event. Levels below `logLevel` are dropped.
///
/// The line goes out through `PrintableText.escaped`: a file name or message holding a
/// newline or an ANSI escape cannot fake a log line or drive the terminal. JSON lines hold
/// no raw C0 controls already; their C1 and bidi characters become `\u` escapes, which are
/// the same JSON string.
struct RunLogLineHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        FileHandle.standardError.write(Data((PrintableText.escaped(event.message.description) + "\n").utf8))
    }
}

extension RunEvent {
    /// Failed files and failed runs are errors, a skipped inbox entry a warning; progress is debug; the rest is information.
    var logLevel: Logger.Level {
        switch self {
        case .fileProgress: return .debug
        case .fileFinished(let r): return r.state == .failed || r.state == .overThreshold ? .error : .info
        case .runFinished(let s): return s.failed > 0 ? .warning : .info
        case .fileSkipped: return .warning
        default: return .info
        }
    }
}

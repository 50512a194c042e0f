import ArgumentParser
import Foundation
import OneGridPipeline
import OneGridPrivacy

/// Exit codes documented in the README, in one place.
enum Exit {
    /// Some files failed or crossed their reject threshold.
    static let filesFailed = ExitCode(1)
    /// Bad configuration, a mapping not found or invalid, an unusable warehouse or key.
    static let configuration = ExitCode(2)
    /// Another run holds the warehouse's run lock.
    static let locked = ExitCode(75)
}

/// Runs the work of `onegrid COMMAND` and turns what it throws into an exit code with one
/// line on standard error, `onegrid COMMAND: message`: the one path every command's
/// failures take. An `ExitCode` the work throws (files failed) passes through unchanged;
/// so does a `ValidationError` (usage, exit 64, printed by the argument parser). `exit`
/// names the code of a failure that is not the setup's (an export that could not be
/// written is exit 1, like a failed file); without it, exit 2 (75 for a held run lock).
func failingAs<T>(_ command: String, exit: ExitCode? = nil, _ work: () throws -> T) throws -> T {
    do {
        return try work()
    } catch let code as ExitCode {
        throw code
    } catch let usage as ValidationError {
        throw usage
    } catch {
        let code = failureExit(for: error, command: command)
        throw exit ?? code
    }
}

/// The exit code of a failure, after saying it on standard error (escaped: a file name or
/// a source value in the message cannot drive the terminal).
func failureExit(for error: any Error, command: String) -> ExitCode {
    complain(PrintableText.escaped("onegrid \(command): \(error)"))
    return error is RunLock.Held ? Exit.locked : Exit.configuration
}

/// Prints to standard error.
func complain(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes to standard error without a line break (progress redraws).
func complainInline(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

extension JSONEncoder {
    /// Summaries on standard output: stable key order, readable, slashes as they are.
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

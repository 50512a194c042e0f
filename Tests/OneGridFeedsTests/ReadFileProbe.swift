import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A reader-only path for Benchmarks/hostile.sh: reads the file named by ONEGRID_READ_FILE
/// (format ONEGRID_READ_FORMAT, default csv) with the default options and prints what came
/// out, so `/usr/bin/time -v` can measure peak memory and time of reading alone. Runs only
/// when the variable is set.
@Suite("Read one file (benchmark probe)")
struct ReadFileProbe {
    @Test(.enabled(if: getenv("ONEGRID_READ_FILE") != nil))
    func readWholeFile() throws {
        let path = String(cString: getenv("ONEGRID_READ_FILE"))
        let format = getenv("ONEGRID_READ_FORMAT").map { FeedFormat(rawValue: String(cString: $0)) ?? .csv } ?? .csv
        let skip: Set<String> = format == .xml ? ["Attachments"] : []
        let options = FeedReaderOptions(xmlRecordPath: format == .xml ? "/XFExport/Petition" : "/*/*", skipElements: skip)
        var records = 0, unreadable: [String: Int] = [:], skipped = 0
        var outcome = "read whole"
        do {
            let reader = try FeedReaders.open(path: path, format: format, options: options)
            while let item = try reader.next() {
                switch item {
                case .record: records += 1
                case .unreadable(let bad): unreadable[bad.reason.code, default: 0] += 1
                case .skipped: skipped += 1
                }
            }
        } catch {
            outcome = "file failed (\(error.kind)): \(error.message)"
        }
        print("probe \(path): records \(records), unreadable \(unreadable.sorted { $0.key < $1.key }), skipped \(skipped); \(outcome)")
    }
}

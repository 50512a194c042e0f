// Time and size of 1 M rows of an events-like table (20 columns) written as Parquet and as
// CSV. Built by parquet-vs-csv.sh with the codecs sources compiled into this program
// (-O, whole module), so nothing else of OneGrid is built. Not a test: figures depend on
// the machine.
#if canImport(Glibc)
import Glibc
#endif

let rows = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
let out = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "/tmp/onegrid-bench"
mkdir(out, 0o755)

let schema = try ParquetSchema([
    ParquetColumn("event_id", .string), ParquetColumn("source", .string), ParquetColumn("source_key", .string),
    ParquetColumn("category", .string), ParquetColumn("status", .string), ParquetColumn("title", .string),
    ParquetColumn("channel", .string), ParquetColumn("urgency", .string), ParquetColumn("district", .string),
    ParquetColumn("street", .string), ParquetColumn("grid", .string), ParquetColumn("address", .string),
    ParquetColumn("lng", .double), ParquetColumn("lat", .double), ParquetColumn("reported_at", .timestamp(.microseconds)),
    ParquetColumn("closed_at", .timestamp(.microseconds)), ParquetColumn("hours_to_close", .double),
    ParquetColumn("satisfied", .boolean), ParquetColumn("incident", .string), ParquetColumn("version", .int32),
])

let sources = ["hotline", "petition", "patrol"]
let categories = (0..<60).map { "类别\($0 % 12)-\($0)" }
let statuses = ["受理", "派单", "处置", "办结", "回访"]
let channels = ["电话", "网络", "微信", "来访", "巡查"]
let urgencies = ["一般", "紧急", "特急"]
let districts = (0..<11).map { "3201\(String(format2($0 + 2)))" }

func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// A deterministic pseudo-random stream (SplitMix64), so runs compare.
struct Mix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

func row(_ i: Int, _ mix: inout Mix) -> [ParquetValue] {
    let district = districts[mix.below(districts.count)]
    let street = district + format2(mix.below(12) + 1) + "0"
    let grid = street + "0" + format2(mix.below(90))
    let reported = Int64(1_577_808_000 + mix.below(31_536_000)) * 1_000_000
    let closed = mix.below(5) == 0 ? nil : reported + Int64(mix.below(30 * 86_400)) * 1_000_000
    let satisfied: ParquetValue = mix.below(3) == 0 ? .null : .boolean(mix.below(4) != 0)
    return [
        .string("E\(20_000_000 + i)"), .string(sources[i % 3]), .string("\(sources[i % 3])-\(900_000 + i * 7)"),
        .string(categories[mix.below(categories.count)]), .string(statuses[mix.below(statuses.count)]),
        .string("关于\(categories[mix.below(categories.count)])的诉求"), .string(channels[mix.below(channels.count)]),
        .string(urgencies[mix.below(3)]), .string(district), .string(street), .string(grid),
        .string("南京市某区某路\(mix.below(2000))号\(mix.below(30))栋"),
        .double(118.6 + Double(mix.below(400_000)) / 1e6), .double(31.9 + Double(mix.below(300_000)) / 1e6),
        .timestamp(reported), closed.map { .timestamp($0) } ?? .null,
        closed.map { .double(Double($0 - reported) / 3.6e9) } ?? .null, satisfied,
        mix.below(10) == 0 ? .string("I\(mix.below(50_000))") : .null, .int32(Int32(1 + mix.below(3))),
    ]
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// CPU seconds of this process (user + system): on a shared machine wall time mostly
/// measures the neighbours.
func cpu() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func csvField(_ value: ParquetValue) -> String {
    switch value {
    case .null: return ""
    case .string(let s): return s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences("\"", "\"\"") + "\"" : s
    case .int32(let v): return String(v)
    case .int64(let v): return String(v)
    case .double(let d): return String(d)
    case .boolean(let b): return b ? "true" : "false"
    case .timestamp(let us):
        // Beijing wall-clock text, as the CSV export writes it.
        var seconds = time_t(us / 1_000_000 + 8 * 3600)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(parts.tm_year + 1900)-\(format2(Int(parts.tm_mon) + 1))-\(format2(Int(parts.tm_mday))) \(format2(Int(parts.tm_hour))):\(format2(Int(parts.tm_min))):\(format2(Int(parts.tm_sec)))"
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String { split(separator: a, omittingEmptySubsequences: false).joined(separator: b) }
}

func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : -1
}

func maxRSSMiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}

print("rows: \(rows), columns: \(schema.columns.count)")
print("| output | wall s | CPU s | bytes | bytes vs CSV | peak RSS MiB so far |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")

// CSV first: its size is the yardstick.
var start = now()
var startCPU = cpu()
var mix = Mix(state: 42)
let csvPath = out + "/events.csv"
let csv = try FileByteSink(path: csvPath)
try csv.write(schema.columns.map(\.name).joined(separator: ",") + "\r\n")
for i in 0..<rows {
    try csv.write(row(i, &mix).map(csvField).joined(separator: ",") + "\r\n")
}
try csv.close()
let csvBytes = fileSize(csvPath)
print("| CSV (UTF-8) | \(format3(now() - start)) | \(format3(cpu() - startCPU)) | \(csvBytes) | 100% | \(maxRSSMiB()) |")

func format3(_ d: Double) -> String {
    let ms = Int((d * 1000).rounded())
    return "\(ms / 1000).\(String(ms % 1000 + 1000).dropFirst())"
}

// Row generation alone, to subtract from the figures below.
start = now()
startCPU = cpu()
mix = Mix(state: 42)
var sink = 0
for i in 0..<rows { sink &+= row(i, &mix).count }
let generation = now() - start
print("| (generating the rows only) | \(format3(generation)) | \(format3(cpu() - startCPU)) | | | |")

for (name, compression) in [("Parquet gzip 6", ParquetCompression.gzip(level: 6)), ("Parquet gzip 1", .gzip(level: 1)), ("Parquet uncompressed", .uncompressed)] {
    var options = ParquetWriterOptions()
    options.compression = compression
    let path = out + "/events-\(name.split(separator: " ").dropFirst().joined(separator: "-")).parquet"
    start = now()
    startCPU = cpu()
    mix = Mix(state: 42)
    let writer = try ParquetWriter(path: path, schema: schema, options: options)
    for i in 0..<rows { try writer.append(row: row(i, &mix)) }
    let summary = try writer.finish()
    let seconds = now() - start
    let cpuSeconds = cpu() - startCPU
    let share = Double(summary.bytes) / Double(csvBytes) * 100
    print("| \(name) (\(summary.rowGroups) row groups) | \(format3(seconds)) | \(format3(cpuSeconds)) | \(summary.bytes) | \(Int(share.rounded()))% | \(maxRSSMiB()) |")
}

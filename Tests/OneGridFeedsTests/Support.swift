import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Fixtures live in Tests/Fixtures/<feed>/, found from this file's path.
func fixturePath(_ name: String, filePath: String = #filePath) -> String {
    let testsDir = filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
    return testsDir + "/Fixtures/" + name
}

func fixtureBytes(_ name: String) throws -> [UInt8] {
    try FileByteStream.prefix(of: fixturePath(name), count: 1 << 30)
}

/// A fresh path under /tmp for one test.
func temporaryPath(_ suffix: String) -> String {
    "/tmp/onegrid-feeds-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))\(suffix)"
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let sink = try FileByteSink(path: path)
    try sink.write(bytes)
    try sink.close()
}

/// gzip-compresses bytes (through a temporary file, as GzipFileSink writes files).
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let path = temporaryPath(".gz")
    defer { unlink(path) }
    let sink = try GzipFileSink(path: path)
    try sink.write(bytes)
    try sink.close()
    return try FileByteStream.prefix(of: path, count: 1 << 30)
}

/// Every way a reader can be fed (STYLE 9): each test runs through all of them, and each
/// failure names its path.
func readingPaths(_ bytes: [UInt8]) throws -> [(label: String, stream: () throws -> any ByteStream)] {
    let compressed = try gzipped(bytes)
    let randomSizes = [3, 1, 7, 2, 64, 5, 11, 1, 13, 4096, 2, 9]
    return [
        ("whole buffer", { MemoryByteStream(bytes) }),
        ("1-byte chunks", { MemoryByteStream(bytes, chunkSizes: [1]) }),
        ("random chunks", { MemoryByteStream(bytes, chunkSizes: randomSizes) }),
        ("gzip-wrapped", { try GzipInflateStream(source: MemoryByteStream(compressed, chunkSizes: randomSizes), path: "mem.gz") }),
    ]
}

/// A reader's output in a comparable shape, positions included.
enum Seen: Equatable, CustomStringConvertible {
    case row(line: Int, offset: Int64, record: Int, cells: [String], raw: [UInt8])
    case tree(line: Int, record: Int, value: RecordValue)
    case skipped(line: Int, offset: Int64)
    case unreadable(line: Int, offset: Int64, record: Int, field: String?, problem: ReadProblem, raw: [UInt8])

    init(_ item: ReadItem) {
        switch item {
        case .record(let r):
            switch r.content {
            case .row(let cells):
                self = .row(line: r.position.line, offset: r.position.byteOffset, record: r.position.record, cells: cells, raw: r.raw)
            case .tree(let value):
                self = .tree(line: r.position.line, record: r.position.record, value: value)
            }
        case .skipped(let p, _):
            self = .skipped(line: p.line, offset: p.byteOffset)
        case .unreadable(let u):
            self = .unreadable(line: u.position.line, offset: u.position.byteOffset, record: u.position.record,
                               field: u.position.field, problem: u.reason, raw: u.raw)
        }
    }

    var description: String {
        switch self {
        case .row(let l, let o, let r, let c, let raw): return "row(line \(l), offset \(o), #\(r), \(c), raw \(String(decoding: raw, as: UTF8.self).debugDescription))"
        case .tree(let l, let r, let v): return "tree(line \(l), #\(r), \(v))"
        case .skipped(let l, let o): return "skipped(line \(l), offset \(o))"
        case .unreadable(let l, let o, let r, let f, let p, let raw): return "unreadable(line \(l), offset \(o), #\(r), \(f ?? "-"), \(p), \(raw))"
        }
    }
}

func readAll(_ reader: any FeedReader) throws -> [Seen] {
    var seen: [Seen] = []
    while let item = try reader.next() { seen.append(Seen(item)) }
    return seen
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

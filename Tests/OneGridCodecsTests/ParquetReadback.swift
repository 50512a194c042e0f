import Foundation
@testable import OneGridCodecs
import Testing

/// Reads Parquet files back with pyarrow and DuckDB through
/// `Tests/Fixtures/python/parquet_readback.py`. Without them the read-back tests skip,
/// except when `CI=true`: there they run and fail, so CI cannot pass without checking.
enum ParquetReadback {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/python/parquet_readback.py").path

    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    static let readersInstalled: Bool = {
        (try? run(["python3", "-c", "import pyarrow, duckdb"]).status) == 0
    }()

    /// Whether the read-back tests run: the readers are installed, or CI demands them.
    static var enabled: Bool { readersInstalled || isCI }

    struct Reader: Decodable {
        var columns: [String]
        var types: [String]
        var rows: [[String]]
        var footer: Footer?
    }

    struct Footer: Decodable {
        var row_groups: [RowGroup]
        var key_value: [String: String]
    }

    struct RowGroup: Decodable {
        var rows: Int
        var columns: [Chunk]
    }

    struct Chunk: Decodable, Equatable {
        var encodings: [String]
        var compression: String
        var null_count: Int?
        var min: String?
        var max: String?
    }

    struct Both: Decodable {
        var pyarrow: Reader
        var duckdb: Reader
    }

    /// What pyarrow and DuckDB read from `path` (a file, or a Hive folder with `dataset`).
    static func read(_ path: String, dataset: Bool = false) throws -> Both {
        let result = try run(["python3", script, path] + (dataset ? ["--dataset"] : []))
        if result.status == 3 {
            Issue.record("pyarrow and duckdb are required when CI=true: pip install pyarrow duckdb (\(result.stderr))")
        }
        guard result.status == 0 else {
            throw ReadbackFailure(message: "parquet_readback.py exited \(result.status): \(result.stderr)")
        }
        return try JSONDecoder().decode(Both.self, from: result.stdout)
    }

    struct ReadbackFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        // stderr goes to a file: a second pipe would need a second reader to never block.
        let errPath = temporaryPath(".stderr")
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { unlink(errPath) }
        let out = Pipe()
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let errText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, outData, errText)
    }

    /// The script's tag for a value written into a column of `type`.
    static func tag(_ value: ParquetValue, _ type: ParquetColumnType) -> String {
        switch value {
        case .null: return "null"
        case .string(let s): return "s:" + s
        case .int32(let v): return "i:\(v)"
        case .int64(let v): return "i:\(v)"
        case .double(let d):
            let hex = String(d.bitPattern, radix: 16)
            return "d:" + String(repeating: "0", count: 16 - hex.count) + hex
        case .boolean(let b): return b ? "b:true" : "b:false"
        case .timestamp(let v):
            if case .timestamp(.milliseconds) = type { return "t:\(v * 1000)" }
            return "t:\(v)"
        }
    }

    static func tags(_ rows: [[ParquetValue]], _ schema: ParquetSchema) -> [[String]] {
        rows.map { row in zip(row, schema.columns).map { tag($0, $1.type) } }
    }
}

func temporaryPath(_ suffix: String) -> String {
    "/tmp/onegrid-lake-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))\(suffix)"
}

/// The pages of one column within the row group being built, and the statistics that go
/// into its `ColumnMetaData`.
///
/// Values are encoded as they arrive into the open page; a page is cut (levels and values
/// encoded, compressed, header prepended) when its values pass `pageBytes`. Strings go
/// through a dictionary until it would pass `dictionaryBytes`: then the open page is cut
/// and the rest of the row group is written PLAIN (the fallback every Parquet writer has).
/// The chunk's pages stay in memory until the row group is flushed because the dictionary
/// page must come first and is only final at the end.
final class ParquetColumnChunk {
    let column: ParquetColumn
    private let limits: ParquetWriterOptions
    private let compressor: ParquetPageCompressor

    // The open page.
    private var levels: [UInt32] = []
    private var plain: [UInt8] = []
    private var booleans: [Bool] = []
    private var indices: [UInt32] = []

    // The row group's dictionary (strings only).
    private var dictionaryMode: Bool
    private var dictionary: [UTF8Key: UInt32] = [:]
    private var dictionaryPlain: [UInt8] = []
    private var dictionaryCount: UInt32 = 0

    // Finished pages of the row group: headers and (compressed) bodies, in order.
    private var pages: [UInt8] = []
    private var uncompressedTotal: Int64 = 0
    private var encodings: Set<Int32> = [3]  // RLE: definition levels
    /// The encoding of each data page of the row group, in order (tests see the fallback).
    private(set) var pageEncodings: [Int32] = []
    private(set) var valueCount: Int64 = 0
    private var nullCount: Int64 = 0
    private var statistics = ParquetStatistics()

    init(column: ParquetColumn, options: ParquetWriterOptions) {
        self.column = column
        self.limits = options
        compressor = ParquetPageCompressor(options.compression)
        dictionaryMode = column.type == .string && options.dictionaryBytes > 0
    }

    /// Bytes this chunk holds or will write, uncompressed, for the row-group bound.
    var estimatedBytes: Int {
        Int(uncompressedTotal) + openPageBytes + dictionaryPlain.count
    }

    private var openPageBytes: Int {
        plain.count + indices.count * 4 + booleans.count / 8 + levels.count / 8
    }

    /// Appends one cell; `row` only labels a type mismatch.
    func append(_ value: ParquetValue, row: Int64) throws(ParquetError) {
        switch (value, column.type) {
        case (.null, _):
            levels.append(0)
            nullCount += 1
        case (.string(let text), .string):
            levels.append(1)
            appendString(text)
        case (.int32(let v), .int32):
            levels.append(1)
            ParquetEncoding.appendLittleEndian(v, into: &plain)
            statistics.include(Int64(v))
        case (.int64(let v), .int64), (.timestamp(let v), .timestamp):
            levels.append(1)
            ParquetEncoding.appendLittleEndian(v, into: &plain)
            statistics.include(v)
        case (.double(let v), .double):
            levels.append(1)
            ParquetEncoding.appendLittleEndian(v.bitPattern, into: &plain)
            statistics.include(v)
        case (.boolean(let v), .boolean):
            levels.append(1)
            booleans.append(v)
        default:
            throw .typeMismatch(row: row, column: column.name, expected: column.type, found: value.kind)
        }
        valueCount += 1
        if levels.count >= limits.pageRows || openPageBytes >= limits.pageBytes { cutPage() }
    }

    private func appendString(_ text: String) {
        if dictionaryMode {
            if let index = dictionary[UTF8Key(text)] {
                indices.append(index)
                return
            }
            let size = text.utf8.count
            if dictionaryPlain.count + 4 + size <= limits.dictionaryBytes {
                dictionary[UTF8Key(text)] = dictionaryCount
                indices.append(dictionaryCount)
                dictionaryCount += 1
                ParquetEncoding.appendLittleEndian(UInt32(size), into: &dictionaryPlain)
                dictionaryPlain.append(contentsOf: text.utf8)
                statistics.include(text)
                return
            }
            // The dictionary is full: the values so far keep it, the rest go PLAIN.
            levels.removeLast()
            cutPage()
            dictionaryMode = false
            dictionary = [:]
            levels.append(1)
        }
        var text = text
        text.withUTF8 { utf8 in
            ParquetEncoding.appendLittleEndian(UInt32(utf8.count), into: &plain)
            plain.append(contentsOf: utf8)
        }
        statistics.include(text)
    }

    /// Encodes, compresses and stores the open page (nothing when it is empty).
    func cutPage() {
        guard !levels.isEmpty else { return }
        var body: [UInt8] = []
        body.reserveCapacity(openPageBytes + 64)
        ParquetEncoding.appendDefinitionLevels(levels, into: &body)
        let encoding: Int32
        if dictionaryMode && dictionaryCount > 0 {
            encoding = 8  // RLE_DICTIONARY
            let width = ParquetEncoding.bitWidth(dictionaryCount - 1)
            body.append(UInt8(width))
            ParquetEncoding.encodeHybrid(indices, bitWidth: width, into: &body)
        } else {
            // A dictionary column's pages before its first value hold only nulls: PLAIN
            // says that without needing a dictionary page.
            encoding = 0  // PLAIN
            if column.type == .boolean {
                ParquetEncoding.appendPlainBooleans(booleans, into: &body)
            } else {
                body.append(contentsOf: plain)
            }
        }
        let stored = compressor.compress(body)
        var header = ThriftStruct()
        header.set(1, .i32(0))  // DATA_PAGE
        header.set(2, .i32(Int32(body.count)))
        header.set(3, .i32(Int32(stored.count)))
        var data = ThriftStruct()
        data.set(1, .i32(Int32(levels.count)))
        data.set(2, .i32(encoding))
        data.set(3, .i32(3))  // definition levels: RLE
        data.set(4, .i32(3))  // repetition levels: RLE (none are written: max level 0)
        header.set(5, .structure(data))
        let headerBytes = ThriftCompactEncoder.encode(header)
        pages.append(contentsOf: headerBytes)
        pages.append(contentsOf: stored)
        uncompressedTotal += Int64(headerBytes.count + body.count)
        encodings.insert(encoding)
        pageEncodings.append(encoding)
        levels.removeAll(keepingCapacity: true)
        plain.removeAll(keepingCapacity: true)
        booleans.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
    }

    /// Writes the chunk at file offset `offset` (dictionary page first), returns its
    /// `ColumnChunk` metadata and resets for the next row group.
    func flush(at offset: Int64, to write: ([UInt8]) throws -> Void) throws -> ThriftStruct {
        cutPage()
        var written: Int64 = 0
        var uncompressed = uncompressedTotal
        var dictionaryOffset: Int64?
        if dictionaryCount > 0 {
            let stored = compressor.compress(dictionaryPlain)
            var header = ThriftStruct()
            header.set(1, .i32(2))  // DICTIONARY_PAGE
            header.set(2, .i32(Int32(dictionaryPlain.count)))
            header.set(3, .i32(Int32(stored.count)))
            var dict = ThriftStruct()
            dict.set(1, .i32(Int32(dictionaryCount)))
            dict.set(2, .i32(0))  // PLAIN
            header.set(7, .structure(dict))
            let headerBytes = ThriftCompactEncoder.encode(header)
            try write(headerBytes)
            try write(stored)
            dictionaryOffset = offset
            written = Int64(headerBytes.count + stored.count)
            uncompressed += Int64(headerBytes.count + dictionaryPlain.count)
            encodings.insert(0)  // the dictionary page is PLAIN
        }
        let dataOffset = offset + written
        try write(pages)
        written += Int64(pages.count)

        var meta = ThriftStruct()
        meta.set(1, .i32(column.type.physicalType))
        meta.set(2, .list(element: .i32, encodings.sorted().map { .i32($0) }))
        meta.set(3, .list(element: .binary, [.string(column.name)]))
        meta.set(4, .i32(limits.compression.codec))
        meta.set(5, .i64(valueCount))
        meta.set(6, .i64(uncompressed))
        meta.set(7, .i64(written))
        meta.set(9, .i64(dataOffset))
        meta.set(11, dictionaryOffset.map { .i64($0) })
        meta.set(12, .structure(statistics.thrift(nullCount: nullCount, type: column.type)))
        var chunk = ThriftStruct()
        chunk.set(2, .i64(offset))
        chunk.set(3, .structure(meta))

        lastFlush = (uncompressed, written)
        reset()
        return chunk
    }

    /// Uncompressed and stored sizes of the last flushed chunk, for the row group's totals.
    private(set) var lastFlush: (uncompressed: Int64, stored: Int64) = (0, 0)

    private func reset() {
        pages = []
        uncompressedTotal = 0
        encodings = [3]
        pageEncodings = []
        valueCount = 0
        nullCount = 0
        statistics = ParquetStatistics()
        dictionaryMode = column.type == .string && limits.dictionaryBytes > 0
        dictionary = [:]
        dictionaryPlain = []
        dictionaryCount = 0
    }
}

/// Minimum and maximum of a chunk, kept as their PLAIN encodings (what `Statistics`
/// stores): signed order for integers, IEEE order without NaN for doubles, unsigned byte
/// order for strings (the type-defined orders the footer declares).
struct ParquetStatistics {
    private var minInt = Int64.max, maxInt = Int64.min
    private var minDouble = Double.infinity, maxDouble = -Double.infinity
    private var sawDouble = false
    private var minText: String?, maxText: String?

    /// Strings longer than this leave min and max out rather than bloat the footer.
    static let textLimit = 64

    mutating func include(_ v: Int64) {
        minInt = Swift.min(minInt, v)
        maxInt = Swift.max(maxInt, v)
    }

    mutating func include(_ v: Double) {
        guard !v.isNaN else { return }
        sawDouble = true
        minDouble = Swift.min(minDouble, v)
        maxDouble = Swift.max(maxDouble, v)
    }

    mutating func include(_ text: String) {
        // By bytes: String's own < treats canonically equivalent texts as equal.
        if minText.map({ text.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true { minText = text }
        if maxText.map({ $0.utf8.lexicographicallyPrecedes(text.utf8) }) ?? true { maxText = text }
    }

    func thrift(nullCount: Int64, type: ParquetColumnType) -> ThriftStruct {
        var s = ThriftStruct()
        s.set(3, .i64(nullCount))
        var minMax: ([UInt8], [UInt8])?
        switch type {
        case .int32 where minInt <= maxInt:
            minMax = (le(Int32(minInt)), le(Int32(maxInt)))
        case .int64 where minInt <= maxInt, .timestamp where minInt <= maxInt:
            minMax = (le(minInt), le(maxInt))
        case .double where sawDouble:
            // The spec's rule for zeros: a minimum of 0 is written -0.0, a maximum +0.0.
            let lo = minDouble == 0 ? -0.0 : minDouble
            let hi = maxDouble == 0 ? 0.0 : maxDouble
            minMax = (le(lo.bitPattern), le(hi.bitPattern))
        case .string:
            if let lo = minText, let hi = maxText, lo.utf8.count <= Self.textLimit, hi.utf8.count <= Self.textLimit {
                minMax = (Array(lo.utf8), Array(hi.utf8))
            }
        default:
            break
        }
        if let (lo, hi) = minMax {
            s.set(5, .binary(hi))
            s.set(6, .binary(lo))
        }
        return s
    }

    private func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        var out: [UInt8] = []
        ParquetEncoding.appendLittleEndian(v, into: &out)
        return out
    }
}

/// A dictionary key that compares strings by their UTF-8 bytes. `String`'s own equality is
/// canonical equivalence: "é" and "e\u{301}" are equal to it, and a dictionary keyed by
/// `String` would silently store the one as the other.
struct UTF8Key: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: UTF8Key, b: UTF8Key) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

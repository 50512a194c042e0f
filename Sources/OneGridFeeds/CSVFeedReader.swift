import OneGridCodecs
import OneGridModel

/// Reads a CSV feed file (plain or gzip) into `SourceRecord` rows.
///
/// Opening sniffs the first 64 KiB: a file that is empty or binary fails at once
/// (`.notThisFormat`); the encoding is detected (or forced) and a UTF-8 BOM skipped. The
/// header is the first non-blank record, its cells trimmed, full-width forms folded and any
/// stray BOM removed. Then each record is decoded cell by cell:
/// - ASCII cells take a fast path; UTF-8 is validated strictly; GB18030 goes through one
///   reused iconv handle;
/// - a cell that does not decode makes the record `.unreadable(.undecodableBytes)` with the
///   absolute offset of the bad byte and the header name of the cell;
/// - a blank line is `.skipped`; a record cut off by an unterminated quote at the end of the
///   file is `.unreadable(.unterminatedQuote)` with its raw bytes;
/// - a row with more cells than the header is `.unreadable(.raggedRow)`, whatever its surplus
///   cells hold; with `shortRows: .reject` one with fewer is `.unreadable(.shortRow)`, with
///   `.pad` it is padded with empty cells (counted in `paddedRows`) — except a short last
///   row with no line break after it: the file was cut off inside it, so it is rejected
///   either way. Both carry their decoded cells, so a mapping's skip rules can still
///   recognise a footer and skip it;
/// - a record over `RecordLimits` is `.unreadable(.recordTooLarge)` with its first bytes.
public final class CSVFeedReader: FeedReader {
    /// The path as given, used in every position.
    public let path: String
    public private(set) var header: [String]?
    /// The header record's bytes as stored in the file (no line break), kept so a rejected
    /// record can be read again later with the header it came under (`rejects replay`).
    public private(set) var headerRaw: [UInt8] = []
    public let encoding: TextEncodingName
    /// Whether the file started with a UTF-8 byte order mark.
    public let hasByteOrderMark: Bool
    public let isGzip: Bool
    public let fileSize: Int64
    public var bytesConsumed: Int64 { reader.bytesConsumed }

    private let reader: CSVByteReader
    private let decoder: CellDecoder
    private var record = CSVByteRecord()
    private var pending: [ReadItem] = []
    private var ordinal = 0
    private var finished = false
    private let shortRows: ShortRowPolicy
    /// Short rows padded with empty cells so far (`shortRows: .pad`), for the dry-run report.
    public private(set) var paddedRows = 0

    /// Opens `path` (plain or gzip) and reads its header.
    public convenience init(path: String, options: FeedReaderOptions = FeedReaderOptions(), tap: ByteTap? = nil) throws(FeedError) {
        let file = try OpenedFile(path: path, options: options, tap: tap)
        try self.init(stream: file.stream, path: path, isGzip: file.isGzip, fileSize: file.size, options: options)
    }

    /// Reads from an already opened (and, if need be, decompressed) stream; `path` only
    /// labels positions.
    public init(stream: any ByteStream, path: String, isGzip: Bool = false, fileSize: Int64 = 0,
                options: FeedReaderOptions = FeedReaderOptions()) throws(FeedError) {
        self.path = path
        self.isGzip = isGzip
        self.fileSize = fileSize
        shortRows = options.shortRows
        var source = stream
        let sample: [UInt8]
        do {
            sample = try readSample(from: &source, count: EncodingDetector.sampleSize)
        } catch {
            throw FeedError(error, at: SourcePosition(file: path))
        }
        if let problem = Self.notCSVReason(sample) {
            throw FeedError(kind: .notThisFormat, position: SourcePosition(file: path),
                            message: "not a CSV file: \(problem)")
        }
        let detected = EncodingDetector.detect(sample: sample, forced: options.encoding)
        encoding = detected.encoding
        hasByteOrderMark = detected.hasByteOrderMark
        let bom = detected.byteOrderMarkLength
        reader = CSVByteReader(stream: PrefixedByteStream(prefix: Array(sample[bom...]), rest: source),
                               delimiter: options.delimiter, startOffset: Int64(bom), limits: options.limits)
        decoder = CellDecoder(encoding: encoding)
        try readHeader()
    }

    /// Why the sample cannot be CSV text, or nil when it can.
    static func notCSVReason(_ sample: [UInt8]) -> String? {
        if sample.isEmpty { return "the file is empty" }
        let signatures: [(bytes: [UInt8], name: String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "it is a PNG image"),
            ([0x50, 0x4B, 0x03, 0x04], "it is a ZIP archive (an XLSX workbook?)"),
            ([0xD0, 0xCF, 0x11, 0xE0], "it is an OLE2 document (an XLS workbook?)"),
            ([0x25, 0x50, 0x44, 0x46], "it is a PDF document"),
            ([0x1F, 0x8B], "it is gzip-compressed twice"),
        ]
        for signature in signatures where sample.starts(with: signature.bytes) { return signature.name }
        if let nul = sample.firstIndex(of: 0) {
            return "it holds binary data (a NUL byte at offset \(nul))"
        }
        return nil
    }

    private func position(of record: CSVByteRecord, ordinal: Int = 0) -> SourcePosition {
        SourcePosition(file: path, byteOffset: record.byteOffset, line: record.line, record: ordinal)
    }

    private func readNext() throws(FeedError) -> Bool {
        do {
            return try reader.readRecord(into: &record)
        } catch {
            throw FeedError(error, at: SourcePosition(file: path, byteOffset: reader.offset, line: reader.line))
        }
    }

    private func readHeader() throws(FeedError) {
        while true {
            guard try readNext() else {
                throw FeedError(kind: .notThisFormat, position: SourcePosition(file: path, line: reader.line),
                                message: "no header row (only blank lines)")
            }
            if record.isBlank {
                pending.append(.skipped(position(of: record), reason: "blank line"))
                continue
            }
            if record.hasUnterminatedQuote {
                throw FeedError(kind: .notThisFormat, position: position(of: record),
                                message: "the header row opens a quote that is never closed")
            }
            if let oversize = record.oversize {
                throw FeedError(kind: .notThisFormat, position: position(of: record),
                                message: "the header row is over the reader's limit: \(oversize)")
            }
            var cells: [String] = []
            for index in 0..<record.count {
                switch decodeCell(index) {
                case .success(let text):
                    let folded = TextNormalization.halfWidth(text.replacingBOM())
                    cells.append(folded.trimmingWhitespace())
                case .failure(let problem):
                    throw FeedError(kind: .notThisFormat, position: position(of: record).with(field: "header"),
                                    message: "the header row is not readable: \(problem)")
                }
            }
            header = cells
            headerRaw = record.raw
            return
        }
    }

    private enum CellOutcome {
        case success(String)
        case failure(ReadProblem)
    }

    private func decodeCell(_ index: Int) -> CellOutcome {
        let range = record.range(ofField: index)
        var failure: CellDecodeFailure?
        let text = record.bytes.withUnsafeBufferPointer { all -> String in
            do throws(CellDecodeFailure) {
                return try decoder.decode(UnsafeBufferPointer(rebasing: all[range]))
            } catch {
                failure = error
                return ""
            }
        }
        guard let failure else { return .success(text) }
        let rawIndex = record.rawIndex(ofField: index, contentIndex: failure.index, delimiter: reader.delimiter) ?? 0
        return .failure(.undecodableBytes(encoding: encoding, byteOffset: record.byteOffset + Int64(rawIndex)))
    }

    public func next() throws(FeedError) -> ReadItem? {
        if !pending.isEmpty { return pending.removeFirst() }
        if finished { return nil }
        guard try readNext() else {
            finished = true
            return nil
        }
        if record.isBlank { return .skipped(position(of: record), reason: "blank line") }
        ordinal += 1
        let where_ = position(of: record, ordinal: ordinal)
        if let oversize = record.oversize {
            return .unreadable(UnreadableRecord(position: where_, reason: .recordTooLarge(limit: oversize), raw: record.raw))
        }
        if record.hasUnterminatedQuote {
            return .unreadable(UnreadableRecord(position: where_, reason: .unterminatedQuote, raw: record.raw))
        }
        var cells: [String] = []
        cells.reserveCapacity(record.count)
        for index in 0..<record.count {
            switch decodeCell(index) {
            case .success(let text): cells.append(text)
            case .failure(let problem):
                let field = header.flatMap { index < $0.count ? $0[index] : nil } ?? "#\(index + 1)"
                return .unreadable(UnreadableRecord(position: where_.with(field: field), reason: problem, raw: record.raw))
            }
        }
        let expected = header?.count ?? cells.count
        if cells.count > expected {
            return .unreadable(UnreadableRecord(position: where_, reason: .raggedRow(expected: expected, found: cells.count),
                                                raw: record.raw, cells: cells))
        }
        if cells.count < expected {
            // A last row with no line break after it may be a transfer cut short: never pad it.
            let cutOff = record.endsAtEndOfInput
            guard shortRows == .pad && !cutOff else {
                return .unreadable(UnreadableRecord(position: where_, reason: .shortRow(expected: expected, found: cells.count, cutOff: cutOff),
                                                    raw: record.raw, cells: cells))
            }
            cells += repeatElement("", count: expected - cells.count)
            paddedRows += 1
        }
        return .record(SourceRecord(position: where_, content: .row(cells), raw: record.raw))
    }
}

extension String {
    /// Drops U+FEFF wherever it sits (a BOM pasted into a header cell).
    func replacingBOM() -> String {
        unicodeScalars.contains("\u{FEFF}") ? String(String.UnicodeScalarView(unicodeScalars.filter { $0 != "\u{FEFF}" })) : self
    }

    /// Leading and trailing white space removed (Unicode white space, so U+3000 too).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}

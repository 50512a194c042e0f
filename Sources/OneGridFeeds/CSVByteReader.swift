import OneGridCodecs

// ADVICE FOR HACKERS — the CSV state machine.
//
// This is the hot path of the hotline feed: keep it a loop over raw bytes with no
// allocation per record. Rules that keep it correct:
//
// * It splits bytes, it never decodes. That is safe for UTF-8 and GB18030 because neither
//   encoding ever uses the bytes `,` `"` CR LF or TAB inside a multi-byte character (GB18030
//   trail bytes are 0x30–0x39 and 0x40–0xFE minus 0x7F). It would NOT be safe for `|`
//   (0x7C) or `\` (0x5C) as delimiters: GBK trail bytes include them.
// * Four states: field start, unquoted field, quoted field, and "a quote seen inside a quoted
//   field" (either the first of a doubled quote or the closing quote). Record terminators are
//   LF, CRLF and a lone CR; a CR ends the record at once and the LF that may follow it is
//   swallowed when the next record starts (`pendingLF`), so a CRLF split across two reads
//   needs no look-ahead.
// * Lines are counted at CR and at an LF not preceded by a CR, inside quotes too, so a
//   record's line is the physical line of its first byte in any mix of endings.
// * Runs of ordinary bytes are copied with one `append(contentsOf:)`; only the bytes that
//   change state are looked at one by one. The raw bytes of a record are copied the same
//   way: from `rawFrom` to wherever the buffer or the record ends.
// * Lenient like rust-csv: a quote inside an unquoted field is kept as a literal character,
//   and text after a closing quote (`"ab"c`) is kept (`abc`). An unterminated quote at the
//   end of the file still yields the record, flagged `hasUnterminatedQuote`, so its raw
//   bytes reach the rejects instead of vanishing.
// * Ragged rows are not this layer's business: a record has as many fields as it has.
// * Limits: content bytes go through `keep(_:into:)` and raw bytes through `keepRaw`, which
//   check a field's length, the record's raw length and its cell count against the limits.
//   The first limit crossed marks the record `oversize`: from then on its content and cell
//   ends are dropped, raw keeps only its first `keptRawBytes`, and the state machine keeps
//   running to the record's true end — so memory stays bounded by the limits whatever the
//   record holds, and the next record starts where it should.

/// A streaming, byte-level CSV reader (RFC 4180 plus the leniencies the feeds need) that
/// refills one fixed buffer from a `ByteStream` and fills a reused `CSVByteRecord`.
public final class CSVByteReader {
    /// The field separator byte (comma by default; tab works too).
    public let delimiter: UInt8
    private var stream: any ByteStream
    private var buffer: [UInt8] = []
    private var pos = 0
    /// Absolute offset of `buffer[0]`.
    private var bufferStart: Int64
    private var atEnd = false
    private let chunkSize: Int
    /// The previous record ended at a CR: an LF right after it belongs to that line break.
    private var pendingLF = false
    /// Line of the next unread byte, from 1.
    public private(set) var line = 1
    private let limits: RecordLimits

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    private enum State: UInt8 { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// - Parameters:
    ///   - startOffset: absolute offset of the stream's first byte in the file (3 when a BOM
    ///     was already consumed), so record offsets stay file offsets.
    ///   - chunkSize: bytes asked of the stream per read.
    ///   - limits: bounds on one record (bytes, one value's bytes, cells as `repeatedItems`).
    public init(stream: any ByteStream, delimiter: UInt8 = UInt8(ascii: ","), startOffset: Int64 = 0,
                chunkSize: Int = 64 * 1024, limits: RecordLimits = RecordLimits()) {
        self.stream = stream
        self.delimiter = delimiter
        self.limits = limits
        self.bufferStart = startOffset
        self.chunkSize = max(1, chunkSize)
        buffer.reserveCapacity(self.chunkSize)
    }

    /// Absolute offset of the next unread byte.
    public var offset: Int64 { bufferStart + Int64(pos) }

    /// Bytes consumed from the underlying file (compressed bytes for gzip).
    public var bytesConsumed: Int64 { stream.bytesConsumed }

    /// Makes unread bytes available; false at the end of the input.
    private func fill() throws(ByteIOError) -> Bool {
        if pos < buffer.count { return true }
        if atEnd { return false }
        bufferStart += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        pos = 0
        while buffer.isEmpty {
            if try stream.read(into: &buffer, maxCount: chunkSize) == 0 {
                atEnd = true
                return false
            }
        }
        return true
    }

    /// Reads the next record into `record`, reusing its storage. Returns false at the end of
    /// the input. Blank lines come back as records with `isBlank` set.
    public func readRecord(into record: inout CSVByteRecord) throws(ByteIOError) -> Bool {
        record.reset()
        if pendingLF {
            pendingLF = false
            guard try fill() else { return false }
            if buffer[pos] == Self.lf { pos += 1 }
        }
        guard try fill() else { return false }
        record.line = line
        record.byteOffset = offset
        var state = State.fieldStart
        var prevCR = false
        while true {
            guard try fill() else {
                // End of input inside a record: close the last field.
                if state == .quoted { record.hasUnterminatedQuote = true }
                endField(&record)
                record.endsAtEndOfInput = true
                return true
            }
            let done = buffer.withUnsafeBufferPointer { p in
                scan(p, &record, &state, &prevCR)
            }
            if done { return true }
        }
    }

    /// Runs the state machine over the buffered bytes from `pos`; true when the record ended.
    @inline(__always)
    private func scan(_ p: UnsafeBufferPointer<UInt8>, _ r: inout CSVByteRecord,
                      _ state: inout State, _ prevCR: inout Bool) -> Bool {
        let n = p.count
        let delim = delimiter
        var i = pos
        let rawFrom = i
        var ln = line
        var terminator: UInt8 = 0
        scanning: while i < n {
            switch state {
            case .fieldStart:
                let b = p[i]
                if b == Self.quote {
                    state = .quoted
                    i += 1
                } else if b == delim {
                    endField(&r)
                    i += 1
                } else if b == Self.lf || b == Self.cr {
                    if r.fieldEnds.isEmpty && r.oversize == nil { r.isBlank = true }
                    endField(&r)
                    terminator = b
                    break scanning
                } else {
                    state = .unquoted
                }
            case .unquoted:
                var j = i
                while j < n {
                    let c = p[j]
                    if c == delim || c == Self.lf || c == Self.cr { break }
                    j += 1
                }
                if j > i { keep(UnsafeBufferPointer(rebasing: p[i..<j]), into: &r) }
                i = j
                if j == n { break scanning }
                endField(&r)
                if p[j] == delim {
                    state = .fieldStart
                    i += 1
                } else {
                    terminator = p[j]
                    break scanning
                }
            case .quoted:
                var j = i
                while j < n {
                    let c = p[j]
                    if c == Self.quote { break }
                    if c == Self.lf {
                        if !prevCR { ln += 1 }
                        prevCR = false
                    } else if c == Self.cr {
                        ln += 1
                        prevCR = true
                    } else {
                        prevCR = false
                    }
                    j += 1
                }
                if j > i { keep(UnsafeBufferPointer(rebasing: p[i..<j]), into: &r) }
                i = j
                if j == n { break scanning }
                prevCR = false
                state = .quoteInQuoted
                i += 1
            case .quoteInQuoted:
                let b = p[i]
                if b == Self.quote {
                    withUnsafeBytes(of: Self.quote) { keep($0.assumingMemoryBound(to: UInt8.self), into: &r) } // a doubled quote
                    state = .quoted
                    i += 1
                } else if b == delim {
                    endField(&r)
                    state = .fieldStart
                    i += 1
                } else if b == Self.lf || b == Self.cr {
                    endField(&r)
                    terminator = b
                    break scanning
                } else {
                    state = .unquoted              // lenient: `"ab"c` reads as `abc`
                }
            }
        }
        if terminator != 0 {
            // The line break ends the record; it is not part of the raw bytes.
            keepRaw(UnsafeBufferPointer(rebasing: p[rawFrom..<i]), into: &r)
            ln += 1
            pendingLF = terminator == Self.cr
            pos = i + 1
            line = ln
            return true
        }
        keepRaw(UnsafeBufferPointer(rebasing: p[rawFrom..<n]), into: &r)
        pos = n
        line = ln
        return false
    }

    /// Appends content bytes to the current field, unless the field or record is over a limit.
    @inline(__always)
    private func keep(_ bytes: UnsafeBufferPointer<UInt8>, into r: inout CSVByteRecord) {
        guard r.oversize == nil else { return }
        let fieldLength = r.bytes.count - (r.fieldEnds.last ?? 0) + bytes.count
        if fieldLength > limits.valueBytes {
            markOversize(&r, "a value over \(limits.valueBytes) bytes (field \(r.fieldEnds.count + 1))")
            return
        }
        r.bytes.append(contentsOf: bytes)
    }

    /// Ends the current field, unless the record is over a limit (then only counts nothing).
    @inline(__always)
    private func endField(_ r: inout CSVByteRecord) {
        guard r.oversize == nil else { return }
        if r.fieldEnds.count >= limits.repeatedItems {
            markOversize(&r, "more than \(limits.repeatedItems) cells")
            return
        }
        r.fieldEnds.append(r.bytes.count)
    }

    /// Appends raw bytes of the record: all of them within the record limit, the first
    /// `keptRawBytes` of an oversize record.
    @inline(__always)
    private func keepRaw(_ bytes: UnsafeBufferPointer<UInt8>, into r: inout CSVByteRecord) {
        if r.oversize == nil && r.raw.count + bytes.count > limits.recordBytes {
            markOversize(&r, "a record over \(limits.recordBytes) bytes")
        }
        if r.oversize == nil {
            r.raw.append(contentsOf: bytes)
        } else if r.raw.count < limits.keptRawBytes {
            r.raw.append(contentsOf: bytes.prefix(limits.keptRawBytes - r.raw.count))
        }
    }

    private func markOversize(_ r: inout CSVByteRecord, _ why: String) {
        r.oversize = why
        r.bytes = []
        r.fieldEnds = []
        if r.raw.count > limits.keptRawBytes { r.raw.removeSubrange(limits.keptRawBytes...) }
    }
}

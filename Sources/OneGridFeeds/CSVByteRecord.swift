/// One CSV record as bytes: every field's content (quotes removed, doubled quotes made
/// single) packed into one buffer, with the end index of each field.
///
/// A reader fills the same value again and again (`CSVByteReader.readRecord(into:)`), so
/// reading a million rows allocates almost nothing; text is decoded only when asked for.
public struct CSVByteRecord: Sendable {
    /// The fields' content bytes, back to back.
    public internal(set) var bytes: [UInt8] = []
    /// End index in `bytes` of each field; the count of fields is `fieldEnds.count`.
    public internal(set) var fieldEnds: [Int] = []
    /// The record as stored in the file, from its first byte up to (not including) the line
    /// break that ends it; embedded line breaks of quoted fields are kept.
    public internal(set) var raw: [UInt8] = []
    /// Line of the record's first byte, from 1.
    public internal(set) var line: Int = 0
    /// Absolute offset of the record's first byte in the (decompressed) file, from 0.
    public internal(set) var byteOffset: Int64 = 0
    /// An empty line: no bytes at all before its line break. Not a data record.
    public internal(set) var isBlank = false
    /// The file ended inside a quoted field: the last field runs to the end of the file and
    /// the record should be rejected rather than trusted.
    public internal(set) var hasUnterminatedQuote = false
    /// The record ended at the end of the input, with no line break after it (a last line
    /// without a final newline, or a file cut off inside its last row).
    public internal(set) var endsAtEndOfInput = false
    /// Set when the record went over one of the reader's limits (which one, in words): its
    /// fields are then not kept and `raw` holds only its first bytes.
    public internal(set) var oversize: String?

    public init() {
        bytes.reserveCapacity(1024)
        fieldEnds.reserveCapacity(32)
        raw.reserveCapacity(1024)
    }

    /// The number of fields.
    public var count: Int { fieldEnds.count }

    /// The range in `bytes` of field `index` (from 0).
    public func range(ofField index: Int) -> Range<Int> {
        (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    /// The content bytes of field `index` (from 0).
    public subscript(index: Int) -> ArraySlice<UInt8> { bytes[range(ofField: index)] }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        isBlank = false
        hasUnterminatedQuote = false
        endsAtEndOfInput = false
        oversize = nil
    }

    /// Where content byte `contentIndex` of field `field` sits in `raw`, found by walking the
    /// raw bytes again with the same rules. Only error reporting needs this (a bad byte's
    /// absolute offset), so the hot path keeps no per-byte map.
    public func rawIndex(ofField field: Int, contentIndex: Int, delimiter: UInt8) -> Int? {
        let quote = UInt8(ascii: "\"")
        var current = 0
        var content = 0
        var state = 0 // 0 field start, 1 unquoted, 2 quoted, 3 quote seen inside quotes
        for (index, byte) in raw.enumerated() {
            var isContent = false
            switch state {
            case 0:
                if byte == quote { state = 2 } else if byte == delimiter { current += 1; content = 0 } else {
                    state = 1; isContent = true
                }
            case 1:
                if byte == delimiter { current += 1; content = 0; state = 0 } else { isContent = true }
            case 2:
                if byte == quote { state = 3 } else { isContent = true }
            default:
                if byte == quote { state = 2; isContent = true } else if byte == delimiter {
                    current += 1; content = 0; state = 0
                } else { state = 1; isContent = true }
            }
            if isContent {
                if current == field && content == contentIndex { return index }
                content += 1
            }
        }
        return nil
    }
}

/// Where a record or a value came from in an input file.
///
/// Lines and record ordinals start at 1; byte offsets start at 0 and count bytes of the
/// file as stored (after gzip decompression, before text decoding). `record` is the
/// ordinal of the data record in its file (header rows and skipped rows not counted for
/// CSV, the n-th selected element for XML, the n-th non-blank line for JSON Lines).
public struct SourcePosition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The path of the file as given to the reader.
    public var file: String
    /// Byte offset of the record's first byte, from 0.
    public var byteOffset: Int64
    /// Line of the record's first byte, from 1.
    public var line: Int
    /// Record ordinal within the file, from 1; 0 when the position is not a record's.
    public var record: Int
    /// Column within the line, from 1, when known (XML faults); 0 when unknown.
    public var column: Int
    /// The field, column header, XML path or JSON path the position narrows to.
    public var field: String?

    public init(file: String, byteOffset: Int64 = 0, line: Int = 0, record: Int = 0,
                column: Int = 0, field: String? = nil) {
        self.file = file
        self.byteOffset = byteOffset
        self.line = line
        self.record = record
        self.column = column
        self.field = field
    }

    /// The same position narrowed to one field.
    public func with(field: String?) -> SourcePosition {
        var copy = self
        copy.field = field
        return copy
    }

    /// `file:line[:column]: record N, field 'X'`, the one shape every error message uses
    /// (`file` alone when no line is known, as for a file that fails before its first line).
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" }
        if line > 0 && column > 0 { text += ":\(column)" }
        var parts: [String] = []
        if record > 0 { parts.append("record \(record)") }
        if let field { parts.append("field '\(field)'") }
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        return text
    }
}

import OneGridCodecs

/// Reading generated files back, for tests and demos that must not depend on the readers.
public enum SampleFiles {
    /// The file's bytes, gunzipped when it starts with the gzip magic.
    public static func bytes(of path: String) throws -> [UInt8] {
        let (stream, _, _) = try ByteSource.open(path: path)
        var stream2 = stream
        var out: [UInt8] = []
        while try stream2.read(into: &out, maxCount: 1 << 16) > 0 {}
        return out
    }

    /// The file's text: a UTF-8 BOM is dropped, valid UTF-8 is taken as is, anything else is
    /// decoded as GB18030.
    public static func text(of path: String) throws -> String {
        var data = try bytes(of: path)
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        if let text = String(validating: data, as: UTF8.self) { return text }
        let utf8 = try Transcoder(from: .gb18030, to: .utf8).convert(data)
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Whether the bytes are valid UTF-8.
    public static func isValidUTF8(_ data: [UInt8]) -> Bool {
        String(validating: data, as: UTF8.self) != nil
    }
}

/// Why an export could not be produced. Nothing is left at the output path when one is thrown.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--pii clear` was asked for without the key file.
    case clearNeedsKey
    /// `--pii clear` for an event whose current version payload is missing.
    case clearPayloadMissing(source: String, sourceKey: String)
    /// A sealed payload did not open or decode (wrong key file, damaged data).
    case clearPayloadUnreadable(source: String, sourceKey: String)
    /// An option value is invalid (`name`, and why).
    case invalidOption(name: String, message: String)
    /// A filter names something the warehouse does not hold, or cannot hold (`name` is the
    /// option, `message` says why and names the valid values): a usage error.
    case invalidFilter(name: String, message: String)
    /// The output file could not be written.
    case io(path: String, message: String)
    /// The XLSX zip would exceed 4 GiB (ZIP64 is not written).
    case tooLargeForZip(path: String)

    public var description: String {
        switch self {
        case .clearNeedsKey:
            return "--pii clear needs the key file (--key); nothing was written"
        case .clearPayloadMissing(let source, let key):
            return "--pii clear: event \(source)/\(key) has no stored payload holding clear values; nothing was written"
        case .clearPayloadUnreadable(let source, let key):
            return "--pii clear: the payload of event \(source)/\(key) does not open with this key file; nothing was written"
        case .invalidOption(let name, let message):
            return "\(name): \(message)"
        case .invalidFilter(let name, let message):
            return "\(name): \(message)"
        case .io(let path, let message):
            return "\(path): \(message)"
        case .tooLargeForZip(let path):
            return "\(path): the workbook would exceed 4 GiB, which needs ZIP64; export as CSV instead"
        }
    }
}

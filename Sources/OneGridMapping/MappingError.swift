/// A YAML file (a feed mapping, a code table, the run configuration) that cannot be used,
/// with the file, line and key path of the fault. Such errors are fatal: no record is read
/// until the file is right.
public struct MappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Line of the offending key or value in the YAML file, from 1; 0 when not known.
    public var line: Int
    /// The key path, e.g. `fields.reported_at.parse`.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line: 'key.path': message`; the line is left out when unknown (a file that
    /// cannot be read at all).
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return keyPath.isEmpty ? "\(place): \(message)" : "\(place): '\(keyPath)': \(message)"
    }
}

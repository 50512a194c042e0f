import Yams

/// A cursor over a YAML node that knows its file and key path, so every complaint about a
/// mapping, code table or configuration file names where it is. Unknown keys are errors: a
/// typo must not be ignored.
public struct YAMLCursor {
    public let node: Node
    public let file: String
    public let path: String

    public init(node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    public var line: Int { node.mark?.line ?? 0 }

    public func error(_ message: String) -> MappingError {
        MappingError(file: file, line: line, keyPath: path, message: message)
    }

    func child(_ key: String, _ node: Node) -> YAMLCursor {
        YAMLCursor(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The mapping's entries in order, refusing keys not in `allowed`.
    public func entries(allowed: Set<String>? = nil) throws(MappingError) -> [(String, YAMLCursor)] {
        guard let mapping = node.mapping else { throw error("expected a mapping (key: value pairs)") }
        var out: [(String, YAMLCursor)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw YAMLCursor(node: keyNode, file: file, path: path).error("keys must be text")
            }
            let cursor = child(key, valueNode)
            if let allowed, !allowed.contains(key) {
                let known = allowed.sorted().joined(separator: ", ")
                throw YAMLCursor(node: keyNode, file: file, path: cursor.path)
                    .error("unknown key '\(key)' (known keys: \(known))")
            }
            out.append((key, cursor))
        }
        return out
    }

    public func string() throws(MappingError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a text value") }
        return scalar.string
    }

    func bool() throws(MappingError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false") }
        return value
    }

    func int() throws(MappingError) -> Int {
        guard let value = node.int else { throw error("expected a whole number") }
        return value
    }

    func double() throws(MappingError) -> Double {
        guard let value = node.float ?? node.int.map(Double.init) else { throw error("expected a number") }
        return value
    }

    /// A list of strings; a single string is taken as a one-element list.
    func strings() throws(MappingError) -> [String] {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let seq):
            var out: [String] = []
            for (i, item) in seq.enumerated() {
                out.append(try YAMLCursor(node: item, file: file, path: "\(path)[\(i)]").string())
            }
            return out
        default: throw error("expected text or a list of text")
        }
    }

    func items() throws(MappingError) -> [YAMLCursor] {
        guard case .sequence(let seq) = node else { throw error("expected a list") }
        return seq.enumerated().map { YAMLCursor(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    var isMapping: Bool { node.mapping != nil }
}

import CYaml
import Foundation
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

    public func bool() throws(MappingError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false") }
        return value
    }

    public func int() throws(MappingError) -> Int {
        guard let value = node.int else { throw error("expected a whole number") }
        return value
    }

    public func double() throws(MappingError) -> Double {
        guard let value = node.float ?? node.int.map(Double.init) else { throw error("expected a number") }
        return value
    }

    /// A list of strings; a single string is taken as a one-element list.
    public func strings() throws(MappingError) -> [String] {
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

    public func items() throws(MappingError) -> [YAMLCursor] {
        guard case .sequence(let seq) = node else { throw error("expected a list") }
        return seq.enumerated().map { YAMLCursor(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    var isMapping: Bool { node.mapping != nil }
}

/// The bounds every YAML file of the project (mappings, code tables, the run configuration) is
/// read under. The defaults are far above any real file and far below harm: a hand-written
/// mapping holds a few hundred nodes (the largest shipped file, hotline12345.yaml, is 5 KB),
/// and Yams composes an alias as a shared value that every walk over the tree then expands
/// again, so a 3 KB file of nested aliases stands for billions of nodes (issue #12: 35 s and
/// 6.5 GB before this gate). Composing is the dear part (measured in a debug build: 3.3 s for
/// 100,000 plain nodes in 490 KB), so the node limit also bounds the time of a large honest file.
public struct YAMLLimits: Sendable, Equatable {
    /// Largest file accepted, in bytes.
    public var maximumBytes: Int
    /// Most nodes (scalars, lists, mappings) the document may hold once every alias is expanded.
    public var maximumNodes: Int
    /// Deepest nesting of lists and mappings.
    public var maximumDepth: Int

    public init(maximumBytes: Int = 1 << 20, maximumNodes: Int = 100_000, maximumDepth: Int = 64) {
        self.maximumBytes = maximumBytes
        self.maximumNodes = maximumNodes
        self.maximumDepth = maximumDepth
    }

    public static let standard = YAMLLimits()
}

/// A YAML file read through the project's one gate: its bytes (for version hashes) and a cursor
/// on its root (nil when the file holds no document).
///
/// Every YAML file goes through `parse(_:file:limits:)` (`load(path:limits:)` reads the file
/// first): size, nesting and alias expansion are checked on libyaml's event stream before Yams
/// composes a tree, so a hostile file is refused in the time it takes to read it. Errors name
/// the file, line and column and a reason, never the file's text (a configuration may hold
/// paths or keys that do not belong in a log).
public struct YAMLDocument {
    public let file: String
    public let bytes: [UInt8]
    public let root: YAMLCursor?

    /// Reads `path` (a regular file only: a FIFO or device would block or never end) and parses
    /// it; `kind` names the file in messages ("crosswalk file not found").
    public static func load(path: String, kind: String = "YAML", limits: YAMLLimits = .standard) throws(MappingError) -> YAMLDocument {
        try parse(try readRegularFile(path, kind: kind, limit: limits.maximumBytes), file: path, limits: limits)
    }

    /// Checks `bytes` against `limits`, then composes them; `file` names them in errors.
    public static func parse(_ bytes: [UInt8], file: String, limits: YAMLLimits = .standard) throws(MappingError) -> YAMLDocument {
        guard bytes.count <= limits.maximumBytes else {
            throw MappingError(file: file, line: 0, keyPath: "", message: "file of \(bytes.count) bytes exceeds the limit of \(limits.maximumBytes) bytes")
        }
        if let failure = EventScan.check(bytes, limits: limits) {
            throw MappingError(file: file, line: failure.line, keyPath: "", message: "\(failure.message) (column \(failure.column))")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self)) } catch let error as YamlError {
            let (line, column, reason) = Self.describe(error)
            throw MappingError(file: file, line: line, keyPath: "", message: column > 0 ? "not valid YAML: \(reason) (column \(column))" : "not valid YAML: \(reason)")
        } catch {
            throw MappingError(file: file, line: 0, keyPath: "", message: "not valid YAML")
        }
        return YAMLDocument(file: file, bytes: bytes, root: node.map { YAMLCursor(node: $0, file: file, path: "") })
    }

    /// Line, column and reason of a Yams error, leaving out the excerpt of the file Yams
    /// appends to its own description.
    static func describe(_ error: YamlError) -> (line: Int, column: Int, reason: String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return (mark.line, mark.column, problem)
        case .duplicatedKeysInMapping(_, let context):
            return (context.mark.line, context.mark.column, "a key appears twice in one mapping")
        case .reader(let problem, _, _, _):
            return (0, 0, problem)
        default:
            return (0, 0, "unreadable")
        }
    }

    /// The file's bytes, refusing what is not a regular file or is over `limit` bytes before
    /// reading it. Opened non-blocking so a FIFO swapped in after the check cannot hang the run.
    static func readRegularFile(_ path: String, kind: String, limit: Int) throws(MappingError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw MappingError(file: path, line: 0, keyPath: "", message: errno == ENOENT ? "\(kind) file not found" : "\(kind) file not readable")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw MappingError(file: path, line: 0, keyPath: "", message: "\(kind) file is not a regular file")
        }
        guard Int(info.st_size) <= limit else {
            throw MappingError(file: path, line: 0, keyPath: "", message: "file of \(info.st_size) bytes exceeds the limit of \(limit) bytes")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MappingError(file: path, line: 0, keyPath: "", message: "read failed (errno \(errno))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            // The file grew since fstat: still refuse past the limit.
            guard bytes.count <= limit else {
                throw MappingError(file: path, line: 0, keyPath: "", message: "file exceeds the limit of \(limit) bytes")
            }
        }
        return bytes
    }
}

/// The pass over libyaml's events that bounds a document before it is composed.
///
/// Advice for hackers: an alias costs the size of the node its anchor names, counted when the
/// alias is met, so `total` is the size of the fully expanded document, computed in one pass
/// over the unexpanded one. Sizes never overflow: the pass stops as soon as `total` passes the
/// limit, and every anchor's size is at most `total`.
enum EventScan {
    struct Failure {
        var line: Int
        var column: Int
        var message: String
    }

    static func check(_ bytes: [UInt8], limits: YAMLLimits) -> Failure? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return Failure(line: 0, column: 0, message: "out of memory") }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> Failure? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchorSizes: [String: Int] = [:]
            // Open lists and mappings: the size so far (themselves included) and their anchor.
            var open: [(size: Int, anchor: String?)] = []
            var total = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let mark = parser.problem_mark
                    let problem = parser.problem.map { String(cString: $0) } ?? "unreadable"
                    return Failure(line: mark.line + 1, column: mark.column + 1, message: "not valid YAML: \(problem)")
                }
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                func failure(_ message: String) -> Failure { Failure(line: mark.line + 1, column: mark.column + 1, message: message) }
                var size = 0
                var anchor: String?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_DOCUMENT_START_EVENT:
                    anchorSizes = [:]
                    continue
                case YAML_SCALAR_EVENT:
                    size = 1
                    anchor = event.data.scalar.anchor.map { String(cString: $0) }
                case YAML_ALIAS_EVENT:
                    let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                    guard let known = anchorSizes[name] else { return failure("an alias names an anchor not defined before it") }
                    size = known
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    total += 1
                    guard total <= limits.maximumNodes else { return failure("more than \(limits.maximumNodes) nodes") }
                    let name = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                    open.append((1, name.map { String(cString: $0) }))
                    guard open.count <= limits.maximumDepth else { return failure("nested deeper than \(limits.maximumDepth) levels") }
                    continue
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { continue }
                    if let name = closed.anchor { anchorSizes[name] = closed.size }
                    if !open.isEmpty { open[open.count - 1].size += closed.size }
                    continue
                default:
                    continue
                }
                if let anchor { anchorSizes[anchor] = size }
                if !open.isEmpty { open[open.count - 1].size += size }
                total += size
                guard total <= limits.maximumNodes else {
                    return failure(event.type == YAML_ALIAS_EVENT
                        ? "aliases expand past \(limits.maximumNodes) nodes: refused as an alias bomb"
                        : "more than \(limits.maximumNodes) nodes")
                }
            }
        }
    }
}

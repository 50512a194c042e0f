import Foundation
import OneGridMapping
import Testing

/// A fresh file under the temporary folder holding `text`.
func temporaryYAML(_ name: String, _ text: String) -> String {
    let path = NSTemporaryDirectory() + "onegrid-yaml-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

/// The billion laughs in YAML: each level a list of ten aliases of the level below, 3.3 KB
/// standing for 10⁹ nodes (issue #12's file took 35 s and 6.5 GB).
let billionLaughs: String = {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
        text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    return text + "feed: f\nkey: a\n"
}()

@Suite("The one YAML gate")
struct YAMLGateTests {
    @Test("an alias bomb is refused within a second, at the alias that crosses the limit")
    func aliasBomb() throws {
        let clock = ContinuousClock()
        var caught: MappingError?
        let elapsed = clock.measure {
            do { _ = try YAMLDocument.parse(Array(billionLaughs.utf8), file: "bomb.yaml") } catch let e as MappingError { caught = e } catch {}
        }
        let error = try #require(caught)
        #expect(elapsed < .seconds(1))
        #expect(error.file == "bomb.yaml")
        // Lines 1–4 hold 12,349 nodes expanded; line 5 adds its key and list, then each alias
        // of a3 adds 11,111: the eighth, at column 45, is the first past 100,000.
        #expect(error.line == 5)
        #expect(error.message == "aliases expand past 100000 nodes: refused as an alias bomb (column 45)")
    }

    @Test("the same bomb through a mapping file is refused by the mapping loader too")
    func aliasBombAsMapping() throws {
        let path = temporaryYAML("bomb-mapping.yaml", billionLaughs)
        #expect(throws: MappingError.self) { _ = try YAMLDocument.load(path: path, kind: "mapping") }
    }

    @Test("aliases within the limit are expanded as YAML says")
    func aliasesWithinLimit() throws {
        let text = "base: &base [北京, 上海]\ncopy: *base\n"
        let root = try #require(try YAMLDocument.parse(Array(text.utf8), file: "ok.yaml").root)
        let entries = try root.entries()
        #expect(entries.map(\.0) == ["base", "copy"])
        #expect(try entries[1].1.strings() == ["北京", "上海"])
    }

    @Test("an alias to an anchor not yet defined is refused with its line")
    func undefinedAlias() {
        #expect(throws: MappingError(file: "u.yaml", line: 2, keyPath: "", message: "an alias names an anchor not defined before it (column 4)")) {
            _ = try YAMLDocument.parse(Array("a: 1\nb: *nope\n".utf8), file: "u.yaml")
        }
    }

    @Test("nesting deeper than the limit is refused at the list that crosses it")
    func deepNesting() {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: MappingError(file: "deep.yaml", line: 1, keyPath: "", message: "nested deeper than 64 levels (column 65)")) {
            _ = try YAMLDocument.parse(Array(text.utf8), file: "deep.yaml")
        }
    }

    @Test("a file over the size limit is refused before it is read")
    func tooLarge() {
        let path = temporaryYAML("big.yaml", String(repeating: "a: 1\n", count: 30))
        let limits = YAMLLimits(maximumBytes: 100)
        #expect(throws: MappingError(file: path, line: 0, keyPath: "", message: "file of 150 bytes exceeds the limit of 100 bytes")) {
            _ = try YAMLDocument.load(path: path, limits: limits)
        }
    }

    @Test("a FIFO is refused at once, not waited on")
    func fifo() throws {
        let path = NSTemporaryDirectory() + "onegrid-yaml-fifo-\(UInt32.random(in: 0...UInt32.max))"
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        #expect(throws: MappingError(file: path, line: 0, keyPath: "", message: "crosswalk file is not a regular file")) {
            _ = try YAMLDocument.load(path: path, kind: "crosswalk")
        }
    }

    @Test("a syntax error names line and column and never the file's text")
    func syntaxErrorWithoutContent() throws {
        let text = "warehouse: w.db\nkey_file: \"/secret/path-4711\nfeeds: {}\n"
        var caught: MappingError?
        do { _ = try YAMLDocument.parse(Array(text.utf8), file: "c.yaml") } catch { caught = error }
        let error = try #require(caught)
        #expect(error.line == 4)
        #expect(error.message.hasPrefix("not valid YAML: found unexpected end of stream"))
        #expect(!error.description.contains("secret") && !error.description.contains("4711"))
    }

    @Test("a key given twice in one mapping is refused without printing the key")
    func duplicateKey() throws {
        var caught: MappingError?
        do { _ = try YAMLDocument.parse(Array("token-9f3a: 1\ntoken-9f3a: 2\n".utf8), file: "d.yaml") } catch { caught = error }
        let error = try #require(caught)
        #expect(error.message.hasPrefix("not valid YAML: a key appears twice in one mapping"))
        #expect(!error.description.contains("9f3a"))
    }

    @Test("an empty file has no root")
    func empty() throws {
        #expect(try YAMLDocument.parse([], file: "e.yaml").root == nil)
    }
}

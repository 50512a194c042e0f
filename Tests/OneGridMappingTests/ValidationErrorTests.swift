import Foundation
import OneGridMapping
import Testing

/// One faulty mapping and the error it must give.
struct FaultCase: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    var line: Int
    var keyPath: String
    var message: String
    var testDescription: String { name }
}

let codes = root + "/Mappings/codes"
let fixtureCodes = root + "/Tests/Fixtures/mappings/codes"

let faults: [FaultCase] = [
    .init(name: "empty file", yaml: "", line: 1, keyPath: "", message: "the mapping file is empty"),
    .init(name: "not YAML", yaml: "feed: [a\n", line: 2, keyPath: "", message: "not valid YAML"),
    .init(name: "no feed", yaml: "key: a\n", line: 1, keyPath: "", message: "'feed' (the feed's name) is required"),
    .init(name: "bad feed name", yaml: "feed: a b\nkey: a\n", line: 1, keyPath: "feed", message: "a feed name holds letters, digits, '_' and '-' only"),
    .init(name: "unknown top key", yaml: "feed: f\nkey: a\nfeilds: {}\n", line: 3, keyPath: "feilds", message: "unknown key 'feilds'"),
    .init(name: "no key", yaml: "feed: f\n", line: 1, keyPath: "", message: "'key' (the rule for the record's own key) is required"),
    .init(name: "bad format type", yaml: "feed: f\nformat: {type: xlsx}\nkey: a\n", line: 2, keyPath: "format.type", message: "type is csv, xml or jsonl"),
    .init(name: "unknown format key", yaml: "feed: f\nformat: {type: csv, quote: x}\nkey: a\n", line: 2, keyPath: "format.quote", message: "unknown key 'quote'"),
    .init(name: "bad encoding", yaml: "feed: f\nformat: {encoding: latin1}\nkey: a\n", line: 2, keyPath: "format.encoding", message: "encoding is auto, utf-8, gb18030, gbk or gb2312"),
    .init(name: "bad delimiter", yaml: "feed: f\nformat: {delimiter: ';;'}\nkey: a\n", line: 2, keyPath: "format.delimiter", message: "the delimiter is one ASCII character"),
    .init(name: "xml without record_path", yaml: "feed: f\nformat: {type: xml}\nkey: a\n", line: 2, keyPath: "format", message: "xml feeds need 'record_path'"),
    .init(name: "relative record_path", yaml: "feed: f\nformat: {type: xml, record_path: A/B}\nkey: a\n", line: 2, keyPath: "format.record_path", message: "record_path starts at the root"),
    .init(name: "missing taxonomy", yaml: "feed: f\ntaxonomy: nope.yaml\nkey: a\n", line: 2, keyPath: "taxonomy", message: "taxonomy file not found"),
    .init(name: "columns in a jsonl feed", yaml: "feed: f\nformat: {type: jsonl}\ncolumns: {a: [b]}\nkey: a\n", line: 3, keyPath: "columns", message: "'columns' applies to csv feeds only"),
    .init(name: "bad drift policy", yaml: "feed: f\nschema: {missing_required: ignore}\nkey: a\n", line: 2, keyPath: "schema.missing_required", message: "fail or warn"),
    .init(name: "bad unknown-columns policy", yaml: "feed: f\nschema: {unknown_columns: shout}\nkey: a\n", line: 2, keyPath: "schema.unknown_columns", message: "warn, ignore or fail"),
    .init(name: "bad file_date regex", yaml: "feed: f\nfile_date: '(20'\nkey: a\n", line: 2, keyPath: "file_date", message: "'(20' is not a valid regular expression"),
    .init(name: "unknown target", yaml: "feed: f\nkey: a\nfields:\n  reporter: b\n", line: 4, keyPath: "fields.reporter", message: "unknown target field 'reporter'"),
    .init(name: "unknown rule key", yaml: "feed: f\nkey: a\nfields:\n  title: {column: b, requird: true}\n", line: 4, keyPath: "fields.title.requird", message: "unknown key 'requird'"),
    .init(name: "rule without source", yaml: "feed: f\nkey: a\nfields:\n  title: {required: true}\n", line: 4, keyPath: "fields.title", message: "a rule needs one source"),
    .init(name: "rule with two sources", yaml: "feed: f\nkey: a\nfields:\n  title: {column: b, const: c}\n", line: 4, keyPath: "fields.title", message: "a rule has one source, found column and const"),
    .init(name: "path in a csv feed", yaml: "feed: f\nkey: a\nfields:\n  title: {path: b}\n", line: 4, keyPath: "fields.title.path", message: "'path' applies to xml and jsonl feeds; use 'column'"),
    .init(name: "column in a jsonl feed", yaml: "feed: f\nformat: {type: jsonl}\nkey: a\nfields:\n  title: {column: b}\n", line: 5, keyPath: "fields.title.column", message: "'column' applies to csv feeds; use 'path'"),
    .init(name: "empty path", yaml: "feed: f\nformat: {type: jsonl}\nkey: a\nfields:\n  title: {path: /}\n", line: 5, keyPath: "fields.title.path", message: "a path names at least one element or key"),
    .init(name: "regex that could stall", yaml: "feed: f\nkey: {column: a, regex: '(.*a){20}'}\n", line: 2, keyPath: "key.regex",
          message: "'(.*a){20}' could stall an import: a quantifier nested inside another repeating quantifier (star height above 1) (at character 2 of the pattern)"),
    .init(name: "bad short_rows policy", yaml: "feed: f\nschema: {short_rows: hand_on}\nkey: a\n", line: 2, keyPath: "schema.short_rows", message: "reject or pad"),
    .init(name: "bad regex", yaml: "feed: f\nkey: {column: a, regex: '([0-9]+'}\n", line: 2, keyPath: "key.regex", message: "'([0-9]+' is not a valid regular expression"),
    .init(name: "bad matches", yaml: "feed: f\nkey: a\nfields:\n  voided: {column: b, matches: '[作废'}\n", line: 4, keyPath: "fields.voided.matches", message: "'[作废' is not a valid regular expression"),
    .init(name: "index not a number", yaml: "feed: f\nkey: a\nfields:\n  title: {column: b, split: '-', index: last}\n", line: 4, keyPath: "fields.title.index", message: "expected a whole number"),
    .init(name: "missing crosswalk", yaml: "feed: f\nkey: a\nfields:\n  category: {column: b, crosswalk: codes/none.yaml}\n", line: 4, keyPath: "fields.category.crosswalk", message: "crosswalk file not found"),
    .init(name: "crosswalk outside the taxonomy", yaml: "feed: f\ntaxonomy: codes/categories.yaml\nkey: a\nfields:\n  category: {column: b, crosswalk: codes/bad-target-categories.yaml}\n", line: 5, keyPath: "fields.category.crosswalk", message: "crosswalk codes/bad-target-categories.yaml maps to 'ZZ.01', which the taxonomy"),
    .init(name: "map to a code outside the taxonomy", yaml: "feed: f\ntaxonomy: codes/categories.yaml\nkey: a\nfields:\n  category: {column: b, map: {x: XX.01}}\n", line: 5, keyPath: "fields.category.map", message: "'XX.01' is not a code of the taxonomy"),
    .init(name: "map_default outside the taxonomy", yaml: "feed: f\ntaxonomy: codes/categories.yaml\nkey: a\nfields:\n  category: {column: b, map: {x: MD.02}, map_default: MS.98}\n", line: 5, keyPath: "fields.category.map_default", message: "'MS.98' is not a code of the taxonomy"),
    .init(name: "crosswalk by absolute path", yaml: "feed: f\nkey: a\nfields:\n  category: {column: b, crosswalk: /etc/passwd}\n", line: 4, keyPath: "fields.category.crosswalk", message: "'/etc/passwd' is an absolute path; a mapping names files relative to its own folder"),
    .init(name: "crosswalk out of the folder", yaml: "feed: f\nkey: a\nfields:\n  category: {column: b, crosswalk: codes/../../outside.yaml}\n", line: 4, keyPath: "fields.category.crosswalk", message: "'codes/../../outside.yaml' is outside the mapping's folder"),
    .init(name: "crosswalk through a link out of the folder", yaml: "feed: f\nkey: a\nfields:\n  category: {column: b, crosswalk: codes/passwd-link.yaml}\n", line: 4, keyPath: "fields.category.crosswalk", message: "'codes/passwd-link.yaml' is outside the mapping's folder"),
    .init(name: "taxonomy by absolute path", yaml: "feed: f\ntaxonomy: /etc/shadow\nkey: a\n", line: 2, keyPath: "taxonomy", message: "'/etc/shadow' is an absolute path"),
    .init(name: "unknown parse", yaml: "feed: f\nkey: a\nfields:\n  title: {column: b, parse: date}\n", line: 4, keyPath: "fields.title.parse", message: "parse is one of text, datetime, number, integer, bool, id_number, phone"),
    .init(name: "bad date format", yaml: "feed: f\nkey: a\nfields:\n  reported_at: {column: b, formats: [yyyy-MM-dd QQ]}\n", line: 4, keyPath: "fields.reported_at.formats", message: "date format 'yyyy-MM-dd QQ' is invalid: unknown pattern letter 'Q'"),
    .init(name: "date format without a day", yaml: "feed: f\nkey: a\nfields:\n  reported_at: {column: b, formats: [yyyy-MM]}\n", line: 4, keyPath: "fields.reported_at.formats", message: "date format 'yyyy-MM' is invalid: a date format needs yyyy, M and d"),
    .init(name: "empty formats", yaml: "feed: f\nkey: a\nfields:\n  reported_at: {column: b, formats: []}\n", line: 4, keyPath: "fields.reported_at.formats", message: "formats lists at least one"),
    .init(name: "bad on_error", yaml: "feed: f\nkey: a\nfields:\n  title: {column: b, on_error: skip}\n", line: 4, keyPath: "fields.title.on_error", message: "on_error is reject or drop_value"),
    .init(name: "required not a bool", yaml: "feed: f\nkey: a\nfields:\n  title: {column: b, required: maybe}\n", line: 4, keyPath: "fields.title.required", message: "expected true or false"),
    .init(name: "status outside the unified list", yaml: "feed: f\nkey: a\nfields:\n  status: {column: b, map: {办结: done}}\n", line: 4, keyPath: "fields.status", message: "'done' is not a unified status"),
    .init(name: "satisfaction outside the unified list", yaml: "feed: f\nkey: a\nfields:\n  satisfaction: {column: b, default: happy}\n", line: 4, keyPath: "fields.satisfaction", message: "'happy' is not a unified satisfaction"),
    .init(name: "unknown datum", yaml: "feed: f\nkey: a\nfields:\n  place.datum: {const: x, default: utm}\n", line: 4, keyPath: "fields.place.datum", message: "'utm' is not a datum"),
    .init(name: "skip rule without pattern", yaml: "feed: f\nkey: a\nskip_rows:\n  - {reason: footer}\n", line: 4, keyPath: "skip_rows[0]", message: "a skip rule needs a 'pattern'"),
    .init(name: "tree skip rule without path", yaml: "feed: f\nformat: {type: jsonl}\nkey: a\nskip_rows:\n  - {pattern: x}\n", line: 5, keyPath: "skip_rows[0]", message: "a skip rule of an jsonl feed needs the 'path'"),
    .init(name: "skip rule path in csv", yaml: "feed: f\nkey: a\nskip_rows:\n  - {pattern: x, path: a}\n", line: 4, keyPath: "skip_rows[0].path", message: "'path' applies to xml and jsonl feeds"),
    .init(name: "group without fields", yaml: "feed: f\nkey: a\nsteps:\n  - {numbered: 1-2}\n", line: 4, keyPath: "steps[0]", message: "a group needs 'fields'"),
    .init(name: "each in csv", yaml: "feed: f\nkey: a\nsteps:\n  - {each: x, fields: {action: b}}\n", line: 4, keyPath: "steps[0].each", message: "'each' takes a path in xml/jsonl feeds"),
    .init(name: "each and numbered", yaml: "feed: f\nformat: {type: jsonl}\nkey: a\nsteps:\n  - {each: x, numbered: 1-2, fields: {action: b}}\n", line: 5, keyPath: "steps[0].numbered", message: "a group is repeated by 'each' (xml/jsonl) or 'numbered' (csv), not both"),
    .init(name: "bad numbered range", yaml: "feed: f\nkey: a\nsteps:\n  - {numbered: 3-1, fields: {action: b}}\n", line: 4, keyPath: "steps[0].numbered", message: "numbered is a range like 1-3"),
    .init(name: "unknown group field", yaml: "feed: f\nkey: a\nsteps:\n  - fields: {when: b}\n", line: 4, keyPath: "steps[0].fields.when", message: "unknown group field 'when'"),
    .init(name: "party group without role", yaml: "feed: f\nkey: a\nparties:\n  - fields: {name: b}\n", line: 4, keyPath: "parties[0]", message: "a party group needs a 'role'"),
    .init(name: "unknown group key", yaml: "feed: f\nkey: a\nparties:\n  - {role: caller, fields: {name: b}, repeat: 2}\n", line: 4, keyPath: "parties[0].repeat", message: "unknown key 'repeat'"),
]

@Suite("Every mapping validation error names the file, line and key path")
struct ValidationErrorTests {
    let folder: String = {
        let f = NSTemporaryDirectory() + "onegrid-mapping-faults-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: f + "/codes", withIntermediateDirectories: true)
        // Files a mapping names live in its folder: copies, and a link that points out of it.
        try? FileManager.default.copyItem(atPath: codes + "/categories.yaml", toPath: f + "/codes/categories.yaml")
        try? FileManager.default.copyItem(atPath: fixtureCodes + "/bad-target-categories.yaml", toPath: f + "/codes/bad-target-categories.yaml")
        try? FileManager.default.createSymbolicLink(atPath: f + "/codes/passwd-link.yaml", withDestinationPath: "/etc/passwd")
        return f
    }()

    @Test("fault", arguments: faults)
    func fault(_ c: FaultCase) throws {
        let path = folder + "/m.yaml"
        try Data(c.yaml.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Mapping.load(path: path)
            Issue.record("\(c.name): the mapping compiled")
        } catch {
            #expect(error.file == path)
            #expect(error.line == c.line)
            #expect(error.keyPath == c.keyPath)
            #expect(error.message.hasPrefix(c.message), "\(error.message)")
        }
    }

    @Test("a missing mapping file")
    func missingFile() {
        #expect(throws: MappingError(file: "/no/such.yaml", line: 0, keyPath: "", message: "mapping file not found")) {
            try Mapping.load(path: "/no/such.yaml")
        }
    }

    @Test("the printed form is file:line: 'key.path': message")
    func description() {
        let e = MappingError(file: "m.yaml", line: 4, keyPath: "fields.title.parse", message: "parse is one of …")
        #expect(e.description == "m.yaml:4: 'fields.title.parse': parse is one of …")
    }
}

@Suite("Mapping versions")
struct MappingHashTests {
    @Test("the hash covers the crosswalks and does not depend on how the path was written")
    func hash() throws {
        let absolute = try Mapping.load(path: root + "/Mappings/citymgmt.yaml")
        let relative = try Mapping.load(path: root + "/Mappings/../Mappings/citymgmt.yaml")
        #expect(absolute.hash == relative.hash)
        #expect(absolute.inputFiles.map { ($0 as NSString).lastPathComponent }
            == ["citymgmt.yaml", "categories.yaml", "citymgmt-categories.yaml"])
    }

    @Test("the four feed mappings compile")
    func shipped() throws {
        for feed in ["hotline12345", "petition", "patrol", "citymgmt"] {
            #expect(try Mapping.load(path: root + "/Mappings/\(feed).yaml").feed == feed)
        }
    }
}

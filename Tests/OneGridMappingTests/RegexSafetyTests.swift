import Foundation
import OneGridMapping
import Testing

/// A pattern and the offset (from 0) the check must refuse it at, or nil when it is safe.
struct PatternCase: CustomTestStringConvertible, Sendable {
    var pattern: String
    var refusedAt: Int?
    var testDescription: String { "\(pattern) " + (refusedAt.map { "refused at \($0)" } ?? "accepted") }
}

let nested = "a quantifier nested inside another repeating quantifier (star height above 1)"
let overlapping = "alternatives that can match the same text under a repeating quantifier (exponential backtracking)"

let patternCases: [PatternCase] = [
    // Nested quantifiers.
    .init(pattern: "(.*a){20}", refusedAt: 1),
    .init(pattern: "(a+)+", refusedAt: 1),
    .init(pattern: "(a*)*", refusedAt: 1),
    .init(pattern: "^(\\d+\\s?)+$", refusedAt: 2),
    .init(pattern: "((ab)*c)*", refusedAt: 1),
    .init(pattern: "(\\d{2,5})*", refusedAt: 1),
    .init(pattern: "(?:x+y?)+", refusedAt: 3),
    .init(pattern: "([a-z]+)*@", refusedAt: 1),
    .init(pattern: "(?i)(?:[a-z0-9]+[-.]?)+$", refusedAt: 7),
    // Overlapping alternatives under a repeating quantifier.
    .init(pattern: "(a|a)*", refusedAt: 1),
    .init(pattern: "(\\d|\\w)+", refusedAt: 1),
    .init(pattern: "(a|ab)*c", refusedAt: 1),
    .init(pattern: "(a|a){10}", refusedAt: 1),
    .init(pattern: "(?i)(A|a)+", refusedAt: 5),
    .init(pattern: "(x(.|\\s))*", refusedAt: 3),
    .init(pattern: "([0-9]|１)*", refusedAt: nil),
    .init(pattern: "(\\d|[０-９])*", refusedAt: 1), // \d is Unicode: full-width digits are digits
    // Safe shapes.
    .init(pattern: "(\\d{3},)*", refusedAt: nil),
    .init(pattern: "(ab|ac)*", refusedAt: nil),
    .init(pattern: "(a|b)*", refusedAt: nil),
    .init(pattern: "(\\d|\\s)+", refusedAt: nil),
    .init(pattern: "(\\d+)?", refusedAt: nil),
    .init(pattern: "(a*)?", refusedAt: nil),
    .init(pattern: "\\d+-\\d+", refusedAt: nil),
    .init(pattern: "^(.*),(.*)$", refusedAt: nil),
    .init(pattern: "(?:\\d{4}){2}", refusedAt: nil),
    .init(pattern: "\\Q(a+)+\\E", refusedAt: nil),
    .init(pattern: "[(a+)+]", refusedAt: nil),
    .init(pattern: "(?#a+)x", refusedAt: nil),
    .init(pattern: "(?=(a+))a", refusedAt: nil),
]

@Suite("Regex safety")
struct RegexSafetyTests {
    @Test("refused and accepted patterns", arguments: patternCases)
    func pattern(_ c: PatternCase) throws {
        #expect((try? NSRegularExpression(pattern: c.pattern)) != nil, "the table holds valid patterns only")
        let refusal = RegexSafety.check(c.pattern)
        #expect(refusal?.offset == c.refusedAt, "\(refusal?.description ?? "accepted")")
        if let refusal {
            #expect(refusal.reason == nested || refusal.reason == overlapping)
        }
    }

    @Test("the reasons name the hazard")
    func reasons() throws {
        #expect(RegexSafety.check("(a+)+") == RegexSafety.Refusal(offset: 1, reason: nested))
        #expect(RegexSafety.check("(a|a)*") == RegexSafety.Refusal(offset: 1, reason: overlapping))
        #expect(RegexSafety.check("(a+)+")?.description == "\(nested) (at character 2 of the pattern)")
    }

    @Test("every pattern in the shipped mappings is accepted")
    func shippedMappings() throws {
        let folder = root + "/Mappings"
        var patterns: [String] = []
        func collect(_ cursor: YAMLCursor) throws {
            guard let entries = try? cursor.entries() else {
                for item in (try? cursor.items()) ?? [] { try collect(item) }
                return
            }
            for (key, value) in entries {
                if ["regex", "matches", "file_date", "pattern"].contains(key), let text = try? value.string() {
                    patterns.append(text)
                } else {
                    try collect(value)
                }
            }
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".yaml") {
            try collect(try #require(try YAMLDocument.load(path: folder + "/" + name).root))
        }
        #expect(patterns.count >= 10)
        for p in patterns { #expect(RegexSafety.check(p) == nil, "\(p)") }
    }

    @Test("groups nested past the limit are refused before parsing, at the first group too deep")
    func deepGroups() {
        let pattern = String(repeating: "(", count: 40_000) + "a" + String(repeating: ")", count: 40_000)
        #expect(RegexSafety.check(pattern) == RegexSafety.Refusal(offset: 32, reason: "groups nested deeper than 32"))
    }

    @Test("the input bound: text up to the limit is admitted, one code unit more is not")
    func inputBound() {
        #expect(RegexSafety.maximumInputLength == 4096)
        #expect(RegexSafety.admits(String(repeating: "a", count: 4096)))
        #expect(!RegexSafety.admits(String(repeating: "a", count: 4097)))
        #expect(!RegexSafety.admits(String(repeating: "𠀀", count: 2049))) // two UTF-16 units each
    }
}

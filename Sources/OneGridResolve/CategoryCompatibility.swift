import Foundation

/// How two unified categories stand to each other when deciding whether two reports may be
/// one matter, strongest first.
public enum CategoryRelation: String, Sendable, Hashable, Codable {
    /// The same class (`MS.03` and `MS.03`, or `HB.01.03` and `HB.01.07`).
    case sameClass
    /// A pair the taxonomy declares related (`CG.01` 占道经营 with `CG.03` 市容环卫).
    case related
    /// One side is its domain's catch-all class (`CG.99` beside `CG.04`).
    case catchAll
    /// One side names only the domain (`CG` beside `CG.04`).
    case coarser
    /// One side has no category (unmapped): compatible only under stronger evidence.
    case unknown
    /// Different classes with nothing declared between them, or different domains.
    case incompatible

    /// Whether the relation lets two reports join without further conditions.
    public var isCompatible: Bool {
        switch self {
        case .sameClass, .related, .catchAll, .coarser: return true
        case .unknown, .incompatible: return false
        }
    }

    /// How strongly the categories agree (1 the same class … 0 incompatible); stored with a
    /// link's evidence so an analyst sees a loose category join at a glance.
    public var score: Double {
        switch self {
        case .sameClass: return 1
        case .related: return 0.8
        case .catchAll, .coarser: return 0.7
        case .unknown: return 0.5
        case .incompatible: return 0
        }
    }
}

/// Which unified categories may describe one matter, as data from the taxonomy: codes are
/// `DOMAIN.CLASS[.more]` (`MS.03`: domain `MS`, class `MS.03`), a bare `DOMAIN` is coarser than
/// all its classes, `DOMAIN.<catchAll>` (`MS.99`) is the domain's catch-all, and `related`
/// pairs (from `related:` in `Mappings/codes/categories.yaml`) join classes — even of two
/// domains — that departments use for one matter.
///
/// Departments classify one matter differently (占道经营 beside 市容环卫, 劳资纠纷 beside
/// 其他矛盾纠纷), so requiring the same class splits matters; different domains with nothing
/// declared never join.
public struct CategoryCompatibility: Sendable, Hashable {
    /// The class part that marks a domain's catch-all (default `99`).
    public let catchAllClass: String
    /// Declared pairs, each stored both ways. An entry is a class (`CG.01`) or a domain (`MD`).
    private let relatedPairs: Set<Pair>

    struct Pair: Hashable {
        var a: String, b: String
    }

    /// - Parameters:
    ///   - related: pairs of classes (or domains) the taxonomy declares related; order does not matter.
    ///   - catchAllClass: the class part of each domain's catch-all (`99`).
    public init(related: [(String, String)] = [], catchAllClass: String = "99") {
        self.catchAllClass = catchAllClass
        var pairs = Set<Pair>()
        for (a, b) in related {
            let x = Self.trimmed(a), y = Self.trimmed(b)
            guard !x.isEmpty, !y.isEmpty else { continue }
            pairs.insert(Pair(a: x, b: y))
            pairs.insert(Pair(a: y, b: x))
        }
        relatedPairs = pairs
    }

    /// A code taken apart: its domain and, when it has one, its class (the first two levels).
    struct Parsed: Hashable {
        var domain: Substring
        var classCode: Substring?
        var classPart: Substring?
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }

    static func parse(_ code: String) -> Parsed? {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard let domain = parts.first, !domain.isEmpty else { return nil }
        guard parts.count >= 2, !parts[1].isEmpty else { return Parsed(domain: domain, classCode: nil, classPart: nil) }
        let end = parts[1].endIndex
        return Parsed(domain: domain, classCode: code[code.startIndex..<end], classPart: parts[1])
    }

    /// How categories `a` and `b` stand to each other (see `CategoryRelation`), symmetric.
    public func relation(_ a: String?, _ b: String?) -> CategoryRelation {
        guard let a, let b, let x = Self.parse(a), let y = Self.parse(b) else { return .unknown }
        if let cx = x.classCode, let cy = y.classCode, cx == cy { return .sameClass }
        if x.classCode == nil, y.classCode == nil, x.domain == y.domain { return .sameClass }
        if declared(x, y) { return .related }
        guard x.domain == y.domain else { return .incompatible }
        if x.classCode == nil || y.classCode == nil { return .coarser }
        if x.classPart == Substring(catchAllClass) || y.classPart == Substring(catchAllClass) { return .catchAll }
        return .incompatible
    }

    /// Whether `a` and `b` may be one matter on their categories alone (an unknown side is not).
    public func compatible(_ a: String?, _ b: String?) -> Bool {
        relation(a, b).isCompatible
    }

    /// Whether a declared pair covers the two codes: each entry matches a code's class or its domain.
    private func declared(_ x: Parsed, _ y: Parsed) -> Bool {
        guard !relatedPairs.isEmpty else { return false }
        let left = [x.classCode, x.domain].compactMap { $0.map(String.init) }
        let right = [y.classCode, y.domain].compactMap { $0.map(String.init) }
        for l in left {
            for r in right where relatedPairs.contains(Pair(a: l, b: r)) { return true }
        }
        return false
    }

    /// The category an incident should carry once an event of category `new` joins one of
    /// category `current`: the more specific of the two (a class over its domain or the
    /// catch-all), else `current` — so a matter first reported as `CG.99` and then as `CG.04`
    /// is compared as `CG.04` from then on.
    public func refined(_ current: String?, with new: String?) -> String? {
        guard let current, let x = Self.parse(current) else { return new ?? current }
        guard let new, let y = Self.parse(new), x.domain == y.domain else { return current }
        let currentCoarse = x.classCode == nil || x.classPart == Substring(catchAllClass)
        let newSpecific = y.classCode != nil && y.classPart != Substring(catchAllClass)
        return currentCoarse && newSpecific ? new : current
    }
}

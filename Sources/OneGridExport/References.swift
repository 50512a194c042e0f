import GRDB

/// The small reference tables (divisions, grids, categories) loaded once per export, so
/// rows get their names without a join per level.
struct References {
    var divisions: [String: String] = [:]
    var grids: [String: String] = [:]
    var categories: [String: String] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT code, name FROM division") { divisions[row[0]] = row[1] }
        for row in try Row.fetchAll(db, sql: "SELECT code, name FROM grid") { grids[row[0]] = row[1] }
        for row in try Row.fetchAll(db, sql: "SELECT code, name FROM category") { categories[row[0]] = row[1] }
    }

    func division(_ code: String?) -> ExportValue { .string(code.flatMap { divisions[$0] }) }
    func grid(_ code: String?) -> ExportValue { .string(code.flatMap { grids[$0] }) }
    func category(_ code: String?) -> ExportValue { .string(code.flatMap { categories[$0] }) }

    /// The name of a code at any level (grid, community, street, district).
    func unit(_ code: String?) -> ExportValue {
        guard let code else { return .null }
        return .string(grids[code] ?? divisions[code])
    }

    /// Code and name of each level of a category code (`CG.SR.YY` → `CG`, `CG.SR`, `CG.SR.YY`).
    func categoryLevels(_ code: String?, count: Int = 3) -> [ExportValue] {
        var out: [ExportValue] = []
        let parts = code.map { $0.split(separator: ".", omittingEmptySubsequences: false) } ?? []
        for level in 1...count {
            if level <= parts.count {
                let prefix = parts[0..<level].joined(separator: ".")
                out.append(.string(prefix))
                out.append(category(prefix))
            } else {
                out.append(.null)
                out.append(.null)
            }
        }
        return out
    }
}

/// The codes of the four levels a grid code implies (15 → 12, 9, 6 digits).
func divisionCodes(ofGrid code: String?) -> (community: String?, street: String?, district: String?) {
    guard let code, code.utf8.count >= 12 else { return (nil, nil, nil) }
    return (String(code.prefix(12)), String(code.prefix(9)), String(code.prefix(6)))
}

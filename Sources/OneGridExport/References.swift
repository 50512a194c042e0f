import Foundation
import OneGridWarehouse

/// The small reference tables (divisions, grids, categories) loaded once per export, so
/// rows get their names without a join per level.
struct References {
    var divisions: [String: String] = [:]
    var grids: [String: String] = [:]
    var categories: [String: String] = [:]

    init(_ names: ReferenceNames) {
        divisions = names.divisions
        grids = names.grids
        categories = names.categories
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

/// Code → name as UTF-8 bytes, looked up by the bytes of a code (as SQLite hands them
/// out) without making a `String`: open addressing over an FNV-1a hash, keys and names in
/// one arena. For the small reference tables of `References` and the display names of enums.
struct NameTable {
    private var arena: [UInt8] = []
    /// Per slot: key start, key end, name start, name end in `arena`; key start −1 when free.
    private var slots: [Int32]
    private let mask: Int

    init(_ pairs: [String: String]) {
        var size = 16
        while size < pairs.count * 2 { size <<= 1 }
        mask = size - 1
        slots = Array(repeating: -1, count: size * 4)
        for (code, name) in pairs {
            let key = Array(code.utf8)
            var i = key.withUnsafeBufferPointer { Self.hash($0) } & mask
            while slots[4 * i] >= 0 { i = (i + 1) & mask }
            slots[4 * i] = Int32(arena.count)
            arena.append(contentsOf: key)
            slots[4 * i + 1] = Int32(arena.count)
            slots[4 * i + 2] = Int32(arena.count)
            arena.append(contentsOf: name.utf8)
            slots[4 * i + 3] = Int32(arena.count)
        }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Calls `body` with the name of `code`, or nil when unknown.
    func withName<T>(_ code: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        arena.withUnsafeBufferPointer { arena in
            slots.withUnsafeBufferPointer { slots in
                var i = Self.hash(code) & mask
                while slots[4 * i] >= 0 {
                    let start = Int(slots[4 * i])
                    let end = Int(slots[4 * i + 1])
                    if end - start == code.count
                        && (code.isEmpty || memcmp(arena.baseAddress! + start, code.baseAddress!, code.count) == 0) {
                        return body(UnsafeBufferPointer(rebasing: arena[Int(slots[4 * i + 2])..<Int(slots[4 * i + 3])]))
                    }
                    i = (i + 1) & mask
                }
                return body(nil)
            }
        }
    }

    /// Appends the name of `code` as a text cell: null when `code` is nil or unknown, or
    /// the code itself when unknown and `orCode`.
    func appendName(_ code: UnsafeBufferPointer<UInt8>?, orCode: Bool = false, to block: inout RowBlock) {
        guard let code else { return block.appendNull() }
        withName(code) { name in
            if let name {
                block.appendText(name)
            } else if orCode {
                block.appendText(code)
            } else {
                block.appendNull()
            }
        }
    }
}

/// A value as the Thrift compact protocol carries it: only the kinds Parquet metadata uses.
/// Parquet's footer and page headers are Thrift structs; building them as values keeps each
/// metadata type a plain function of its fields and lets tests compare exact bytes.
indirect enum ThriftValue: Equatable, Sendable {
    case bool(Bool)
    case i16(Int16)
    case i32(Int32)
    case i64(Int64)
    case binary([UInt8])
    /// A list whose elements all have `element`'s wire type (needed even when empty).
    case list(element: ThriftCompactType, [ThriftValue])
    case structure(ThriftStruct)

    /// A Thrift `string`: UTF-8 bytes on the wire.
    static func string(_ text: String) -> ThriftValue { .binary(Array(text.utf8)) }

    var compactType: ThriftCompactType {
        switch self {
        case .bool(let b): return b ? .boolTrue : .boolFalse
        case .i16: return .i16
        case .i32: return .i32
        case .i64: return .i64
        case .binary: return .binary
        case .list: return .list
        case .structure: return .structure
        }
    }
}

/// Wire types of the compact protocol (the low nibble of a field header).
enum ThriftCompactType: UInt8, Sendable {
    case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
    case binary = 8, list = 9, set = 10, map = 11, structure = 12
}

/// A Thrift struct (or union: a struct with exactly one field set), fields in id order.
struct ThriftStruct: Equatable, Sendable {
    private(set) var fields: [(id: Int16, value: ThriftValue)] = []

    init() {}

    /// Sets field `id`; a nil value leaves an optional field out. Ids must be added in
    /// increasing order, as the compact protocol's short field headers encode the delta.
    mutating func set(_ id: Int16, _ value: ThriftValue?) {
        guard let value else { return }
        precondition(fields.last.map { $0.id < id } ?? true, "Thrift fields out of order")
        fields.append((id, value))
    }

    static func == (a: ThriftStruct, b: ThriftStruct) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.id == $1.id && $0.value == $1.value }
    }
}

/// Encodes structs in the Thrift compact protocol (the encoding Parquet's metadata uses):
/// zigzag ULEB-128 integers, field headers holding the id delta and the type in one byte,
/// booleans folded into the field header.
enum ThriftCompactEncoder {
    static func encode(_ value: ThriftStruct) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        append(value, to: &out)
        return out
    }

    static func append(_ value: ThriftStruct, to out: inout [UInt8]) {
        var last: Int16 = 0
        for (id, field) in value.fields {
            let type = field.compactType.rawValue
            let delta = Int(id) - Int(last)
            if delta > 0 && delta <= 15 {
                out.append(UInt8(delta) << 4 | type)
            } else {
                out.append(type)
                appendVarint(zigzag(Int64(id)), to: &out)
            }
            last = id
            appendPayload(field, to: &out)
        }
        out.append(0)  // stop
    }

    private static func appendPayload(_ value: ThriftValue, to out: inout [UInt8]) {
        switch value {
        case .bool:
            break  // carried by the field header's type nibble
        case .i16(let v): appendVarint(zigzag(Int64(v)), to: &out)
        case .i32(let v): appendVarint(zigzag(Int64(v)), to: &out)
        case .i64(let v): appendVarint(zigzag(v), to: &out)
        case .binary(let bytes):
            appendVarint(UInt64(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        case .list(let element, let items):
            if items.count < 15 {
                out.append(UInt8(items.count) << 4 | element.rawValue)
            } else {
                out.append(0xF0 | element.rawValue)
                appendVarint(UInt64(items.count), to: &out)
            }
            for item in items {
                if case .bool(let b) = item {
                    out.append(b ? 1 : 2)  // list elements have no header to fold the value into
                } else {
                    appendPayload(item, to: &out)
                }
            }
        case .structure(let s): append(s, to: &out)
        }
    }

    static func zigzag(_ n: Int64) -> UInt64 {
        UInt64(bitPattern: (n << 1) ^ (n >> 63))
    }

    /// ULEB-128: seven bits a byte, low bits first, high bit set on all but the last byte.
    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

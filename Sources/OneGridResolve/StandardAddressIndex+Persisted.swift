import Foundation
import OneGridModel

extension StandardAddressIndex {
    /// The index of the list `addresses` streams, read back from what `stored` returns when it
    /// was written for the same list, gazetteer and program; otherwise built (as
    /// `init(normalizer:thresholds:next:)` does) and handed to `store` for the next process.
    /// The file I/O stays with the caller (the resolver is pure): it reads regular files only.
    ///
    /// Normalising a city's list takes seconds and every process that resolves places needs
    /// it; reading it back takes a fraction of that. `addresses` is called once to fingerprint
    /// the list and, when the file does not fit, once more to build: the list is streamed, never
    /// held. A missing, stale or damaged file is rebuilt; one that cannot be written is left
    /// out (the index is still returned). `stored` nil (an in-memory warehouse) always builds;
    /// `store` nil reads a fitting file but never writes one (the dry-run writes nothing).
    public static func persisted(
        stored: (() -> Data?)?, store: ((Data) -> Void)?, normalizer: AddressNormalizer,
        thresholds: MatchThresholds = MatchThresholds(),
        addresses: (_ body: (_ next: () throws -> StandardAddress?) throws -> Void) throws -> Void
    ) throws -> StandardAddressIndex {
        func build() throws -> StandardAddressIndex {
            var index: StandardAddressIndex?
            try addresses { next in index = try StandardAddressIndex(normalizer: normalizer, thresholds: thresholds, next: next) }
            return index!
        }
        guard let stored, let program = PersistedIndexFingerprint.programIdentity() else { return try build() }
        var fingerprint = PersistedIndexFingerprint(program: program, gazetteer: normalizer.gazetteer)
        try addresses { next in while let a = try next() { fingerprint.add(a) } }
        let key = fingerprint.value
        if let data = stored(), let parts = Parts(persisted: data, fingerprint: key) {
            return StandardAddressIndex(parts, thresholds: thresholds)
        }
        let index = try build()
        // A cache: a file that cannot be written costs the next process the build, nothing else.
        store?(index.parts.persisted(fingerprint: key))
        return index
    }
}

/// What a persisted index was built from: the program (its executable's path, size and
/// modification time, so a changed normaliser never reads an old file), the gazetteer's
/// divisions and crosswalk, and every standard address, as a 128-bit FNV-1a hash.
struct PersistedIndexFingerprint {
    private var hash = FNV128()

    init(program: String, gazetteer: Gazetteer) {
        hash.add(field: PersistedIndexFormat.magic)
        hash.add(field: program)
        for d in gazetteer.divisions.sorted(by: { $0.code < $1.code }) {
            hash.add(field: d.code)
            hash.add(field: d.name)
            hash.add(field: d.level.rawValue)
            hash.add(field: d.parentCode)
        }
        for (local, national) in gazetteer.crosswalk.localToNational.sorted(by: { $0.key < $1.key }) {
            hash.add(field: local)
            hash.add(field: national)
        }
    }

    mutating func add(_ a: StandardAddress) {
        for field in [a.id, a.address, a.road, a.number, a.compound, a.building, a.unit, a.gridCode] { hash.add(field: field) }
        hash.add(field: a.location.map { "\($0.lng.bitPattern),\($0.lat.bitPattern)" })
    }

    var value: FNV128 { hash }

    /// The running executable as `path|size|mtime`; nil when it cannot be told (then nothing
    /// is persisted: a file could outlive the code that wrote it).
    static func programIdentity() -> String? {
        let candidates = ["/proc/self/exe", Bundle.main.executablePath].compactMap { $0 }
        for candidate in candidates {
            let path = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date else { continue }
            return "\(path)|\(size)|\(modified.timeIntervalSince1970.bitPattern)"
        }
        return nil
    }
}

/// 128-bit FNV-1a: the fingerprint of a list and the checksum of a persisted file. (Two
/// 64-bit halves: `UInt128` is not available on every platform the package builds for.)
struct FNV128: Equatable {
    private(set) var high: UInt64 = 0x6c62272e07bb0142
    private(set) var low: UInt64 = 0x62b821756295c58d

    init() {}

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    mutating func add<Bytes: Sequence<UInt8>>(bytes: Bytes) {
        // The prime is 2^88 + 0x13B: value × 0x13B, plus the low half shifted into the high.
        for byte in bytes {
            let x = low ^ UInt64(byte)
            let (carry, product) = x.multipliedFullWidth(by: 0x13B)
            high = carry &+ high &* 0x13B &+ (x << 24)
            low = product
        }
    }

    /// A field with its length in front, so `ab|c` and `a|bc` differ; nil differs from "".
    mutating func add(field: String?) {
        guard let field else { return add(bytes: [0xFF, 0xFF, 0xFF, 0xFF]) }
        let length = UInt32(field.utf8.count)
        add(bytes: [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)])
        add(bytes: field.utf8)
    }
}

/// The file layout: magic, fingerprint (16 bytes), the counts of addresses, names and exact
/// keys (UInt32 each), then names and ids (UInt32 length + UTF-8), locations (flag byte, two
/// Float64 bit patterns), candidates (11 Int32), key entries (Int32), key hashes (UInt64), and
/// an FNV-128 checksum of everything before it; all little-endian.
enum PersistedIndexFormat {
    static let magic = "OneGrid standard-address index 1"
    static let candidateFields = 11
}

extension StandardAddressIndex.Candidate {
    var fields: [Int32] {
        [community, street, district, compound, compoundCore, road, number, building, buildingOrGroup, unit, grid]
    }

    init(fields f: [Int32]) {
        self.init(community: f[0], street: f[1], district: f[2], compound: f[3], compoundCore: f[4], road: f[5],
                  number: f[6], building: f[7], buildingOrGroup: f[8], unit: f[9], grid: f[10])
    }
}

extension StandardAddressIndex.Parts {
    /// The file's bytes (see `PersistedIndexFormat`).
    func persisted(fingerprint: FNV128) -> Data {
        var out = Data()
        out.reserveCapacity(64 + names.count * 16 + ids.count * 90 + keyEntries.count * 12)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func put(_ s: String) {
            put(UInt32(s.utf8.count))
            out.append(contentsOf: s.utf8)
        }
        out.append(contentsOf: PersistedIndexFormat.magic.utf8)
        put(fingerprint.low)
        put(fingerprint.high)
        put(UInt32(ids.count))
        put(UInt32(names.count))
        put(UInt32(keyEntries.count))
        for name in names { put(name) }
        for id in ids { put(id) }
        for location in locations {
            if let location {
                put(UInt8(1))
                put(location.lng.bitPattern)
                put(location.lat.bitPattern)
            } else {
                put(UInt8(0))
            }
        }
        for c in candidates { for f in c.fields { put(f) } }
        for e in keyEntries { put(e) }
        for h in keyHashes { put(h) }
        var checksum = FNV128()
        checksum.add(bytes: out)
        put(checksum.low)
        put(checksum.high)
        return out
    }

    /// The parts a file holds, or nil when it is of another format or list, truncated, or
    /// damaged (checksum, or an id that points outside its tables).
    init?(persisted data: Data, fingerprint: FNV128) {
        let magic = Array(PersistedIndexFormat.magic.utf8)
        guard data.count >= magic.count + 16 + 12 + 16 else { return nil }
        let bytes = [UInt8](data)
        let body = bytes.count - 16
        var checksum = FNV128()
        checksum.add(bytes: bytes[..<body])
        var at = 0
        func take<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard at + MemoryLayout<T>.size <= body else { return nil }
            var v: T = 0
            for k in (0..<MemoryLayout<T>.size).reversed() { v = v << 8 | T(bytes[at + k]) }
            at += MemoryLayout<T>.size
            return v
        }
        func takeString() -> String? {
            guard let length = take(UInt32.self).map(Int.init), at + length <= body else { return nil }
            defer { at += length }
            return String(decoding: bytes[at..<(at + length)], as: UTF8.self)
        }
        guard Array(bytes[0..<magic.count]) == magic else { return nil }
        let stored = FNV128(high: UInt64(littleEndianBytes: bytes[(body + 8)..<(body + 16)]),
                            low: UInt64(littleEndianBytes: bytes[body..<(body + 8)]))
        guard stored == checksum else { return nil }
        at = magic.count
        guard let low = take(UInt64.self), let high = take(UInt64.self), FNV128(high: high, low: low) == fingerprint,
              let n = take(UInt32.self).map(Int.init), let m = take(UInt32.self).map(Int.init),
              let k = take(UInt32.self).map(Int.init),
              n <= body, m <= body, k <= body else { return nil }
        self.init()
        names.reserveCapacity(m)
        for _ in 0..<m { guard let s = takeString() else { return nil }; names.append(s) }
        ids.reserveCapacity(n)
        for _ in 0..<n { guard let s = takeString() else { return nil }; ids.append(s) }
        locations.reserveCapacity(n)
        for _ in 0..<n {
            switch take(UInt8.self) {
            case 0?: locations.append(nil)
            case 1?:
                guard let lng = take(UInt64.self), let lat = take(UInt64.self) else { return nil }
                locations.append(Coordinate(lng: Double(bitPattern: lng), lat: Double(bitPattern: lat)))
            default: return nil
            }
        }
        candidates.reserveCapacity(n)
        let nameRange = Int32(StandardAddressIndex.absent)..<Int32(m)
        for _ in 0..<n {
            var fields: [Int32] = []
            for _ in 0..<PersistedIndexFormat.candidateFields {
                guard let f = take(Int32.self), nameRange.contains(f) else { return nil }
                fields.append(f)
            }
            candidates.append(StandardAddressIndex.Candidate(fields: fields))
        }
        keyEntries.reserveCapacity(k)
        for _ in 0..<k {
            guard let e = take(Int32.self), (0..<Int32(n)).contains(e) else { return nil }
            keyEntries.append(e)
        }
        keyHashes.reserveCapacity(k)
        for _ in 0..<k { guard let h = take(UInt64.self) else { return nil }; keyHashes.append(h) }
        guard at == body else { return nil }
    }
}

extension UInt64 {
    init(littleEndianBytes bytes: ArraySlice<UInt8>) {
        self = bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

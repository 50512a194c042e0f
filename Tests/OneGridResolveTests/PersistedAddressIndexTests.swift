import Foundation
import OneGridModel
import Testing
@testable import OneGridResolve

/// The standard-address index kept beside the warehouse between processes.
@Suite struct PersistedAddressIndexTests {
    let list = TestAddresses.list.sorted { $0.id < $1.id }
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("onegrid-address-index-\(UUID().uuidString)").path

    /// The file as the pipeline reads and writes it (plain Foundation here: the resolver's
    /// contract is bytes in, bytes out).
    static func reading(_ path: String) -> () -> Data? { { FileManager.default.contents(atPath: path) } }
    static func writing(_ path: String) -> (Data) -> Void { { try? $0.write(to: URL(fileURLWithPath: path), options: .atomic) } }

    /// Streams `addresses` like the warehouse does, counting how often the list is read.
    final class Reads: @unchecked Sendable {
        var count = 0
    }

    func index(of addresses: [StandardAddress], reads: Reads, readOnly: Bool = false, at path: String?) throws -> StandardAddressIndex {
        try StandardAddressIndex.persisted(stored: path.map(Self.reading), store: readOnly ? nil : path.map(Self.writing), normalizer: TestRegistry.normalizer) { body in
            reads.count += 1
            var next = addresses.makeIterator()
            try body { next.next() }
        }
    }

    var built: StandardAddressIndex { StandardAddressIndex(addresses: list, normalizer: TestRegistry.normalizer) }

    @Test func firstProcessBuildsAndWritesTheFile() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reads = Reads()
        let index = try index(of: list, reads: reads, at: path)
        #expect(reads.count == 2)  // fingerprint, then build
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(index.parts == built.parts)
    }

    @Test func nextProcessReadsTheFileInsteadOfNormalising() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try index(of: list, reads: Reads(), at: path)
        let reads = Reads()
        let index = try index(of: list, reads: reads, at: path)
        #expect(reads.count == 1)  // fingerprint only
        #expect(index.parts == built.parts)
        #expect(index.count == list.count)
    }

    @Test func readBackIndexMatchesLikeTheBuiltOne() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try index(of: list, reads: Reads(), at: path)
        let readBack = try index(of: list, reads: Reads(), at: path)
        let texts = ["六合区雄州街道桥西社区华城名府3栋2单元", "桥西社区延安路十八号华城名府三幢二单元302室",
                     "桥西社区华城名府七栋", "雄州街道延安路20号南门新村1幢", "杉湖路小区5幢", "华城名府5幢1单元", "不存在的地方"]
        for text in texts {
            let n = TestRegistry.normalizer.normalize(text)
            #expect(readBack.match(n) == built.match(n), "\(text)")
            let near = Coordinate(lng: 118.835, lat: 32.345)
            #expect(readBack.match(n, near: near) == built.match(n, near: near), "\(text)")
        }
    }

    @Test func changedListIsRebuiltAndRewritten() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try index(of: list, reads: Reads(), at: path)
        var changed = list
        changed[0].gridCode = "320116006001001"
        let reads = Reads()
        let index = try index(of: changed, reads: reads, at: path)
        #expect(reads.count == 2)
        #expect(index.parts == StandardAddressIndex(addresses: changed, normalizer: TestRegistry.normalizer).parts)
        let again = Reads()
        _ = try self.index(of: changed, reads: again, at: path)
        #expect(again.count == 1)
    }

    @Test func anotherGazetteerIsAnotherList() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try index(of: list, reads: Reads(), at: path)
        let fewer = Gazetteer(divisions: TestRegistry.divisions.filter { $0.code != "320116006001" })
        let reads = Reads()
        let index = try StandardAddressIndex.persisted(stored: Self.reading(path), store: Self.writing(path), normalizer: AddressNormalizer(gazetteer: fewer)) { body in
            reads.count += 1
            var next = list.makeIterator()
            try body { next.next() }
        }
        #expect(reads.count == 2)
        #expect(index.parts == StandardAddressIndex(addresses: list, normalizer: AddressNormalizer(gazetteer: fewer)).parts)
    }

    @Test func damagedFileIsNeverTrusted() throws {
        let parts = built.parts
        let good = parts.persisted(fingerprint: FNV128(high: 0, low: 42))
        #expect(StandardAddressIndex.Parts(persisted: good, fingerprint: FNV128(high: 0, low: 42)) == parts)
        #expect(StandardAddressIndex.Parts(persisted: good, fingerprint: FNV128(high: 0, low: 43)) == nil)
        for length in [0, 10, 47, good.count / 2, good.count - 17, good.count - 1] {
            #expect(StandardAddressIndex.Parts(persisted: good.prefix(length), fingerprint: FNV128(high: 0, low: 42)) == nil, "cut at \(length)")
        }
        for offset in stride(from: 0, to: good.count, by: max(1, good.count / 97)) {
            var flipped = good
            flipped[offset] ^= 0x20
            #expect(StandardAddressIndex.Parts(persisted: flipped, fingerprint: FNV128(high: 0, low: 42)) == nil, "byte \(offset) flipped")
        }
        var longer = good
        longer.append(0)
        #expect(StandardAddressIndex.Parts(persisted: longer, fingerprint: FNV128(high: 0, low: 42)) == nil)
    }

    @Test func fileWithIdsOutsideItsTablesIsRefusedEvenWithAGoodChecksum() throws {
        let key = FNV128(high: 7, low: 7)
        var badName = built.parts
        badName.candidates[0].grid = Int32(badName.names.count)
        #expect(StandardAddressIndex.Parts(persisted: badName.persisted(fingerprint: key), fingerprint: key) == nil)
        var badMissing = built.parts
        badMissing.candidates[1].road = -2
        #expect(StandardAddressIndex.Parts(persisted: badMissing.persisted(fingerprint: key), fingerprint: key) == nil)
        var badEntry = built.parts
        badEntry.keyEntries[0] = Int32(badEntry.ids.count)
        #expect(StandardAddressIndex.Parts(persisted: badEntry.persisted(fingerprint: key), fingerprint: key) == nil)
        var fewerLocations = built.parts
        fewerLocations.locations.removeLast()
        #expect(StandardAddressIndex.Parts(persisted: fewerLocations.persisted(fingerprint: key), fingerprint: key) == nil)
    }

    @Test func damagedFileOnDiskIsRebuilt() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try index(of: list, reads: Reads(), at: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 5).write(to: URL(fileURLWithPath: path))
        let reads = Reads()
        let index = try index(of: list, reads: reads, at: path)
        #expect(reads.count == 2)
        #expect(index.parts == built.parts)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data)
    }

    @Test func readOnlyWarehouseReadsButNeverWrites() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reads = Reads()
        _ = try index(of: list, reads: reads, readOnly: true, at: path)
        #expect(reads.count == 2)
        #expect(!FileManager.default.fileExists(atPath: path))
        _ = try index(of: list, reads: Reads(), at: path)
        let again = Reads()
        _ = try index(of: list, reads: again, readOnly: true, at: path)
        #expect(again.count == 1)
    }

    @Test func inMemoryWarehouseBuildsEveryTime() throws {
        let reads = Reads()
        let index = try index(of: list, reads: reads, at: nil)
        #expect(reads.count == 1)
        #expect(index.parts == built.parts)
    }
}

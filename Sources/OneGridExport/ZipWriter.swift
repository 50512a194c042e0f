import OneGridCodecs

/// A ZIP archive written front to back: each entry's local header is written with zero
/// sizes and general-purpose bit 3 set, its data is deflated as it arrives, and a data
/// descriptor (CRC-32, sizes) follows it; the central directory comes last. Nothing of an
/// entry is held in memory but zlib's window. No ZIP64: an archive over 4 GiB is refused.
final class ZipWriter {
    private struct Entry {
        var name: [UInt8]
        var crc: UInt32
        var compressed: UInt32
        var size: UInt32
        var offset: UInt32
    }

    private let file: OutputFile
    private var entries: [Entry] = []
    private var offset: Int64 = 0
    private var current: (name: [UInt8], offset: Int64, deflate: RawDeflateStream, crc: CRC32)?
    /// MS-DOS time and date of every entry (the export time, local wall clock as given).
    private let dosTime: UInt16
    private let dosDate: UInt16

    init(path: String, modified: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int),
         permissions: OutputPermissions = .ownerOnly) throws {
        file = try OutputFile(path: path, permissions: permissions)
        dosTime = UInt16(modified.hour << 11 | modified.minute << 5 | modified.second / 2)
        dosDate = UInt16(max(0, modified.year - 1980) << 9 | modified.month << 5 | modified.day)
    }

    var path: String { file.path }

    /// SHA-256 of the archive once `finish()` has put it in place.
    var sha256: String? { file.sha256 }

    /// Drops the archive: nothing appears at the path.
    func discard() {
        file.discard()
    }

    /// Starts a deflated entry.
    func beginEntry(_ name: String) throws {
        precondition(current == nil, "previous entry not ended")
        let nameBytes = Array(name.utf8)
        var header: [UInt8] = []
        header.le32(0x0403_4B50)
        header.le16(20)             // version needed: 2.0 (deflate)
        header.le16(0x0808)         // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
        header.le16(8)              // deflate
        header.le16(dosTime)
        header.le16(dosDate)
        header.le32(0); header.le32(0); header.le32(0)
        header.le16(UInt16(nameBytes.count))
        header.le16(0)
        header.append(contentsOf: nameBytes)
        current = (nameBytes, offset, RawDeflateStream(level: 6), CRC32())
        try emit(header)
    }

    /// Appends uncompressed data to the current entry.
    func write(_ bytes: [UInt8]) throws {
        guard current != nil else { preconditionFailure("no entry begun") }
        current!.crc.update(bytes)
        try current!.deflate.write(bytes) { (chunk: [UInt8]) throws(ExportError) in try self.emit(chunk) }
    }

    /// Ends the current entry with its data descriptor.
    func endEntry() throws {
        guard let entry = current else { preconditionFailure("no entry begun") }
        try entry.deflate.finish { (chunk: [UInt8]) throws(ExportError) in try self.emit(chunk) }
        current = nil
        guard entry.deflate.bytesIn <= UInt32.max, entry.deflate.bytesOut <= UInt32.max else {
            throw ExportError.tooLargeForZip(path: file.path)
        }
        var descriptor: [UInt8] = []
        descriptor.le32(0x0807_4B50)
        descriptor.le32(entry.crc.value)
        descriptor.le32(UInt32(entry.deflate.bytesOut))
        descriptor.le32(UInt32(entry.deflate.bytesIn))
        try emit(descriptor)
        entries.append(Entry(name: entry.name, crc: entry.crc.value, compressed: UInt32(entry.deflate.bytesOut),
                             size: UInt32(entry.deflate.bytesIn), offset: UInt32(entry.offset)))
    }

    /// A whole small entry in one call.
    func addEntry(_ name: String, _ text: String) throws {
        try beginEntry(name)
        try write(Array(text.utf8))
        try endEntry()
    }

    /// Writes the central directory and closes the file; returns the archive's size.
    func finish() throws -> Int64 {
        let directoryStart = offset
        for entry in entries {
            var header: [UInt8] = []
            header.le32(0x0201_4B50)
            header.le16(20)          // made by: MS-DOS attributes, spec 2.0
            header.le16(20)
            header.le16(0x0808)
            header.le16(8)
            header.le16(dosTime)
            header.le16(dosDate)
            header.le32(entry.crc)
            header.le32(entry.compressed)
            header.le32(entry.size)
            header.le16(UInt16(entry.name.count))
            header.le16(0); header.le16(0); header.le16(0); header.le16(0)
            header.le32(0)
            header.le32(entry.offset)
            header.append(contentsOf: entry.name)
            try emit(header)
        }
        let directorySize = offset - directoryStart
        guard offset <= UInt32.max, entries.count < UInt16.max else { throw ExportError.tooLargeForZip(path: file.path) }
        var end: [UInt8] = []
        end.le32(0x0605_4B50)
        end.le16(0); end.le16(0)
        end.le16(UInt16(entries.count)); end.le16(UInt16(entries.count))
        end.le32(UInt32(directorySize))
        end.le32(UInt32(directoryStart))
        end.le16(0)
        try emit(end)
        try file.close()
        return offset
    }

    private func emit(_ bytes: [UInt8]) throws(ExportError) {
        offset += Int64(bytes.count)
        if offset > Int64(UInt32.max) { throw .tooLargeForZip(path: file.path) }
        try file.write(bytes)
    }
}

extension [UInt8] {
    mutating func le16(_ v: UInt16) {
        append(UInt8(v & 0xFF)); append(UInt8(v >> 8))
    }

    mutating func le32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(shift)) & 0xFF)) }
    }
}

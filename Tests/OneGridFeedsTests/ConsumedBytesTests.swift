import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

/// Counts and keeps the bytes a reader consumed from its file, as a SHA-256 tap would.
private final class KeepingTap: ByteTap {
    var bytes: [UInt8] = []
    func consume(_ chunk: UnsafeRawBufferPointer) { bytes.append(contentsOf: chunk) }
}

/// When a reader has handed out its last item, its tap has seen every byte of the file, once:
/// the pipeline can hash what it loaded instead of reading the file a second time.
@Suite("Bytes consumed by a reader")
struct ConsumedBytesTests {
    @Test(arguments: [
        ("csv/quoted-newline.csv", FeedFormat.csv),
        ("xml/petition-utf8.xml", .xml),
        ("jsonl/invalid-line.jsonl", .jsonl),
    ])
    func tapHasSeenTheWholeFileAtTheEnd(fixture: String, format: FeedFormat) throws {
        for gzip in [false, true] {
            let path = temporaryPath(gzip ? ".gz" : ".dat")
            let onDisk = gzip ? try gzipped(try fixtureBytes(fixture)) : try fixtureBytes(fixture)
            try writeFile(path, onDisk)
            let tap = KeepingTap()
            let reader = try FeedReaders.open(path: path, format: format,
                                              options: FeedReaderOptions(xmlRecordPath: "/XFExport/Petition", skipElements: ["Attachments"]), tap: tap)
            while try reader.next() != nil {}
            #expect(tap.bytes == onDisk, "\(fixture) gzip \(gzip)")
        }
    }
}

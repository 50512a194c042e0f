import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

/// One stray byte in a UTF-8 file fails its record, not the whole file (issue #12).
@Suite("Encoding detection")
struct EncodingDetectionTests {
    private let rows = (1...40).map { "NJ\($0),雄州街道桥西社区华城名府\($0)栋\n" }

    @Test func utf8FileWithOneStrayByteStaysUTF8AndOnlyThatRecordIsUnreadable() throws {
        var data = bytes("编号,地址\n")
        var strayOffset = 0
        for (index, row) in rows.enumerated() {
            if index == 5 {
                strayOffset = data.count + 4
                data += bytes("NJ6,") + [0xFF] + bytes("华城名府6栋\n")
            } else {
                data += bytes(row)
            }
        }
        let reader = try CSVFeedReader(stream: MemoryByteStream(data), path: "stray.csv")
        #expect(reader.encoding == .utf8)
        let items = try readAll(reader)
        #expect(items.count == 40)
        let unreadable = items.filter { if case .unreadable = $0 { return true } else { return false } }
        #expect(unreadable == [.unreadable(line: 7, offset: Int64(strayOffset - 4), record: 6, field: "地址",
                                           problem: .undecodableBytes(encoding: .utf8, byteOffset: Int64(strayOffset)),
                                           raw: bytes("NJ6,") + [0xFF] + bytes("华城名府6栋"))])
    }

    @Test func gb18030FileIsStillGB18030() throws {
        let data = try Transcoder(from: .utf8, to: .gb18030).convert(bytes("编号,地址\n" + rows.joined()))
        #expect(EncodingDetector.detect(sample: data).encoding == .gb18030)
    }

    @Test func gb18030FileWithOneChineseNameAmongASCIIIsGB18030() throws {
        let data = try Transcoder(from: .utf8, to: .gb18030).convert(bytes("id,name,phone\n1,a,138\n2,王五,139\n3,b,137\n"))
        #expect(EncodingDetector.detect(sample: data).encoding == .gb18030)
    }
}

import Foundation
@testable import OneGridMapping
import Testing

@Suite("A blank cell is what Foundation's trimming calls blank")
struct BlankCellTests {
    @Test("every scalar of the Basic Multilingual Plane is blank exactly when trimming empties it")
    func agreesWithTrimmingOnEveryBMPScalar() {
        var disagreements: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            if RecordMapper.isBlank(text) != text.trimmingCharacters(in: .whitespaces).isEmpty {
                disagreements.append(String(value, radix: 16))
            }
        }
        #expect(disagreements == [])
    }

    @Test("runs of blanks are blank; one visible character anywhere is not", arguments: [
        ("", true), (" ", true), ("\t \u{3000}\u{A0}", true), ("\u{200B}\u{2009}", true),
        ("\n", false), (" 合计 ", false), ("\u{3000}1", false), ("a\t", false), ("\u{FEFF}", false),
    ])
    func mixedCells(_ c: (String, Bool)) {
        #expect(RecordMapper.isBlank(c.0) == c.1, "\(c.0.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(c.0.trimmingCharacters(in: .whitespaces).isEmpty == c.1)
    }
}

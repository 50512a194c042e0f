import OneGridModel
import Testing

@Suite("ID numbers (GB 11643)")
struct IDNumberTests {
    @Test("the standard's example numbers are valid", arguments: ["11010519491231002X", "440524188001010014"])
    func standardExamples(_ raw: String) throws {
        #expect(try IDNumber(parsing: raw).value == raw)
    }

    @Test("a 15-digit number is upgraded to 18 with its check character")
    func upgrade() throws {
        #expect(try IDNumber(parsing: "340524800101001").value == "34052419800101001X")
    }

    @Test("a wrong check character is refused, naming the expected one")
    func badCheck() {
        #expect(throws: IDNumber.Problem.badCheckCharacter(expected: "X", found: "1")) {
            try IDNumber(parsing: "110105194912310021")
        }
    }

    @Test("Excel's scientific notation is recognised as damage")
    func excel() {
        #expect(throws: IDNumber.Problem.scientificNotation) { try IDNumber(parsing: "3.20116E+17") }
    }

    @Test("full-width digits, a leading apostrophe and a lower-case x are tolerated")
    func tolerated() throws {
        #expect(try IDNumber(parsing: "'１１０１０５１９４９１２３１００２x").value == "11010519491231002X")
    }

    @Test("an impossible birth date is refused")
    func birthDate() {
        #expect(throws: IDNumber.Problem.badBirthDate) { try IDNumber(parsing: "110105491331002") }
    }

    @Test("the masked form keeps the address code and the last four")
    func masked() throws {
        #expect(try IDNumber(parsing: "11010519491231002X").masked == "110105********002X")
    }
}

@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test("separators, country codes and full-width digits normalise to digits", arguments: [
        ("138 0000 0000", "13800000000"), ("+86-13800000000", "13800000000"), ("１３８００００００００", "13800000000"),
        ("(025)84412345", "02584412345"), ("84412345", "02584412345"), ("'13800000000", "13800000000"),
        ("+86 25 84412345", "02584412345"), ("0086-512-65231234", "051265231234"), ("+86 (10) 6512 3456", "01065123456"),
    ])
    func normalise(_ raw: String, _ expected: String) throws {
        #expect(try PhoneNumber(parsing: raw).value == expected)
    }

    @Test("Excel's 1.38E+10 is damage, not a number")
    func excel() {
        #expect(throws: PhoneNumber.Problem.scientificNotation) { try PhoneNumber(parsing: "1.38E+10") }
    }

    @Test("the masked form keeps three and four digits")
    func masked() throws {
        #expect(try PhoneNumber(parsing: "13800001234").masked == "138****1234")
        #expect(NameMask.mask("张某某") == "张**")
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("Beijing wall-clock time round-trips")
    func beijing() throws {
        let t = try #require(Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 14, minute: 5, second: 31))
        #expect(t.seconds == 1_592_892_331)
        #expect(t.beijingText == "2020-06-23 14:05:31")
    }
}

@Suite("Source positions")
struct SourcePositionTests {
    @Test("the message shape names file, line, column, record and field")
    func shape() {
        #expect(SourcePosition(file: "a.xml", line: 38, record: 3, column: 14, field: "Form").description
                == "a.xml:38:14: record 3, field 'Form'")
        #expect(SourcePosition(file: "a.csv").description == "a.csv")
    }
}

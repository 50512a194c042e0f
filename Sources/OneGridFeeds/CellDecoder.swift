import OneGridCodecs

/// A cell's bytes did not decode: the index of the first bad byte within the cell.
struct CellDecodeFailure: Error {
    var index: Int
}

/// Turns cell bytes into `String`s in one encoding, reusing one iconv handle and one output
/// buffer for the whole file. Never produces U+FFFD: bad bytes are a failure with an index.
final class CellDecoder {
    let encoding: TextEncodingName
    private var transcoder: Transcoder?
    private var scratch: [UInt8] = []

    init(encoding: TextEncodingName) {
        self.encoding = encoding
        if encoding == .gb18030 { transcoder = Transcoder(from: .gb18030, to: .utf8) }
    }

    func decode(_ cell: UnsafeBufferPointer<UInt8>) throws(CellDecodeFailure) -> String {
        switch encoding {
        case .utf8:
            if let bad = UTF8Validation.firstInvalidIndex(cell) { throw CellDecodeFailure(index: bad) }
            return String(decoding: cell, as: UTF8.self)
        case .gb18030:
            // ASCII is the same in both encodings: no iconv call for codes, dates, numbers.
            if UTF8Validation.isASCII(cell) { return String(decoding: cell, as: UTF8.self) }
            scratch.removeAll(keepingCapacity: true)
            do {
                try transcoder!.convert(UnsafeRawBufferPointer(cell), into: &scratch)
            } catch {
                throw CellDecodeFailure(index: error.offset)
            }
            return scratch.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        }
    }

    func decode(_ bytes: [UInt8]) throws(CellDecodeFailure) -> String {
        var failure: CellDecodeFailure?
        let text = bytes.withUnsafeBufferPointer { buf -> String in
            do throws(CellDecodeFailure) { return try decode(buf) } catch { failure = error; return "" }
        }
        if let failure { throw failure }
        return text
    }
}

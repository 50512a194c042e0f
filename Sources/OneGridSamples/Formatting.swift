import OneGridModel

/// Small Foundation-free formatters the writers share.
enum Fmt {
    /// `value` with exactly `decimals` decimals (half away from zero).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let negative = value < 0
        let scaled = Int64((abs(value) * scale).rounded())
        let unit = Int64(scale)
        var frac = String(scaled % unit)
        while frac.count < decimals { frac = "0" + frac }
        let text = decimals == 0 ? "\(scaled)" : "\(scaled / unit).\(frac)"
        return negative && scaled != 0 ? "-" + text : text
    }

    /// Rounds to `decimals` places, so stored values equal their printed form.
    static func round(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        var s = String(n)
        while s.count < width { s = "0" + s }
        return s
    }

    /// Beijing wall-clock parts of an instant.
    static func parts(_ t: Int64) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int) {
        let local = t + 8 * 3600
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let secs = Int(local - Int64(days) * 86_400)
        let (y, m, d) = CivilDate.civil(fromDays: days)
        return (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// `20200623` in Beijing time.
    static func ymd(_ t: Int64) -> String {
        let p = parts(t)
        return "\(p.y)\(pad(p.mo, 2))\(pad(p.d, 2))"
    }

    /// `2020-06-23 14:05:31`.
    static func dashed(_ t: Int64) -> String { Timestamp(seconds: t).beijingText }

    /// `2020-06-23 14:05`.
    static func dashedMinutes(_ t: Int64) -> String { String(dashed(t).prefix(16)) }

    /// `2020/6/23 14:05`.
    static func slashed(_ t: Int64) -> String {
        let p = parts(t)
        return "\(p.y)/\(p.mo)/\(p.d) \(pad(p.h, 2)):\(pad(p.mi, 2))"
    }

    /// `2020年6月23日 14时05分`.
    static func chinese(_ t: Int64) -> String {
        let p = parts(t)
        return "\(p.y)年\(p.mo)月\(p.d)日 \(pad(p.h, 2))时\(pad(p.mi, 2))分"
    }

    /// `20200623140531`.
    static func compact(_ t: Int64) -> String {
        let p = parts(t)
        return "\(p.y)\(pad(p.mo, 2))\(pad(p.d, 2))\(pad(p.h, 2))\(pad(p.mi, 2))\(pad(p.s, 2))"
    }

    /// Excel's serial day number (days since 1899-12-30, Beijing wall clock), 4 decimals.
    static func excelSerial(_ t: Int64) -> String {
        let local = Double(t + 8 * 3600)
        return fixed(local / 86_400.0 + 25_569.0, 4)
    }

    /// `2020-06-23T14:05:31+08:00`.
    static func isoOffset(_ t: Int64) -> String { Timestamp(seconds: t).iso8601 }

    /// `2020-06-23T14:05:31` (no offset: Beijing time).
    static func isoLocal(_ t: Int64) -> String { dashed(t).replacingSpaceWithT() }

    static let fullWidthDigits: [Character] = Array("０１２３４５６７８９")

    /// ASCII digits and letters to their full-width forms (U+FF10…, U+FF21…).
    static func fullWidth(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if (0x21...0x7E).contains(u.value), let w = Unicode.Scalar(u.value + 0xFEE0) { out.append(w) } else { out.append(u) }
        }
        return String(out)
    }

    /// Full-width digits only, letters and punctuation kept.
    static func fullWidthDigits(_ s: String) -> String {
        String(s.map { c -> Character in
            if let a = c.asciiValue, a >= 48, a <= 57 { return fullWidthDigits[Int(a - 48)] }
            return c
        })
    }

    static let chineseDigits: [String] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 1…99 in Chinese numerals (三, 十二, 二十, 二十三).
    static func chineseNumber(_ n: Int) -> String {
        if n < 10 { return chineseDigits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : chineseDigits[n % 10]) }
        if n < 100 { return chineseDigits[n / 10] + "十" + (n % 10 == 0 ? "" : chineseDigits[n % 10]) }
        return String(n)
    }

    /// How Excel's General format shows a long number: `3.20116E+17`, `1.38E+10`.
    static func scientific(_ digits: String, significant: Int) -> String {
        let chars = Array(digits)
        var mantissa = String(chars[1..<min(significant, chars.count)])
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        return String(chars[0]) + (mantissa.isEmpty ? "" : "." + mantissa) + "E+\(chars.count - 1)"
    }

    static func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            var out = "\""
            for c in s { if c == "\"" { out += "\"\"" } else { out.append(c) } }
            return out + "\""
        }
        return s
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\u00" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    static func xmlText(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 with padding, appended to `out`.
    static func base64(_ bytes: [UInt8], into out: inout [UInt8]) {
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(base64Alphabet[Int(n >> 18 & 63)]); out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(base64Alphabet[Int(n >> 6 & 63)]); out.append(base64Alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out.append(base64Alphabet[Int(n >> 18 & 63)]); out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(base64Alphabet[Int(n >> 18 & 63)]); out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(base64Alphabet[Int(n >> 6 & 63)]); out.append(UInt8(ascii: "="))
        }
    }
}

extension String {
    func replacingSpaceWithT() -> String { String(map { $0 == " " ? "T" : $0 }) }
}

import Crypto
import Foundation
import OneGridModel

/// The secret that keys every person token and seals every raw record. It lives in a file
/// outside the warehouse (mode 0600); the warehouse keeps only its fingerprint, so a
/// warehouse opened with another key is refused instead of silently unlinking everyone.
public struct PIIKey: Sendable {
    let material: SymmetricKey

    /// Why a key file cannot be used.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case malformed(path: String)
        case tooOpen(path: String, mode: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "\(path): cannot read key file: \(reason)"
            case .malformed(let path): return "\(path): key file must hold 64 hexadecimal characters"
            case .tooOpen(let path, let mode): return "\(path): key file mode is \(mode); run chmod 600 on it"
            }
        }
    }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a PII key is 32 bytes")
        material = SymmetricKey(data: bytes)
    }

    /// A fresh random key.
    public static func generate() -> PIIKey {
        PIIKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Reads a key file (64 hex characters, surrounding white space ignored).
    public static func load(path: String) throws(Problem) -> PIIKey {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw .tooOpen(path: path, mode: String(mode, radix: 8))
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { throw .malformed(path: path) }
        return PIIKey(bytes: bytes)
    }

    /// Writes the key as hex to a new file with mode 0600; refuses to overwrite.
    public func write(path: String) throws(Problem) {
        let hex = material.withUnsafeBytes { Hex.encode(Array($0)) } + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(hex.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw .unreadable(path: path, reason: "cannot create the key file")
        }
    }

    /// A public fingerprint of the key (SHA-256 of a derived value, 16 hex characters).
    public var fingerprint: String {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("onegrid fingerprint".utf8), outputByteCount: 32)
        let digest = derived.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        return String(Hex.encode(Array(digest)).prefix(16))
    }

    func derived(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("onegrid \(purpose)".utf8), outputByteCount: 32)
    }
}

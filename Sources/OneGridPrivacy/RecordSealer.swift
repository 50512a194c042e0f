import Crypto
import Foundation

/// Encrypts raw records and version payloads (which hold personal data) with AES-GCM under
/// a key derived from the PII key; only someone holding the key file can open them.
public struct RecordSealer: Sendable {
    private let sealKey: SymmetricKey
    /// The nonce HMAC with its key already absorbed: each seal starts from a copy of it
    /// instead of hashing the key again.
    private let keyedNonce: HMAC<SHA256>

    /// A sealed box that does not open: wrong key, or damaged bytes.
    public struct OpenError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String { "sealed record cannot be opened: wrong key file or damaged data" }
    }

    public init(key: PIIKey) {
        sealKey = key.derived("sealed records")
        keyedNonce = HMAC<SHA256>(key: key.derived("sealed record nonces"))
    }

    /// Nonce, ciphertext and tag in one blob. The nonce is a keyed hash of the plaintext
    /// (synthetic-IV style), so sealing is deterministic: re-importing a file, or replaying
    /// a killed run, writes byte-identical rows, and warehouses can be compared by digest.
    public func seal(_ bytes: [UInt8]) -> [UInt8] {
        var hmac = keyedNonce
        hmac.update(data: bytes)
        let mac = hmac.finalize()
        let nonce = try! AES.GCM.Nonce(data: Array(mac).prefix(12))
        // Sealing cannot fail for in-memory inputs of sane size with a 12-byte nonce.
        let box = try! AES.GCM.seal(bytes, using: sealKey, nonce: nonce)
        return Array(box.combined!)
    }

    public func open(_ blob: [UInt8]) throws(OpenError) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: blob)
            return Array(try AES.GCM.open(box, using: sealKey))
        } catch {
            throw OpenError()
        }
    }
}

import Crypto
import OneGridModel

/// The SHA-256 of bytes fed in pieces, as 64 lowercase hex characters: what a manifest
/// records of the file it describes, computed while the file is written instead of
/// reading it back.
public struct ContentDigest {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: [UInt8]) {
        hasher.update(data: bytes)
    }

    public func hex() -> String {
        Hex.encode(Array(hasher.finalize()))
    }
}

import Crypto

/// Secret comparison whose duration does not depend on the secrets' contents: both sides are
/// hashed first, so neither where they differ nor their lengths leak through timing
/// (RFC 6749 §10.12 asks authorization servers to resist guessing of client credentials).
enum ConstantTime {
    static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(SHA256.hash(data: Array(lhs.utf8)))
        let b = Array(SHA256.hash(data: Array(rhs.utf8)))
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}

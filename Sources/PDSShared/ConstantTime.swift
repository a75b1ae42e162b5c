import Crypto

/// Secret comparison whose duration depends on neither the secrets' contents nor their
/// lengths: both sides are hashed first and the digests compared without an early exit, so
/// someone probing a `state`, a start-page key or a client secret learns nothing by timing
/// (RFC 6749 §10.10, §10.12).
package enum ConstantTime {
    package static func equals(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        let a = Array(SHA256.hash(data: Array(lhs.utf8)))
        let b = Array(SHA256.hash(data: Array(rhs.utf8)))
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}

/// Comparison whose duration does not depend on where two secrets first differ, so a
/// caller probing the loopback callback learns nothing about `state` by timing
/// (RFC 6749 §10.12 asks for an unguessable, verified state).
public enum ConstantTime {
    public static func equals(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        // Always walk the longer input so the length difference costs no early exit.
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}

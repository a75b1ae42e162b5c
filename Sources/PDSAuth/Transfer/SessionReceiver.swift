import Crypto
import FoundationEssentials

/// The receiving end of a move (`pds-auth import`): a fresh X25519 key pair whose public half
/// is the one-time `recipient` key to print, and whose private half never leaves this value
/// (it is not written anywhere), so a session sealed to it opens here, in this process, and
/// nowhere else.
package struct SessionReceiver: Sendable {
    private let privateKey = Curve25519.KeyAgreement.PrivateKey()

    package init() {}

    package var recipient: RecipientKey { RecipientKey(privateKey.publicKey) }

    /// The session a sealed line holds, and the name it had (see `SealedSession.open`).
    package func open(_ line: String, now: Date = Date()) throws(PDSAuthError) -> (profile: StoredProfile, sourceName: String) {
        try SealedSession.open(line, with: privateKey, now: now)
    }
}

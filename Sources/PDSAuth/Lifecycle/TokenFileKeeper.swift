import FoundationEssentials
import Glibc
import PDSShared

/// Keeps a valid access token in a file for a program that runs longer than a token lives
/// (`pds-auth exec`): the file (0600, in a `PrivateDirectory`) is rewritten
/// atomically with a renewed token before the current one has less than `minValid` left,
/// renewing through the same `TokenProvider` (and so the same lock) as `pds-auth token`.
package final class TokenFileKeeper: Sendable {
    package var directory: String { privateDirectory.path }
    package var path: String { privateDirectory.path + "/" + Self.fileName }
    let privateDirectory: PrivateDirectory
    let provider: TokenProvider
    let profileName: String
    let minValid: Duration

    static let fileName = "access-token"

    /// Creates the directory (in the first safe temporary root, see `TemporaryRoot`) and
    /// writes the first token (which must already be valid).
    package init(
        provider: TokenProvider, profile name: String, minValid: Duration, first: StoredProfile,
        roots: TemporaryRoot.Choice
    ) throws(PDSAuthError) {
        privateDirectory = try PrivateDirectory(purpose: "exec", roots: roots)
        self.provider = provider
        profileName = name
        self.minValid = minValid
        try write(first.accessToken)
    }

    /// Renews and rewrites until cancelled. A failed renewal is reported through `onFailure`
    /// and retried (every 30 s) while the current token is still valid.
    package func keepFresh(onFailure: @Sendable (PDSAuthError) -> Void = { _ in }) async {
        var current = (try? provider.store.profile(profileName)) ?? nil
        while !Task.isCancelled {
            let wait = current.map(delay(for:)) ?? .seconds(30)
            do { try await Task.sleep(for: wait) } catch { return }
            do throws(PDSAuthError) {
                let renewed = try await provider.validProfile(profileName, minValid: minValid)
                if renewed.accessToken != current?.accessToken { try write(renewed.accessToken) }
                current = renewed
            } catch {
                onFailure(error)
                current = nil
            }
        }
    }

    /// Until the token has `minValid` left (at least a second, at most an hour away).
    func delay(for profile: StoredProfile) -> Duration {
        guard let expiry = profile.effectiveExpiry else { return .seconds(3600) }
        let seconds = expiry.timeIntervalSinceNow - minValid.seconds
        return .milliseconds(Int64(max(1, min(3600, seconds)) * 1000))
    }

    func write(_ token: String) throws(PDSAuthError) {
        try privateDirectory.write(Array((token + "\n").utf8), to: Self.fileName)
    }

    /// Removes the file (and any temp file a write left) and the directory. A write in
    /// progress finishes first; none starts afterwards. `.moved` when the directory was
    /// moved or replaced meanwhile (its files are removed all the same; nothing else is).
    @discardableResult
    package func remove() -> PrivateDirectory.Removal {
        privateDirectory.remove()
    }
}

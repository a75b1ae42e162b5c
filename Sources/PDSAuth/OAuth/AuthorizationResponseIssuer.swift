/// The mix-up defence of RFC 9207 (RFC 9700 §4.4): an authorization response names the
/// server that issued it in `iss`, and a client that knows which issuer it sent the user to
/// compares the two, exactly (RFC 9207 §2.4), before it uses the code or the error. Without
/// this, a code from one server could be sent to another server's token endpoint (or a
/// forged error believed) when the user was sent to a server that is not the one expected.
package enum AuthorizationResponseIssuer: Sendable, Equatable {
    /// Nothing to object to.
    case accepted
    /// The issuer says its redirects carry `iss`, and this one does not.
    case missing
    /// `iss` names another issuer.
    case mismatch

    /// - Parameters:
    ///   - received: the redirect's `iss`, if any.
    ///   - endpoints: the profile's endpoints: `issuer` (known only when discovered) and
    ///     whether its metadata advertised `iss`.
    ///
    /// Without a known issuer (PDS, endpoints typed by hand) there is nothing to compare
    /// with, and `iss` is not looked at. With one, an `iss` that is present must equal it
    /// whether or not the metadata advertised it; an absent one is refused only when it
    /// was advertised (RFC 9207 §2.4).
    package static func check(_ received: String?, against endpoints: ProviderEndpoints) -> AuthorizationResponseIssuer {
        guard let issuer = endpoints.issuer else { return .accepted }
        guard let received else { return endpoints.issParameterSupported ? .missing : .accepted }
        return received == issuer ? .accepted : .mismatch
    }
}

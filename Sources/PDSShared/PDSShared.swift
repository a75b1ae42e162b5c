/// Plumbing that both the client library (`PDSAuth`) and the dev server (`PDSDevServer`)
/// need and that carries no protocol meaning: unguessable values, base64url, constant-time
/// comparison, page rendering and the security headers every page carries.
///
/// What is *not* here, on purpose: the OAuth and PDS protocol rules (form encoding, PKCE,
/// which hosts are loopback, JWT claims, error bodies). The dev server is the client's
/// oracle: it implements those rules a second time, independently, so that a bug in the
/// client's reading of an RFC cannot be hidden by the same bug on the server side. Where the
/// two must agree, they are held together by shared test vectors (`Tests/Vectors/`), not by
/// shared code.
package enum PDSShared {}

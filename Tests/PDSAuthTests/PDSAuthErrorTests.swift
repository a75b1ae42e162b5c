import Foundation
import HTTPTypes
import Testing

@testable import PDSAuth

/// The error type itself: the one line a user is shown (typed facts and details by label,
/// as the old `[String: String]` context printed them), equality by code, and the facts a
/// server answer leaves in typed fields rather than in text.
@Suite struct PDSAuthErrorTests {
    static let tokenURL = URL(string: "https://h.example/v2/oauth/token")!

    static func answer(_ status: Int, _ headers: [(String, String)] = [], body: String = "") -> PDSAuthError {
        TokenEndpointError.from(
            HTTPClientResponse(status: status, headerFields: HTTPFields(lines: headers), body: Data(body.utf8)), url: tokenURL,
            grant: .refreshToken("r"))
    }

    @Test func theLineShowsEveryFactByLabel() {
        let error = PDSAuthError(
            .serverUnavailable, "h failed", httpStatus: 503, serverCode: "ServiceUnavailable", requestID: "R1",
            retryAfter: .seconds(7), profile: "work", underlying: PDSAuthError.Cause(source: "libcurl", description: "Timeout"),
            details: ["url": "https://h.example/t", "attempts": "2"])
        #expect(
            error.description == "h failed (HTTP: 503, attempts: 2, libcurl: Timeout, profile: work, request id: R1, retry after: 7, "
                + "server code: ServiceUnavailable, url: https://h.example/t)")
        #expect(PDSAuthError(.noProfile, "No profile").description == "No profile")
        #expect(PDSAuthError(.authorizationDenied, "Denied", providerError: "access_denied").description == "Denied (provider error: access_denied)")
        #expect(PDSAuthError(.cancelled, "Interrupted", signal: SIGTERM).description == "Interrupted (signal: SIGTERM)")
    }

    /// jwt-kit's rule: the kind decides, not one occurrence's message or request id.
    @Test func equalityIsByCodeAlone() {
        #expect(PDSAuthError(.lockTimeout, "one", details: ["path": "/a"]) == PDSAuthError(.lockTimeout, "two", httpStatus: 1))
        #expect(PDSAuthError(.lockTimeout, "same") != PDSAuthError(.writeFailed, "same"))
    }

    /// RFC 9110 §10.2.3: delay-seconds is a duration a program can wait; an HTTP-date (or
    /// junk) is shown as the server wrote it and never read as a number.
    @Test func retryAfterSecondsAreTypedAndADateIsOnlyShown() {
        let seconds = Self.answer(503, [("Retry-After", "120")])
        #expect(seconds.retryAfter == .seconds(120) && seconds.description.contains("retry after: 120"))
        let date = Self.answer(429, [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")])
        #expect(date.retryAfter == nil && date.description.contains("retry after: Wed, 21 Oct 2015 07:28:00 GMT"))
        for junk in ["-1", "1e3", "9999999999", ""] { #expect(Self.answer(503, [("Retry-After", junk)]).retryAfter == nil, "\(junk)") }
    }

    /// What the server said lands in typed fields, and the endpoint stays a shown detail.
    @Test func aServerAnswerFillsTheTypedFields() {
        let error = Self.answer(400, body: #"{"error":"invalid_grant","error_description":"gone","request_id":"Q9"}"#)
        #expect(error.code == .sessionExpired && error.httpStatus == 400 && error.serverCode == "invalid_grant" && error.requestID == "Q9")
        #expect(error.shownDetails.map(\.label) == ["HTTP", "request id", "server code", "url"])
        #expect(error.details == [PDSAuthError.Detail("url", "https://h.example/v2/oauth/token")])
    }

    /// A save that failed after a renewal keeps the save's own facts and names the profile.
    @Test func aRenewalNotSavedKeepsTheSavesFacts() {
        let save = PDSAuthError(.writeFailed, "No space left on device", details: ["path": "/home/u/.config/pds-auth/credentials.json"])
        let failure = TokenProvider.renewalNotSaved(save, name: "work", rotates: true)
        #expect(failure.code == .renewalNotSaved && failure.profile == "work")
        #expect(failure.description.hasSuffix("(path: /home/u/.config/pds-auth/credentials.json, profile: work)"))
        #expect(failure.message.contains("No space left on device") && failure.message.contains("sign in again"))
    }

    /// A later layer adds where it happened; the same label twice is shown once.
    @Test func aDetailAddedLaterReplacesOneOfTheSameLabel() {
        var error = PDSAuthError(.invalidMetadata, "bad", details: ["url": "https://a.example"])
        error.detail("url", "https://b.example")
        #expect(error.description == "bad (url: https://b.example)")
    }
}

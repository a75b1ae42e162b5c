import Foundation
import HTTPTypes
import Testing

@testable import PDSAuth

/// Replays the committed fuzz inputs (`Fuzz/Corpus/<Target>/` seeds and the crash inputs in
/// `Fuzz/Regressions/<Target>/`) through the same library entry points as the libFuzzer
/// harnesses, checking their key invariants, so `swift test` catches a regression even
/// where no fuzzing toolchain runs. The seeds include overlong and control-character inputs
/// on purpose: without them these checks could not fail.
@Suite struct FuzzRegressionTests {
    static let targets = ["CallbackQuery", "TokenResponse", "CredentialsFile", "PastedAnswer", "JSONText"]

    /// `<repo>/Fuzz`, found from this file (`<repo>/Tests/PDSAuthTests/…`).
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// Every file of one kind (`Corpus` or `Regressions`) for a target; a missing directory
    /// is empty (a target may have no regressions yet).
    static func files(_ kind: String, _ target: String) -> [(name: String, data: Data)] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: directory.appendingPathComponent(name))).map { ("\(kind)/\(target)/\(name)", $0) }
        }
    }

    static func inputs(_ target: String) -> [(name: String, data: Data)] {
        files("Corpus", target) + files("Regressions", target)
    }

    static func isTerminalSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    @Test(arguments: targets) func seedCorpusIsNotEmpty(target: String) {
        #expect(Self.files("Corpus", target).count >= 5, "Fuzz/Corpus/\(target) has too few seeds")
    }

    @Test func callbackQueriesStayBounded() {
        var redirects = 0
        for (name, data) in Self.inputs("CallbackQuery") {
            let query = String(decoding: data, as: UTF8.self)
            guard let parameters = CallbackParameters(query: query) else {
                #expect(query.utf8.count > CallbackParameters.maxQueryLength, "\(name): an in-bounds query was refused")
                continue
            }
            #expect(query.utf8.count <= CallbackParameters.maxQueryLength, "\(name): an overlong query was parsed")
            let values = [parameters.code, parameters.state, parameters.error, parameters.errorDescription, parameters.iss].compactMap { $0 }
            for value in values {
                #expect(value.utf8.count <= CallbackParameters.maxValueLength, "\(name): a value of \(value.utf8.count) bytes")
                #expect(Self.isTerminalSafe(Redaction.terminalSafe(value)), "\(name): terminalSafe left a control character")
            }
            let fields = [
                ("code", parameters.code), ("state", parameters.state),
                ("error", parameters.error), ("error_description", parameters.errorDescription), ("iss", parameters.iss),
            ]
            let encoded = FormEncoding.encode(fields.compactMap { field, value in value.map { (field, $0) } })
            if encoded.utf8.count <= CallbackParameters.maxQueryLength {
                #expect(CallbackParameters(query: encoded) == parameters, "\(name): re-encoded query parses differently")
            }
            if parameters.isRedirect { redirects += 1 }
        }
        #expect(redirects > 0, "no seed is a real redirect")
    }

    @Test func pastedAnswersStayBounded() {
        var kinds: Set<String> = []
        for (name, data) in Self.inputs("PastedAnswer") {
            let text = String(decoding: data, as: UTF8.self)
            let trimmed = text.trimmed()
            let answer = PastedAnswer.parse(text)
            if trimmed.utf8.count > CallbackParameters.maxQueryLength {
                #expect(answer == nil, "\(name): an overlong paste was accepted")
            }
            switch answer {
            case nil:
                kinds.insert("nil")
            case .code(let code):
                kinds.insert("code")
                #expect(code == trimmed && code.utf8.count <= CallbackParameters.maxValueLength, "\(name): bad code")
                #expect(code.utf8.allSatisfy { (0x21...0x7E).contains($0) }, "\(name): a code outside VSCHAR")
            case .redirect(let parameters):
                kinds.insert("redirect")
                #expect(parameters.isRedirect, "\(name): a redirect without code, state or error")
                for value in [parameters.code, parameters.state, parameters.error, parameters.errorDescription].compactMap({ $0 }) {
                    #expect(value.utf8.count <= CallbackParameters.maxValueLength, "\(name): a value of \(value.utf8.count) bytes")
                }
            }
            #expect(PastedAnswer.parse(" \t\n" + text + "\r\n") == answer, "\(name): white space changed the answer")
            // Bytes, as a URL parser sees them (`?` then a combining mark is one Character).
            if !trimmed.utf8.contains(UInt8(ascii: "#")), !trimmed.utf8.contains(UInt8(ascii: "?")) {
                let listener = CallbackParameters(query: trimmed).flatMap { $0.isRedirect ? PastedAnswer.redirect($0) : nil }
                #expect(
                    PastedAnswer.parse("http://127.0.0.1:8765/callback?" + trimmed) == listener,
                    "\(name): the pasted URL and the listener disagree")
            }
        }
        #expect(kinds == ["nil", "code", "redirect"], "the seeds do not cover every kind of answer")
    }

    @Test func tokenAndErrorResponsesAreTerminalSafeAndSavable() throws {
        var decoded = 0
        let url = URL(string: "https://bj1.api.aliyunpds.com/v2/oauth/token")!
        for (name, data) in Self.inputs("TokenResponse") {
            let response = Self.response(data)
            let receivedAt = Date(timeIntervalSince1970: 1_700_000_000)
            if let token = try? TokenResponse.decode(response.body, from: "bj1.api.aliyunpds.com", receivedAt: receivedAt) {
                decoded += 1
                #expect(!token.accessToken.isEmpty && token.refreshToken != "", "\(name): empty token accepted")
                // Whatever a token endpoint sends and pds-auth accepts, pds-auth can read back.
                var file = CredentialsFile()
                file.profiles["p"] = Self.profile(token, receivedAt: receivedAt)
                let reread = try CredentialsFile.decode(file.encoded(), path: name)
                #expect(reread.unreadable.isEmpty && reread.profiles["p"]?.accessToken == token.accessToken, "\(name): saved but unreadable")
            }
            let error = TokenEndpointError.from(response, url: url, grant: .refreshToken("r"))
            let texts = [error.code.description, error.message] + error.shownDetails.map(\.value)
            #expect(texts.allSatisfy(Self.isTerminalSafe), "\(name): control character in \(error)")
            #expect((error.serverCode?.count ?? 0) <= 81, "\(name): server code too long")
            #expect(error.httpStatus == response.status, "\(name): status missing from the error")
        }
        #expect(decoded > 0, "no seed is a successful token response")
    }

    /// The JSONText inputs that are not JSON (by RFC 8259 and `JSONText.maxDepth`); every
    /// other one is. A new input that JSONText refuses needs its name here.
    static let jsonTextRefuses: Set<String> = [
        "bad-hex-escapes", "bom", "control-in-string", "empty", "invalid-utf8", "literals-bad", "nested-513",
        "numbers-bad", "repeated-key-later-value", "trailing-commas", "utf16-le", "hex-escape-with-sign",
    ]

    @Test func jsonTextRelaysTheSameValue() {
        for (name, data) in Self.inputs("JSONText") {
            let text = JSONText(Array(data))
            let refused = Self.jsonTextRefuses.contains(String(name.split(separator: "/").last ?? ""))
            #expect((text == nil) == refused, "\(name): \(text == nil ? "refused" : "accepted")")
            if let text { JSONTextChecks.expectRelayed(text, name) }
        }
    }

    static func profile(_ token: TokenResponse, receivedAt: Date) -> StoredProfile {
        var profile = StoredProfile(
            grant: .authorizationCode,
            endpoints: ProviderEndpoints(
                flavor: .pds, base: URL(string: "https://x.example")!,
                authorizeURL: URL(string: "https://x.example/a")!, tokenURL: URL(string: "https://x.example/t")!, revokeURL: nil),
            domainID: nil, clientID: "c", clientSecret: nil, redirectURI: nil, scope: nil, caBundlePath: nil,
            accessToken: "placeholder", refreshToken: nil, tokenType: nil, expiresAt: nil, obtainedAt: receivedAt, user: nil)
        profile.apply(token, receivedAt: receivedAt)
        return profile
    }

    @Test func credentialsFilesSurviveASave() throws {
        for (name, data) in Self.inputs("CredentialsFile") {
            guard let file = try? CredentialsFile.decode(data, path: name) else { continue }
            #expect(file.version <= CredentialsFile.currentVersion, "\(name): accepted version \(file.version)")
            let encoded = file.encoded()
            let again = try CredentialsFile.decode(encoded, path: name)
            #expect(again.encoded() == encoded, "\(name): encoding is not stable across a save")
            // The file keeps whole seconds (see Fuzz/CredentialsFileFuzzer.swift): compare the rest exactly.
            #expect(again.profiles.keys.sorted() == file.profiles.keys.sorted(), "\(name): profiles changed")
            for (profileName, profile) in file.profiles {
                guard var saved = again.profiles[profileName] else { continue }
                if let before = profile.expiresAt, let after = saved.expiresAt, abs(before.timeIntervalSince(after)) < 1 {
                    saved.expiresAt = before
                }
                if abs(profile.obtainedAt.timeIntervalSince(saved.obtainedAt)) < 1 { saved.obtainedAt = profile.obtainedAt }
                #expect(saved == profile, "\(name): profile \(profileName) changed on a save")
            }
        }
    }

    /// The TokenResponse harness's input layout: a status line, `name: value` header lines,
    /// an empty line, then the body.
    static func response(_ data: Data) -> HTTPClientResponse {
        let bytes = Array(data)
        var split = (head: bytes.count, body: bytes.count)
        if let index = bytes.indices.first(where: { bytes[$0] == 0x0A && $0 + 1 < bytes.count && bytes[$0 + 1] == 0x0A }) {
            split = (index, index + 2)
        }
        let lines = String(decoding: bytes[..<split.head], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let status = lines.first.flatMap { Int($0.trimmed()) }.flatMap { (100...599).contains($0) ? $0 : nil } ?? 400
        var headers = HTTPFields()
        for line in lines.dropFirst() {
            // As libcurl's header lines reach CurlTransfer: a line whose name is no token is dropped.
            guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(line[..<colon].trimmed()) else { continue }
            headers.append(HTTPField(name: name, lenientValue: Array(line[line.index(after: colon)...].trimmed().utf8)))
        }
        return HTTPClientResponse(status: status, headerFields: headers, body: Data(bytes[split.body...]))
    }
}

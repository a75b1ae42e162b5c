import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// The device grant's client side (RFC 8628): what a device authorization response may
/// contain, and the poll loop's state machine on a clock that only moves when it sleeps.
@Suite struct DeviceGrantTests {
    /// A clock whose time advances by exactly what is slept; every sleep is recorded.
    final class FakeClock: Sendable {
        let now = LockedValue(Duration.zero)
        let sleeps = LockedValue<[Duration]>([])
        var clock: DevicePoller.Clock {
            DevicePoller.Clock(
                elapsed: { self.now.value },
                sleep: { duration in
                    self.sleeps.update { $0.append(duration) }
                    self.now.update { $0 += duration }
                })
        }
    }

    static func authorization(expiresIn: Int = 600, interval: Int = 5) -> DeviceAuthorization {
        DeviceAuthorization(
            deviceCode: "dc", userCode: "WDJB-MJHT", verificationURI: URL(string: "https://idp.example/device")!,
            verificationURIComplete: nil, expiresIn: .seconds(expiresIn), interval: .seconds(interval))
    }

    static let token = TokenResponse(
        accessToken: "at-0123456789", refreshToken: "rt", tokenType: "Bearer", expiresAt: nil, scope: nil,
        userID: nil, userName: nil, nickName: nil, domainID: nil, defaultDriveID: nil, role: nil)

    /// Runs the poller against scripted answers (the last one repeats).
    static func run(
        _ answers: [DevicePollAnswer], expiresIn: Int = 600, interval: Int = 5, timeout: Int = 600
    )
        async -> (result: Result<TokenResponse, PDSAuthError>, sleeps: [Duration], polls: Int, slowDowns: [Duration])
    {
        let clock = FakeClock()
        let polls = LockedValue(0)
        let slowed = LockedValue<[Duration]>([])
        let poller = DevicePoller(
            authorization: authorization(expiresIn: expiresIn, interval: interval), timeout: .seconds(timeout), clock: clock.clock)
        let result = await outcome { () async throws(PDSAuthError) -> TokenResponse in
            try await poller.run(onSlowDown: { interval in slowed.update { $0.append(interval) } }) {
                () async throws(PDSAuthError) -> DevicePollAnswer in
                let index = polls.update { count -> Int in
                    count += 1
                    return count - 1
                }
                return answers[min(index, answers.count - 1)]
            }
        }
        return (result, clock.sleeps.value, polls.value, slowed.value)
    }

    @Test func pollsEveryIntervalUntilTheToken() async throws {
        let run = await Self.run([.pending, .pending, .token(Self.token)])
        #expect(try run.result.get().accessToken == "at-0123456789")
        #expect(run.sleeps == [.seconds(5), .seconds(5), .seconds(5)] && run.polls == 3, "waits before every poll, never hammers")
    }

    @Test func slowDownAddsFiveSecondsToEveryLaterPoll() async throws {
        let run = await Self.run([.pending, .slowDown, .pending, .slowDown, .token(Self.token)], interval: 1)
        #expect(try run.result.get().accessToken == "at-0123456789")
        #expect(run.sleeps == [.seconds(1), .seconds(1), .seconds(6), .seconds(6), .seconds(11)], "\(run.sleeps)")
        #expect(run.slowDowns == [.seconds(6), .seconds(11)])
    }

    @Test func slowDownIsCappedSoPollsNeverStop() async {
        let run = await Self.run([.slowDown], interval: 590, timeout: 86400)
        #expect(run.sleeps.dropFirst(2).allSatisfy { $0 <= DevicePoller.maxInterval }, "\(run.sleeps.prefix(5))")
    }

    @Test func deniedIsAnAuthorizationRefusal() async {
        let run = await Self.run([.pending, .denied("the user said no")])
        guard case .failure(let error) = run.result else {
            Issue.record("expected a refusal")
            return
        }
        #expect(error.code == .authorizationDenied && error.message.contains("the user said no"), "\(error)")
        #expect(run.polls == 2)
    }

    @Test func expiredTokenEndsIt() async {
        let run = await Self.run([.pending, .expired])
        guard case .failure(let error) = run.result else {
            Issue.record("expected expiry")
            return
        }
        #expect(error.code == .deviceCodeExpired && run.polls == 2)
    }

    /// The code's own lifetime ends the wait even if the server keeps saying "pending".
    @Test func theCodesLifetimeEndsTheWaitWithoutAPollPastIt() async {
        let run = await Self.run([.pending], expiresIn: 12, interval: 5)
        guard case .failure(let error) = run.result else {
            Issue.record("expected expiry")
            return
        }
        #expect(error.code == .deviceCodeExpired)
        #expect(run.sleeps == [.seconds(5), .seconds(5), .seconds(2)] && run.polls == 2, "\(run.sleeps) \(run.polls)")
    }

    @Test func theTimeoutEndsTheWaitFirstWhenShorter() async {
        let run = await Self.run([.pending], expiresIn: 600, interval: 5, timeout: 7)
        guard case .failure(let error) = run.result else {
            Issue.record("expected a timeout")
            return
        }
        #expect(error.code == .signInTimedOut && run.sleeps == [.seconds(5), .seconds(2)] && run.polls == 1)
    }

    @Test func cancellationWhileWaitingSavesNothing() async {
        let poller = DevicePoller(authorization: Self.authorization(), timeout: .seconds(600))
        let task = Task { () async throws(PDSAuthError) -> TokenResponse in
            try await poller.run { () async throws(PDSAuthError) -> DevicePollAnswer in .pending }
        }
        task.cancel()
        guard case .failure(let error) = await task.result else {
            Issue.record("expected cancellation")
            return
        }
        #expect((error as? PDSAuthError)?.code == .cancelled)
    }

    // MARK: The device authorization response

    static func decode(_ json: String) -> Result<DeviceAuthorization, PDSAuthError> {
        Result { () throws(PDSAuthError) in try DeviceAuthorization.decode(Data(json.utf8), from: "idp.example") }
    }

    @Test func aGoodResponseIsTakenAsItIs() throws {
        let answer = try Self.decode(
            #"{"device_code":"GmRh","user_code":"WDJB-MJHT","verification_uri":"https://idp.example/device","verification_uri_complete":"https://idp.example/device?user_code=WDJB-MJHT","expires_in":1800}"#
        ).get()
        #expect(answer.userCode == "WDJB-MJHT" && answer.interval == .seconds(5), "5 s when the server names no interval (RFC 8628 §3.2)")
        #expect(answer.expiresIn == .seconds(1800) && answer.verificationURIComplete?.query == "user_code=WDJB-MJHT")
    }

    static let hostile: [(String, String)] = [
        (
            "escape sequence in the user code",
            #"{"device_code":"d","user_code":"\u001b]8;;https://evil\u0007CODE","verification_uri":"https://i/d","expires_in":600}"#
        ),
        ("newline in the user code", #"{"device_code":"d","user_code":"AB\nCD","verification_uri":"https://i/d","expires_in":600}"#),
        ("bidi override in the user code", #"{"device_code":"d","user_code":"AB\u202eCD","verification_uri":"https://i/d","expires_in":600}"#),
        (
            "huge user code",
            #"{"device_code":"d","user_code":""# + String(repeating: "A", count: 5000) + #"","verification_uri":"https://i/d","expires_in":600}"#
        ),
        ("empty user code", #"{"device_code":"d","user_code":"  ","verification_uri":"https://i/d","expires_in":600}"#),
        ("no device code", #"{"user_code":"A","verification_uri":"https://i/d","expires_in":600}"#),
        ("plain-http verification URI", #"{"device_code":"d","user_code":"A","verification_uri":"http://evil.example/d","expires_in":600}"#),
        ("javascript URI", #"{"device_code":"d","user_code":"A","verification_uri":"javascript:alert(1)","expires_in":600}"#),
        ("URI with credentials", #"{"device_code":"d","user_code":"A","verification_uri":"https://u:p@i/d","expires_in":600}"#),
        (
            "plain-http complete URI",
            #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d","verification_uri_complete":"http://evil.example/d","expires_in":600}"#
        ),
        ("zero interval", #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d","expires_in":600,"interval":0}"#),
        ("negative interval", #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d","expires_in":600,"interval":-5}"#),
        ("absurd interval", #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d","expires_in":600,"interval":1e30}"#),
        ("no expires_in", #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d"}"#),
        ("zero expires_in", #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d","expires_in":0}"#),
        ("absurd expires_in", #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d","expires_in":99999999999}"#),
        ("not JSON", "<html>"),
        ("escape sequence in the device code", #"{"device_code":"d\u001b[2J","user_code":"A","verification_uri":"https://i/d","expires_in":600}"#),
        (
            "huge device code",
            #"{"device_code":""# + String(repeating: "d", count: 2000) + #"","user_code":"A","verification_uri":"https://i/d","expires_in":600}"#
        ),
        (
            "a good answer padded past 64 KiB",
            #"{"device_code":"d","user_code":"A","verification_uri":"https://i/d","expires_in":600}"# + String(repeating: " ", count: 70_000)
        ),
    ]

    @Test(arguments: hostile.map(\.0))
    func hostileResponsesAreInvalid(_ name: String) {
        let json = Self.hostile.first { $0.0 == name }!.1
        guard case .failure(let error) = Self.decode(json) else {
            Issue.record("\(name) was accepted")
            return
        }
        #expect(error.code == .invalidResponse, "\(name): \(error)")
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
    }
}

/// What an async throwing body ended with.
func outcome<T>(_ body: () async throws(PDSAuthError) -> T) async -> Result<T, PDSAuthError> {
    do { return .success(try await body()) } catch { return .failure(error) }
}

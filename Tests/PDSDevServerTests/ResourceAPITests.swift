import Foundation
import HummingbirdTesting
import Testing

@testable import PDSDevServer

/// `POST /v2/user/get` and `/v2/drive/list` with the server's own access tokens, and what
/// every resource API does with its body (PDS API reference: JSON object body, JSON answer).
@Suite struct ResourceAPITests {
    static let userFields: Set = [
        "user_id", "user_name", "nick_name", "domain_id", "role", "status", "default_drive_id",
        "created_at", "updated_at",
    ]
    static let driveFields: Set = [
        "drive_id", "drive_name", "drive_type", "owner", "owner_type", "status", "total_size",
        "used_size", "domain_id", "created_at",
    ]

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: Any])
    }

    @Test func userGetAnswersTheTokensUser() async throws {
        try await Fixture().test { client in
            let tokens = try await client.signIn(userID: "user-2")
            let response = try await client.resource("/v2/user/get", accessToken: tokens.accessToken)
            #expect(response.status == .ok)
            let object = try Self.object(response)
            #expect(Set(object.keys) == Self.userFields)
            let user = try response.decode(UserResponseBody.self)
            #expect((user.userID, user.userName, user.nickName, user.role) == ("user-2", "alice", "Alice", "user"))
            #expect((user.domainID, user.status, user.defaultDriveID) == (Fixture.domainID, "enabled", "2"))
            // PDS sends user times as epoch milliseconds, numbers rather than strings.
            #expect(object["created_at"] is NSNumber && !(object["created_at"] is String))
            #expect(user.createdAt == 1_704_067_200_000)
            #expect(user.updatedAt == 1_704_067_200_000)
        }
    }

    /// The resource API answers with the token endpoint's headers, successes and refusals alike.
    @Test func answersCarryTheJSONHeaders() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            for response in [
                try await client.resource("/v2/user/get", accessToken: token),
                try await client.resource("/v2/drive/list", "[]", accessToken: token),
                try await client.resource("/v2/file/list", accessToken: nil),
            ] {
                #expect(response.header("Content-Type") == "application/json;charset=utf-8")
                #expect(response.header("Cache-Control") == "no-store")
                #expect(response.header("Pragma") == "no-cache")
                #expect(response.header("X-Content-Type-Options") == "nosniff")
                #expect(response.header("x-ca-request-id") != nil)
                #expect(response.header("Content-Length") == String(response.body.readableBytes))
            }
        }
    }

    @Test func aUserMayReadOnlyThemself() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn(userID: "user-2").accessToken
            let other = try await client.resource("/v2/user/get", #"{"user_id":"user-1"}"#, accessToken: token)
            #expect(other.status == .forbidden)
            #expect(other.pdsError?.code == "Forbidden")
            let own = try await client.resource("/v2/user/get", #"{"user_id":"user-2"}"#, accessToken: token)
            #expect(try own.decode(UserResponseBody.self).userID == "user-2")
        }
    }

    @Test func anAdminMayReadAnotherUser() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn(userID: "user-1").accessToken
            let other = try await client.resource("/v2/user/get", #"{"user_id":"user-2"}"#, accessToken: token)
            #expect(other.status == .ok)
            #expect(try other.decode(UserResponseBody.self).userName == "alice")
            let unknown = try await client.resource("/v2/user/get", #"{"user_id":"nobody"}"#, accessToken: token)
            #expect(unknown.status == .notFound)
            #expect(unknown.pdsError?.code == "NotFound.User")
        }
    }

    @Test func jwtBearerTokensWorkAndTheServiceAccountIsTheDomain() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let userAssertion = try Assertion(now: fixture.clock.now).signed(by: try await Assertion.rsa())
            let userToken = try await client.jwtBearer(userAssertion).decode(TokenResponseBody.self).accessToken
            #expect(try await client.resource("/v2/user/get", accessToken: userToken).decode(UserResponseBody.self).userID == "user-1")
            var service = Assertion(now: fixture.clock.now)
            service.sub_type = "service"
            service.sub = Fixture.domainID
            let serviceToken = try await client.jwtBearer(try service.signed(by: try await Assertion.rsa())).decode(TokenResponseBody.self)
                .accessToken
            let user = try await client.resource("/v2/user/get", accessToken: serviceToken).decode(UserResponseBody.self)
            #expect((user.userID, user.role) == (Fixture.domainID, "superadmin"))
            let drives = try await client.resource("/v2/drive/list", accessToken: serviceToken).decode(ListResponseBody<DriveItem>.self)
            #expect(drives == ListResponseBody(items: [], nextMarker: ""))
        }
    }

    @Test func driveListHasTheDefaultDrive() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let response = try await client.resource("/v2/drive/list", accessToken: token)
            #expect(response.status == .ok)
            let object = try Self.object(response)
            #expect(Set(object.keys) == ["items", "next_marker"])
            let item = try #require((object["items"] as? [[String: Any]])?.first)
            #expect(Set(item.keys) == Self.driveFields)
            #expect(item["total_size"] is NSNumber && item["used_size"] is NSNumber)
            let list = try response.decode(ListResponseBody<DriveItem>.self)
            #expect(list.nextMarker == "")
            let drive = try #require(list.items.first)
            #expect(list.items.count == 1)
            #expect((drive.driveID, drive.owner, drive.ownerType, drive.driveType) == ("1", "user-1", "user", "normal"))
            #expect((drive.status, drive.domainID, drive.createdAt) == ("enabled", Fixture.domainID, "2024-01-01T00:00:00.000Z"))
            let used = DemoDrive.entries.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
            #expect(drive.usedSize == used && drive.totalSize == 10 << 30)
            let limited = try await client.resource("/v2/drive/list", #"{"limit":1}"#, accessToken: token)
            #expect(try limited.decode(ListResponseBody<DriveItem>.self).items.count == 1)
            let badLimit = try await client.resource("/v2/drive/list", #"{"limit":0}"#, accessToken: token)
            #expect(badLimit.pdsError?.code == "InvalidParameter.Limit")
            let badMarker = try await client.resource("/v2/drive/list", #"{"marker":"abc"}"#, accessToken: token)
            #expect(badMarker.pdsError?.code == "InvalidParameter.Marker")
        }
    }

    @Test(arguments: ["not json", "[]", #""text""#, "", "{", #"{"a":1}x"#])
    func bodyMustBeAJSONObject(body: String) async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let response = try await client.resource("/v2/user/get", body, accessToken: token)
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameter")
            #expect(response.pdsError?.message == "The request body must be a JSON object")
        }
    }

    @Test(arguments: ["application/x-www-form-urlencoded", "text/plain", "application/jsonx"])
    func bodyMustBeLabelledJSON(contentType: String) async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let response = try await client.resource("/v2/user/get", accessToken: token, contentType: contentType)
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameter.ContentType")
            let charset = try await client.resource("/v2/user/get", accessToken: token, contentType: "Application/JSON; charset=utf-8")
            #expect(charset.status == .ok)
        }
    }

    @Test func bodiesAreBoundedAndMembersTyped() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let big = #"{"padding":""# + String(repeating: "a", count: 70 * 1024) + #""}"#
            let tooLarge = try await client.resource("/v2/file/list", big, accessToken: token)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.pdsError?.code == "EntityTooLarge")
            let wrongType = try await client.resource("/v2/user/get", #"{"user_id":5}"#, accessToken: token)
            #expect(wrongType.pdsError?.code == "InvalidParameter")
            #expect(wrongType.pdsError?.message == "The parameter user_id must be a string")
            let unknownMembers = try await client.resource("/v2/user/get", #"{"fields":"*","user_id":null}"#, accessToken: token)
            #expect(unknownMembers.status == .ok, "unknown members are ignored and null is absent")
        }
    }

    /// The token is checked before the body: a caller that cannot be identified is told
    /// only that.
    @Test func aBadTokenIsReportedBeforeABadBody() async throws {
        try await Fixture().test { client in
            let response = try await client.resource("/v2/file/list", "not json", accessToken: "x", contentType: "text/plain")
            #expect(response.status == .unauthorized)
        }
    }
}

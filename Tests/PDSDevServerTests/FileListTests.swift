import Foundation
import Testing

@testable import PDSDevServer

/// `POST /v2/file/list` (PDS ListFile API): the demo drive, paging with `limit` and
/// `marker` / `next_marker`, and which drives a caller may list.
@Suite struct FileListTests {
    static func body(drive: String = "1", parent: String = "root", limit: Int? = nil, marker: String? = nil) -> String {
        var members = [#""drive_id":"\#(drive)""#, #""parent_file_id":"\#(parent)""#]
        if let limit { members.append(#""limit":\#(limit)"#) }
        if let marker { members.append(#""marker":"\#(marker)""#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Every page of a listing, following `next_marker` until it is empty.
    static func allPages(_ client: Client, token: String, parent: String = "root", limit: Int?) async throws -> [ListResponseBody<FileItem>] {
        var pages: [ListResponseBody<FileItem>] = []
        var marker: String?
        repeat {
            let response = try await client.resource("/v2/file/list", body(parent: parent, limit: limit, marker: marker), accessToken: token)
            try #require(response.status == .ok, "\(response.bodyText)")
            let page = try response.decode(ListResponseBody<FileItem>.self)
            pages.append(page)
            marker = page.nextMarker.isEmpty ? nil : page.nextMarker
        } while marker != nil && pages.count < 100
        return pages
    }

    @Test func limit100TakesThreePagesWithEveryEntryOnce() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let pages = try await Self.allPages(client, token: token, limit: 100)
            #expect(pages.map(\.items.count) == [100, 100, 52])
            #expect(pages.map { $0.nextMarker.isEmpty } == [false, false, true])
            let items = pages.flatMap(\.items)
            #expect(Set(items.map(\.fileID)).count == 252)
            #expect(items.map(\.name) == ["Documents", "Photos"] + (1...250).map { String(format: "file-%03d.txt", $0) })
            #expect(items.allSatisfy { $0.driveID == "1" && $0.parentFileID == "root" })
            #expect(items.filter { $0.type == "folder" }.map(\.fileID) == ["folder-documents", "folder-photos"])
            let first = try #require(items.dropFirst(2).first)
            #expect(
                first
                    == FileItem(
                        driveID: "1", fileID: "file-001", parentFileID: "root", name: "file-001.txt", type: "file",
                        size: 1024, contentType: "text/plain", createdAt: "2024-01-01T00:02:00.000Z",
                        updatedAt: "2024-01-01T01:02:00.000Z"))
        }
    }

    @Test func theDefaultLimitIs100AndOtherLimitsPageToo() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            #expect(try await Self.allPages(client, token: token, limit: nil).map(\.items.count) == [100, 100, 52])
            let sevens = try await Self.allPages(client, token: token, limit: 7)
            #expect(sevens.count == 36)
            #expect(Set(sevens.flatMap(\.items).map(\.fileID)).count == 252)
            let ones = try await Self.allPages(client, token: token, parent: "folder-photos", limit: 1)
            #expect(ones.flatMap(\.items).map(\.name) == ["photo-1.jpg", "photo-2.jpg", "photo-3.jpg", "photo-4.jpg"])
        }
    }

    @Test func itemsHaveThePDSShape() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let response = try await client.resource("/v2/file/list", Self.body(limit: 3), accessToken: token)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["items", "next_marker"])
            let items = try #require(object["items"] as? [[String: Any]])
            let common: Set = ["drive_id", "file_id", "parent_file_id", "name", "type", "created_at", "updated_at"]
            #expect(Set(items[0].keys) == common, "a folder has no size or content_type")
            #expect(Set(items[2].keys) == common.union(["size", "content_type"]))
            #expect(items[2]["size"] is NSNumber && !(items[2]["size"] is String))
        }
    }

    @Test func foldersListTheirOwnFiles() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let response = try await client.resource("/v2/file/list", Self.body(parent: "folder-documents"), accessToken: token)
            let page = try response.decode(ListResponseBody<FileItem>.self)
            #expect(page.items.map(\.name) == ["report-1.pdf", "report-2.pdf", "report-3.pdf"])
            #expect(page.items.allSatisfy { $0.parentFileID == "folder-documents" && $0.contentType == "application/pdf" })
            #expect(page.nextMarker == "")
        }
    }

    @Test func contentIsTheSameOnEveryServerAndDrive() async throws {
        let names = { (userID: String, drive: String) in
            try await Fixture().test { client in
                let token = try await client.signIn(userID: userID).accessToken
                let response = try await client.resource("/v2/file/list", Self.body(drive: drive), accessToken: token)
                return try response.decode(ListResponseBody<FileItem>.self).items.map { [$0.fileID, $0.name, $0.createdAt] }
            }
        }
        let first = try await names("user-1", "1")
        #expect(try await names("user-1", "1") == first)
        #expect(try await names("user-2", "2") == first)
    }

    @Test(arguments: ["0", "101", "-1", #""10""#, "1.5", "true", "1e3"])
    func limitOutsideOneToAHundredIsRefused(limit: String) async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let body = #"{"drive_id":"1","parent_file_id":"root","limit":\#(limit)}"#
            let response = try await client.resource("/v2/file/list", body, accessToken: token)
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameter.Limit")
            #expect(response.pdsError?.message == "limit must be a whole number from 1 to 100")
        }
    }

    @Test func limitsAtTheBoundsAreAccepted() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            for limit in [1, 100] {
                let page = try await client.resource("/v2/file/list", Self.body(limit: limit), accessToken: token)
                #expect(try page.decode(ListResponseBody<FileItem>.self).items.count == limit)
            }
        }
    }

    @Test func markersFromElsewhereOrGarbledAreRefused() async throws {
        let foreign = try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            return try await client.resource("/v2/file/list", Self.body(limit: 10), accessToken: token)
                .decode(ListResponseBody<FileItem>.self).nextMarker
        }
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let marker = try await client.resource("/v2/file/list", Self.body(limit: 10), accessToken: token)
                .decode(ListResponseBody<FileItem>.self).nextMarker
            #expect(!marker.isEmpty && marker != foreign)
            let garbled = String(marker.dropLast()) + (marker.last == "A" ? "B" : "A")
            // At offset 1, a position that exists in Photos too: only the binding refuses it.
            let rootMarker = try await client.resource("/v2/file/list", Self.body(limit: 1), accessToken: token)
                .decode(ListResponseBody<FileItem>.self).nextMarker
            let cases = [("garbage", "root"), (garbled, "root"), (foreign, "root"), (rootMarker, "folder-photos"), (marker + "AA", "root")]
            for (bad, parent) in cases {
                let response = try await client.resource("/v2/file/list", Self.body(parent: parent, marker: bad), accessToken: token)
                #expect(response.status == .badRequest)
                #expect(response.pdsError?.code == "InvalidParameter.Marker", "\(parent)")
            }
            let next = try await client.resource("/v2/file/list", Self.body(limit: 10, marker: marker), accessToken: token)
            #expect(try next.decode(ListResponseBody<FileItem>.self).items.first?.name == "file-009.txt")
        }
    }

    @Test func onlyTheCallersDriveMayBeListed() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn(userID: "user-1").accessToken
            let other = try await client.resource("/v2/file/list", Self.body(drive: "2"), accessToken: token)
            #expect(other.status == .forbidden)
            #expect(other.pdsError?.code == "Forbidden")
            let unknown = try await client.resource("/v2/file/list", Self.body(drive: "999"), accessToken: token)
            #expect(unknown.status == .notFound)
            #expect(unknown.pdsError?.code == "NotFound.Drive")
            for parent in ["nowhere", "file-001"] {
                let notAFolder = try await client.resource("/v2/file/list", Self.body(parent: parent), accessToken: token)
                #expect(notAFolder.status == .notFound)
                #expect(notAFolder.pdsError?.code == "NotFound.File")
            }
        }
    }

    @Test func driveAndParentAreRequired() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            let noDrive = try await client.resource("/v2/file/list", #"{"parent_file_id":"root"}"#, accessToken: token)
            #expect(
                noDrive.pdsError
                    == PDSErrorBody(
                        code: "InvalidParameterMissing", message: "The required parameter drive_id is missing or empty",
                        requestId: try #require(noDrive.header("x-ca-request-id"), "request id")))
            let noParent = try await client.resource("/v2/file/list", #"{"drive_id":"1","parent_file_id":""}"#, accessToken: token)
            #expect(noParent.pdsError?.message == "The required parameter parent_file_id is missing or empty")
            let empty = try await client.resource("/v2/file/list", accessToken: token)
            #expect(empty.pdsError?.code == "InvalidParameterMissing")
        }
    }
}

import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// `Pagination.collect` against a list server that never ends, in process, with small
/// limits so that a bound that does not hold shows in seconds.
@Suite struct PaginationBoundsTests {
    /// A client with a profile `p` on `server`, and a list request.
    static func client(for server: TestServer) async throws -> (APIClient, APIRequest, TemporaryDirectory) {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        try await store.save(try StoredProfile.fixture(endpoint: server.baseURL, accessToken: "a"), as: "p")
        return (APIClient(provider: TokenProvider(store: store)), try APIRequest(path: "/v2/file/list", body: Array("{}".utf8)), home)
    }

    /// Small pages, a new marker each time for 50 pages: the page cap (5) alone stops the
    /// list, after exactly 5 requests. (The list ends at 50 so that, without the cap, the
    /// test fails instead of running on.)
    @Test func theListEndsAtThePageCap() async throws {
        let pages = LockedValue(0)
        try await TestServer.run({ _ in
            let n = pages.update { count -> Int in
                count += 1
                return count
            }
            return TestServer.json(.ok, #"{"items":[\#(n)],"next_marker":"\#(n < 50 ? "m\(n)" : "")"}"#)
        }) { server in
            let (client, request, home) = try await Self.client(for: server)
            defer { _ = home }
            await #expect { _ = try await Pagination.collect(client, request, profile: "p", limits: .init(maxPages: 5)) } throws: {
                ($0 as? PDSAuthError)?.message.contains("within 5 pages") == true
            }
            #expect(pages.value == 5)
        }
    }

    /// Pages of `0,0,0,…`: each item is one byte of JSON but is kept as an array of its own
    /// (tens of bytes), so a budget on the JSON text alone let a server make pds-auth hold
    /// some 60 times the budget (measured: 1 GB of memory for 16 MiB of counted items, 12 GB
    /// before the 256 MiB budget was reached). What each item costs to keep counts too: with a
    /// 1 MiB budget, pages of 20,000 items (at least 32 bytes each to keep, 640 KB a page) must
    /// be refused by the second page.
    @Test func tinyItemsCountWhatTheyCostToKeep() async throws {
        let perPage = 20_000
        let items = Array(repeating: "0", count: perPage).joined(separator: ",")
        let pages = LockedValue(0)
        try await TestServer.run({ _ in
            let n = pages.update { count -> Int in
                count += 1
                return count
            }
            return TestServer.json(.ok, #"{"items":[\#(items)],"next_marker":"m\#(n)"}"#)
        }) { server in
            let (client, request, home) = try await Self.client(for: server)
            defer { _ = home }
            await #expect { _ = try await Pagination.collect(client, request, profile: "p", limits: .init(maxItemBytes: 1 << 20)) } throws: {
                ($0 as? PDSAuthError)?.code == .invalidResponse
            }
            #expect(pages.value <= 2, "\(pages.value) pages of \(perPage) items were kept under a 1 MiB budget")
        }
    }

    /// A single page of many tiny items is counted item by item as it is read: it stops at
    /// the budget within that page, without holding the whole page's items first, and the
    /// items kept are exactly the ones before it.
    @Test func onePageOfTinyItemsStopsAtTheBudgetWithinThePage() throws {
        let body = Array(("{\"items\":[" + Array(repeating: "0", count: 100_000).joined(separator: ",") + "],\"next_marker\":\"\"}").utf8)
        var items = Pagination.Items()
        #expect(throws: PDSAuthError.self) { _ = try Pagination.page(body, number: 1, into: &items, limits: .init(maxItemBytes: 1 << 20)) }
        #expect(items.count == (1 << 20) / (1 + Pagination.Limits.itemCost), "kept \(items.count) items")
        #expect(items.allSatisfy { $0.elementsEqual([UInt8(ascii: "0")]) })

        var visited = 0
        let stopped = try #require(JSONText(Array("[1,[2],{\"a\":3},4]".utf8))).forEachElement { _ in
            visited += 1
            return visited < 2
        }
        #expect(!stopped && visited == 2, "forEachElement stops when told")
    }

    /// Items are kept one after another in one buffer and read back as sent.
    @Test func itemsAreKeptCompactlyAndReadBackAsSent() throws {
        let body = Array(#"{"items":[{"a": 1},"x",[ ],12345678901234567890],"next_marker":"m2"}"#.utf8)
        var items = Pagination.Items()
        #expect(try Pagination.page(body, number: 1, into: &items, limits: .standard) == .next("m2"))
        #expect(items.map { String(decoding: $0, as: UTF8.self) } == [#"{"a": 1}"#, #""x""#, "[ ]", "12345678901234567890"])
        #expect(try Pagination.page(Array(#"{"items":[]}"#.utf8), number: 2, into: &items, limits: .standard) == .last)
        #expect(try Pagination.page(Array(#"{"id":1}"#.utf8), number: 1, into: &items, limits: .standard) == .notAList)
    }

}

import Foundation

/// The test vectors in `Tests/Vectors/`, which hold the client and the dev server to the
/// same protocol rules without sharing their code (see `PDSShared`'s documentation).
public enum TestVectors {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Vectors")

    public struct LoopbackHosts: Decodable, Sendable {
        public var loopback: [String]
        public var not_loopback: [String]
    }

    public struct FormEncoding: Decodable, Sendable {
        public struct PKCE: Decodable, Sendable {
            public var verifier: String
            public var challenge: String
        }
        public var encode: [[String]]
        public var decode: [Decoded]
        public var pkce: PKCE

        /// `[query, [[name, value], …]]`.
        public struct Decoded: Decodable, Sendable {
            public var query: String
            public var fields: [[String]]
            public init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                query = try container.decode(String.self)
                fields = try container.decode([[String]].self)
            }
        }
    }

    public static func loopbackHosts() throws -> LoopbackHosts {
        try JSONDecoder().decode(LoopbackHosts.self, from: Data(contentsOf: directory.appendingPathComponent("loopback-hosts.json")))
    }

    public static func formEncoding() throws -> FormEncoding {
        try JSONDecoder().decode(FormEncoding.self, from: Data(contentsOf: directory.appendingPathComponent("form-encoding.json")))
    }
}

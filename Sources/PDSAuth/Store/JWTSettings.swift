/// How a JWT-bearer profile mints its next assertion (RFC 7523 §3; PDS JWT apps): the key's
/// path (never the key), the subject, and the assertion's lifetime and clock-skew allowance,
/// kept in the file as whole seconds.
public struct JWTSettings: Codable, Sendable, Equatable {
    public var privateKeyPath: String
    public var subject: String
    /// `user` or `service`.
    public var subjectType: String
    public var autoCreate: Bool
    public var lifetime: Duration
    public var clockSkew: Duration

    /// The assertion lifetimes pds-auth accepts (the docs' samples use 60–300 s).
    public static let lifetimeRange = 1...3600
    /// The backdating of `iat`/`nbf` pds-auth accepts.
    public static let clockSkewRange = 0...600

    public init(privateKeyPath: String, subject: String, subjectType: String, autoCreate: Bool,
                lifetime: Duration = .seconds(300), clockSkew: Duration = .seconds(30)) {
        self.privateKeyPath = privateKeyPath
        self.subject = subject
        self.subjectType = subjectType
        self.autoCreate = autoCreate
        self.lifetime = lifetime
        self.clockSkew = clockSkew
    }

    enum CodingKeys: String, CodingKey { case privateKeyPath, subject, subjectType, autoCreate, lifetime, clockSkew }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        privateKeyPath = try container.decode(String.self, forKey: .privateKeyPath)
        subject = try container.decode(String.self, forKey: .subject)
        subjectType = try container.decode(String.self, forKey: .subjectType)
        autoCreate = try container.decode(Bool.self, forKey: .autoCreate)
        lifetime = .seconds(try container.decode(Int.self, forKey: .lifetime))
        clockSkew = .seconds(try container.decode(Int.self, forKey: .clockSkew))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(privateKeyPath, forKey: .privateKeyPath)
        try container.encode(subject, forKey: .subject)
        try container.encode(subjectType, forKey: .subjectType)
        try container.encode(autoCreate, forKey: .autoCreate)
        try container.encode(lifetime.components.seconds, forKey: .lifetime)
        try container.encode(clockSkew.components.seconds, forKey: .clockSkew)
    }

    var problem: String? {
        guard Self.lifetimeRange.contains(Int(clamping: lifetime.components.seconds)),
              Self.clockSkewRange.contains(Int(clamping: clockSkew.components.seconds)) else {
            return "its JWT lifetime or clock skew is out of range"
        }
        guard subjectType == "user" || subjectType == "service" else { return "its JWT subject type is neither user nor service" }
        return nil
    }
}

/// The scopes PDS knows (PDS guides: scopes). PDS lets an app request only `all` today (or
/// omit the scope); named scopes are accepted too so a client may be explicit.
enum PDSScopes {
    /// What `all` (or no scope) grants.
    static let all = ["FILE.ALL", "USER.ALL", "DRIVE.ALL", "SHARE.ALL", "STORAGE.ALL", "STORAGEFILE.ALL",
                      "ACCOUNT.ALL", "OAUTH.ALL"]
    /// Named scopes seen in PDS documentation and tokens.
    static let known: Set<String> = Set(all).union(["VIEW.ALL", "IMAGE.ALL", "INVITE.ALL", "BATCH", "STORAGEFILE.LIST"])

    /// The scopes granted for a `scope` parameter, a space-delimited list (RFC 6749 §3.3);
    /// nil when it names a scope PDS does not know (`invalid_scope`, RFC 6749 §4.1.2.1).
    static func resolve(_ requested: String?) -> [String]? {
        guard let requested else { return all }
        let names = requested.split(separator: " ").map(String.init)
        if names.contains("all") { return names.allSatisfy { $0 == "all" || known.contains($0) } ? all : nil }
        guard !names.isEmpty, names.allSatisfy(known.contains) else { return nil }
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        return unique
    }
}

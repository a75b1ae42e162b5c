import CSecret
import Glibc

/// A store outside the credentials file that keeps profiles' secrets: the freedesktop
/// Secret Service (`SecretServiceBackend`), or a stand-in in tests. It holds *items*, each a
/// text payload with attributes; `CredentialStore` decides what goes in them and in which
/// order items and the file are written (see `CredentialStore+Secrets.swift`).
///
/// Every method fails with `secretStoreUnavailable` (nothing to talk to), `secretStoreLocked`
/// (the keyring is locked and was not unlocked by its own prompt) or, for other trouble,
/// `secretStoreUnavailable` with the service's words; never by falling back to anything.
package protocol SecretBackend: Sendable {
    /// The store's name as users choose it (`--store`).
    var kind: SecretStoreKind { get }
    /// Stores `payload` as the item `key`, replacing an item with the same attributes.
    func store(_ payload: String, as key: SecretItemKey) throws(PDSAuthError)
    /// The payload of the item matching `query`; nil when there is none.
    func lookup(_ query: SecretQuery) throws(PDSAuthError) -> String?
    /// The generations of the items matching `query`, locked or not, reading no secret.
    func generations(_ query: SecretQuery) throws(PDSAuthError) -> [String]
    /// Deletes every item matching `query`; fails if any is left (a locked keyring).
    func delete(_ query: SecretQuery) throws(PDSAuthError)
}

/// One item's attributes. `profileID` and `generation` identify it; `basis` is the
/// generation it succeeds (how an interrupted save is found and completed); `profile` and
/// `home` are there for people browsing their keyring.
package struct SecretItemKey: Sendable, Equatable {
    package var profileID: String
    package var generation: String
    package var basis: String
    package var profile: String
    package var home: String

    package init(profileID: String, generation: String, basis: String, profile: String, home: String) {
        self.profileID = profileID
        self.generation = generation
        self.basis = basis
        self.profile = profile
        self.home = home
    }

    var attributes: [(String, String)] {
        [("profile-id", profileID), ("generation", generation), ("basis", basis), ("profile", profile), ("home", home)]
    }

    /// The label a keyring browser (Seahorse, KeePassXC) shows.
    var label: String { "pds-auth: profile \"\(profile)\" (\(home))" }
}

/// Which items: those of one profile, optionally of one generation or succeeding one.
package struct SecretQuery: Sendable, Equatable {
    package var profileID: String
    package var generation: String?
    package var basis: String?

    package init(profileID: String, generation: String? = nil, basis: String? = nil) {
        self.profileID = profileID
        self.generation = generation
        self.basis = basis
    }

    var attributes: [(String, String)] {
        [("profile-id", profileID)] + (generation.map { [("generation", $0)] } ?? []) + (basis.map { [("basis", $0)] } ?? [])
    }

    /// Whether an item with `key` is one of these.
    package func matches(_ key: SecretItemKey) -> Bool {
        key.profileID == profileID && generation.map { $0 == key.generation } ?? true && basis.map { $0 == key.basis } ?? true
    }
}

/// The freedesktop Secret Service (GNOME Keyring, KeePassXC, KWallet's bridge…) over the
/// D-Bus session bus, through libsecret, which `CSecretLoader` opens on the first call:
/// profiles whose secrets are in the file never load it. Items use the schema
/// `pds-auth.Profile` and go to the default collection.
///
/// A locked collection is unlocked only by the service's own prompt (libsecret asks the
/// service to prompt); pds-auth never asks for a keyring password. Without a prompt (no
/// graphical session) or when it is dismissed, calls fail with `secretStoreLocked`.
///
/// Every call blocks the calling thread for a D-Bus round trip, or for as long as an unlock
/// prompt is shown.
package struct SecretServiceBackend: SecretBackend {
    package init() {}

    package var kind: SecretStoreKind { .secretService }

    package func store(_ payload: String, as key: SecretItemKey) throws(PDSAuthError) {
        var detail: UnsafeMutablePointer<CChar>?
        let status = Self.withAttributes(key.attributes) { attributes, count in
            pds_secret_store(attributes, count, key.label, payload, &detail)
        }
        try Self.check(status, detail, action: "store the profile's secrets")
    }

    package func lookup(_ query: SecretQuery) throws(PDSAuthError) -> String? {
        var secret: UnsafeMutablePointer<CChar>?
        var detail: UnsafeMutablePointer<CChar>?
        let status = Self.withAttributes(query.attributes) { attributes, count in pds_secret_lookup(attributes, count, &secret, &detail) }
        defer { pds_secret_free_text(secret) }
        if status == PDS_SECRET_NOT_FOUND {
            pds_secret_free_text(detail)
            // libsecret answers "nothing" both when there is no item and when the item is in a
            // locked collection whose prompt could not be shown or was dismissed: tell them apart.
            guard try generations(query).isEmpty else { throw Self.locked(action: "read the profile's secrets") }
            return nil
        }
        try Self.check(status, detail, action: "read the profile's secrets")
        return secret.map { String(cString: $0) }
    }

    package func generations(_ query: SecretQuery) throws(PDSAuthError) -> [String] {
        var values: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var found = 0
        var detail: UnsafeMutablePointer<CChar>?
        let status = Self.withAttributes(query.attributes) { attributes, count in
            pds_secret_list(attributes, count, "generation", &values, &found, &detail)
        }
        defer { pds_secret_free_list(values, found) }
        try Self.check(status, detail, action: "list the profile's items")
        return (0..<found).compactMap { index in values?[index].map { String(cString: $0) } }
    }

    package func delete(_ query: SecretQuery) throws(PDSAuthError) {
        var detail: UnsafeMutablePointer<CChar>?
        let status = Self.withAttributes(query.attributes) { attributes, count in pds_secret_clear(attributes, count, &detail) }
        try Self.check(status, detail, action: "delete the profile's secrets")
        // Clearing skips what a locked collection hides: anything left means it was locked.
        guard try generations(query).isEmpty else { throw Self.locked(action: "delete the profile's secrets") }
    }

    /// Runs `body` with the attributes as C strings that live until it returns.
    private static func withAttributes(
        _ pairs: [(String, String)], _ body: (UnsafePointer<pds_secret_attribute>, Int) -> pds_secret_status
    ) -> pds_secret_status {
        let strings = pairs.map { (strdup($0.0), strdup($0.1)) }
        defer {
            for (name, value) in strings {
                free(name)
                free(value)
            }
        }
        let attributes = strings.map { pds_secret_attribute(name: $0.0, value: $0.1) }
        return attributes.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
    }

    /// Turns a failed status into the error a user sees; the service's own words are
    /// untrusted text (any program on the session bus can answer), so they are made safe.
    private static func check(_ status: pds_secret_status, _ detail: UnsafeMutablePointer<CChar>?, action: String) throws(PDSAuthError) {
        defer { pds_secret_free_text(detail) }
        guard status != PDS_SECRET_OK else { return }
        let words = detail.map { Redaction.terminalSafe(String(cString: $0), limit: 200) } ?? "no reason given"
        switch status {
        case PDS_SECRET_LOCKED:
            throw locked(action: action)
        case PDS_SECRET_NO_LIBRARY:
            throw PDSAuthError(.secretStoreUnavailable, "Cannot \(action): libsecret cannot be used (\(words))", details: ["store": "secret-service"])
        case PDS_SECRET_NO_SERVICE:
            throw PDSAuthError(
                .secretStoreUnavailable, "Cannot \(action): no Secret Service answers on the D-Bus session bus (\(words))",
                details: ["store": "secret-service"])
        default:
            throw PDSAuthError(
                .secretStoreUnavailable, "Cannot \(action): the Secret Service refused (\(words))", details: ["store": "secret-service"])
        }
    }

    private static func locked(action: String) -> PDSAuthError {
        PDSAuthError(.secretStoreLocked, "Cannot \(action): the keyring is locked and was not unlocked", details: ["store": "secret-service"])
    }
}

/// Which profile a command works on when the user did not say (the order `gh auth`
/// users know): the name given (`--profile`, else `PDS_AUTH_PROFILE`), else the file's
/// current profile, else the only profile when there is exactly one.
package enum ProfileChoice {
    package static func resolve(_ named: String?, in file: CredentialsFile, store: CredentialStore) throws(PDSAuthError) -> String {
        if let named { return named }
        if let current = file.current, file.names.contains(current) { return current }
        let names = file.names
        if names.count == 1 { return names[0] }
        if names.isEmpty { throw PDSAuthError(.noProfile, "There are no saved profiles", details: ["credentials": store.filePath]) }
        throw PDSAuthError(.noProfileSelected, "There are \(names.count) profiles and none is current: \(names.map { Redaction.terminalSafe($0, limit: 64) }.joined(separator: ", "))",
                           details: ["credentials": store.filePath])
    }

    /// Profile names are chosen by the user and shown everywhere: 1–64 letters, digits,
    /// `-`, `_`, `.` or `@`.
    package static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { FormEncoding.isUnreserved($0) && $0 != UInt8(ascii: "~") || $0 == UInt8(ascii: "@") }
    }
}

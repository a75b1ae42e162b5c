/// Where credentials live: `$PDS_AUTH_HOME`, else `$XDG_CONFIG_HOME/pds-auth` (XDG Base
/// Directory spec), else `~/.config/pds-auth`.
package enum StoreLocation {
    /// - Throws: `invalidSetting` for a relative `PDS_AUTH_HOME`: where credentials live must
    ///   not depend on the directory a command happens to run in (a script run from another
    ///   directory would sign in afresh, or find another user's file). A relative
    ///   `XDG_CONFIG_HOME` is ignored, as the XDG spec says; a relative `HOME` is refused.
    package static func directory(environment: [String: String]) throws(PDSAuthError) -> String {
        if let home = environment["PDS_AUTH_HOME"], !home.isEmpty {
            guard home.hasPrefix("/") else {
                throw PDSAuthError(.invalidSetting, "PDS_AUTH_HOME must be an absolute path, not \"\(Redaction.terminalSafe(home, limit: 200))\": where credentials live must not depend on the current directory")
            }
            return home
        }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/pds-auth" }
        if let home = environment["HOME"], !home.isEmpty {
            guard home.hasPrefix("/") else {
                throw PDSAuthError(.invalidSetting, "HOME must be an absolute path, not \"\(Redaction.terminalSafe(home, limit: 200))\"; or set PDS_AUTH_HOME")
            }
            return home + "/.config/pds-auth"
        }
        throw PDSAuthError(.noHome, "Cannot tell where to keep credentials: neither PDS_AUTH_HOME nor HOME is set")
    }
}

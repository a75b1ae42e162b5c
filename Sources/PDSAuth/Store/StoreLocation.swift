#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where credentials live: `$PDS_AUTH_HOME`, else `$XDG_CONFIG_HOME/pds-auth` (XDG Base
/// Directory spec), else `~/.config/pds-auth`.
public enum StoreLocation {
    public static func directory(environment: [String: String]) throws(PDSAuthError) -> String {
        if let home = environment["PDS_AUTH_HOME"], !home.isEmpty { return home }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/pds-auth" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/pds-auth" }
        throw PDSAuthError(.configuration, code: "no_home", "Cannot tell where to keep credentials: HOME is not set",
                           hint: "Set PDS_AUTH_HOME to a directory.")
    }
}

/// Where credentials live: `$PDS_AUTH_HOME`, else `$XDG_CONFIG_HOME/pds-auth` (XDG Base
/// Directory spec), else `~/.config/pds-auth`.
public enum StoreLocation {
    public static func directory(environment: [String: String]) throws(PDSAuthError) -> String {
        if let home = environment["PDS_AUTH_HOME"], !home.isEmpty { return home }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/pds-auth" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/pds-auth" }
        throw PDSAuthError(.noHome, "Cannot tell where to keep credentials: neither PDS_AUTH_HOME nor HOME is set")
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The page a browser sees after a successful exchange.
enum SuccessPage {
    static func render(_ login: LoginResult, pages: PageRenderer) -> String {
        let profile = login.profile
        var values: [String: Any] = [
            "user": profile.user?.userName ?? profile.user?.nickName ?? profile.user?.userID ?? "(unknown user)",
            "expiry": profile.expiresAt.map(ExpiryText.absolute) ?? "unknown",
            "accessToken": profile.accessToken,
            "maskedToken": Redaction.mask(profile.accessToken),
            "profile": login.profileName,
        ]
        if let id = profile.user?.userID { values["userID"] = id }
        if let domain = profile.user?.domainID ?? profile.domainID { values["domain"] = domain }
        if let drive = profile.user?.defaultDriveID { values["drive"] = drive }
        return pages.render("success", values)
    }
}

/// Whom a verified JWT-bearer assertion lets the app act as (PDS JWT apps).
enum AssertedSubject: Sendable, Equatable {
    case user(DevUser)
    /// The domain's service account, with super-admin rights.
    case service
}

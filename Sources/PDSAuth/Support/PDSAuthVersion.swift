/// The version reported by `--version` and in the `User-Agent` of every request.
public enum PDSAuthVersion {
    public static let current = "0.2.0"
}

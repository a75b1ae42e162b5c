import Glibc

/// Every failure the library reports: a ``Code`` from a fixed catalogue (what kind of
/// failure, for programs), a human `message` (what happened, one sentence), typed facts a
/// program may act on (``httpStatus``, ``serverCode``, ``retryAfter``, ``profile``…) and
/// free-form ``details`` that are only shown (a path, a URL, an address). Nothing in pds-auth
/// reads a decision out of the message or the details: what drives behaviour has a field
/// (the pattern of jwt-kit's `JWTError`: typed optional fields and `==` by kind).
///
/// Messages, fields and details never contain a secret: callers pass only redacted values.
/// What to *do* about an error depends on the front end (a command line names its flags, an
/// app its settings), so advice lives there; see `pds-auth`'s `ErrorAdvice`.
public struct PDSAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure, from the catalogue: what programs (and exit statuses) match on.
    public package(set) var code: Code
    /// What happened, in one sentence for people.
    public package(set) var message: String
    /// The HTTP status of the answer the error is about.
    public package(set) var httpStatus: Int?
    /// The error code the server put in its answer: PDS's `code` (`AccessTokenInvalid`,
    /// `InvalidParameter.Code`), an RFC 6749 §5.2 `error` (`invalid_grant`), or the API
    /// gateway's `x-ca-error-code`. Terminal-safe, at most 80 characters.
    public package(set) var serverCode: String?
    /// The error code of an authorization redirect (RFC 6749 §4.1.2.1) or of a device
    /// poll (RFC 8628 §3.5), such as `access_denied`. It came through the browser (or the
    /// device endpoint), so anyone could have written it; it decides wording, never safety.
    public package(set) var providerError: String?
    /// The server's request id (PDS `requestId`, the gateway's `x-ca-request-id`), for
    /// support tickets.
    public package(set) var requestID: String?
    /// How long the server asked to be left alone (`Retry-After` in delay-seconds,
    /// RFC 9110 §10.2.3).
    public package(set) var retryAfter: Duration?
    /// The saved profile the failure concerns.
    public package(set) var profile: String?
    /// The signal that ended the work (SIGINT, SIGTERM) for a ``Code/cancelled`` error.
    public package(set) var signal: Int32?
    /// What the layer below said about it (libcurl's error text), shown, never parsed.
    public package(set) var underlying: Cause?
    /// Everything else the user is shown beside the message: where (a path, a URL, an
    /// address) and what was tried. For people only: no code reads a decision from it.
    public package(set) var details: [Detail]

    /// A line of the error's details: a label and its value.
    public struct Detail: Sendable, Hashable {
        /// What the value is (`path`, `url`, `lock`…).
        public let label: String
        /// The value, made terminal-safe when shown.
        public let value: String

        /// A detail shown as `label: value`.
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// The error a lower layer reported, by where it came from (`libcurl`).
    public struct Cause: Sendable, Hashable {
        /// What reported it (`libcurl`, …).
        public let source: String
        /// Its own words, never holding a secret.
        public let description: String

        /// A cause `source` reported as `description`.
        public init(source: String, description: String) {
            self.source = source
            self.description = description
        }
    }

    /// An error of kind `code`; give each fact that is known, and `details` for what is only
    /// shown (`["path": path]`). No argument may hold a secret.
    public init(
        _ code: Code, _ message: String, httpStatus: Int? = nil, serverCode: String? = nil, providerError: String? = nil,
        requestID: String? = nil, retryAfter: Duration? = nil, profile: String? = nil, signal: Int32? = nil,
        underlying: Cause? = nil, details: KeyValuePairs<String, String> = [:]
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.serverCode = serverCode
        self.providerError = providerError
        self.requestID = requestID
        self.retryAfter = retryAfter
        self.profile = profile
        self.signal = signal
        self.underlying = underlying
        self.details = details.map { Detail($0.key, $0.value) }
    }

    /// Two errors are equal when they are the same kind of failure: the code alone decides,
    /// as for jwt-kit's `JWTError`. The message and the facts describe one occurrence (a
    /// request id, a path), which a program matching on errors must not depend on.
    public static func == (lhs: PDSAuthError, rhs: PDSAuthError) -> Bool {
        lhs.code == rhs.code
    }

    /// Adds a line to the details (replacing one of the same label), for layers that learn
    /// where the failure happened after it was thrown.
    package mutating func detail(_ label: String, _ value: String) {
        details.removeAll { $0.label == label }
        details.append(Detail(label, value))
    }

    /// The facts shown beside the message, typed fields and details alike, by label: the
    /// `details` of `doctor --json` and of the sign-in's error page.
    public var shownDetails: [Detail] {
        var shown = details
        func add(_ label: String, _ value: String?) { if let value { shown.append(Detail(label, value)) } }
        add("HTTP", httpStatus.map(String.init))
        add("server code", serverCode)
        add("provider error", providerError)
        add("request id", requestID)
        add("retry after", retryAfter.map { String($0.components.seconds) })
        add("profile", profile)
        add("signal", signal.map(Self.signalName))
        if let underlying { add(underlying.source, underlying.description) }
        return shown.sorted { $0.label < $1.label }
    }

    /// `message (label: value, …)`, the one line a user is shown.
    public var description: String {
        let shown = shownDetails.map { "\($0.label): \($0.value)" }
        return shown.isEmpty ? message : "\(message) (\(shown.joined(separator: ", ")))"
    }

    /// SIGINT and SIGTERM (the signals that cancel work) by name, others by number.
    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}

import FoundationEssentials

/// One finding of `pds-auth doctor`: what was looked at, how it went, the facts a bug report
/// needs, and — when something is wrong — the error pds-auth would report for it, whose code
/// decides the exit status (`ExitStatus` in the command line).
///
/// Facts never hold a secret: tokens, client secrets and proxy passwords are described
/// ("set", "not shown"), never included. Text that came from a file, the environment or the
/// network is made terminal-safe and bounded before it becomes a fact.
package struct DiagnosisCheck: Sendable {
    package enum Status: String, Sendable, Encodable {
        /// Checked and fine.
        case ok
        /// Worth knowing, not a failure (no browser opener found, a token due for renewal).
        case note
        /// pds-auth would fail here; `problem` says how.
        case problem
        /// Could not be checked (nothing to check, or what it needs is missing).
        case skipped
    }

    /// What kind of check: `platform`, `credentials`, `profile`, `endpoint`…
    package var check: String
    /// What it was about, when there can be several: a profile's name, an endpoint's URL.
    package var subject: String?
    package var status: Status
    /// One line for a person.
    package var summary: String
    package var facts: [DiagnosisFact] = []
    package var problem: PDSAuthError?

    package init(_ check: String, subject: String? = nil, status: Status = .ok, summary: String) {
        self.check = check
        self.subject = subject
        self.status = status
        self.summary = summary
    }

    /// Adds a fact; nil values are left out (JSON output leaves out what is unknown).
    package mutating func fact(_ key: String, _ value: JSONValue?) {
        if let value { facts.append(DiagnosisFact(key: key, value: value)) }
    }

    package mutating func fact(_ key: String, _ text: String?, limit: Int = 300) {
        fact(key, text.map { JSONValue.string(Redaction.terminalSafe($0, limit: limit)) })
    }

    package mutating func fact(_ key: String, _ flag: Bool) { fact(key, JSONValue.bool(flag)) }

    package mutating func fact(_ key: String, _ number: Int?) { fact(key, number.map { JSONValue.integer(Int64($0)) }) }

    /// Marks the check failed with `error` (its message becomes the summary) unless it has
    /// failed already: the first problem found is the one reported.
    package mutating func fail(_ error: PDSAuthError) {
        guard problem == nil else { return }
        status = .problem
        problem = error
        summary = Redaction.terminalSafe(error.message, limit: 400)
    }

    /// Marks the check worth a note, unless it is already a problem.
    package mutating func note(_ text: String) {
        guard status != .problem else { return }
        status = .note
        summary = text
    }
}

/// One named fact of a check, as JSON (`directory_mode: "0700"`) and, for people, a label
/// made from the key (`directory mode`).
package struct DiagnosisFact: Sendable, Equatable {
    package var key: String
    package var value: JSONValue

    package var label: String { key.replacing("_", with: " ") }

    /// The value as a person reads it: strings as they are, lists joined, the rest as JSON.
    package var shown: String {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "yes" : "no"
        case .integer(let number): String(number)
        case .array(let items): items.map { DiagnosisFact(key: key, value: $0).shown }.joined(separator: "; ")
        case .null: "none"
        default: String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
        }
    }
}

/// Everything `doctor` found, in the order it looked.
package struct Diagnosis: Sendable {
    package var checks: [DiagnosisCheck]

    /// The first check that is a problem: its error decides the exit status.
    package var firstProblem: PDSAuthError? { checks.lazy.compactMap(\.problem).first }

    package var problemCount: Int { checks.count { $0.status == .problem } }
}

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

extension Diagnosis {
    /// What `doctor` was asked to look at.
    package struct Settings: Sendable {
        package var environment: [String: String]
        /// `--endpoint`: reach this one instead of the profiles' endpoints.
        package var endpoint: String?
        /// `--cacert`.
        package var caBundle: String?
        /// The redirect URI whose port is tried (the default one unless `--redirect-uri`).
        package var redirect: RedirectTarget

        package init(environment: [String: String], endpoint: String? = nil, caBundle: String? = nil, redirect: RedirectTarget) {
            self.environment = environment
            self.endpoint = endpoint
            self.caBundle = caBundle
            self.redirect = redirect
        }
    }

    /// Runs every check, reported in the order a report reads best and the first problem is
    /// the most basic one: the machine, libcurl, settings, credentials and profiles, trust and
    /// proxies, the endpoints (reached at the same time, each bounded), the browser, the port.
    /// Changes nothing: no file is written or narrowed, no port kept, no browser started.
    package static func run(_ settings: Settings, now: Date = Date()) async -> Diagnosis {
        let environment = settings.environment
        // First, so the port is released before anything can take a while.
        let port = PortProbe.run(settings.redirect)
        let curl = libcurl()
        var checks = [PlatformCheck.platform(), curl, PlatformCheck.environment(environment)]
        let (credentials, read) = CredentialsCheck.run(environment: environment)
        checks.append(credentials)
        if let read { checks += read.file.names.map { ProfileCheck.check($0, in: read.file, store: read.store, now: now) } }
        checks.append(TrustCheck.run(environment: environment, caBundleFlag: settings.caBundle))
        checks += await endpoints(settings, file: read?.file, libcurlLoaded: curl.status == .ok)
        checks.append(BrowserCheck.opener(environment: environment))
        checks.append(BrowserCheck.remote(environment: environment, redirect: settings.redirect))
        checks.append(port)
        return Diagnosis(checks: checks)
    }

    static func libcurl() -> DiagnosisCheck {
        var check = DiagnosisCheck("libcurl", summary: "")
        do throws(PDSAuthError) {
            let version = try CurlRuntime.version()
            check.fact("version", version)
            check.summary = "loaded (\(version.prefix { $0 != " " }))"
        } catch {
            check.fail(error)
        }
        return check
    }

    /// Each distinct endpoint (with the CA bundle its requests trust) of the usable profiles,
    /// or `--endpoint` alone; reached concurrently, reported in order.
    static func endpoints(_ settings: Settings, file: CredentialsFile?, libcurlLoaded: Bool) async -> [DiagnosisCheck] {
        let environment = settings.environment
        let flagBundle = TransportOptions.caBundleSource(flag: settings.caBundle, environment: environment)
        var targets: [EndpointTarget] = []
        if let endpoint = settings.endpoint {
            do throws(PDSAuthError) {
                let base = try ProviderEndpoints.resolve(endpoint: endpoint, domainID: nil).base
                targets = [EndpointTarget(url: base, caBundle: flagBundle, profiles: [])]
            } catch {
                var check = DiagnosisCheck("endpoint", subject: Redaction.terminalSafe(endpoint, limit: 300), summary: "")
                check.fail(error)
                return [check]
            }
        } else {
            for (name, profile) in (file?.profiles ?? [:]).sorted(by: { $0.key < $1.key }) {
                let bundle = profile.caBundlePath.map { (path: $0, from: "the profile's --cacert") } ?? flagBundle
                if let index = targets.firstIndex(where: { $0.url == profile.endpoints.base && $0.caBundle?.path == bundle?.path }) {
                    targets[index].profiles.append(name)
                } else {
                    targets.append(EndpointTarget(url: profile.endpoints.base, caBundle: bundle, profiles: [name]))
                }
            }
        }
        guard !targets.isEmpty else {
            return [DiagnosisCheck("endpoint", status: .skipped, summary: "no endpoint to reach: no usable profile (pass --endpoint URL to try one)")]
        }
        guard libcurlLoaded else {
            return targets.map {
                DiagnosisCheck("endpoint", subject: Redaction.url($0.url), status: .skipped, summary: "not reached: libcurl cannot be loaded")
            }
        }
        var transport =
            (try? TransportOptions.fromEnvironment(environment)) ?? TransportOptions(proxyEnvironment: TransportOptions.proxyVariables(environment))
        transport.proxyEnvironment = TransportOptions.proxyVariables(environment)
        return await withTaskGroup(of: (Int, DiagnosisCheck).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { [transport] in (index, await EndpointProbe.run(target, transport: transport)) }
            }
            var results: [(Int, DiagnosisCheck)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

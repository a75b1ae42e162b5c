import Foundation
import HTTPTypes
import PDSAuth

/// Plays the user's browser over plain HTTP (through libcurl): opens the local start page,
/// follows the `login` link to the provider, submits its consent form, and follows the
/// redirect back to the listener. Every step returns what a real browser would show.
package struct ScriptedBrowser: Sendable {
    package struct Page: Sendable {
        package var status: Int
        package var html: String
        package var location: String?
    }

    package var client = CurlClient()

    package init(client: CurlClient = CurlClient()) { self.client = client }

    package func get(_ url: String) async throws -> Page {
        let response = try await client.send(HTTPClientRequest(method: .get, url: URL(string: url)!))
        return Page(status: response.status, html: String(decoding: response.body, as: UTF8.self), location: response[header: "location"])
    }

    package func post(_ url: String, form: [(String, String)]) async throws -> Page {
        let response = try await client.send(
            HTTPClientRequest(
                method: .post, url: URL(string: url)!,
                headerFields: [.contentType: "application/x-www-form-urlencoded"], body: Data(FormEncoding.encode(form).utf8)))
        return Page(status: response.status, html: String(decoding: response.body, as: UTF8.self), location: response[header: "location"])
    }

    /// The `href` of the element with `id`.
    package static func link(id: String, in html: String) -> String? {
        guard let tag = element(id: id, in: html) else { return nil }
        return attribute("href", in: tag)
    }

    /// Submits the form that contains the button `buttonID` (hidden fields + that button).
    package func submit(button buttonID: String, on page: Page, base: String) async throws -> Page {
        guard let formStart = page.html.range(of: "<form"), let button = Self.element(id: buttonID, in: page.html) else {
            throw PDSAuthError(.internal, "no form with button \(buttonID) in page: \(page.html.prefix(300))")
        }
        let formTag = String(page.html[formStart.lowerBound...].prefix { $0 != ">" })
        let action = Self.attribute("action", in: formTag) ?? ""
        var fields: [(String, String)] = Self.tags("input", in: page.html).compactMap { tag in
            guard Self.attribute("type", in: tag) == "hidden", let name = Self.attribute("name", in: tag) else { return nil }
            return (name, Self.attribute("value", in: tag) ?? "")
        }
        if let name = Self.attribute("name", in: button) { fields.append((name, Self.attribute("value", in: button) ?? "")) }
        for select in Self.tags("select", in: page.html) {
            if let name = Self.attribute("name", in: select), let first = Self.tags("option", in: page.html).first,
                let value = Self.attribute("value", in: first)
            {
                fields.append((name, value))
            }
        }
        let url = action.hasPrefix("http") ? action : base + action
        return try await post(url, form: fields)
    }

    package static func element(id: String, in html: String) -> String? {
        tags(nil, in: html).first { attribute("id", in: $0) == id }
    }

    package static func tags(_ name: String?, in html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            let tail = rest[rest.index(after: open)...]
            guard let close = tail.firstIndex(of: ">") else { break }
            let tag = String(tail[..<close])
            if name == nil || tag.lowercased().hasPrefix(name! + " ") { result.append(tag) }
            rest = tail[tail.index(after: close)...]
        }
        return result
    }

    package static func attribute(_ name: String, in tag: String) -> String? {
        for quote in ["\"", "'"] {
            if let start = tag.range(of: " \(name)=\(quote)") {
                let value = tag[start.upperBound...].prefix { String($0) != quote }
                return decodeEntities(String(value))
            }
        }
        return nil
    }

    package static func decodeEntities(_ text: String) -> String {
        var output = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            let tail = rest[amp...]
            guard let semi = tail.firstIndex(of: ";"), tail.distance(from: amp, to: semi) < 10 else {
                output += "&"
                rest = tail.dropFirst()
                continue
            }
            let entity = tail[tail.index(after: amp)..<semi]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            if let value = named[String(entity)] {
                output += value
            } else if entity.hasPrefix("#x"), let code = UInt32(entity.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                output.unicodeScalars.append(scalar)
            } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                output.unicodeScalars.append(scalar)
            } else {
                output += tail[amp...semi]
            }
            rest = tail[tail.index(after: semi)...]
        }
        return output + rest
    }
}

extension HTTPFields {
    /// Fields from `(name, value)` pairs as a test writes them; a name that is no HTTP token
    /// is a mistake in the test.
    package init(lines: [(String, String)]) {
        self.init(lines.map { HTTPField(name: HTTPField.Name($0.0)!, value: $0.1) })
    }
}

extension HTTPClientResponse {
    /// The last value of the header `name`, spelled as a test writes it.
    package subscript(header name: String) -> String? { self[header: HTTPField.Name(name)!] }
}

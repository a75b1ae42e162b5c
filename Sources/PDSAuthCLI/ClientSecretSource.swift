#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PDSAuth

/// Where the client secret comes from. There is deliberately no `--client-secret VALUE`:
/// process arguments are visible to every local user in `ps`.
enum ClientSecretSource {
    static func resolve(file: String?, environment: [String: String], terminal: Terminal, prompt: Bool) throws(PDSAuthError) -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PDSAuthError(.configuration, code: "secret_file_unreadable", "Cannot read the client secret file",
                                   hint: "Check the path given to --client-secret-file.", context: ["path": file])
            }
            let secret = String(decoding: data, as: UTF8.self).trimmingTrailingNewlines()
            guard !secret.isEmpty else {
                throw PDSAuthError(.configuration, code: "secret_file_empty", "The client secret file is empty", context: ["path": file])
            }
            return secret
        }
        if let secret = environment["PDS_CLIENT_SECRET"], !secret.isEmpty { return secret }
        guard prompt, terminal.stdinIsTTY else { return nil }
        let typed = terminal.readHidden(prompt: "Client secret (empty for a Native app without one): ")
        return typed.flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

import FoundationEssentials
import PDSAuth

/// Where the client secret comes from. There is deliberately no `--client-secret VALUE`:
/// process arguments are visible to every local user in `ps`.
enum ClientSecretSource {
    static func resolve(file: String?, environment: [String: String], terminal: Terminal, prompt: Bool) async throws(PDSAuthError) -> String? {
        if let file {
            // A secret is short; a device, FIFO or huge file is a mistake.
            guard let size = try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int, size <= 64 * 1024,
                  let data = FileManager.default.contents(atPath: file) else {
                throw PDSAuthError(.secretFileUnreadable, "Cannot read the client secret file (a regular file of at most 64 KiB)", details: ["path": file])
            }
            let secret = String(decoding: data, as: UTF8.self).trimmingTrailingNewlines()
            guard !secret.isEmpty else {
                throw PDSAuthError(.secretFileEmpty, "The client secret file is empty", details: ["path": file])
            }
            return secret
        }
        if let secret = environment["PDS_CLIENT_SECRET"], !secret.isEmpty { return secret }
        guard prompt, terminal.stdinIsTTY else { return nil }
        let typed = try await terminal.readHidden(prompt: "Client secret (empty for a Native app without one): ")
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

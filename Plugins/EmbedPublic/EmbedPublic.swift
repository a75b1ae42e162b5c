import Foundation
import PackagePlugin

/// Embeds every file under the package's top-level `Public/` folder into the target as
/// `PublicAssets`, so an installed `pds-auth` serves its pages from any working
/// directory without shipping a resource folder beside the binary.
@main
struct EmbedPublic: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let publicDir = context.package.directoryURL.appending(path: "Public")
        let output = context.pluginWorkDirectoryURL.appending(path: "PublicAssets.swift")
        let inputs = try files(under: publicDir)
        return [
            .buildCommand(
                displayName: "Embedding Public/ into \(target.name)",
                executable: try context.tool(named: "EmbedPublicTool").url,
                arguments: [publicDir.path(), output.path()],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func files(under dir: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        return walker.compactMap { $0 as? URL }.filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }
}

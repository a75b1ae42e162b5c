import Foundation
import PackagePlugin

/// Compiles the Mustache templates under the package's top-level `Public/` folder into the
/// target as `CompiledTemplates` and embeds its other files as `PublicAssets`, so an
/// installed `pds-auth` serves its pages from any working directory without a resource
/// folder beside the binary, and without a template engine (or Foundation) inside it.
@main
struct EmbedPublic: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let publicDir = context.package.directoryURL.appending(path: "Public")
        let assets = context.pluginWorkDirectoryURL.appending(path: "PublicAssets.swift")
        let templates = context.pluginWorkDirectoryURL.appending(path: "CompiledTemplates.swift")
        let inputs = try files(under: publicDir)
        return [
            .buildCommand(
                displayName: "Compiling Public/ into \(target.name)",
                executable: try context.tool(named: "EmbedPublicTool").url,
                arguments: [publicDir.path(), assets.path(), templates.path()],
                inputFiles: inputs,
                outputFiles: [assets, templates]
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

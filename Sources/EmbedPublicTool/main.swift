import Foundation
import Mustache

// Usage: EmbedPublicTool <Public dir> <PublicAssets.swift> <CompiledTemplates.swift>
// Runs on the build machine only (the shipped binary links neither Foundation nor
// swift-mustache). Every `*.mustache` file is parsed by swift-mustache, the reference for
// what the template means, and compiled into Swift by `TemplateParser` and `SwiftSource`;
// every other file is embedded as text. PageTemplateTests renders every page both ways and
// compares the bytes.
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: EmbedPublicTool PUBLIC_DIR ASSETS_OUTPUT TEMPLATES_OUTPUT\n".utf8))
    exit(2)
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("EmbedPublicTool: error: \(message)\n".utf8))
    exit(1)
}

let root = URL(fileURLWithPath: arguments[1]).standardizedFileURL
let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
var assets: [(path: String, text: String)] = []
var templates: [(name: String, nodes: [TemplateNode])] = []
while let url = walker?.nextObject() as? URL {
    guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
    let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
    guard let text = String(data: try Data(contentsOf: url), encoding: .utf8) else {
        fail("Public/\(relative) is not UTF-8 text; only text is embedded")
    }
    guard relative.hasSuffix(".mustache") else {
        assets.append((relative, text))
        continue
    }
    do {
        _ = try MustacheTemplate(string: text)
    } catch let error as MustacheTemplate.ParserError {
        fail("Public/\(relative):\(error.context.lineNumber):\(error.context.columnNumber): \(error.error)")
    } catch {
        fail("Public/\(relative): \(error)")
    }
    do {
        templates.append((String(relative.dropLast(".mustache".count)), try TemplateParser.parse(text)))
    } catch {
        fail("Public/\(relative):\(error)")
    }
}
assets.sort { $0.path < $1.path }
templates.sort { $0.name < $1.name }
try Data(SwiftSource.assets(assets).utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
try Data(SwiftSource.templates(templates).utf8).write(to: URL(fileURLWithPath: arguments[3]), options: .atomic)

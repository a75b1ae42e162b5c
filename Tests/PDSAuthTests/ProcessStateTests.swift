import Foundation
import Glibc
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// The library leaves the process alone (issue 19): no signal disposition changed by a
/// request, no environment variable changed to start a program; programs are looked up in
/// the PATH they will run with.
@Suite struct ProcessStateTests {
    @Test func programsAreFoundInTheChildsPATHNotOurs() throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        FileManager.default.createFile(atPath: second.file("tool"), contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        FileManager.default.createFile(atPath: first.file("tool"), contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(
            try ProcessSpawner.resolve("tool", path: "\(first.path):\(second.path)").get() == second.file("tool"),
            "the first executable one")
        #expect(throws: ProcessSpawner.SpawnError.self) { try ProcessSpawner.resolve("tool", path: first.path).get() }
        #expect((try? ProcessSpawner.resolve("tool", path: first.path).get()) == nil)
        if case .failure(let error) = ProcessSpawner.resolve("tool", path: first.path) { #expect(error.number == EACCES) }
        if case .failure(let error) = ProcessSpawner.resolve("no-such-tool", path: second.path) { #expect(error.number == ENOENT) }
        #expect(try ProcessSpawner.resolve("/bin/sh", path: "").get() == "/bin/sh", "a name with a slash is used as it is")
        #expect(try ProcessSpawner.resolve("sh", path: nil).get().hasSuffix("/sh"), "no PATH: /usr/bin:/bin")
    }

    @Test func aProgramIsStartedFromTheChildsPATH() async throws {
        let directory = TemporaryDirectory()
        FileManager.default.createFile(
            atPath: directory.file("quiet"), contents: Data("#!/bin/sh\nexit 3\n".utf8), attributes: [.posixPermissions: 0o755])
        let pid = try ProcessSpawner.spawn(["quiet"], environment: ["PATH": directory.path], silent: true).get()
        #expect(await ProcessSpawner.wait(pid) == 3)
    }
}

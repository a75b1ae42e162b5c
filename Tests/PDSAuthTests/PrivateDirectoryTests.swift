import Foundation
import Glibc
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// The private directories `exec` and `login` hand to other programs: made only where no
/// other user can rearrange them, used and removed through their own descriptor, and swept
/// when a killed pds-auth left them behind.
@Suite struct PrivateDirectoryTests {
    static func choice(_ root: TemporaryDirectory) throws -> TemporaryRoot.Choice {
        try TemporaryRoot.choose(environment: ["TMPDIR": root.path])
    }

    static func makeVictim() throws -> TemporaryDirectory {
        let victim = TemporaryDirectory()
        for name in ["precious-1", "precious-2"] { try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim.file(name))) }
        return victim
    }

    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    static func names(_ path: String) -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []) }

    @Test func aRootWritableByOthersWithoutTheStickyBitIsRefused() throws {
        let root = TemporaryDirectory()
        chmod(root.path, 0o777)
        var warnings: [String] = []
        let chosen = try TemporaryRoot.choose(environment: ["TMPDIR": root.path]) { warnings.append($0) }
        #expect(chosen.path == "/tmp", "fell back to /tmp")
        #expect(warnings.count == 1 && warnings[0].contains("TMPDIR") && warnings[0].contains("not sticky"), "\(warnings)")
        chmod(root.path, 0o1777)
        #expect(try TemporaryRoot.choose(environment: ["TMPDIR": root.path]).path == Self.resolved(root.path), "sticky, as /tmp is: accepted")
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give directories to another user"))
    func aRootOrAParentOwnedByAnotherUserIsRefused() throws {
        let parent = TemporaryDirectory()
        let child = parent.path + "/inner"
        mkdir(child, 0o700)
        chown(child, 65534, 65534)
        var warnings: [String] = []
        #expect(try TemporaryRoot.choose(environment: ["XDG_RUNTIME_DIR": child]) { warnings.append($0) }.path == "/tmp")
        #expect(warnings.first?.contains("uid 65534") == true, "\(warnings)")
        // Ours, but inside a directory another user owns: they could rename it.
        chown(child, 0, 0)
        chown(parent.path, 65534, 65534)
        #expect(TemporaryRoot.problem(resolvedPath: Self.resolved(child))?.contains(Self.resolved(parent.path)) == true)
        // Through a symbolic link: judged by where it leads.
        chown(parent.path, 0, 0)
        let link = TemporaryDirectory()
        symlink(child, link.file("link"))
        #expect(try TemporaryRoot.choose(environment: ["TMPDIR": link.file("link")]).path == Self.resolved(child))
    }

    @Test func filesAreWrittenPrivatelyAndRemovedWithTheDirectory() throws {
        let root = TemporaryDirectory()
        let directory = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        try directory.write(Array("secret\n".utf8), to: "access-token")
        #expect(fileMode(directory.path) == 0o700 && fileMode(directory.path + "/access-token") == 0o600)
        #expect(PrivateDirectory.isOurName((directory.path as NSString).lastPathComponent))
        #expect(directory.remove() == .removed)
        #expect(Self.names(root.path).isEmpty)
        try directory.write(Array("late".utf8), to: "access-token")
        #expect(Self.names(root.path).isEmpty, "nothing is written once removal has begun")
    }

    /// The attack of issue 15: the directory renamed and a symbolic link to someone else's
    /// directory put in its place while the program runs. Writes and removal go through the
    /// directory's own descriptor: the victim's files survive, no token stays behind in the
    /// renamed directory, and `remove()` says what happened.
    @Test func aDirectorySwappedForASymbolicLinkIsNeitherFollowedNorLeftWithTheToken() throws {
        let root = TemporaryDirectory()
        let victim = try Self.makeVictim()
        let directory = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        try directory.write(Array("token-1\n".utf8), to: "access-token")
        let moved = root.file("moved")
        #expect(rename(directory.path, moved) == 0)
        #expect(symlink(victim.path, directory.path) == 0)
        try directory.write(Array("token-2\n".utf8), to: "access-token")
        #expect(Self.names(victim.path) == ["precious-1", "precious-2"], "the renewal did not go through the link")
        #expect(try String(contentsOfFile: moved + "/access-token", encoding: .utf8) == "token-2\n")
        #expect(directory.remove() == .moved)
        #expect(Self.names(victim.path) == ["precious-1", "precious-2"], "nothing in the linked directory was removed")
        #expect(Self.names(moved).isEmpty, "the token did not stay behind in the renamed directory")
        #expect(FileManager.default.fileExists(atPath: directory.path), "the link itself is not ours to remove")
    }

    @Test func aDirectoryReplacedByAnotherIsNotRemoved() throws {
        let root = TemporaryDirectory()
        let directory = try PrivateDirectory(purpose: "login", roots: try Self.choice(root))
        #expect(rename(directory.path, root.file("moved")) == 0)
        mkdir(directory.path, 0o700)
        try Data("someone else's".utf8).write(to: URL(fileURLWithPath: directory.path + "/file"))
        #expect(directory.remove() == .moved)
        #expect(Self.names(directory.path) == ["file"])
    }

    /// The program `exec` runs may make directories of its own in there (a copy of the token
    /// in `sub/`, say): they go with the directory, through descriptors, never following a
    /// link; before, the directory and the copy stayed forever (the sweep could not remove
    /// them either) while `remove()` said `.removed`.
    @Test func directoriesTheProgramMadeInsideAreRemovedToo() throws {
        let root = TemporaryDirectory()
        let victim = try Self.makeVictim()
        func fill(_ path: String) {
            mkdir(path + "/sub", 0o700)
            mkdir(path + "/sub/deeper", 0o755)
            _ = FileManager.default.createFile(atPath: path + "/sub/deeper/copy", contents: Data("secret".utf8))
            symlink(victim.path, path + "/sub/link")
        }
        let directory = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        try directory.write(Array("secret\n".utf8), to: "access-token")
        fill(directory.path)
        #expect(directory.remove() == .removed)
        #expect(Self.names(root.path).isEmpty, "left: \(Self.names(root.path))")
        // The same for one a killed pds-auth left behind.
        let stale = root.file("pds-auth-exec-abcdefghijklmnop")
        mkdir(stale, 0o700)
        fill(stale)
        var times = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
        utimensat(AT_FDCWD, stale, &times, 0)
        let next = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        #expect(!FileManager.default.fileExists(atPath: stale), "swept with what was inside")
        next.remove()
        #expect(Self.names(victim.path) == ["precious-1", "precious-2"], "a link inside is removed, not followed")
    }

    /// Left by a pds-auth killed with SIGKILL: named as ours, owned by us, old, lock free.
    @Test func abandonedDirectoriesAreSweptAndNothingElse() throws {
        let root = TemporaryDirectory()
        let victim = try Self.makeVictim()
        func make(_ name: String, age: TimeInterval) -> String {
            let path = root.file(name)
            mkdir(path, 0o700)
            _ = FileManager.default.createFile(atPath: path + "/access-token", contents: Data("old token".utf8))
            var times = [timespec(tv_sec: time(nil) - Int(age), tv_nsec: 0), timespec(tv_sec: time(nil) - Int(age), tv_nsec: 0)]
            utimensat(AT_FDCWD, path, &times, 0)
            return path
        }
        let stale = make("pds-auth-exec-abcdefghijklmnop", age: 120)
        let staleLogin = make("pds-auth-login-qrstuvwxyz234567", age: 120)
        let young = make("pds-auth-exec-aaaaaaaaaaaaaaaa", age: 5)
        let locked = make("pds-auth-exec-bbbbbbbbbbbbbbbb", age: 120)
        let holder = open(locked, O_RDONLY | O_DIRECTORY)
        defer { close(holder) }
        #expect(flock(holder, LOCK_EX | LOCK_NB) == 0)
        let foreignName = make("pds-auth-test-cccccccccccccccc", age: 120)
        #expect(symlink(victim.path, root.file("pds-auth-exec-dddddddddddddddd")) == 0)
        _ = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        let left = Self.names(root.path)
        #expect(!left.contains((stale as NSString).lastPathComponent) && !left.contains((staleLogin as NSString).lastPathComponent))
        #expect(
            left.isSuperset(of: [
                "pds-auth-exec-aaaaaaaaaaaaaaaa", "pds-auth-exec-bbbbbbbbbbbbbbbb",
                (foreignName as NSString).lastPathComponent, "pds-auth-exec-dddddddddddddddd",
            ]))
        #expect(Self.names(young) == ["access-token"] && Self.names(locked) == ["access-token"])
        #expect(Self.names(victim.path) == ["precious-1", "precious-2"], "a link with our name is not followed")
    }

    /// Only names made exactly as pds-auth makes them are swept: 16 characters of its
    /// alphabet (a–z, 2–7) after `pds-auth-exec-` or `pds-auth-login-`.
    @Test func directoriesNamedAlmostAsOursAreLeftAlone() throws {
        let root = TemporaryDirectory()
        let names: Set = [
            "pds-auth-exec-abcdefghijklmno", "pds-auth-exec-abcdefghijklmnopq", "pds-auth-exec-ABCDEFGHIJKLMNOP",
            "pds-auth-exec-abcdefghijklmno1", "pds-auth-login-abcdefghijklmno-", "pds-auth-exec-",
        ]
        for name in names {
            mkdir(root.file(name), 0o700)
            _ = FileManager.default.createFile(atPath: root.file(name) + "/kept", contents: Data("x".utf8))
            var times = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
            utimensat(AT_FDCWD, root.file(name), &times, 0)
        }
        _ = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        #expect(Self.names(root.path).isSuperset(of: names), "left: \(Self.names(root.path))")
        #expect(names.allSatisfy { Self.names(root.file($0)) == ["kept"] })
    }

    /// A symbolic link named as ours and as old as an abandoned directory (its own times set,
    /// not its target's) is not followed: what it points to keeps its files.
    @Test func anOldLinkNamedAsOursIsNotFollowed() throws {
        let root = TemporaryDirectory()
        let victim = try Self.makeVictim()
        let link = root.file("pds-auth-exec-eeeeeeeeeeeeeeee")
        #expect(symlink(victim.path, link) == 0)
        var times = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, link, &times, AT_SYMLINK_NOFOLLOW) == 0)
        _ = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        #expect(Self.names(victim.path) == ["precious-1", "precious-2"])
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give a directory to another user"))
    func anotherUsersAbandonedDirectoryIsLeftAlone() throws {
        let root = TemporaryDirectory()
        chmod(root.path, 0o1777)
        let theirs = root.file("pds-auth-exec-eeeeeeeeeeeeeeee")
        mkdir(theirs, 0o700)
        chown(theirs, 65534, 65534)
        var times = [timespec(tv_sec: time(nil) - 600, tv_nsec: 0), timespec(tv_sec: time(nil) - 600, tv_nsec: 0)]
        utimensat(AT_FDCWD, theirs, &times, 0)
        _ = try PrivateDirectory(purpose: "exec", roots: try Self.choice(root))
        #expect(FileManager.default.fileExists(atPath: theirs))
    }
}

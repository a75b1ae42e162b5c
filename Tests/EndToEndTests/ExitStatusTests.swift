import Glibc
import PDSAuth
import Testing

@testable import PDSAuthCLI

/// Every catalogued error has its documented exit status and advice; only bugs are 1.
@Suite struct ExitStatusTests {
    @Test func everyCodeHasItsOwnExitStatus() {
        for code in PDSAuthError.Code.all {
            let status = ExitStatus(code)
            if code == .internal || code == .jwtSigningFailed {
                #expect(status == .failure)
            } else {
                #expect(status != .failure, "\(code) falls through to exit 1")
            }
        }
    }

    @Test func everyUserFacingCodeSaysWhatToDo() {
        for code in PDSAuthError.Code.all where ExitStatus(code) != .failure && code != .cancelled {
            #expect(ErrorAdvice.hint(for: PDSAuthError(code, "x")) != nil, "\(code) has no advice")
        }
    }

    @Test func cancellationExitsAsTheSignalSays() {
        #expect(CommandRunner.exitStatus(for: PDSAuthError(.cancelled, "x", signal: SIGTERM)) == .terminated)
        #expect(CommandRunner.exitStatus(for: PDSAuthError(.cancelled, "x")) == .interrupted)
    }

    @Test func theHelpTableListsEveryStatusOnce() {
        let lines = ExitStatus.helpText.split(separator: "\n").dropFirst()
        #expect(lines.count == ExitStatus.allCases.count)
        #expect(Set(ExitStatus.allCases.map(\.rawValue)).count == ExitStatus.allCases.count, "distinct")
    }
}

/// A flood of forged redirects cannot flood the terminal: at most one note a second for
/// refused browser requests, with a count of the rest; every paste gets its note.
@Suite struct RefusalNotesTests {
    @Test func browserRefusalsAreNotedAtMostOnceASecond() async throws {
        let notes = RefusalNotes()
        #expect(notes.text(for: .stateMismatch, from: .browser)?.contains("wrong or stale state") == true)
        for _ in 0..<50 { #expect(notes.text(for: .stateMissing, from: .browser) == nil) }
        #expect(notes.text(for: .unparsable, from: .paste) != nil, "pastes are always answered")
        // The second that bounds the notes must pass: the sleep is the point.
        try await Task.sleep(for: .milliseconds(1100))
        #expect(notes.text(for: .stateMissing, from: .browser)?.contains("and 50 more since the last note") == true)
    }
}

import PDSAuth
import Testing
@testable import PDSAuthCLI

/// The fast path for `token` accepts only command lines the full command reads the same way.
@Suite struct TokenFastPathTests {
    static let accepted: [[String]] = [
        ["token"], ["token", "--format", "json"], ["token", "--format=env"], ["token", "--profile", "ci"], ["token", "--profile=a.b@c"],
        ["token", "--min-valid", "0"], ["token", "--min-valid=86400"], ["token", "--format", "header", "--profile", "p", "--min-valid", "60"],
        ["token", "--min-valid", "0300"],
    ]

    @Test(arguments: accepted)
    func acceptedLinesMeanWhatTheyMeanToTheFullCommand(_ argv: [String]) throws {
        let fast = try #require(TokenFastPath.parse(argv[...]))
        let full = try TokenCommand.parse(Array(argv.dropFirst()))
        #expect(fast.format == full.format && fast.profile == full.selection.profile && fast.minValid == full.minValid)
    }

    static let leftToTheFullCommand: [[String]] = [
        ["status"], ["token", "--format", "yaml"], ["token", "--format"], ["token", "--format", "json", "--format", "bare"],
        ["token", "--min-valid", "-1"], ["token", "--min-valid", "86401"], ["token", "--min-valid=1e3"], ["token", "--min-valid", "+5"],
        ["token", "--profile", "bad name"], ["token", "--profile", "--format"], ["token", "--help"], ["token", "-h"],
        ["token", "extra"], ["token", "--quiet"], ["token", "--format=json", "--", "x"],
    ]

    @Test(arguments: leftToTheFullCommand)
    func everythingElseIsLeftToTheFullCommand(_ argv: [String]) {
        #expect(TokenFastPath.parse(argv[...]) == nil)
    }
}

import PDSDevServer
import Testing

/// `pds-auth dev-server --fault …` spellings.
@Suite struct FaultArgumentTests {
    @Test func everyFormParses() {
        #expect(DevServerFault(argument: "delay=2500") == .delay(milliseconds: 2500))
        #expect(DevServerFault(argument: "status=503:1") == .status(503, retryAfter: 1))
        #expect(DevServerFault(argument: "status=500") == .status(500, retryAfter: nil))
        #expect(DevServerFault(argument: "drop") == .dropConnection)
        #expect(DevServerFault(argument: "invalid-json") == .invalidJSON)
        #expect(DevServerFault(argument: "oversized=4194304") == .oversizedBody(bytes: 4_194_304))
        #expect(DevServerFault(argument: "slow=200") == .slowBody(bytesPerSecond: 200))
    }

    @Test(arguments: ["", "delay", "delay=-1", "status=200", "status=503:", "status=503:x", "drop=1", "oversized=8", "slow=0", "explode"])
    func nonsenseIsRefused(_ argument: String) {
        #expect(DevServerFault(argument: argument) == nil)
    }
}

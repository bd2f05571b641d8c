import Testing

@testable import FrontAPI

/// The front's accept gate fits its descriptor limit (issue 19: at EMFILE SwiftNIO spins on accept).
@Suite("Front connection limit under RLIMIT_NOFILE")
struct ConnectionLimitTests {
    @Test("a limit that holds every connection and the reserve leaves the maximum")
    func ampleLimit() {
        #expect(FrontServer.connectionLimit(descriptorLimit: 1024) == FrontServer.maximumConnections)
        #expect(FrontServer.connectionLimit(descriptorLimit: UInt64.max) == FrontServer.maximumConnections)
        let exact = UInt64(FrontServer.maximumConnections + FrontServer.reservedDescriptors)
        #expect(FrontServer.connectionLimit(descriptorLimit: exact) == FrontServer.maximumConnections)
    }

    @Test("a low limit lowers the gate below it, and never to zero")
    func lowLimit() {
        #expect(FrontServer.connectionLimit(descriptorLimit: 268) == 268 - FrontServer.reservedDescriptors)
        #expect(FrontServer.connectionLimit(descriptorLimit: 10) == 1)
        #expect(FrontServer.connectionLimit(descriptorLimit: 0) == 1)
    }
}

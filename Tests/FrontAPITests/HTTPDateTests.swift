import Foundation
import Testing

@testable import FrontAPI

/// The `Date` header the front writes (``HTTPDate``): RFC 9110's IMF-fixdate, in GMT.
@Suite("HTTP Date header")
struct HTTPDateTests {
    @Test("known instants format as RFC 9110 shows them")
    func knownInstants() {
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        // RFC 9110 section 5.6.7's example.
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(4_102_444_799) == "Thu, 31 Dec 2099 23:59:59 GMT")
    }

    @Test("the current value is what Foundation's RFC 1123 formatter says for now")
    func now() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let before = formatter.string(from: Date())
        let value = HTTPDate.now()
        let after = formatter.string(from: Date())
        #expect(value == before || value == after)
    }
}

import Glibc
import LinuxSystem

/// What the helper gives back while it waits for the controller's next call, which may be days
/// away (``ResidentPages``). The system OpenSSL serves the helper's certificate checks
/// (``CertificateCheck``: the agent's own identity at start and rotation, certificate uploads), its
/// digests (``Digest``) and the audit seal (``AuditSealKey``); its first use at start touches
/// megabytes of libcrypto's code and tables (the provider machinery, ASN.1 and key decoding). The
/// helper's own code, the start's and a command's, is the rest. Both go back once at the end of the
/// start, and again after libcrypto has been quiet for ``quietSeconds`` (every command that changes
/// something seals audit records, so that is a quiet spell of such commands too; code that only
/// read-only queries ran stays mapped until the next one; a burst of calls, one
/// load balancer's configuration, reads them once): libcrypto's pages with `MADV_PAGEOUT`, the
/// helper's code unmapped (``ResidentPages/unmapCode()``; what the next command runs is mapped
/// again, laid out together: linker/).
enum IdlePages {
    static let libraries = ["libcrypto.so", "libssl.so"]
    static let quietSeconds = UInt64(ResidentPages.quietSeconds)

    struct State {
        var lastUse: UInt64 = 0
        var releaserRunning = false
        /// Set at the end of the start, once the helper is confined: only then may ``used()`` start
        /// the releasing thread (a thread started before keeps every capability of the unit).
        var armed = false
    }

    private static let state = LockedValue(State())

    /// Gives the pages back now, and from now on after every quiet spell (the end of the start,
    /// once the helper is confined).
    static func releaseAfterStart() {
        state.withLock { $0.armed = true }
        releaseNow()
    }

    static func releaseNow() {
        ResidentPages.pageOut(librariesNamed: libraries)
        ResidentPages.unmapCode()
    }

    /// Records that a check just used libcrypto; its pages go back once checks have been quiet for
    /// ``quietSeconds``.
    static func used() {
        let startReleaser = state.withLock { state -> Bool in
            state.lastUse = monotonicNanoseconds()
            if state.releaserRunning || !state.armed { return false }
            state.releaserRunning = true
            return true
        }
        guard startReleaser else { return }
        if !startThread({ releaseWhenQuiet() }) {
            state.withLock { $0.releaserRunning = false }
        }
    }

    /// Sleeps until ``quietSeconds`` after the last use, then releases and ends.
    static func releaseWhenQuiet() {
        let quiet = quietSeconds * 1_000_000_000
        while true {
            let wait = state.withLock { state -> UInt64 in
                let now = monotonicNanoseconds()
                guard now >= state.lastUse + quiet else { return state.lastUse + quiet - now }
                state.releaserRunning = false
                return 0
            }
            if wait == 0 { break }
            // An interrupted sleep is fine: the loop measures again.
            var pause = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            nanosleep(&pause, nil)
        }
        releaseNow()
    }
}

import Glibc

/// Starts a detached POSIX thread running `body` (the helper uses plain threads, no event loop);
/// false when no thread could be created (`body` then never runs).
@discardableResult
public func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
        (box as? Box)?.body()
        return nil
    }, box)
    if rc == 0 {
        pthread_detach(thread)
        return true
    }
    Unmanaged<AnyObject>.fromOpaque(box).release()
    return false
}

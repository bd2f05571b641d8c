import Glibc

/// Calls `body` with a NULL-terminated C array of C strings (argv, envp), freed afterwards: the
/// pointers are valid only inside `body`.
public func withUnsafeCStringArray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
    for (i, s) in strings.enumerated() { pointers[i] = strdup(s) }
    pointers[strings.count] = nil
    defer {
        for i in 0..<strings.count { free(pointers[i]) }
        pointers.deallocate()
    }
    return body(pointers)
}

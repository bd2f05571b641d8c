import CLinuxShim

/// glibc's malloc arenas. By default every thread that allocates gets an arena of its own (up to
/// eight per core), each with at least 132 KiB of touched heap that the process keeps: the front had
/// 14 of them, about 0.6 MiB. A process whose threads rarely allocate at the same moment needs few.
public enum MallocArenas {
    /// Caps the number of arenas (`mallopt(M_ARENA_MAX)`); call it before the process starts threads.
    public static func limit(to count: Int32) {
        _ = cshim_malloc_arena_max(count)
    }
}

/* Defaults for the sanitizer runtimes in the confined executables (amphora-helper, amphora-front),
   compiled only into sanitized builds (scripts/sanitizers.sh).

   LeakSanitizer checks at exit by stopping the process's threads from a helper task made with
   clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED) and ptrace. The seccomp filters refuse
   both by design (a clone without CLONE_THREAD is a fork), so the check would kill the process with
   SIGSYS at every exit. The confined processes therefore run without it; the test process and the
   supervisor keep it, and the soak's memory curve covers the confined processes' leaks. */
#include "sanitizer_options.h"

#if defined(__has_feature)
#  if __has_feature(address_sanitizer)
const char *__asan_default_options(void) { return "detect_leaks=0"; }
#  endif
#endif

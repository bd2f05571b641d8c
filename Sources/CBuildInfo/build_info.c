#include "build_info.h"

// generated_commit.h (one line: #define AMPHORA_GIT_COMMIT "<hash>") exists only during
// scripts/build-deb.sh's build; it is never committed.
#if __has_include("generated_commit.h")
#include "generated_commit.h"
#endif
#ifndef AMPHORA_GIT_COMMIT
#define AMPHORA_GIT_COMMIT "unknown"
#endif

const char *amphora_build_commit(void) { return AMPHORA_GIT_COMMIT; }

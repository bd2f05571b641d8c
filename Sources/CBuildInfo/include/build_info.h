#ifndef AMPHORA_BUILD_INFO_H
#define AMPHORA_BUILD_INFO_H

/// The git commit the binaries were built from: scripts/build-deb.sh writes generated_commit.h
/// (ignored by git) before a release build; a plain `swift build` reports "unknown".
const char *amphora_build_commit(void);

#endif

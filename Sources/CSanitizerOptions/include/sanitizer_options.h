#ifndef AMPHORA_SANITIZER_OPTIONS_H
#define AMPHORA_SANITIZER_OPTIONS_H
/* Nothing to call: SwiftPM links this target's object into the executables that depend on it,
   and the sanitizer runtime finds __asan_default_options by name. */
#endif

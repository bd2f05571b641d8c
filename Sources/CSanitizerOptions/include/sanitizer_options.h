#ifndef AMPHORA_SANITIZER_OPTIONS_H
#define AMPHORA_SANITIZER_OPTIONS_H
/* Referenced by the confined executables so that the linker keeps this object. */
int amphora_sanitizer_options_linked(void);
#endif

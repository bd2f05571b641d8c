#include <seccomp.h>
#include <errno.h>
#include <stdint.h>
/* Function-like macros are not imported into Swift; wrap them. */
static inline uint32_t cseccomp_act_errno(uint16_t err) { return SCMP_ACT_ERRNO(err); }
static inline uint32_t cseccomp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t cseccomp_act_allow(void) { return SCMP_ACT_ALLOW; }
static inline uint32_t cseccomp_act_log(void) { return SCMP_ACT_LOG; }

/* Test helper (C99): runs elizacloud-emulator as a child process, reads its start-up line and
 * talks to its control API over plain HTTP with libcurl. Shared by the C and C++ ABI tests. */
#ifndef EC_TEST_EMU_H
#define EC_TEST_EMU_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emu {
    pid_t pid;
    char url[256]; /* e.g. http://127.0.0.1:41235, no trailing slash */
} emu;

/* Spawns `path --port 0 <flags...>` (flags NULL-terminated, may be NULL). 0 on success. */
int emu_start(emu *e, const char *path, const char *const *flags);
/* SIGTERM and wait. */
void emu_stop(emu *e);
/* One HTTP request to the emulator; *body (may be NULL) gets the response, free() it.
 * Returns the HTTP status, or -1 on a transport failure. */
long emu_request(const emu *e, const char *method, const char *path, const char *json_body,
                 char **body);
/* The string value of the first "key":"value" in json (no unescaping); 0 when found. */
int emu_json_string(const char *json, const char *key, char *out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif

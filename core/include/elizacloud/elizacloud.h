/*
 * elizacloud — connect agent host runtimes to Eliza Cloud.
 *
 * The one stable C ABI of the project. C99, every symbol prefixed ec_ / EC_.
 * Status codes are never renumbered; new ones are only appended.
 */
#ifndef ELIZACLOUD_H
#define ELIZACLOUD_H

#include <stddef.h>
#include <stdint.h>

#define EC_VERSION_MAJOR 0
#define EC_VERSION_MINOR 1
#define EC_VERSION_PATCH 0
#define EC_VERSION_STRING "0.1.0"
#define EC_VERSION_NUM ((EC_VERSION_MAJOR << 16) | (EC_VERSION_MINOR << 8) | EC_VERSION_PATCH)
#define EC_VERSION_AT_LEAST(x, y, z) (EC_VERSION_NUM >= (((x) << 16) | ((y) << 8) | (z)))

#if defined(_WIN32)
#if defined(EC_BUILDING_LIBRARY)
#define EC_API __declspec(dllexport)
#else
#define EC_API __declspec(dllimport)
#endif
#else
#define EC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Status codes. EC_OK is zero; every failure is negative. The numbers are part of the ABI.
 * ec_status_name() gives the stable name, ec_last_error_message() the detail of the last
 * failure on the calling thread.
 */
typedef int32_t ec_status;
enum {
    EC_OK = 0,
    EC_ERR_INVALID_ARGUMENT = -1,     /* a NULL handle, bad option, non-UUID agent id... */
    EC_ERR_NO_MEMORY = -2,
    EC_ERR_INTERNAL = -3,             /* a bug: please report */
    EC_ERR_EMPTY = -4,                /* no event queued (ec_*_next_event) */
    EC_ERR_TIMEOUT = -5,              /* a request, wait or overall deadline passed */
    EC_ERR_CANCELLED = -6,            /* cancelled by the caller or by shutdown */
    EC_ERR_NETWORK = -7,              /* DNS, connect, reset, connection dropped mid-body */
    EC_ERR_REDIRECT_REFUSED = -8,     /* the server answered 3xx; redirects are never followed */
    EC_ERR_URL_BLOCKED = -9,          /* URL or address refused by the URL security policy */
    EC_ERR_TLS = -10,                 /* certificate or handshake failure */
    EC_ERR_PROTOCOL = -11,            /* malformed JSON, unexpected shape, bad SSE */
    EC_ERR_RESPONSE_TOO_LARGE = -12,  /* response body above the configured maximum */
    EC_ERR_UNAUTHORIZED = -13,        /* cloud 401 */
    EC_ERR_FORBIDDEN = -14,           /* cloud 403 */
    EC_ERR_NOT_FOUND = -15,           /* cloud 404 */
    EC_ERR_CONFLICT = -16,            /* cloud 409 */
    EC_ERR_RATE_LIMITED = -17,        /* cloud 429; retry-after carried where sent */
    EC_ERR_INSUFFICIENT_CREDITS = -18,/* cloud 402; required/current balance carried */
    EC_ERR_INVALID_REQUEST = -19,     /* cloud 400 */
    EC_ERR_SERVER = -20,              /* cloud 5xx or other unexpected status */
    EC_ERR_LOGIN_EXPIRED = -21,       /* login session expired or unknown */
    EC_ERR_KEY_ALREADY_RETRIEVED = -22, /* login completed but the key was already collected */
    EC_ERR_NOT_CONNECTED = -23,       /* no API key / no active agent */
    EC_ERR_REENTRANT = -24,           /* call not allowed from inside a library callback */
    EC_ERR_BUSY = -25,                /* an operation of that kind is already running */
    EC_ERR_OVERFLOW = -26,            /* a bounded queue overflowed */
    EC_ERR_IO = -27,                  /* local file I/O (config store) */
    EC_ERR_INCOMPATIBLE = -28,        /* ABI / plugin version negotiation refused */
    EC_ERR_PROVISION_FAILED = -29,    /* the provisioning job ended as failed */
    EC_ERR_AGENT = -30                /* the agent answered a JSON-RPC error */
};

/* [any thread] Stable name of a status, e.g. "EC_ERR_TIMEOUT". Never NULL. */
EC_API const char *ec_status_name(ec_status status);

/* [any thread] Detail of the last failure on the calling thread; valid until the next ec_ call
 * on this thread. Empty string when none. Read it only right after a failure. */
EC_API const char *ec_last_error_message(void);

/* [any thread] Run-time version: EC_VERSION_NUM and EC_VERSION_STRING of the loaded library. */
EC_API uint32_t ec_version(void);
EC_API const char *ec_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* ELIZACLOUD_H */

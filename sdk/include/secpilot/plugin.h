/*
 * secpilot plugin ABI — the one contract between the secpilot host and a plugin library.
 *
 * Pure C99: only <stdint.h> and <stddef.h>. No C++ type, no exception, no allocator crosses it;
 * JSON travels as UTF-8 text. Read sdk/STYLE.md for the rules this header follows and how it may
 * evolve; the C++ wrapper <secpilot/sdk.hpp> builds on it.
 *
 * ---------------------------------------------------------------------------------------------
 * A complete plugin (C99). Build it as a shared library exporting only secpilot_plugin_entry and
 * describe it with a manifest whose Format is Native (see docs/sdk.md):
 *
 *   #include <secpilot/plugin.h>
 *   #include <string.h>
 *
 *   typedef struct echo_state { const sp_host_api* host; } echo_state;
 *
 *   static sp_status echo_invoke(void* instance, sp_call* call, const char* input, size_t len) {
 *     echo_state* state = (echo_state*)instance;
 *     return state->host->set_result(call, input, len);   // the host copies the JSON
 *   }
 *
 *   static sp_status echo_init(const sp_init_args* args, void** instance) {
 *     static echo_state state;                              // one instance per process is enough here
 *     state.host = args->host;
 *     *instance = &state;
 *     return SP_OK;
 *   }
 *
 *   static void echo_destroy(void* instance) { (void)instance; }
 *
 *   static const sp_skill echo_skills[] = {
 *     { sizeof(sp_skill), "Echo", echo_invoke, SP_SKILL_THREAD_SAFE, "Returns its input." },
 *   };
 *
 *   static const sp_plugin echo_plugin = {
 *     sizeof(sp_plugin), SP_ABI_MAJOR, SP_ABI_MINOR,
 *     "Echo", "1.0.0", SP_SDK_VERSION, NULL,
 *     echo_init, echo_destroy,
 *     sizeof echo_skills / sizeof echo_skills[0], echo_skills,
 *   };
 *
 *   SP_EXPORT const sp_plugin* secpilot_plugin_entry(uint16_t host_major, uint16_t host_minor) {
 *     if (host_major != SP_ABI_MAJOR) return NULL;          // refuse politely; the host explains
 *     (void)host_minor;
 *     return &echo_plugin;
 *   }
 * ---------------------------------------------------------------------------------------------
 *
 * Memory ownership, once for the whole header:
 *   - The plugin never frees host memory and the host never frees plugin memory.
 *   - Everything the plugin hands over in its descriptor (names, schemas, tables) is static and
 *     read-only for the lifetime of the library, which the host never unloads.
 *   - Inputs the host passes (input JSON, config JSON, argument structs) are borrowed: valid only
 *     until the function they were passed to returns. Copy what you need to keep.
 *   - Results and errors are copied by the host at the moment the plugin hands them over
 *     (set_result, set_error); the plugin may free or reuse its buffers right after.
 *   - Memory the host returns to the plugin (settings, HTTP responses) is owned by the host and
 *     stays valid until the call it belongs to ends (invoke returns, or init returns).
 *   - Anything the plugin passes into a host service (names, messages, requests) is borrowed by
 *     the host only for the duration of that function; the host copies what it keeps.
 *
 * Size-prefixed structs, once for the whole header: every struct that begins with struct_size only
 * ever grows at the end. The reader uses min(struct_size, sizeof what it was compiled with) bytes and
 * treats members beyond that as absent (zero / NULL). Unknown flag bits are ignored by the reader.
 *
 * Threading, once for the whole header:
 *   - By default the host never calls into one plugin instance concurrently. A skill flagged
 *     SP_SKILL_THREAD_SAFE may be invoked from several threads at once, each with its own sp_call.
 *   - init and destroy never overlap any invoke. A plugin that starts threads joins them in destroy.
 *   - Every host service is safe to call from any thread, with the call it was given.
 *
 * Strings: descriptor strings are NUL-terminated UTF-8. Data (JSON, bodies, messages) is passed as
 * pointer and length and is not NUL-terminated unless stated.
 */
#ifndef SECPILOT_PLUGIN_H
#define SECPILOT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version. Majors must match; the host's minor must be at least the plugin's. */
#define SP_ABI_MAJOR 1
#define SP_ABI_MINOR 0
/* Version of the SDK a plugin was compiled with; reported in load errors. */
#define SP_SDK_VERSION "1.0.0"

/* Marks the entry point for export (the SDK's CMake function also hides everything else). */
#if defined(_WIN32)
#define SP_EXPORT __declspec(dllexport)
#else
#define SP_EXPORT __attribute__((visibility("default")))
#endif

/* Name of the one symbol a plugin library exports. */
#define SP_ENTRY_SYMBOL "secpilot_plugin_entry"

/* ---- Status codes ---------------------------------------------------------------------------
 * The outcome of a call, chosen so that a planner can act on it. Fixed width (not a C enum) so the
 * size never depends on the compiler. New codes may be added; unknown codes read as SP_ERR_INTERNAL. */
typedef int32_t sp_status;
#define SP_OK 0                /* success; for invoke: a result was set */
#define SP_ERR_INVALID_INPUT 1 /* the input is wrong; retrying the same input will fail again */
#define SP_ERR_NOT_FOUND 2     /* the thing asked about does not exist */
#define SP_ERR_UNAUTHORIZED 3  /* credentials missing, wrong or lacking rights */
#define SP_ERR_RATE_LIMITED 4  /* throttled or temporarily unavailable: retry later */
#define SP_ERR_UPSTREAM 5      /* a service the plugin depends on failed */
#define SP_ERR_TIMEOUT 6       /* the call or an upstream request ran out of time */
#define SP_ERR_CANCELLED 7     /* the host cancelled the call */
#define SP_ERR_INTERNAL 8      /* a bug or unexpected state in the plugin or host */
#define SP_ERR_TOO_LARGE 9     /* a result, body or response exceeded the host's size limit */
#define SP_ERR_UNSUPPORTED 10  /* the operation or capability is not available */
#define SP_ERR_FORBIDDEN 11    /* policy forbids it (for example, egress to a host not allowed) */

/* ---- Log levels ------------------------------------------------------------------------------ */
typedef int32_t sp_log_level;
#define SP_LOG_TRACE 0
#define SP_LOG_DEBUG 1
#define SP_LOG_INFO 2
#define SP_LOG_WARN 3
#define SP_LOG_ERROR 4

/* ---- Skill flags (sp_skill.flags) ------------------------------------------------------------ */
/* The skill may be invoked concurrently on one instance, each time with its own sp_call. */
#define SP_SKILL_THREAD_SAFE (UINT64_C(1) << 0)

/* ---- HTTP request flags (sp_http_request.flags) ---------------------------------------------- */
/* Follow up to five redirects to hosts that are also on the plugin's egress allow-list. */
#define SP_HTTP_FOLLOW_REDIRECTS (UINT32_C(1) << 0)

/* Opaque: one invocation of a skill (or the init of an instance). Owned by the host; valid until
 * the invoke or init it was passed to returns. */
typedef struct sp_call sp_call;

/* A byte string: pointer and length; not NUL-terminated. Who owns it is said where it is used. */
typedef struct sp_bytes {
  const char* data;
  size_t size;
} sp_bytes;

/* One HTTP header. Name and value are NUL-terminated. */
typedef struct sp_header {
  const char* name;
  const char* value;
} sp_header;

/* An HTTP request the plugin asks the host to make. Built by the plugin; borrowed by the host for
 * the duration of http_request only. */
typedef struct sp_http_request {
  uint32_t struct_size;     /* sizeof(sp_http_request) as the plugin was compiled */
  const char* method;       /* "GET", "POST", ... (NUL-terminated) */
  const char* url;          /* absolute http:// or https:// URL (NUL-terminated) */
  const sp_header* headers; /* may be NULL when header_count is 0 */
  size_t header_count;
  sp_bytes body;       /* may be {NULL, 0} */
  uint32_t timeout_ms; /* whole request; 0 means the host default. Capped by the host. */
  uint32_t flags;      /* SP_HTTP_* */
} sp_http_request;

/* The host's answer to an http_request. Filled by the host; all memory is the host's and stays
 * valid until the current call ends. */
typedef struct sp_http_response {
  uint32_t struct_size;     /* set by the plugin to sizeof(sp_http_response) before the request */
  int32_t status;           /* HTTP status code, or 0 when no response was received */
  const sp_header* headers; /* response headers (names lower-case) */
  size_t header_count;
  sp_bytes body;
  sp_bytes error; /* why the request failed when http_request did not return SP_OK */
} sp_http_response;

/* ---- Host services ---------------------------------------------------------------------------
 * A table of functions the host provides. Passed to init in sp_init_args; valid until destroy
 * returns, so an instance may keep the pointer. Newer hosts append members: before using a member
 * added after 1.0, check that offsetof(sp_host_api, member) < host->struct_size. */
typedef struct sp_host_api {
  uint32_t struct_size; /* sizeof(sp_host_api) as the host was compiled */
  uint16_t abi_major;   /* the host's ABI version */
  uint16_t abi_minor;

  /* log — Required (always present). Writes a line to this plugin's log.
   *   call:    the current call, or the init call; never NULL.
   *   level:   SP_LOG_*; an unknown level is logged as SP_LOG_ERROR.
   *   message: UTF-8 text of `size` bytes, borrowed for the duration of the function.
   * Returns nothing. Secrets the host knows are redacted before the line is written. Thread-safe. */
  void (*log)(sp_call* call, sp_log_level level, const char* message, size_t size);

  /* get_setting — Required. Reads a setting or secret of this plugin (from the host's settings;
   * secrets are never logged). Settings declared in the manifest with a DefaultValue fall back to it.
   *   call:  the current call, or the init call.
   *   name:  the setting's name (NUL-terminated, matched case-insensitively); borrowed.
   *   value: out; on SP_OK points at host memory valid until the call ends.
   * Returns SP_OK, or SP_ERR_NOT_FOUND when the setting has no value. Thread-safe. */
  sp_status (*get_setting)(sp_call* call, const char* name, sp_bytes* value);

  /* http_request — Required. Makes an HTTP(S) request through the host, which applies TLS
   * verification, timeouts, size limits and this plugin's egress allow-list.
   *   call:     the current call (not the init call: returns SP_ERR_UNSUPPORTED there).
   *   request:  borrowed for the duration of the function.
   *   response: out; the plugin sets response->struct_size first and the host writes no more than
   *             that many bytes. Memory is the host's, valid until the call ends. An HTTP error status (404, 500) is still SP_OK: read response->status.
   * Returns SP_OK when a response arrived; SP_ERR_FORBIDDEN (host not allowed), SP_ERR_TIMEOUT,
   * SP_ERR_TOO_LARGE, SP_ERR_CANCELLED, SP_ERR_UPSTREAM (connect, TLS) or SP_ERR_INVALID_INPUT
   * (bad URL), with response->error saying why. Blocks; thread-safe. */
  sp_status (*http_request)(sp_call* call, const sp_http_request* request,
                            sp_http_response* response);

  /* progress — Required. Reports how far the call has come, for people watching it.
   *   call:     the current call (ignored on the init call).
   *   fraction: 0.0 to 1.0, or a negative number when unknown.
   *   message:  NUL-terminated UTF-8, may be NULL; borrowed for the duration of the function.
   * Thread-safe; cheap enough to call often (the host may drop updates). */
  void (*progress)(sp_call* call, double fraction, const char* message);

  /* is_cancelled — Required. Returns 1 when the host no longer wants the result (the caller gave
   * up or the skill's timeout passed), else 0 (always 0 for the init call).
   *   call: the current call. Long-running skills poll it and return
   * SP_ERR_CANCELLED. Thread-safe and cheap (no lock, no system call). */
  int (*is_cancelled)(sp_call* call);

  /* set_result — Required. Hands over the call's result: one JSON value (usually an object).
   *   call: the current call.
   *   json: UTF-8 JSON of `size` bytes; the host copies it before returning.
   * Returns SP_OK; SP_ERR_TOO_LARGE when size exceeds the host's result limit (the result is then
   * dropped); SP_ERR_INVALID_INPUT when called on the init call. Calling it again replaces the
   * earlier result. The host checks the JSON after invoke returns. Thread-safe. */
  sp_status (*set_result)(sp_call* call, const char* json, size_t size);

  /* set_error — Required. Explains a failure; pair it with returning the same code from invoke or
   * init.
   *   call:    the current call, or the init call.
   *   code:    an SP_ERR_* code (SP_OK is treated as SP_ERR_INTERNAL).
   *   message: UTF-8 of `size` bytes for a person to act on; copied before returning (truncated to
   *            the host's limit). A second call replaces the first.
   * Returns nothing. Thread-safe. */
  void (*set_error)(sp_call* call, sp_status code, const char* message, size_t size);
} sp_host_api;

/* Arguments to init. Borrowed for the duration of init; `host` stays valid until destroy. */
typedef struct sp_init_args {
  uint32_t struct_size;     /* sizeof(sp_init_args) as the host was compiled */
  const sp_host_api* host;  /* host services; valid until destroy returns */
  sp_call* call;            /* the init call: for log, get_setting and set_error during init */
  sp_bytes config_json;     /* the plugin's non-secret settings as a JSON object, already
                                validated against config_schema when the plugin declares one */
  const char* manifest_dir; /* folder holding the plugin's manifest (NUL-terminated), for data
                                files shipped beside it */
} sp_init_args;

/* One skill of the plugin. Static, read-only, lives as long as the library. */
typedef struct sp_skill {
  uint32_t struct_size; /* sizeof(sp_skill) as the plugin was compiled */
  const char* name;     /* Required. Matches the skill's Name in the manifest. [A-Za-z0-9_-] */

  /* invoke — Required. Runs the skill once.
   *   instance: what init returned.
   *   call:     this invocation; pass it to every host service.
   *   input:    the skill's inputs as a JSON object of `size` bytes, validated against the
   *             manifest's Inputs; borrowed until invoke returns. NUL-terminated as a convenience.
   * Returns SP_OK after set_result, or an SP_ERR_* code (after set_error for a message).
   * Thread-safety: called by one thread at a time per instance unless the skill's flags include
   * SP_SKILL_THREAD_SAFE. Must not throw or longjmp across the boundary. */
  sp_status (*invoke)(void* instance, sp_call* call, const char* input, size_t size);

  uint64_t flags;          /* SP_SKILL_* */
  const char* description; /* Optional, may be NULL: a one-line summary for logs and tools */
} sp_skill;

/* The plugin descriptor. Static, read-only, lives as long as the library. Only ever grows at the
 * end: a host reads min(struct_size, what it knows) and treats members it cannot see as absent. */
typedef struct sp_plugin {
  uint32_t struct_size; /* sizeof(sp_plugin) as the plugin was compiled */
  uint16_t abi_major;   /* SP_ABI_MAJOR the plugin was compiled with */
  uint16_t abi_minor;   /* SP_ABI_MINOR the plugin was compiled with */

  const char* name;        /* Required. Equals the manifest's Descriptor.Name */
  const char* version;     /* Required. The plugin's own version, e.g. "2.3.1" */
  const char* sdk_version; /* Recommended. SP_SDK_VERSION, for error messages ("unknown" if NULL) */
  const char* config_schema; /* Optional, may be NULL: JSON Schema for config_json */

  /* init — Required. Creates one instance. Called once per load, before any invoke, from one
   * thread, never concurrently with anything else of this plugin.
   *   args:     see sp_init_args; borrowed for the duration of init.
   *   instance: out; the plugin's state, owned by the plugin, passed back to invoke and destroy
   *             (may be NULL).
   * Returns SP_OK, or an SP_ERR_* code after set_error(args->call, ...) with the reason; the
   * plugin is then reported unhealthy and destroy is NOT called, so a failing init releases
   * whatever it allocated itself. */
  sp_status (*init)(const sp_init_args* args, void** instance);

  /* destroy — Required. Releases an instance after the last invoke returned.
   *   instance: what init stored (may be NULL).
   * Returns nothing. Joins any threads the plugin started. Called once, from any one thread,
   * never concurrently with init or invoke. */
  void (*destroy)(void* instance);

  size_t skill_count;     /* number of entries in skills */
  const sp_skill* skills; /* Required when skill_count > 0 */
} sp_plugin;

/* secpilot_plugin_entry — the one exported symbol.
 *   host_abi_major, host_abi_minor: the host's ABI version.
 * Returns the static descriptor, or NULL to refuse to load (for example on a major it does not
 * support); the host then reports the plugin as refusing. Must do no other work: no threads, no
 * I/O, no allocation that outlives the call. Called once per load, from one thread. */
typedef const sp_plugin* (*sp_entry_fn)(uint16_t host_abi_major, uint16_t host_abi_minor);

/* Required. Declared here so a wrong signature in a plugin fails to compile. Thread-safety: called
 * once, from the host's loader thread. */
SP_EXPORT const sp_plugin* secpilot_plugin_entry(uint16_t host_abi_major, uint16_t host_abi_minor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SECPILOT_PLUGIN_H */

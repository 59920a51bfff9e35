/* A plugin in plain C99 against plugin.h alone. Compile-time switches build the variants the ABI
 * tests need: a newer minor, another major, an entry point that refuses, no entry point at all. */
#include <secpilot/plugin.h>
#include <stdio.h>
#include <string.h>

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "PlainC"
#endif
#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "1.2.3"
#endif
#ifndef ABI_MAJOR_DELTA
#define ABI_MAJOR_DELTA 0
#endif
#ifndef ABI_MINOR_DELTA
#define ABI_MINOR_DELTA 0
#endif

typedef struct plain_state {
  const sp_host_api* host;
  unsigned long calls;
} plain_state;

static plain_state the_state;

/* {"bytes": N, "calls": M}: how long the input was, and how many calls this instance served. */
static sp_status measure(void* instance, sp_call* call, const char* input, size_t size) {
  plain_state* state = (plain_state*)instance;
  char result[96];
  int length;
  (void)input;
  state->calls++;
  length = snprintf(result, sizeof result, "{\"bytes\": %lu, \"calls\": %lu}", (unsigned long)size,
                    state->calls);
  return state->host->set_result(call, result, (size_t)length);
}

/* Claims success without a result: the host must call that a plugin bug. */
static sp_status forgetful(void* instance, sp_call* call, const char* input, size_t size) {
  (void)instance;
  (void)call;
  (void)input;
  (void)size;
  return SP_OK;
}

static sp_status plain_init(const sp_init_args* args, void** instance) {
  const char message[] = "plain C plugin ready";
  the_state.host = args->host;
  the_state.calls = 0;
  args->host->log(args->call, SP_LOG_INFO, message, sizeof message - 1);
  *instance = &the_state;
  return SP_OK;
}

static void plain_destroy(void* instance) {
  (void)instance;
}

static const sp_skill plain_skills[] = {
    {sizeof(sp_skill), "Measure", measure, 0, "Measures its input"},
    {sizeof(sp_skill), "Forgetful", forgetful, 0, "Never sets a result"},
};

static const sp_plugin plain_plugin = {
    sizeof(sp_plugin),
    SP_ABI_MAJOR + ABI_MAJOR_DELTA,
    SP_ABI_MINOR + ABI_MINOR_DELTA,
    PLUGIN_NAME,
    PLUGIN_VERSION,
    SP_SDK_VERSION,
    NULL,
    plain_init,
    plain_destroy,
    sizeof plain_skills / sizeof plain_skills[0],
    plain_skills,
};

#ifndef NO_ENTRY
SP_EXPORT const sp_plugin* secpilot_plugin_entry(uint16_t host_abi_major, uint16_t host_abi_minor) {
  (void)host_abi_major;
  (void)host_abi_minor;
#ifdef REFUSE
  return host_abi_major == 0 ? &plain_plugin : NULL; /* refuses every real host */
#else
  return &plain_plugin;
#endif
}
#else
SP_EXPORT const sp_plugin* some_other_name(void) {
  return &plain_plugin;
}
#endif

// Runs one skill call: input checks, the plugin call, output checks, and the skill's timeout.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/skills/call_threads.hpp"
#include "secpilot/skills/catalog.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::skills {

struct InvokeOptions {
  bool validate_input = true;   // check inputs against the manifest's Inputs
  bool validate_output = true;  // check the result is JSON and matches the skill's Outputs schema
  // The call's time limit; unset = the skill's TimeoutSeconds, else default_timeout.
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds default_timeout{30'000};
  std::shared_ptr<const std::atomic<bool>> cancelled;         // optional, set by the caller
  std::function<void(double, std::string_view)> on_progress;  // optional
  // Where invoke() runs the call; unset = a thread of its own (fine for one-off calls).
  std::shared_ptr<CallThreads> threads;
};

// The time limit that applies to `entry` under `options`.
std::chrono::milliseconds effective_timeout(const SkillEntry& entry, const InvokeOptions& options);

// Runs the call on this thread. The plugin sees the deadline through is_cancelled(); a result
// that arrives after it is discarded, but this thread waits for the plugin to return.
Expected<std::string> invoke_inline(const SkillEntry& entry, std::string_view input_json,
                                    const InvokeOptions& options);

// Runs the call on another thread (options.threads, else a new one) and returns by the deadline at the latest: a plugin that
// overruns is told it is cancelled, its late result is discarded, and the caller gets
// Status::timeout right away.
Expected<std::string> invoke(const SkillEntry& entry, std::string_view input_json,
                             const InvokeOptions& options);

// The fast path for servers: runs the call on this thread (no hand-over to another thread, which
// costs more than a typical call) as long as the skill has always returned by its deadline; once
// it has overrun one, it runs through invoke() instead, so that later callers get their timeout
// on time. (A plugin that may hang for good belongs in secpilot-runner, where it can be killed.)
Expected<std::string> invoke_adaptive(const SkillEntry& entry, std::string_view input_json,
                                      const InvokeOptions& options);

}  // namespace secpilot::skills

#include "secpilot/skills/executor.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/json/monotonic_resource.hpp>

#include "openapi/api_call.hpp"
#include "plugin/mcp_binding.hpp"
#include "secpilot/plugin/native_library.hpp"
#include "secpilot/skills/input_validation.hpp"
#include "secpilot/util/clock.hpp"
#include "secpilot/util/json_parse.hpp"
#include "skills/gpt_skill.hpp"
#include "skills/kql_skill.hpp"

namespace secpilot::skills {

std::chrono::milliseconds effective_timeout(const SkillEntry& entry, const InvokeOptions& options) {
  if (options.timeout) return *options.timeout;
  if (entry.spec && entry.spec->timeout_seconds)
    return std::chrono::seconds(*entry.spec->timeout_seconds);
  return options.default_timeout;
}

namespace {

// The result must be JSON, and match the Outputs schema when there is one.
Expected<std::string> check_output(const SkillEntry& entry, Expected<std::string> result) {
  if (!result) return result;
  boost::system::error_code syntax;
  // A result of a few KB parses without touching the heap (its document takes several times the
  // size of its text).
  unsigned char arena[16384];
  boost::json::monotonic_resource resource(arena, sizeof arena);
  auto document = parse_json(*result, syntax, &resource);
  if (syntax)
    return make_error(Status::internal,
                      entry.full_name + " returned invalid JSON: " + syntax.message());
  if (!entry.output_schema) return result;
  auto problems = entry.output_schema->validate(document);
  if (!problems.empty()) {
    std::string message = entry.full_name +
                          " returned a result that does not match its Outputs "
                          "schema: ";
    for (std::size_t i = 0; i < problems.size() && i < 5; ++i)
      message += (i ? "; " : "") + problems[i];
    return make_error(Status::internal, message);
  }
  return result;
}

}  // namespace

Expected<std::string> invoke_inline(const SkillEntry& entry, std::string_view input_json,
                                    const InvokeOptions& options) {
  if (!entry.available())
    return make_error(Status::unsupported,
                      entry.full_name + " cannot run: " + entry.unavailable_reason);
  if (entry.format == manifest::Format::KQL) {
    auto result = run_kql_skill(entry, input_json, options);
    // The backend's result was checked against the backend's Outputs; the KQL skill may
    // declare its own.
    return options.validate_output && entry.output_schema ? check_output(entry, std::move(result))
                                                          : result;
  }
  if (entry.format == manifest::Format::GPT) {
    auto result = run_gpt_skill(entry, input_json, options);
    return options.validate_output && entry.output_schema ? check_output(entry, std::move(result))
                                                          : result;
  }
  if (entry.format != manifest::Format::API && entry.format != manifest::Format::MCP &&
      !entry.native)
    return make_error(Status::unsupported, entry.full_name + " has no loaded implementation");
  if (entry.format == manifest::Format::MCP && !entry.mcp)
    return make_error(Status::unsupported, entry.full_name + " has no MCP server");
  if (entry.format == manifest::Format::API && !entry.api)
    return make_error(Status::unsupported, entry.full_name + " has no OpenAPI operation");

  std::string input;
  if (options.validate_input && entry.spec) {
    auto prepared = prepare_input(*entry.spec, input_json);
    if (!prepared)
      return make_error(Status::invalid_input,
                        entry.full_name + ": " + std::move(prepared).error().message);
    input = std::move(*prepared);
  } else {
    input.assign(input_json);
  }

  const auto deadline = coarse_now() + effective_timeout(entry, options);
  if (entry.format == manifest::Format::API || entry.format == manifest::Format::MCP) {
    auto result = entry.format == manifest::Format::API
                      ? entry.api->call(input, deadline, options.cancelled)
                      : entry.mcp->call(*entry.spec, input, deadline, options.cancelled);
    if (!result)
      return make_error(result.error().status,
                        entry.full_name + ": " + std::move(result).error().message);
    return options.validate_output ? check_output(entry, std::move(result)) : result;
  }
  const sp_skill* skill = entry.native->skill(entry.name);
  if (!skill) return make_error(Status::internal, entry.full_name + " vanished from its plugin");
  plugin::CallControl control;
  control.deadline = deadline;
  control.cancelled = options.cancelled;
  control.on_progress = options.on_progress;
  auto result = entry.native->invoke(*skill, input, control);
  if (!result || !options.validate_output) return result;
  return check_output(entry, std::move(result));
}

Expected<std::string> invoke(const SkillEntry& entry, std::string_view input_json,
                             const InvokeOptions& options) {
  // A runner keeps the deadline itself (it kills a child that overruns): no worker is needed.
  if (entry.native && entry.native->placement() == plugin::Placement::runner)
    return invoke_inline(entry, input_json, options);
  const auto timeout = effective_timeout(entry, options);
  const auto deadline = std::chrono::steady_clock::now() + timeout;

  // Shared with the worker, which may outlive this function when the plugin overruns.
  struct Rendezvous {
    std::mutex mutex;
    std::condition_variable done_signal;
    bool done = false;
    std::optional<Expected<std::string>> result;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
  };
  auto shared = std::make_shared<Rendezvous>();
  InvokeOptions worker_options = options;
  worker_options.timeout = timeout;
  // The caller's flag and ours both cancel the call.
  auto caller_cancel = options.cancelled;
  worker_options.cancelled = shared->cancel;

  auto call = [shared, entry, input = std::string(input_json), worker_options]() noexcept {
    auto result = invoke_inline(entry, input, worker_options);
    std::lock_guard lock(shared->mutex);
    shared->result.emplace(std::move(result));
    shared->done = true;
    shared->done_signal.notify_all();
  };
  if (options.threads)
    options.threads->run(std::move(call));
  else
    std::thread(std::move(call)).detach();

  std::unique_lock lock(shared->mutex);
  while (!shared->done) {
    // Wake now and then to pass on the caller's cancellation, if it has a flag.
    auto wake =
        caller_cancel
            ? std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50))
            : deadline;
    if (shared->done_signal.wait_until(lock, wake, [&] { return shared->done; })) break;
    if (caller_cancel && caller_cancel->load()) {
      shared->cancel->store(true);
      return make_error(Status::cancelled, entry.full_name + " was cancelled");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      shared->cancel->store(true);
      return make_error(Status::timeout,
                        entry.full_name + " did not finish within " +
                            std::to_string(timeout.count()) +
                            " ms; it was cancelled and any late result will be discarded");
    }
  }
  return std::move(*shared->result);
}

Expected<std::string> invoke_adaptive(const SkillEntry& entry, std::string_view input_json,
                                      const InvokeOptions& options) {
  if (entry.overran_deadline->load(std::memory_order_relaxed))
    return invoke(entry, input_json, options);
  const auto deadline = std::chrono::steady_clock::now() + effective_timeout(entry, options);
  auto result = invoke_inline(entry, input_json, options);
  // Returning late means the skill does not heed is_cancelled: never trust it with a caller's
  // thread again (until a reload makes a fresh entry).
  if (std::chrono::steady_clock::now() > deadline + std::chrono::milliseconds(50))
    entry.overran_deadline->store(true, std::memory_order_relaxed);
  return result;
}

}  // namespace secpilot::skills

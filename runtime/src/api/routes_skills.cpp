// Skills: list, show, and direct invocation (POST /v1/skills/{Plugin.Skill}:invoke).
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "api/fast_skills.hpp"
#include "api/routes.hpp"
#include "orchestrator/approval_gate.hpp"
#include "secpilot/plugin/describe.hpp"
#include "secpilot/skills/executor.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::api {
namespace {

// A case-insensitive substring of the skill's name, display name or description.
bool matches(const skills::SkillEntry& entry, const std::string& query) {
  if (query.empty()) return true;
  std::string haystack = entry.full_name;
  if (entry.spec)
    haystack += " " + entry.spec->display_name + " " + entry.spec->description + " " +
                entry.spec->description_for_model;
  return to_lower_ascii(haystack).find(query) != std::string::npos;
}

// A failed call's problem names the skill, so that a client tells "the skill said not found" from
// "no such skill". The caller's key and rights were checked before the call: unauthorized or
// forbidden here is the skill's service refusing the plugin's credentials, a gateway failure
// (502), not something the caller's key could fix.
server::Response skill_problem(const Error& error, const std::string& skill) {
  const bool refused_upstream =
      error.status == Status::unauthorized || error.status == Status::forbidden;
  const int status = refused_upstream ? 502 : http_status(error.status);
  return server::problem(status, std::string(server::reason_phrase(status)), error.message,
                         "about:blank", "",
                         {{"code", status_name(error.status)}, {"skill", skill}});
}

server::Response approval_required(const skills::SkillEntry& entry) {
  const std::string effects(manifest::side_effects_name(entry.spec->side_effects));
  return server::problem(
      409, "Conflict",
      entry.full_name + " has side effects (" + effects +
          ") and runs only once an owner or contributor approves the exact call: submit it as a "
          "prompt, \"/" +
          entry.full_name +
          " name=value ...\", to POST /v1/sessions/{id}/prompts (or `secpilot ask`), then "
          "approve it with POST /v1/approvals/{id}:approve (or `secpilot approve ID`)",
      "about:blank", "", {{"skill", entry.full_name}, {"sideEffects", effects}});
}

}  // namespace

void add_skill_routes(server::Router& router, const Shared& shared) {
  auto context = shared.context;
  auto fast = std::make_shared<FastSkills>();
  router.get("/v1/skills",
             with_auth(shared, Permission::read, [context](auto& request, auto&, auto& who) {
               const auto host = context->hosts();
               const std::string plugin(request.query_param("plugin").value_or(""));
               const std::string query = to_lower_ascii(request.query_param("q").value_or(""));
               boost::json::array items;
               for (const auto* entry : host->catalog().list(plugin)) {
                 if (!matches(*entry, query)) continue;
                 auto view = plugin::describe_skill(*entry, false);
                 auto enabled = context->store->plugin_enabled(who.user, entry->plugin);
                 view["enabled"] = enabled && *enabled;
                 items.push_back(std::move(view));
               }
               return server::Reply(server::json(200, {{"value", std::move(items)}}));
             }));
  router.get("/v1/skills/{name}",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto& who) {
               const auto host = context->hosts();
               const auto* entry = host->catalog().find(params["name"]);
               if (!entry)
                 return server::Reply(
                     server::problem(404, "no skill named '" + std::string(params["name"]) + "'"));
               auto view = plugin::describe_skill(*entry, true);
               auto enabled = context->store->plugin_enabled(who.user, entry->plugin);
               view["enabled"] = enabled && *enabled;
               return server::Reply(server::json(200, view));
             }));
  // A call of a skill with a record of finishing fast runs on the I/O thread that read the request
  // (no hand-off to the work pool and back, which costs more than such a call); any other on the
  // work pool. The server's watchdog covers a trusted skill that turns out slow.
  server::RouteOptions invoke_options;
  invoke_options.run_inline = [context, fast](const server::Request&,
                                              const server::PathParams& params) {
    const auto host = context->hosts();
    const auto* entry = host->catalog().find(params["name"]);
    return entry != nullptr && fast->trusted(*entry);
  };
  router.post(
      "/v1/skills/{name}:invoke",
      with_auth(shared, Permission::prompt,
                [context, fast](auto& request, auto& params, auto& who) {
                  // Only `inputs` is kept (as text): the body is parsed on the stack.
                  unsigned char arena[4096];
                  boost::json::monotonic_resource resource(arena, sizeof arena);
                  auto body = json_body(request, &resource);
                  if (auto* bad = std::get_if<server::Response>(&body)) return server::Reply(*bad);
                  auto& object = std::get<boost::json::object>(body);
                  std::string inputs = "{}";
                  if (const auto* given = object.if_contains("inputs")) {
                    if (!given->is_object())
                      return server::Reply(server::problem(400, "inputs must be a JSON object"));
                    inputs = boost::json::serialize(*given);
                  }
                  const auto host = context->hosts();
                  const auto* entry = host->catalog().find(params["name"]);
                  if (!entry) {
                    auto close = host->catalog().suggest(params["name"]);
                    return server::Reply(server::problem(
                        404, "no skill named '" + std::string(params["name"]) + "'" +
                                 (close.empty() ? "" : " — did you mean " + close.front() + "?")));
                  }
                  auto enabled = context->store->plugin_enabled(who.user, entry->plugin);
                  if (!enabled || !*enabled)
                    return server::Reply(server::problem(
                        403, "Forbidden", "plugin " + entry->plugin + " is disabled for you"));
                  // A call with side effects needs an approval bound to its arguments, which
                  // only an evaluation can wait for: this route answers at once, so it refuses.
                  if (orchestrator::needs_approval(*entry)) {
                    context->store->queue_audit(
                        {.actor = who.user,
                         .action = "skill.invoke",
                         .target = entry->full_name,
                         .outcome = store::AuditOutcome::denied,
                         .details = {{"status", "forbidden"},
                                     {"reason", "side effects need an approval"}}});
                    return server::Reply(approval_required(*entry));
                  }
                  skills::InvokeOptions options;
                  options.default_timeout = context->config->limits.skill_timeout;
                  options.cancelled = request.cancellation;
                  options.threads = context->call_threads;
                  const auto started = std::chrono::steady_clock::now();
                  auto result = skills::invoke_adaptive(*entry, inputs, options);
                  const auto took = std::chrono::steady_clock::now() - started;
                  fast->record(*entry, took);
                  const auto duration_ms =
                      std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
                  const Status status = result ? Status::ok : result.error().status;
                  context->store->queue_audit(
                      {.actor = who.user,
                       .action = "skill.invoke",
                       .target = entry->full_name,
                       .outcome = result ? store::AuditOutcome::ok : store::AuditOutcome::error,
                       .details = {{"status", status_name(status)}, {"durationMs", duration_ms}}});
                  if (context->on_skill_call)
                    context->on_skill_call(entry->full_name,
                                           result ? std::string_view("ok") : status_name(status),
                                           double(duration_ms) / 1000.0);
                  if (!result)
                    return server::Reply(skill_problem(result.error(), entry->full_name));
                  // The executor has already checked that the result is JSON (and matches the skill's
                  // Outputs): it goes into the answer as it is, without a second parse.
                  server::Response answer;
                  answer.status = 200;
                  answer.body.reserve(result->size() + entry->full_name.size() + 48);
                  answer.body.append("{\"skill\":")
                      .append(boost::json::serialize(boost::json::string_view(entry->full_name)))
                      .append(",\"result\":")
                      .append(*result)
                      .append(",\"durationMs\":")
                      .append(std::to_string(duration_ms))
                      .append("}");
                  return server::Reply(std::move(answer));
                }),
      std::move(invoke_options));
}

}  // namespace secpilot::api

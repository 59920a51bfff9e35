// Skills: list, show, and direct invocation (POST /v1/skills/{Plugin.Skill}:invoke).
#include <boost/json/parse.hpp>

#include <boost/json/serialize.hpp>
#include <cctype>
#include "secpilot/util/ascii.hpp"

#include "api/routes.hpp"
#include "secpilot/plugin/describe.hpp"
#include "secpilot/skills/executor.hpp"

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

}  // namespace

void add_skill_routes(server::Router& router, const Shared& shared) {
  auto context = shared.context;
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
  router.post(
      "/v1/skills/{name}:invoke",
      with_auth(shared, Permission::prompt, [context](auto& request, auto& params, auto& who) {
        auto body = json_body(request);
        if (auto* bad = std::get_if<server::Response>(&body)) return server::Reply(*bad);
        auto& object = std::get<boost::json::object>(body);
        boost::json::object inputs;
        if (const auto* given = object.if_contains("inputs")) {
          if (!given->is_object())
            return server::Reply(server::problem(400, "inputs must be a JSON object"));
          inputs = given->as_object();
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
          return server::Reply(server::problem(403, "Forbidden",
                                               "plugin " + entry->plugin + " is disabled for you"));
        skills::InvokeOptions options;
        options.default_timeout = context->config->limits.skill_timeout;
        options.cancelled = request.cancellation;
        const auto started = std::chrono::steady_clock::now();
        auto result = skills::invoke(*entry, boost::json::serialize(inputs), options);
        const auto duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count();
        const Status status = result ? Status::ok : result.error().status;
        auto audited = context->store->append_audit(
            {.actor = who.user,
             .action = "skill.invoke",
             .target = entry->full_name,
             .outcome = result ? store::AuditOutcome::ok : store::AuditOutcome::error,
             .details = {{"status", status_name(status)}, {"durationMs", duration_ms}}});
        (void)audited;
        if (context->on_skill_call)
          context->on_skill_call(entry->full_name,
                                 result ? std::string_view("ok") : status_name(status),
                                 double(duration_ms) / 1000.0);
        if (!result) return server::Reply(problem_for(result.error()));
        return server::Reply(server::json(200, {{"skill", entry->full_name},
                                                {"result", boost::json::parse(*result)},
                                                {"durationMs", duration_ms}}));
      }));
}

}  // namespace secpilot::api

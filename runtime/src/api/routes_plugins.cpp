// Plugins ("Sources"): list, show, enable/disable for oneself or the organisation, settings
// (secrets write-only), and manifest upload with lint errors at their lines.
#include <algorithm>
#include <fstream>

#include "api/routes.hpp"
#include "secpilot/manifest/parser.hpp"
#include "secpilot/plugin/describe.hpp"

namespace secpilot::api {
namespace {

void audit(store::Store& store, const orchestrator::Identity& who, std::string action,
           std::string target, boost::json::object details = {},
           store::AuditOutcome outcome = store::AuditOutcome::ok) {
  auto ignored = store.append_audit({.actor = who.user,
                                     .action = std::move(action),
                                     .target = std::move(target),
                                     .outcome = outcome,
                                     .details = std::move(details)});
  (void)ignored;
}

boost::json::object plugin_summary(const ApiContext& context, const plugin::PluginRecord& record,
                                   const plugin::PluginHost& host, const std::string& user,
                                   bool detailed) {
  auto view = plugin::describe_plugin(record, host.catalog(), detailed);
  auto enabled = context.store->plugin_enabled(user, record.name);
  view["enabled"] = enabled && *enabled;
  return view;
}

server::Reply toggle(const Shared& shared, const server::Request& request,
                     const server::PathParams& params, const orchestrator::Identity& who,
                     bool enable) {
  auto body = json_body(request);
  if (auto* bad = std::get_if<server::Response>(&body)) return *bad;
  const auto scope_text = string_member(std::get<boost::json::object>(body), "scope", "user");
  const auto scope = store::parse_plugin_scope(scope_text);
  if (!scope) return server::problem(400, "scope must be \"user\" or \"organization\"");
  if (*scope == store::PluginScope::organization &&
      !allowed(*shared.context->config, who.role, Permission::administer))
    return server::problem(403, "Forbidden",
                           "only owners enable or disable a plugin for the whole organisation");
  const auto host = shared.context->hosts();
  const auto* record = host->plugin(params["name"]);
  if (!record) return server::problem(404, "no plugin named '" + std::string(params["name"]) + "'");
  auto done = shared.context->store->set_plugin_enabled(
      *scope, *scope == store::PluginScope::user ? who.user : "", record->name, enable);
  if (!done) return problem_for(done.error());
  audit(*shared.context->store, who, enable ? "plugin.enable" : "plugin.disable", record->name,
        {{"scope", scope_text}});
  return server::json(200, plugin_summary(*shared.context, *record, *host, who.user, false));
}

server::Response lint_problem(const std::vector<manifest::Diagnostic>& diagnostics) {
  boost::json::array errors;
  for (const auto& d : diagnostics)
    errors.push_back({{"line", d.where.line},
                      {"column", d.where.column},
                      {"severity", d.severity == manifest::Severity::Error ? "error" : "warning"},
                      {"message", d.message},
                      {"fix", d.fix},
                      {"text", manifest::format_diagnostic(d)}});
  const boost::json::object extensions{{"errors", std::move(errors)}};
  return server::problem(422, "Unprocessable Content", "the manifest has errors; nothing was saved",
                         "about:blank", "", extensions);
}

}  // namespace

void add_plugin_routes(server::Router& router, const Shared& shared) {
  auto context = shared.context;
  router.get("/v1/plugins", with_auth(shared, Permission::read, [context](auto&, auto&, auto& who) {
               const auto host = context->hosts();
               boost::json::array items;
               for (const auto& record : host->plugins())
                 items.push_back(plugin_summary(*context, record, *host, who.user, false));
               return server::Reply(server::json(200, {{"value", std::move(items)}}));
             }));
  router.get("/v1/plugins/{name}",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto& who) {
               const auto host = context->hosts();
               const auto* record = host->plugin(params["name"]);
               if (!record)
                 return server::Reply(
                     server::problem(404, "no plugin named '" + std::string(params["name"]) + "'"));
               return server::Reply(
                   server::json(200, plugin_summary(*context, *record, *host, who.user, true)));
             }));
  router.post("/v1/plugins/{name}:enable",
              with_auth(shared, Permission::toggle_for_self,
                        [shared](auto& request, auto& params, auto& who) {
                          return toggle(shared, request, params, who, true);
                        }));
  router.post("/v1/plugins/{name}:disable",
              with_auth(shared, Permission::toggle_for_self,
                        [shared](auto& request, auto& params, auto& who) {
                          return toggle(shared, request, params, who, false);
                        }));
  router.get("/v1/plugins/{name}/settings",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto&) {
               const auto host = context->hosts();
               const auto* record = host->plugin(params["name"]);
               if (!record || !record->manifest)
                 return server::Reply(
                     server::problem(404, "no plugin named '" + std::string(params["name"]) + "'"));
               auto stored = context->store->plugin_settings(record->name);
               if (!stored) return server::Reply(problem_for(stored.error()));
               boost::json::array items;
               for (const auto& setting : record->manifest->descriptor.settings) {
                 boost::json::object item{
                     {"name", setting.name},          {"label", setting.label},
                     {"type", setting.type},          {"required", setting.required},
                     {"secret", setting.is_secret()}, {"description", setting.description}};
                 bool set = false;
                 for (const auto& value : *stored)
                   if (value.name == setting.name) {
                     set = true;
                     if (!setting.is_secret()) item["value"] = value.value;
                   }
                 if (!set && record->libraries.size())
                   set = record->libraries.front()->environment().setting(setting.name).has_value();
                 item["set"] = set;
                 if (setting.default_value && !setting.is_secret())
                   item["default"] = *setting.default_value;
                 items.push_back(std::move(item));
               }
               return server::Reply(server::json(200, {{"value", std::move(items)}}));
             }));
  router.put(
      "/v1/plugins/{name}/settings",
      with_auth(shared, Permission::administer, [context](auto& request, auto& params, auto& who) {
        auto body = json_body(request);
        if (auto* bad = std::get_if<server::Response>(&body)) return server::Reply(*bad);
        const auto host = context->hosts();
        const auto* record = host->plugin(params["name"]);
        if (!record || !record->manifest)
          return server::Reply(
              server::problem(404, "no plugin named '" + std::string(params["name"]) + "'"));
        const auto& object = std::get<boost::json::object>(body);
        boost::json::array changed;
        for (const char* section : {"settings", "secrets"}) {
          const auto* values = object.if_contains(section);
          if (!values) continue;
          if (!values->is_object())
            return server::Reply(server::problem(400, std::string(section) + " must be an object"));
          const bool secret = std::string_view(section) == "secrets";
          for (const auto& [name, value] : values->as_object()) {
            if (!value.is_string() && !value.is_null())
              return server::Reply(
                  server::problem(400, "setting values are strings (or null to unset)"));
            auto done = value.is_null() ? context->store->delete_plugin_setting(record->name, name)
                                        : context->store->set_plugin_setting(
                                              record->name, name, value.as_string(), secret);
            if (!done && done.error().status != Status::not_found)
              return server::Reply(problem_for(done.error()));
            changed.emplace_back(std::string(name));
          }
        }
        audit(*context->store, who, "settings.write", record->name, {{"names", changed}});
        if (context->reload)
          if (auto reloaded = context->reload(); !reloaded)
            return server::Reply(problem_for(reloaded.error()));
        return server::Reply(server::json(200, {{"plugin", record->name}, {"changed", changed}}));
      }));
  router.post(
      "/v1/plugins",
      with_auth(shared, Permission::upload_manifest, [context](auto& request, auto&, auto& who) {
        if (request.body.empty())
          return server::Reply(
              server::problem(400, "send the manifest (YAML or JSON) as the body"));
        const std::filesystem::path name_hint = "uploaded-manifest.yaml";
        auto parsed = manifest::parse_manifest(request.body, name_hint);
        std::vector<manifest::Diagnostic> diagnostics = parsed.diagnostics;
        if (parsed.manifest) {
          auto more = manifest::lint(*parsed.manifest, {.check_files = false});
          diagnostics.insert(diagnostics.end(), more.begin(), more.end());
        }
        if (!parsed.manifest || manifest::has_errors(diagnostics)) {
          const auto errors = std::count_if(diagnostics.begin(), diagnostics.end(), [](auto& d) {
            return d.severity == manifest::Severity::Error;
          });
          audit(*context->store, who, "manifest.upload", "(rejected)", {{"errors", errors}},
                store::AuditOutcome::denied);
          return server::Reply(lint_problem(diagnostics));
        }
        const auto& uploaded = *parsed.manifest;
        for (const auto& group : uploaded.groups)
          if (group.format == manifest::Format::Native)
            return server::Reply(server::problem(
                422, "Unprocessable Content",
                "Native plugins run code and are installed by an administrator into a plugin "
                "folder; upload declarative manifests only"));
        const auto existing = context->hosts()->plugin(uploaded.descriptor.name);
        const auto target = context->upload_dir / (uploaded.descriptor.name + ".yaml");
        if (existing && existing->manifest_path != target)
          return server::Reply(server::problem(409, "Conflict",
                                               "a plugin named " + uploaded.descriptor.name +
                                                   " is already installed from " +
                                                   existing->manifest_path.string()));
        std::error_code error;
        std::filesystem::create_directories(context->upload_dir, error);
        std::ofstream(target, std::ios::binary | std::ios::trunc) << request.body;
        audit(*context->store, who, "manifest.upload", uploaded.descriptor.name,
              {{"file", target.string()}});
        if (context->reload)
          if (auto reloaded = context->reload(); !reloaded)
            return server::Reply(problem_for(reloaded.error()));
        const auto host = context->hosts();
        const auto* record = host->plugin(uploaded.descriptor.name);
        if (!record)
          return server::Reply(server::problem(500, "the manifest was saved but did not load"));
        auto response = server::json(201, plugin_summary(*context, *record, *host, who.user, true));
        response.headers.emplace_back("Location", "/v1/plugins/" + record->name);
        return server::Reply(std::move(response));
      }));
}

}  // namespace secpilot::api

// Plugins ("Sources"): list, show, enable/disable for oneself or the organisation, settings
// (secrets write-only), and manifest upload with lint errors at their lines.
#include <algorithm>
#include <charconv>

#include "api/routes.hpp"
#include "secpilot/manifest/parser.hpp"
#include "secpilot/plugin/describe.hpp"
#include "secpilot/util/ascii.hpp"
#include "secpilot/util/replace_file.hpp"

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

// Why `value` cannot be written as setting `name` (under "secrets" when `as_secret`) of a plugin
// whose manifest declares `declared`; empty when it can. `name` becomes the declared spelling.
std::string setting_write_problem(const std::vector<manifest::Setting>& declared, std::string& name,
                                  const boost::json::value& value, bool as_secret) {
  const manifest::Setting* setting = nullptr;
  for (const auto& candidate : declared)
    if (iequals_ascii(candidate.name, name)) setting = &candidate;
  if (!setting) {
    std::string names;
    for (const auto& candidate : declared)
      names += (names.empty() ? "" : ", ") + candidate.name;
    return "the plugin declares no setting '" + name + "'" +
           (names.empty() ? " (it has none)" : "; it declares: " + names);
  }
  name = setting->name;
  if (setting->is_secret() != as_secret)
    return "'" + name + "' is " +
           (setting->is_secret() ? "a secret: send it under \"secrets\""
                                 : "not a secret: send it under \"settings\"");
  if (value.is_null()) return {};
  const std::string_view text = value.as_string();
  if (setting->type == "number") {
    double number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end != text.data() + text.size())
      return "'" + name + "' is a number; '" + std::string(text) + "' is not one";
  } else if (setting->type == "bool") {
    if (!iequals_ascii(text, "true") && !iequals_ascii(text, "false"))
      return "'" + name + "' is true or false";
  }
  if (!setting->acceptable_values.empty()) {
    bool acceptable = false;
    std::string listed;
    for (const auto& allowed : setting->acceptable_values) {
      acceptable = acceptable || allowed == text;
      listed += (listed.empty() ? "" : ", ") + allowed;
    }
    if (!acceptable) return "'" + name + "' must be one of: " + listed;
  }
  return {};
}

// Replaced whole (util/replace_file.hpp), so that the folder watcher never loads half a manifest
// and a full disk never leaves a truncated one behind.
Outcome save_upload(const std::filesystem::path& folder, const std::filesystem::path& target,
                    const std::string& text) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (auto failed = replace_file(target, text))
    return make_error(Status::internal, "cannot save " + target.string() + ": " + failed.message());
  return Done{};
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
        // Everything is checked before anything is written: a request applies whole or not at all.
        struct Write {
          std::string name;
          const boost::json::value* value;
          bool secret;
        };
        std::vector<Write> writes;
        for (const char* section : {"settings", "secrets"}) {
          const auto* values = object.if_contains(section);
          if (!values) continue;
          if (!values->is_object())
            return server::Reply(server::problem(400, std::string(section) + " must be an object"));
          const bool secret = std::string_view(section) == "secrets";
          for (const auto& [key, value] : values->as_object()) {
            if (!value.is_string() && !value.is_null())
              return server::Reply(
                  server::problem(400, "setting values are strings (or null to unset)"));
            std::string name(key);
            auto problem =
                setting_write_problem(record->manifest->descriptor.settings, name, value, secret);
            if (!problem.empty())
              return server::Reply(server::problem(400, "plugin " + record->name + ": " + problem));
            writes.push_back({std::move(name), &value, secret});
          }
        }
        boost::json::array changed;
        for (const auto& write : writes) {
          auto done = write.value->is_null()
                          ? context->store->delete_plugin_setting(record->name, write.name)
                          : context->store->set_plugin_setting(
                                record->name, write.name, write.value->as_string(), write.secret);
          if (!done && done.error().status != Status::not_found)
            return server::Reply(problem_for(done.error()));
          changed.emplace_back(write.name);
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
        const std::string& name = uploaded.descriptor.name;
        for (const auto& group : uploaded.groups)
          if (group.format == manifest::Format::Native) {
            audit(*context->store, who, "manifest.upload", name,
                  {{"reason", "native plugins are installed by an administrator"}},
                  store::AuditOutcome::denied);
            return server::Reply(server::problem(
                422, "Unprocessable Content",
                "Native plugins run code and are installed by an administrator into a plugin "
                "folder; upload declarative manifests only"));
          }
        const auto existing = context->hosts()->plugin(name);
        const auto target = context->upload_dir / (name + ".yaml");
        if (existing && existing->manifest_path != target) {
          audit(*context->store, who, "manifest.upload", name,
                {{"reason", "a plugin of that name is installed from a plugin folder"}},
                store::AuditOutcome::denied);
          return server::Reply(server::problem(409, "Conflict",
                                               "a plugin named " + name +
                                                   " is already installed from " +
                                                   existing->manifest_path.string()));
        }
        if (auto saved = save_upload(context->upload_dir, target, request.body); !saved) {
          audit(*context->store, who, "manifest.upload", name, {{"reason", saved.error().message}},
                store::AuditOutcome::error);
          return server::Reply(problem_for(saved.error()));
        }
        audit(*context->store, who, "manifest.upload", name, {{"file", target.string()}});
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

// The generic policy shape (docs/plugins/policy.md): plain words, names instead of ids where
// the caller prefers them, for policies that do not come from Entra or are being drafted.
#include <algorithm>
#include <array>

#include "readers.hpp"

namespace policy::detail {
namespace {

constexpr std::array<std::string_view, 16> kKeys{
    "id",           "name",        "description",   "state",       "users",        "apps",
    "user_actions", "client_apps", "platforms",     "locations",   "sign_in_risk", "user_risk",
    "grant",        "session",     "device_filter", "applications"};

std::string key_list() {
  std::string out;
  for (auto key : kKeys)
    out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

// The entry after "prefix:", if it has that prefix (any case).
std::optional<std::string> after_prefix(std::string_view entry, std::string_view prefix) {
  if (entry.size() <= prefix.size() || lower(entry.substr(0, prefix.size())) != prefix)
    return std::nullopt;
  return trim(entry.substr(prefix.size()));
}

struct IncludeExclude {
  bool present = false;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
};

// A list (include only), one string, or {"include": [...], "exclude": [...]}.
IncludeExclude read_include_exclude(const ObjectReader& object, std::string_view key) {
  IncludeExclude out;
  const auto* value = object.find(key);
  if (!value || value->is_null()) return out;
  out.present = true;
  if (value->is_string()) {
    out.include.emplace_back(value->as_string());
  } else if (value->is_array()) {
    out.include = object.strings(key);
  } else if (value->is_object()) {
    const ObjectReader parts(value->as_object(), object.path(key));
    for (const auto& part : parts.keys())
      if (lower(part) != "include" && lower(part) != "exclude")
        fail(parts.path(part) + " is not a key of " + std::string(key) +
             ": use {\"include\": [...], \"exclude\": [...]}");
    out.include = parts.strings("include");
    out.exclude = parts.strings("exclude");
  } else {
    fail(object.path(key) + " must be a list or {\"include\": [...], \"exclude\": [...]}, got " +
         kind_name(*value));
  }
  return out;
}

// A name or id resolved through the caller's names, else compared as written.
std::string resolve(std::string_view name, const Directory& directory) {
  return directory.id_of_name(name).value_or(lower(name));
}

void add_user(const std::string& entry, bool exclude, Selection& s, Directory& directory,
              const std::string& path, std::vector<std::string>& notes) {
  auto& members = exclude ? s.excluded_members : s.members;
  auto& collections = exclude ? s.excluded_collections : s.collections;
  const std::string key = word_key(entry);
  if (key == "all" || key == "none") {
    if (exclude) fail(path + " holds '" + entry + "', which cannot be excluded");
    if (key == "all") s.all = true;
    return;
  }
  if (key == "guests" || key == "guestsorexternalusers" || key == "external") {
    collections.insert(kGuests);
    return;
  }
  if (auto group = after_prefix(entry, "group:")) {
    const std::string canonical = kGroupPrefix + resolve(*group, directory);
    collections.insert(canonical);
    directory.remember_label(canonical, *group);
    return;
  }
  if (auto role = after_prefix(entry, "role:")) {
    const auto id = directory.role_id(*role);
    if (!id)
      notes.push_back(
          "role '" + *role +
          "' is not a well-known Entra role; it is compared by "
          "name (give its template id, or its name in `names`, to match Entra policies)");
    const std::string canonical = kRolePrefix + id.value_or(lower(*role));
    collections.insert(canonical);
    directory.remember_label(canonical, *role);
    return;
  }
  std::string user = entry;
  if (auto named = after_prefix(entry, "user:"))
    user = *named;
  else if (entry.find(':') != std::string::npos)
    fail(path + " holds '" + entry +
         "': write all, none, guests, user:<UPN or id>, group:<name or id> or role:<name or "
         "template id>");
  const std::string canonical = resolve(user, directory);
  members.insert(canonical);
  directory.remember_label(canonical, user);
}

Selection read_users(const ObjectReader& object, Directory& directory,
                     std::vector<std::string>& notes) {
  const auto users = read_include_exclude(object, "users");
  if (!users.present)
    fail(
        "users is missing: say whom the policy applies to, e.g. \"users\": [\"all\"] or "
        "{\"include\": [\"all\"], \"exclude\": [\"user:breakglass1@corp.example\"]}");
  Selection s;
  for (const auto& entry : users.include)
    add_user(entry, false, s, directory, object.path("users"), notes);
  for (const auto& entry : users.exclude)
    add_user(entry, true, s, directory, object.path("users"), notes);
  return s;
}

void add_app(const std::string& entry, bool exclude, Selection& s, Directory& directory,
             const std::string& path) {
  const std::string key = word_key(entry);
  if (key == "all") {
    if (exclude) fail(path + " cannot exclude all apps");
    s.all = true;
  } else if (key == "office365") {
    (exclude ? s.excluded_collections : s.collections).insert(kOffice365);
  } else if (key == "adminportals" || key == "microsoftadminportals") {
    (exclude ? s.excluded_collections : s.collections).insert(kAdminPortals);
  } else if (key != "none") {
    const std::string name = after_prefix(entry, "app:").value_or(entry);
    const std::string id = directory.app_id(name).value_or(lower(name));
    (exclude ? s.excluded_members : s.members).insert(id);
    directory.remember_label(id, name);
  }
}

AppTarget read_apps(const ObjectReader& object, Directory& directory) {
  AppTarget target;
  const auto actions = object.strings("user_actions");
  if (!actions.empty()) {
    target.kind = AppTarget::Kind::UserActions;
    target.selection = {};
    for (const auto& action : actions) {
      const std::string key = word_key(action);
      if (key == "registersecurityinfo" || key == "urn:user:registersecurityinfo")
        target.selection.members.insert("urn:user:registersecurityinfo");
      else if (key == "registerdevice" || key == "urn:user:registerdevice")
        target.selection.members.insert("urn:user:registerdevice");
      else
        fail(object.path("user_actions") + " holds '" + action +
             "': user actions are register-security-info and register-device");
    }
    return target;
  }
  auto apps = read_include_exclude(object, object.find("apps") ? "apps" : "applications");
  if (!apps.present) return target;  // all cloud apps
  target.selection = {};
  for (const auto& entry : apps.include)
    add_app(entry, false, target.selection, directory, object.path("apps"));
  for (const auto& entry : apps.exclude)
    add_app(entry, true, target.selection, directory, object.path("apps"));
  return target;
}

void add_location(const std::string& entry, bool exclude, Selection& s, Directory& directory) {
  const std::string key = word_key(entry);
  auto& into = exclude ? s.excluded_collections : s.collections;
  if (key == "all" && !exclude) {
    s.all = true;
  } else if (key == "trusted" || key == "alltrusted") {
    into.insert(kAllTrusted);
  } else {
    const std::string name = after_prefix(entry, "location:").value_or(entry);
    const std::string canonical = kLocationPrefix + resolve(name, directory);
    into.insert(canonical);
    directory.remember_label(canonical, name);
  }
}

Selection read_locations(const ObjectReader& object, Directory& directory) {
  const auto locations = read_include_exclude(object, "locations");
  Selection s = Selection::everything();
  if (!locations.present) return s;
  if (locations.include.empty())
    s.all = true;
  else
    s.all = false;
  for (const auto& entry : locations.include)
    add_location(entry, false, s, directory);
  for (const auto& entry : locations.exclude)
    add_location(entry, true, s, directory);
  return s;
}

Flags read_platforms(const ObjectReader& object) {
  const auto platforms = read_include_exclude(object, "platforms");
  Flags include = read_platform_list(platforms.include, object.path("platforms"));
  if (include == 0) include = kAllPlatforms;
  return include & ~read_platform_list(platforms.exclude, object.path("platforms"));
}

Control strength_control(const boost::json::value& value, const std::string& path) {
  std::string name;
  std::vector<std::string> combinations;
  if (value.is_string()) {
    name = std::string(value.as_string());
  } else if (value.is_object()) {
    const ObjectReader strength(value.as_object(), path);
    name = strength.string("name").value_or("");
    combinations = strength.strings("combinations");
  } else {
    fail(path +
         " must be a name (mfa, passwordless, phishing-resistant or a custom strength's "
         "name) or {\"name\": ..., \"combinations\": [...]}, got " +
         kind_name(value));
  }
  const std::string key = word_key(name);
  if (key == "mfa" || key == "multifactorauthentication")
    return {"authenticationStrength", "00000000-0000-0000-0000-000000000002",
            "Multifactor authentication", Strength::Mfa};
  if (key == "passwordless" || key == "passwordlessmfa")
    return {"authenticationStrength", "00000000-0000-0000-0000-000000000003", "Passwordless MFA",
            Strength::Passwordless};
  if (key == "phishingresistant" || key == "phishingresistantmfa")
    return {"authenticationStrength", "00000000-0000-0000-0000-000000000004",
            "Phishing-resistant MFA", Strength::PhishingResistant};
  if (name.empty()) fail(path + " has no name");
  return {"authenticationStrength", lower(name), name, strength_of("", name, combinations)};
}

// One requirement by name: block, mfa, compliant-device, terms-of-use:<name>, ...
std::optional<Control> control_named(const std::string& entry, const std::string& path) {
  if (auto terms = after_prefix(entry, "terms-of-use:"))
    return Control{"termsOfUse", lower(*terms), *terms, Strength::None};
  if (auto custom = after_prefix(entry, "custom:"))
    return Control{"customControl", lower(*custom), *custom, Strength::None};
  const std::string key = word_key(entry);
  if (key == "block") return std::nullopt;
  if (key == "mfa" || key == "multifactor") return Control{"mfa", "", "", Strength::Mfa};
  if (key == "compliantdevice") return Control{"compliantDevice", "", "", Strength::None};
  if (key == "hybridjoineddevice" || key == "domainjoineddevice")
    return Control{"domainJoinedDevice", "", "", Strength::None};
  if (key == "approvedapp" || key == "approvedapplication" || key == "approvedclientapp")
    return Control{"approvedApplication", "", "", Strength::None};
  if (key == "appprotection" || key == "appprotectionpolicy" || key == "compliantapplication")
    return Control{"compliantApplication", "", "", Strength::None};
  if (key == "passwordchange") return Control{"passwordChange", "", "", Strength::None};
  fail(path + " holds '" + entry +
       "': requirements are block, mfa, compliant-device, hybrid-joined-device, approved-app, "
       "app-protection, password-change, terms-of-use:<name> and custom:<name>");
}

Grant read_grant(const ObjectReader& object) {
  Grant grant;
  const auto* value = object.find("grant");
  if (!value || value->is_null()) return grant;
  const std::string path = object.path("grant");
  if (value->is_string()) {
    auto control = control_named(std::string(value->as_string()), path);
    if (control)
      grant.controls.push_back(std::move(*control));
    else
      grant.block = true;
    return grant;
  }
  if (!value->is_object())
    fail(path +
         " must be \"block\", one requirement such as \"mfa\", or {\"require\": [...], "
         "\"operator\": \"and\" | \"or\"}, got " +
         kind_name(*value));
  const ObjectReader g(value->as_object(), path);
  for (const auto& key : g.keys()) {
    const std::string k = lower(key);
    if (k != "block" && k != "require" && k != "operator" && k != "authentication_strength")
      fail(g.path(key) +
           " is not a key of grant: use block, require, operator and "
           "authentication_strength");
  }
  grant.block = g.boolean("block").value_or(false);
  for (const auto& entry : g.strings("require")) {
    auto control = control_named(entry, g.path("require"));
    if (control)
      grant.controls.push_back(std::move(*control));
    else
      grant.block = true;
  }
  if (const auto* strength = g.find("authentication_strength"); strength && !strength->is_null())
    grant.controls.push_back(strength_control(*strength, g.path("authentication_strength")));
  if (grant.block && !grant.controls.empty())
    fail(path +
         " both blocks and requires controls: a policy that blocks grants nothing, so "
         "keep one of them");
  if (grant.controls.size() > 1) {
    const auto op = g.string("operator");
    if (!op || (lower(*op) != "and" && lower(*op) != "or"))
      fail(g.path("operator") + (op ? " is '" + *op + "'" : " is missing") +
           ": with several requirements say \"and\" (all of them) or \"or\" (any one)");
    grant.any_of = lower(*op) == "or";
  }
  return grant;
}

std::vector<std::string> read_session(const ObjectReader& object) {
  std::vector<std::string> out;
  const auto session = object.object("session");
  if (!session) return out;
  for (const auto& key : session->keys()) {
    const std::string k = lower(key);
    if (k == "sign_in_frequency") {
      const std::string text = session->string(key).value_or("");
      const std::string every = word_key(text);
      if (every == "everytime") {
        out.push_back(sign_in_frequency_phrase(true, 0, "hours"));
        continue;
      }
      size_t used = 0;
      double count = 0;
      try {
        count = std::stod(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      const std::string unit = word_key(text.substr(used));
      if (used == 0 || count <= 0 ||
          (unit != "h" && unit != "hour" && unit != "hours" && unit != "d" && unit != "day" &&
           unit != "days"))
        fail(session->path(key) + " is '" + text +
             "': write every-time, or a number of hours or days such as 4h or 7d");
      out.push_back(
          sign_in_frequency_phrase(false, count, unit.starts_with("d") ? "days" : "hours"));
    } else if (k == "persistent_browser") {
      const std::string mode = lower(session->string(key).value_or(""));
      if (mode != "always" && mode != "never")
        fail(session->path(key) + " must be always or never");
      out.push_back(persistent_browser_phrase(mode));
    } else if (k == "app_enforced_restrictions") {
      if (session->boolean(key).value_or(false)) out.push_back(kAppEnforcedRestrictions);
    } else if (k == "app_control") {
      const std::string mode = word_key(session->string(key).value_or(""));
      if (mode == "monitor" || mode == "monitoronly")
        out.push_back(app_control_phrase("monitorOnly"));
      else if (mode == "blockdownloads")
        out.push_back(app_control_phrase("blockDownloads"));
      else if (mode == "custom")
        out.push_back(app_control_phrase("mcasConfigured"));
      else
        fail(session->path(key) + " must be monitor, block-downloads or custom");
    } else if (k == "continuous_access_evaluation") {
      const std::string mode = word_key(session->string(key).value_or(""));
      if (mode == "strict" || mode == "strictenforcement")
        out.push_back(continuous_access_phrase("strictEnforcement"));
      else if (mode == "strictlocation")
        out.push_back(continuous_access_phrase("strictLocation"));
      else if (mode == "disabled")
        out.push_back(continuous_access_phrase("disabled"));
      else
        fail(session->path(key) + " must be strict, strict-location or disabled");
    } else if (k == "token_protection") {
      if (session->boolean(key).value_or(false)) out.push_back(kTokenProtection);
    } else if (k == "resilience_defaults_disabled") {
      if (session->boolean(key).value_or(false)) out.push_back(kResilienceDefaultsDisabled);
    } else {
      fail(session->path(key) +
           " is not a session control: use sign_in_frequency, "
           "persistent_browser, app_enforced_restrictions, app_control, "
           "continuous_access_evaluation, token_protection and "
           "resilience_defaults_disabled");
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool looks_like_generic(const ObjectReader& object) {
  return object.find("users") || object.find("grant") || object.find("session");
}

Policy read_generic_policy(const ObjectReader& object, Directory& directory,
                           std::vector<std::string>& notes) {
  for (const auto& key : object.keys())
    if (std::find(kKeys.begin(), kKeys.end(), lower(key)) == kKeys.end())
      fail("'" + key + "' is not a key of a generic-shape policy: the keys are " + key_list() +
           " (docs/plugins/policy.md)");
  Policy policy;
  policy.shape = "generic";
  policy.id = object.string("id").value_or("");
  policy.name = object.string("name").value_or(policy.id);
  policy.state = read_state(object.string("state"), object.path("state"));
  Conditions& c = policy.conditions;
  c.users = read_users(object, directory, notes);
  c.apps = read_apps(object, directory);
  c.client_apps = read_client_apps(object.strings("client_apps"), object.path("client_apps"));
  c.platforms = read_platforms(object);
  c.locations = read_locations(object, directory);
  c.sign_in_risk = read_risk_levels(object.strings("sign_in_risk"), object.path("sign_in_risk"));
  c.user_risk = read_risk_levels(object.strings("user_risk"), object.path("user_risk"));
  if (const auto filter = object.string("device_filter"); filter && !filter->empty())
    c.unmodelled.push_back("a device filter (" + *filter + ")");
  policy.grant = read_grant(object);
  policy.session = read_session(object);
  if (!policy.grant.requires_something() && policy.session.empty())
    fail(
        "it has neither grant nor session, so it would do nothing: add \"grant\": \"mfa\" (or "
        "\"block\", or {\"require\": [...], \"operator\": \"or\"}) or a \"session\"");
  return policy;
}

}  // namespace policy::detail

// Microsoft Entra conditionalAccessPolicy (Microsoft Graph v1.0 and beta), as returned by
// GET /identity/conditionalAccess/policies or exported with PowerShell.
#include <algorithm>

#include "readers.hpp"

namespace policy::detail {
namespace {

bool is(std::string_view value, std::string_view word) {
  return lower(value) == lower(word);
}

// includeGuestsOrExternalUsers / excludeGuestsOrExternalUsers: any guest type selects guests.
bool selects_guests(const std::optional<ObjectReader>& guests) {
  if (!guests) return false;
  const auto types = guests->string("guestOrExternalUserTypes");
  return types && !types->empty() && !is(*types, "none");
}

Selection read_users(const ObjectReader& users, Directory& directory) {
  Selection s;
  for (const auto& id : users.strings("includeUsers")) {
    if (is(id, "All"))
      s.all = true;
    else if (is(id, "GuestsOrExternalUsers"))
      s.collections.insert(kGuests);
    else if (!is(id, "None")) {
      s.members.insert(lower(id));
      directory.remember_label(lower(id), id);
    }
  }
  for (const auto& id : users.strings("excludeUsers")) {
    if (is(id, "GuestsOrExternalUsers"))
      s.excluded_collections.insert(kGuests);
    else if (is(id, "All") || is(id, "None"))
      fail(users.path("excludeUsers") + " holds '" + id +
           "', which cannot be excluded: list user ids or GuestsOrExternalUsers");
    else {
      s.excluded_members.insert(lower(id));
      directory.remember_label(lower(id), id);
    }
  }
  const auto add = [&](std::set<std::string>& into, std::string_view key, const char* prefix) {
    for (const auto& id : users.strings(key)) {
      const std::string canonical = prefix + lower(id);
      into.insert(canonical);
      directory.remember_label(canonical, id);
    }
  };
  add(s.collections, "includeGroups", kGroupPrefix);
  add(s.excluded_collections, "excludeGroups", kGroupPrefix);
  add(s.collections, "includeRoles", kRolePrefix);
  add(s.excluded_collections, "excludeRoles", kRolePrefix);
  if (selects_guests(users.object("includeGuestsOrExternalUsers"))) s.collections.insert(kGuests);
  if (selects_guests(users.object("excludeGuestsOrExternalUsers")))
    s.excluded_collections.insert(kGuests);
  return s;
}

void read_app_names(const std::vector<std::string>& ids, bool& all, std::set<std::string>& members,
                    std::set<std::string>& suites, const std::string& path) {
  for (const auto& id : ids) {
    if (is(id, "All")) {
      if (path.ends_with("excludeApplications"))
        fail(path + " holds 'All': exclude app ids, Office365 or MicrosoftAdminPortals");
      all = true;
    } else if (is(id, "Office365")) {
      suites.insert(kOffice365);
    } else if (is(id, "MicrosoftAdminPortals")) {
      suites.insert(kAdminPortals);
    } else if (!is(id, "None")) {
      members.insert(lower(id));
    }
  }
}

AppTarget read_apps(const ObjectReader& apps, Conditions& conditions) {
  AppTarget target;
  const auto actions = apps.strings("includeUserActions");
  if (!actions.empty()) {
    target.kind = AppTarget::Kind::UserActions;
    target.selection = {};
    for (const auto& action : actions)
      target.selection.members.insert(lower(action));
    return target;
  }
  Selection& s = target.selection;
  s = {};
  bool excluded_all = false;
  read_app_names(apps.strings("includeApplications"), s.all, s.members, s.collections,
                 apps.path("includeApplications"));
  read_app_names(apps.strings("excludeApplications"), excluded_all, s.excluded_members,
                 s.excluded_collections, apps.path("excludeApplications"));
  for (const auto& context : apps.strings("includeAuthenticationContextClassReferences")) {
    s.all = true;  // any app that asks for the context
    conditions.unmodelled.push_back("authentication context " + context);
  }
  if (const auto filter = apps.object("applicationFilter"))
    if (const auto rule = filter->string("rule"); rule && !rule->empty())
      conditions.unmodelled.push_back(
          "an app filter (" + filter->string("mode").value_or("include") + ": " + *rule + ")");
  return target;
}

Flags read_platforms(const std::optional<ObjectReader>& platforms) {
  if (!platforms) return kAllPlatforms;
  Flags include = read_platform_list(platforms->strings("includePlatforms"),
                                     platforms->path("includePlatforms"));
  if (include == 0) include = kAllPlatforms;
  return include & ~read_platform_list(platforms->strings("excludePlatforms"),
                                       platforms->path("excludePlatforms"));
}

void read_location_names(const std::vector<std::string>& ids, bool& all,
                         std::set<std::string>& into, Directory& directory) {
  for (const auto& id : ids) {
    if (is(id, "All")) {
      all = true;
    } else if (is(id, "AllTrusted")) {
      into.insert(kAllTrusted);
    } else {
      const std::string canonical = kLocationPrefix + lower(id);
      into.insert(canonical);
      directory.remember_label(canonical, id);
    }
  }
}

Selection read_locations(const std::optional<ObjectReader>& locations, Directory& directory) {
  Selection s = Selection::everything();
  if (!locations) return s;
  const auto include = locations->strings("includeLocations");
  if (include.empty()) return s;
  s.all = false;
  bool ignored = false;
  read_location_names(include, s.all, s.collections, directory);
  read_location_names(locations->strings("excludeLocations"), ignored, s.excluded_collections,
                      directory);
  return s;
}

void read_unmodelled(const ObjectReader& conditions, Conditions& out) {
  if (const auto devices = conditions.object("devices")) {
    if (const auto filter = devices->object("deviceFilter"))
      if (const auto rule = filter->string("rule"); rule && !rule->empty())
        out.unmodelled.push_back("a device filter (" + filter->string("mode").value_or("include") +
                                 ": " + *rule + ")");
    for (const char* key :
         {"includeDevices", "excludeDevices", "includeDeviceStates", "excludeDeviceStates"})
      if (!devices->strings(key).empty()) {
        out.unmodelled.push_back("device states");
        break;
      }
  }
  if (const auto flows = conditions.object("authenticationFlows"))
    if (const auto methods = flows->string("transferMethods"); methods && !methods->empty())
      out.unmodelled.push_back("authentication flows (" + *methods + ")");
  if (!conditions.strings("servicePrincipalRiskLevels").empty())
    out.unmodelled.push_back("service principal risk");
  if (conditions.has("insiderRiskLevels")) out.unmodelled.push_back("insider risk");
}

std::optional<Control> built_in_control(const std::string& name) {
  const std::string key = lower(name);
  if (key == "mfa") return Control{"mfa", "", "", Strength::Mfa};
  for (std::string_view known : {"compliantDevice", "domainJoinedDevice", "approvedApplication",
                                 "compliantApplication", "passwordChange", "riskRemediation"})
    if (key == lower(known)) return Control{std::string(known), "", "", Strength::None};
  return std::nullopt;
}

Grant read_grant(const std::optional<ObjectReader>& grant, std::vector<std::string>& notes) {
  Grant out;
  if (!grant) return out;
  for (const auto& name : grant->strings("builtInControls")) {
    if (is(name, "block"))
      out.block = true;
    else if (is(name, "unknownFutureValue"))
      continue;
    else if (auto control = built_in_control(name))
      out.controls.push_back(std::move(*control));
    else {
      notes.push_back("grant control '" + name +
                      "' is not one this analysis knows; it is "
                      "compared by name only");
      out.controls.push_back({name, "", "", Strength::None});
    }
  }
  for (const auto& id : grant->strings("customAuthenticationFactors"))
    out.controls.push_back({"customControl", id, id, Strength::None});
  for (const auto& id : grant->strings("termsOfUse"))
    out.controls.push_back({"termsOfUse", id, id, Strength::None});
  if (const auto strength = grant->object("authenticationStrength")) {
    const std::string id = strength->string("id").value_or("");
    const std::string name = strength->string("displayName").value_or(id);
    out.controls.push_back({"authenticationStrength", lower(id), name,
                            strength_of(id, name, strength->strings("allowedCombinations"))});
  }
  if (out.block && !out.controls.empty()) {
    notes.push_back("it blocks access; its other grant controls never apply");
    out.controls.clear();
  }
  const auto op = grant->string("operator");
  if (out.controls.size() > 1) {
    if (!op || (!is(*op, "AND") && !is(*op, "OR")))
      fail(grant->path("operator") + (op ? " is '" + *op + "'" : " is missing") +
           ": with several grant controls it must be AND (require all) or OR (require one)");
    out.any_of = is(*op, "OR");
  }
  return out;
}

std::vector<std::string> read_session(const std::optional<ObjectReader>& session) {
  std::vector<std::string> out;
  if (!session) return out;
  const auto enabled = [](const ObjectReader& control) {
    return control.boolean("isEnabled").value_or(true);
  };
  if (const auto frequency = session->object("signInFrequency"); frequency && enabled(*frequency)) {
    const auto interval = frequency->string("frequencyInterval");
    out.push_back(sign_in_frequency_phrase(interval && is(*interval, "everyTime"),
                                           frequency->number("value").value_or(0),
                                           frequency->string("type").value_or("hours")));
  }
  if (const auto browser = session->object("persistentBrowser"); browser && enabled(*browser))
    if (const auto mode = browser->string("mode")) out.push_back(persistent_browser_phrase(*mode));
  if (const auto restrictions = session->object("applicationEnforcedRestrictions");
      restrictions && enabled(*restrictions))
    out.push_back(kAppEnforcedRestrictions);
  if (const auto control = session->object("cloudAppSecurity"); control && enabled(*control))
    out.push_back(app_control_phrase(control->string("cloudAppSecurityType").value_or("")));
  if (const auto cae = session->object("continuousAccessEvaluation"))
    if (const auto mode = cae->string("mode")) out.push_back(continuous_access_phrase(*mode));
  if (session->boolean("disableResilienceDefaults").value_or(false))
    out.push_back(kResilienceDefaultsDisabled);
  if (const auto token = session->object("secureSignInSession"); token && enabled(*token))
    out.push_back(kTokenProtection);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool looks_like_entra(const ObjectReader& object) {
  return object.find("conditions") || object.find("grantControls") || object.find("@odata.type");
}

Policy read_entra_policy(const ObjectReader& object, Directory& directory,
                         std::vector<std::string>& notes) {
  Policy policy;
  policy.shape = "entra";
  policy.id = object.string("id").value_or("");
  policy.name = object.string("displayName").value_or(policy.id);
  if (!object.has("state")) notes.push_back("it has no state; it is read as enabled");
  policy.state = read_state(object.string("state"), object.path("state"));

  const auto conditions = object.object("conditions");
  if (!conditions)
    fail(
        "conditions is missing: an Entra policy says whom it applies to in conditions.users and "
        "to what in conditions.applications");
  Conditions& c = policy.conditions;
  const auto users = conditions->object("users");
  const auto workloads = conditions->object("clientApplications");
  if (users) {
    c.users = read_users(*users, directory);
  } else if (workloads) {
    c.unmodelled.push_back("workload identities (service principals) instead of users");
  } else {
    fail(
        "conditions.users is missing: say whom the policy applies to, e.g. "
        "\"users\": {\"includeUsers\": [\"All\"]}");
  }
  const auto apps = conditions->object("applications");
  if (!apps)
    fail(
        "conditions.applications is missing: say what the policy protects, e.g. "
        "\"applications\": {\"includeApplications\": [\"All\"]}");
  c.apps = read_apps(*apps, c);
  c.client_apps =
      read_client_apps(conditions->strings("clientAppTypes"), conditions->path("clientAppTypes"));
  c.platforms = read_platforms(conditions->object("platforms"));
  c.locations = read_locations(conditions->object("locations"), directory);
  c.sign_in_risk = read_risk_levels(conditions->strings("signInRiskLevels"),
                                    conditions->path("signInRiskLevels"));
  c.user_risk =
      read_risk_levels(conditions->strings("userRiskLevels"), conditions->path("userRiskLevels"));
  read_unmodelled(*conditions, c);

  policy.grant = read_grant(object.object("grantControls"), notes);
  policy.session = read_session(object.object("sessionControls"));
  if (!policy.grant.requires_something() && policy.session.empty())
    fail(
        "it has neither grant controls nor session controls, so it would do nothing: add "
        "grantControls (e.g. {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}) or "
        "sessionControls");
  return policy;
}

}  // namespace policy::detail

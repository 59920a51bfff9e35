#include "policy/describe.hpp"

#include <algorithm>

namespace policy {
namespace {

// Named parts of a user selection, in reading order.
std::vector<std::string> principal_names(const std::set<std::string>& members,
                                         const std::set<std::string>& collections,
                                         const Wording& wording, bool skip_emergency) {
  std::vector<std::string> roles;
  std::vector<std::string> groups;
  std::vector<std::string> users;
  bool guests = false;
  for (const auto& name : collections) {
    if (skip_emergency && wording.emergency.contains(name)) continue;
    if (name == kGuests)
      guests = true;
    else if (name.starts_with(kRolePrefix))
      roles.push_back(name);
    else
      groups.push_back(name_of_principal(name, wording));
  }
  for (const auto& id : members)
    if (!skip_emergency || !wording.emergency.contains(id))
      users.push_back(name_of_principal(id, wording));
  // Roles in the order of the well-known table (most privileged first), then the others.
  const auto rank = [](const std::string& role) {
    const auto known = well_known_roles();
    for (size_t i = 0; i < known.size(); ++i)
      if (role.substr(std::string_view(kRolePrefix).size()) == known[i].id) return i;
    return known.size();
  };
  std::stable_sort(roles.begin(), roles.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  for (auto& role : roles)
    role = name_of_principal(role, wording);
  std::vector<std::string> parts;
  if (guests) parts.push_back("guests and external users");
  if (!roles.empty())
    parts.push_back(
        roles.size() > 3
            ? std::to_string(roles.size()) + " roles (" + join_words(roles, "and", 2) + ")"
            : "the role" + std::string(roles.size() > 1 ? "s " : " ") + join_words(roles));
  if (!groups.empty())
    parts.push_back(groups.size() > 3 ? std::to_string(groups.size()) + " groups"
                                      : "group" + std::string(groups.size() > 1 ? "s " : " ") +
                                            join_words(groups));
  if (!users.empty())
    parts.push_back(users.size() > 3
                        ? std::to_string(users.size()) + " users"
                        : "user" + std::string(users.size() > 1 ? "s " : " ") + join_words(users));
  return parts;
}

bool excludes_every_emergency_account(const Selection& s, const EmergencyAccounts& emergency) {
  if (emergency.empty()) return false;
  for (const auto& id : emergency.users)
    if (!s.excluded_members.count(id)) return false;
  for (const auto& group : emergency.groups)
    if (!s.excluded_collections.count(group)) return false;
  return true;
}

std::string app_names(const std::set<std::string>& members, const std::set<std::string>& suites,
                      const Wording& wording) {
  std::vector<std::string> names;
  for (const auto& suite : suites)
    names.push_back(wording.directory.app_name(suite));
  for (const auto& id : members)
    names.push_back(wording.directory.app_name(id));
  return join_words(names, "and", 4);
}

std::string flag_names(Flags flags, std::initializer_list<std::pair<Flags, const char*>> names) {
  std::vector<std::string> out;
  for (const auto& [flag, name] : names)
    if (flags & flag) out.emplace_back(name);
  return join_words(out, "or");
}

}  // namespace

std::string join_words(const std::vector<std::string>& items, const std::string& last,
                       size_t limit) {
  std::vector<std::string> shown = items;
  if (limit > 0 && items.size() > limit + 1) {
    shown.assign(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(limit));
    shown.push_back(std::to_string(items.size() - limit) + " more");
  }
  std::string out;
  for (size_t i = 0; i < shown.size(); ++i) {
    if (i > 0) out += i + 1 == shown.size() ? " " + last + " " : ", ";
    out += shown[i];
  }
  return out;
}

std::string name_of_principal(const std::string& canonical, const Wording& wording) {
  if (canonical == kGuests) return "guests and external users";
  if (canonical.starts_with(kRolePrefix))
    return wording.directory.role_name(canonical.substr(std::string_view(kRolePrefix).size()));
  return wording.directory.name_of(canonical);
}

std::string describe_users(const Selection& users, const Wording& wording) {
  if (users.includes_nothing()) return "no one";
  std::string text;
  if (users.all) {
    text = "all users";
  } else {
    text = join_words(principal_names(users.members, users.collections, wording, false));
  }
  if (!users.has_exclusions()) return text;
  auto excluded =
      principal_names(users.excluded_members, users.excluded_collections, wording, true);
  if (excludes_every_emergency_account(users, wording.emergency))
    excluded.insert(excluded.begin(), "the break-glass accounts");
  else if (excluded.empty())
    excluded = principal_names(users.excluded_members, users.excluded_collections, wording, false);
  return text + " except " + join_words(excluded);
}

std::string describe_apps(const AppTarget& apps, const Wording& wording) {
  const Selection& s = apps.selection;
  if (apps.kind == AppTarget::Kind::UserActions) {
    std::vector<std::string> actions;
    for (const auto& action : s.members)
      actions.push_back(action == "urn:user:registersecurityinfo"
                            ? "registering security information"
                        : action == "urn:user:registerdevice" ? "registering or joining devices"
                                                              : action);
    return "the user action" + std::string(actions.size() > 1 ? "s " : " ") + join_words(actions);
  }
  if (s.includes_nothing()) return "no app";
  std::string text = s.all ? "all cloud apps" : app_names(s.members, s.collections, wording);
  if (s.has_exclusions())
    text += " except " + app_names(s.excluded_members, s.excluded_collections, wording);
  return text;
}

std::string describe_control(const Control& control, const Wording&) {
  if (control.name == "mfa") return "MFA";
  if (control.name == "authenticationStrength") {
    if (control.id == "00000000-0000-0000-0000-000000000004") return "phishing-resistant MFA";
    if (control.id == "00000000-0000-0000-0000-000000000003") return "passwordless MFA";
    if (control.id == "00000000-0000-0000-0000-000000000002")
      return "MFA (authentication strength)";
    return "the authentication strength '" + control.display + "'";
  }
  if (control.name == "compliantDevice") return "a compliant device";
  if (control.name == "domainJoinedDevice") return "a Microsoft Entra hybrid joined device";
  if (control.name == "approvedApplication") return "an approved client app";
  if (control.name == "compliantApplication") return "an app protection policy";
  if (control.name == "passwordChange") return "a password change";
  if (control.name == "riskRemediation") return "risk remediation";
  if (control.name == "termsOfUse") return "accepting the terms of use " + control.display;
  if (control.name == "customControl") return "the custom control " + control.display;
  return "the control " + control.name;
}

std::string describe_grant(const Grant& grant, const Wording& wording) {
  if (grant.block) return "Blocks access";
  if (grant.controls.empty()) return "Grants access";
  std::vector<std::string> parts;
  for (const auto& control : grant.controls)
    parts.push_back(describe_control(control, wording));
  return "Requires " + join_words(parts, grant.any_of ? "or" : "and");
}

std::string describe_client_apps(Flags c) {
  if (c == kLegacyClients) return "legacy clients (Exchange ActiveSync and other clients)";
  return flag_names(c, {{kBrowser, "browsers"},
                        {kMobileAndDesktop, "mobile apps and desktop clients"},
                        {kExchangeActiveSync, "Exchange ActiveSync"},
                        {kOtherClients, "other (legacy) clients"}});
}

std::string describe_platforms(Flags p) {
  const auto names = [](Flags flags) {
    return flag_names(flags, {{kAndroid, "Android"},
                              {kIos, "iOS"},
                              {kWindows, "Windows"},
                              {kWindowsPhone, "Windows Phone"},
                              {kMacos, "macOS"},
                              {kLinux, "Linux"}});
  };
  if (p & kOtherPlatforms) return "any platform except " + names(kAllPlatforms & ~p);
  return names(p);
}

std::string describe_risk(Flags levels) {
  std::vector<std::string> names;
  for (const auto& [flag, name] : {std::pair{kRiskHigh, "high"}, std::pair{kRiskMedium, "medium"},
                                   std::pair{kRiskLow, "low"}, std::pair{kRiskNone, "none"}})
    if (levels & flag) names.emplace_back(name);
  return join_words(names, "or");
}

std::string describe_locations(const Selection& l, const Wording& wording) {
  const auto names = [&](const std::set<std::string>& set) {
    std::vector<std::string> out;
    for (const auto& name : set)
      out.push_back(name == kAllTrusted ? "trusted locations" : wording.directory.name_of(name));
    return join_words(out, "or");
  };
  if (l.includes_nothing()) return "nowhere";
  std::string text = l.all ? "" : "from " + names(l.collections);
  if (!l.excluded_collections.empty())
    text += (text.empty() ? "" : " but not ") + std::string(l.all ? "outside " : "") +
            names(l.excluded_collections);
  return text.empty() ? "from any location" : text;
}

std::string describe_other_conditions(const Conditions& c, const Wording& wording) {
  std::string text;
  if (c.client_apps != kAllClientApps) text += " from " + describe_client_apps(c.client_apps);
  if (c.platforms != kAllPlatforms) text += " on " + describe_platforms(c.platforms);
  if (!c.locations.unrestricted()) text += " " + describe_locations(c.locations, wording);
  if (c.sign_in_risk != kAllRiskLevels)
    text += " when sign-in risk is " + describe_risk(c.sign_in_risk);
  if (c.user_risk != kAllRiskLevels) text += " when user risk is " + describe_risk(c.user_risk);
  if (!c.unmodelled.empty()) text += " with " + join_words(c.unmodelled);
  return text;
}

std::string state_words(State state) {
  switch (state) {
    case State::Enabled:
      return "enforced";
    case State::ReportOnly:
      return "report-only";
    case State::Disabled:
      return "disabled";
  }
  return "enforced";
}

std::string state_name(State state) {
  switch (state) {
    case State::Enabled:
      return "enabled";
    case State::ReportOnly:
      return "reportOnly";
    case State::Disabled:
      return "disabled";
  }
  return "enabled";
}

std::string summarize(const Policy& policy, const Wording& wording) {
  const Conditions& c = policy.conditions;
  std::string text = describe_grant(policy.grant, wording);
  if (!policy.grant.requires_something()) text = "Applies session controls";
  text += " for " + describe_users(c.users, wording) + " on " + describe_apps(c.apps, wording) +
          describe_other_conditions(c, wording);
  if (!policy.session.empty())
    text += (policy.grant.requires_something() ? "; session: " : " (") +
            join_words(policy.session) + (policy.grant.requires_something() ? "" : ")");
  return text + "; " + state_words(policy.state);
}

}  // namespace policy

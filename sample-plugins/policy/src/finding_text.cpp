#include "finding_text.hpp"

#include <algorithm>
#include <cctype>

namespace policy::detail {

std::string quoted(const Policy& policy) {
  return "'" + policy.name + "'";
}

std::string dimension_words(const Conditions& c, Dimension dimension, const Wording& wording) {
  switch (dimension) {
    case Dimension::Users:
      return describe_users(c.users, wording);
    case Dimension::Apps:
      return describe_apps(c.apps, wording);
    case Dimension::ClientApps:
      return "sign-ins from " + describe_client_apps(c.client_apps);
    case Dimension::Platforms:
      return "sign-ins on " + describe_platforms(c.platforms);
    case Dimension::Locations:
      return "sign-ins " + describe_locations(c.locations, wording);
    case Dimension::SignInRisk:
      return "sign-ins whose risk is " + describe_risk(c.sign_in_risk);
    case Dimension::UserRisk:
      return "users whose risk is " + describe_risk(c.user_risk);
  }
  return {};
}

std::vector<std::string> excluded_principals(const Selection& users, const Wording& wording) {
  std::vector<std::string> names;
  for (const auto& name : users.excluded_collections)
    if (!wording.emergency.contains(name)) names.push_back(name_of_principal(name, wording));
  for (const auto& id : users.excluded_members)
    if (!wording.emergency.contains(id)) names.push_back(name_of_principal(id, wording));
  return names;
}

std::string uncertainty_words(const Comparison& comparison, const Policy& a, const Policy& b,
                              const Wording& wording) {
  std::vector<std::string> parts;
  if (comparison.at(Dimension::Users) == Tri::Maybe) {
    std::vector<std::string> names;
    for (const Policy* policy : {&a, &b}) {
      const Selection& users = policy->conditions.users;
      for (const auto* set : {&users.collections, &users.excluded_collections})
        for (const auto& name : *set)
          if (!wording.emergency.contains(name)) {
            const std::string display = name_of_principal(name, wording);
            if (std::find(names.begin(), names.end(), display) == names.end())
              names.push_back(display);
          }
    }
    parts.push_back("who is in the groups and roles involved (" + join_words(names, "and", 4) +
                    "), which the policies do not say");
  }
  if (comparison.at(Dimension::Apps) == Tri::Maybe)
    parts.push_back("which apps the app suites involved (" +
                    describe_apps(a.conditions.apps, wording) + "; " +
                    describe_apps(b.conditions.apps, wording) + ") contain");
  if (comparison.at(Dimension::Locations) == Tri::Maybe)
    parts.push_back("whether the named locations involved share IP ranges or countries");
  if (comparison.unmodelled) {
    std::vector<std::string> conditions = a.conditions.unmodelled;
    conditions.insert(conditions.end(), b.conditions.unmodelled.begin(),
                      b.conditions.unmodelled.end());
    parts.push_back("conditions this analysis does not evaluate (" + join_words(conditions) + ")");
  }
  if (parts.empty()) return {};
  return "Whether it does depends on " + join_words(parts) + ".";
}

std::string lowercase_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

Severity one_lower(Severity severity) {
  switch (severity) {
    case Severity::High:
      return Severity::Medium;
    case Severity::Medium:
      return Severity::Low;
    default:
      return Severity::Info;
  }
}

std::string report_only_words(const std::vector<const Policy*>& policies) {
  std::string text;
  for (const Policy* policy : policies)
    if (policy->state == State::ReportOnly)
      text += " " + quoted(*policy) + " is report-only, so this takes effect once it is turned on.";
  return text;
}

}  // namespace policy::detail

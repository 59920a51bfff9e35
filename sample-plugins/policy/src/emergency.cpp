#include "policy/emergency.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace policy {
namespace {

bool named_like_emergency(const std::string& name) {
  const std::string text = lower(name);
  for (std::string_view hint :
       {"breakglass", "break-glass", "break glass", "break_glass", "emergency"})
    if (text.find(hint) != std::string::npos) return true;
  return false;
}

// Groups any policy names, to tell a given group id from a user id.
std::set<std::string> groups_in(const std::vector<Policy>& policies) {
  std::set<std::string> groups;
  for (const auto& policy : policies)
    for (const auto* set :
         {&policy.conditions.users.collections, &policy.conditions.users.excluded_collections})
      for (const auto& name : *set)
        if (name.starts_with(kGroupPrefix)) groups.insert(name);
  return groups;
}

void add_unique(std::vector<std::string>& into, const std::string& value) {
  if (std::find(into.begin(), into.end(), value) == into.end()) into.push_back(value);
}

}  // namespace

bool EmergencyAccounts::contains(const std::string& canonical) const {
  return std::find(users.begin(), users.end(), canonical) != users.end() ||
         std::find(groups.begin(), groups.end(), canonical) != groups.end();
}

Selection EmergencyAccounts::without_them(Selection selection) const {
  selection.excluded_members.insert(users.begin(), users.end());
  selection.excluded_collections.insert(groups.begin(), groups.end());
  return selection;
}

std::string_view source_name(EmergencyAccounts::Source source) noexcept {
  switch (source) {
    case EmergencyAccounts::Source::Given:
      return "given";
    case EmergencyAccounts::Source::Inferred:
      return "inferred";
    case EmergencyAccounts::Source::None:
      return "none";
  }
  return "none";
}

EmergencyAccounts find_emergency_accounts(const std::vector<Policy>& policies,
                                          const std::vector<std::string>& given,
                                          const Directory& directory) {
  EmergencyAccounts accounts;
  if (!given.empty()) {
    accounts.source = EmergencyAccounts::Source::Given;
    const auto groups = groups_in(policies);
    for (const auto& entry : given) {
      std::string name = entry;
      bool group = false;
      if (lower(name).starts_with("group:")) {
        name = name.substr(6);
        group = true;
      } else if (lower(name).starts_with("user:")) {
        name = name.substr(5);
      }
      const std::string id = directory.id_of_name(name).value_or(lower(name));
      if (group || groups.count(kGroupPrefix + id))
        add_unique(accounts.groups, kGroupPrefix + id);
      else
        add_unique(accounts.users, id);
    }
    return accounts;
  }
  // Exclusions shared by most policies that apply to all users, and any excluded account whose
  // name says what it is.
  std::map<std::string, int> excluded;
  int all_user_policies = 0;
  for (const auto& policy : policies) {
    const Selection& users = policy.conditions.users;
    if (policy.state == State::Disabled) continue;
    const int counts = users.all ? 1 : 0;
    all_user_policies += counts;
    for (const auto& id : users.excluded_members)
      excluded[id] += counts;
    for (const auto& name : users.excluded_collections)
      if (name.starts_with(kGroupPrefix)) excluded[name] += counts;
  }
  for (const auto& [name, count] : excluded) {
    const bool most = count >= 2 && 2 * count > all_user_policies;
    if (!most && !named_like_emergency(directory.name_of(name))) continue;
    if (name.starts_with(kGroupPrefix))
      add_unique(accounts.groups, name);
    else
      add_unique(accounts.users, name);
  }
  if (!accounts.empty()) accounts.source = EmergencyAccounts::Source::Inferred;
  return accounts;
}

}  // namespace policy

// Policies in plain words: a one-line summary of each ("Requires MFA for all users except the
// break-glass accounts on all cloud apps; report-only"), and the phrases findings reuse.
#pragma once

#include <string>
#include <vector>

#include "policy/directory.hpp"
#include "policy/emergency.hpp"
#include "policy/model.hpp"

namespace policy {

struct Wording {
  const Directory& directory;
  const EmergencyAccounts& emergency;
};

std::string summarize(const Policy& policy, const Wording& wording);

std::string describe_users(const Selection& users, const Wording& wording);
std::string describe_apps(const AppTarget& apps, const Wording& wording);
std::string describe_grant(const Grant& grant, const Wording& wording);
std::string describe_control(const Control& control, const Wording& wording);
// The conditions beyond users and apps, e.g. " from legacy clients outside trusted locations";
// empty when there are none.
std::string describe_other_conditions(const Conditions& conditions, const Wording& wording);
std::string describe_locations(const Selection& locations, const Wording& wording);
std::string describe_client_apps(Flags client_apps);
std::string describe_platforms(Flags platforms);
std::string describe_risk(Flags levels);
std::string state_words(State state);  // "enforced", "report-only", "disabled"
std::string state_name(State state);   // "enabled", "reportOnly", "disabled"

// "a, b and c"; with `limit`, "a, b, c and 4 more".
std::string join_words(const std::vector<std::string>& items, const std::string& last = "and",
                       size_t limit = 0);
// The display names of user-selection entries (users, "group:", "role:", "guests").
std::string name_of_principal(const std::string& canonical, const Wording& wording);

}  // namespace policy

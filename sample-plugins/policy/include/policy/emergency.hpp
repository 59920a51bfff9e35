// Emergency-access ("break-glass") accounts: the accounts a tenant keeps out of its policies so
// that a mistake in one cannot lock every administrator out. Given by the caller, or inferred
// from the policies: the users and groups most policies for all users exclude, and those whose
// names say so ("break-glass", "emergency").
#pragma once

#include <string>
#include <vector>

#include "policy/directory.hpp"
#include "policy/model.hpp"

namespace policy {

struct EmergencyAccounts {
  enum class Source { Given, Inferred, None };
  Source source = Source::None;
  std::vector<std::string> users;   // canonical user ids
  std::vector<std::string> groups;  // "group:<id>"

  bool empty() const noexcept { return users.empty() && groups.empty(); }
  bool contains(const std::string& canonical) const;
  // Excludes the accounts from `selection` (for "everyone but the break-glass accounts").
  Selection without_them(Selection selection) const;
};

std::string_view source_name(EmergencyAccounts::Source source) noexcept;

// `given` are the caller's entries (ids, UPNs, names from `names`, optionally "user:"/"group:").
EmergencyAccounts find_emergency_accounts(const std::vector<Policy>& policies,
                                          const std::vector<std::string>& given,
                                          const Directory& directory);

}  // namespace policy

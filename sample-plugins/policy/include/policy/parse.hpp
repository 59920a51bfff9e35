// Reading the skill's inputs: the policies (Microsoft Entra / Graph JSON or the generic shape),
// a proposed policy, names for ids, and the emergency-access accounts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/directory.hpp"
#include "policy/model.hpp"
#include "policy/result.hpp"

namespace policy {

inline constexpr size_t kMaxPolicies = 300;        // Entra allows 195 per tenant
inline constexpr size_t kMaxInputBytes = 4 << 20;  // per input

struct PolicySet {
  std::vector<Policy> policies;
  std::vector<std::string> notes;  // things the reader noticed, e.g. a truncated Graph page
};

// `text` is one policy, an array of policies, a Graph list response {"value": [...]}, or
// {"policies": [...]}; each policy in either shape. Records spellings in `directory`.
Result<PolicySet> parse_policies(std::string_view text, Directory& directory);

// Exactly one policy, in either shape (an array or list of one is accepted).
Result<Policy> parse_proposed(std::string_view text, Directory& directory);

// A JSON object of id -> display name, e.g. {"<group id>": "Finance"}. Adds them to `directory`.
Result<bool> parse_names(std::string_view text, Directory& directory);

// Emergency-access (break-glass) accounts: a JSON array of strings, or names separated by commas
// or white space. Each is a user or group id, a UPN, or a name given in `names`.
Result<std::vector<std::string>> parse_account_list(std::string_view text);

}  // namespace policy

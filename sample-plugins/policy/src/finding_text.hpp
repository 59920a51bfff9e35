// Phrases the rules share: how a policy is referred to, what one dimension of it selects, and
// what an uncertain answer depends on.
#pragma once

#include <string>

#include "policy/findings.hpp"

namespace policy::detail {

// 'CA004: Block access outside allowed countries'
std::string quoted(const Policy& policy);

// What the policy selects in one dimension, as a phrase ("all users except the break-glass
// accounts", "legacy clients (...)", "outside Allowed countries").
std::string dimension_words(const Conditions& conditions, Dimension dimension,
                            const Wording& wording);

// "It depends on whether ..." for the dimensions a comparison left at Maybe; empty when none.
std::string uncertainty_words(const Comparison& comparison, const Policy& a, const Policy& b,
                              const Wording& wording);

// The users a policy excludes beyond the break-glass accounts, by name.
std::vector<std::string> excluded_principals(const Selection& users, const Wording& wording);

// "Requires MFA" -> "requires MFA".
std::string lowercase_first(std::string text);

// One step less severe (report-only policies: the problem is not live yet).
Severity one_lower(Severity severity);

// " 'X' is report-only, so this takes effect once it is turned on." for each such policy.
std::string report_only_words(const std::vector<const Policy*>& policies);

}  // namespace policy::detail

// What the analysis reports: findings with a severity, the policies involved, why it matters
// and how to fix it. Each rule is a function over the policies; analysis.hpp runs them all.
//
//   conflict     block-overrides-grant, block-conflicts-with-grant
//   redundancy   duplicate-policy, redundant-policy
//   gap          admins-without-mfa, admins-without-phishing-resistant-mfa,
//                legacy-auth-not-blocked, no-sign-in-risk-policy, no-user-risk-policy,
//                guests-without-mfa, no-policy-enforced
//   exclusion    broad-exclusions, block-without-emergency-exclusion
//   hygiene      policy-applies-to-no-one
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "policy/conditions.hpp"
#include "policy/describe.hpp"
#include "policy/emergency.hpp"
#include "policy/model.hpp"

namespace policy {

enum class Severity { Info, Low, Medium, High };
std::string_view severity_name(Severity severity) noexcept;

struct Finding {
  std::string id;        // unique in a result: the rule and the policy ids
  std::string rule;      // stable name of the check
  std::string category;  // conflict, redundancy, gap, exclusion, hygiene
  Severity severity = Severity::Low;
  Tri certainty = Tri::Yes;  // Maybe: depends on membership or conditions not evaluated
  std::string title;
  std::vector<std::string> policies;  // ids, most relevant first
  std::string explanation;
  std::string fix;
};

// What every rule needs: the policies, names, the break-glass accounts and the set universes.
struct AnalysisContext {
  const std::vector<Policy>& policies;
  const Directory& directory;
  const EmergencyAccounts& emergency;
  Universes universes;

  Wording wording() const { return {directory, emergency}; }
};

// A block that wins over a grant the admin meant to apply; nullopt when there is none.
std::optional<Finding> block_versus_grant(const Policy& block, const Policy& grant,
                                          const AnalysisContext& context);
// Two policies that do the same thing, or one that adds nothing to another.
std::optional<Finding> duplicate_or_redundant(const Policy& a, const Policy& b,
                                              const AnalysisContext& context);
// Every conflicting or redundant pair among the policies that are not disabled.
std::vector<Finding> pair_findings(const AnalysisContext& context,
                                   const std::function<bool()>& cancelled);

// Protections the enforced policies, taken together, leave out.
std::vector<Finding> gap_findings(const AnalysisContext& context);

// Problems of one policy on its own: broad exclusions, lock-out risk, applying to no one.
std::vector<Finding> policy_findings(const Policy& policy, const AnalysisContext& context);

// Most severe first, then by rule and id.
void sort_findings(std::vector<Finding>& findings);

}  // namespace policy

#include "policy/analysis.hpp"

#include <algorithm>
#include <array>

#include "policy/describe.hpp"

namespace policy {

std::string_view severity_name(Severity severity) noexcept {
  switch (severity) {
    case Severity::High:
      return "high";
    case Severity::Medium:
      return "medium";
    case Severity::Low:
      return "low";
    case Severity::Info:
      return "info";
  }
  return "info";
}

namespace {

// Within a severity, what to fix first: nothing enforced, then what can lock everyone out or
// let attackers in, then what only wastes effort.
constexpr std::array<std::string_view, 14> kRuleOrder{
    "no-policy-enforced",      "block-without-emergency-exclusion",
    "block-overrides-grant",   "admins-without-mfa",
    "legacy-auth-not-blocked", "block-conflicts-with-grant",
    "broad-exclusions",        "admins-without-phishing-resistant-mfa",
    "guests-without-mfa",      "no-sign-in-risk-policy",
    "no-user-risk-policy",     "duplicate-policy",
    "redundant-policy",        "policy-applies-to-no-one"};

size_t rule_rank(std::string_view rule) {
  return static_cast<size_t>(std::find(kRuleOrder.begin(), kRuleOrder.end(), rule) -
                             kRuleOrder.begin());
}

}  // namespace

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.rule != b.rule) return rule_rank(a.rule) < rule_rank(b.rule);
    return a.id < b.id;
  });
}

std::vector<Finding> pair_findings(const AnalysisContext& context,
                                   const std::function<bool()>& cancelled) {
  std::vector<Finding> out;
  const auto& policies = context.policies;
  for (size_t i = 0; i < policies.size(); ++i) {
    if (cancelled && cancelled()) break;
    if (policies[i].state == State::Disabled) continue;
    for (size_t j = 0; j < policies.size(); ++j) {
      if (i == j || policies[j].state == State::Disabled) continue;
      if (auto conflict = block_versus_grant(policies[i], policies[j], context))
        out.push_back(std::move(*conflict));
      if (j > i)
        if (auto same = duplicate_or_redundant(policies[i], policies[j], context))
          out.push_back(std::move(*same));
    }
  }
  return out;
}

Analysis analyze(std::vector<Policy> policies, std::optional<Policy> proposed,
                 const Directory& directory, const Options& options) {
  Analysis analysis;
  analysis.policies = std::move(policies);
  analysis.emergency =
      find_emergency_accounts(analysis.policies, options.emergency_accounts, directory);
  const AnalysisContext context{analysis.policies, directory, analysis.emergency,
                                Universes::of(directory)};
  const Wording wording = context.wording();
  for (const auto& policy : analysis.policies)
    analysis.summaries.push_back(summarize(policy, wording));

  analysis.findings = pair_findings(context, options.cancelled);
  for (auto& finding : gap_findings(context))
    analysis.findings.push_back(std::move(finding));
  for (const auto& policy : analysis.policies)
    for (auto& finding : policy_findings(policy, context))
      analysis.findings.push_back(std::move(finding));
  sort_findings(analysis.findings);
  for (const auto& finding : analysis.findings)
    ++analysis.severity_counts[static_cast<size_t>(finding.severity)];
  if (analysis.findings.size() > kMaxFindings) {
    analysis.notes.push_back("only the " + std::to_string(kMaxFindings) + " most severe of " +
                             std::to_string(analysis.findings.size()) +
                             " findings are listed; severity_counts counts them all");
    analysis.findings.resize(kMaxFindings);
  }

  if (analysis.emergency.source == EmergencyAccounts::Source::Inferred) {
    std::vector<std::string> names;
    for (const auto* list : {&analysis.emergency.users, &analysis.emergency.groups})
      for (const auto& id : *list)
        names.push_back(name_of_principal(id, wording));
    analysis.notes.push_back(
        "break-glass accounts inferred from the exclusions most policies "
        "for all users share: " +
        join_words(names) + "; pass emergency_accounts to name them instead");
  } else if (analysis.emergency.source == EmergencyAccounts::Source::None) {
    analysis.notes.push_back(
        "no break-glass account was given or could be inferred; pass "
        "emergency_accounts to check that every block excludes them");
  }
  if (proposed)
    analysis.proposed = check_proposed(*proposed, analysis.policies, directory, analysis.emergency);
  return analysis;
}

}  // namespace policy

// A proposed policy against the existing set: the pair rules with the proposal on either side,
// its own checks, and the gaps it would close (or open, when it replaces a policy of the same
// id). Disabled policies are compared for duplicates only: enabling one beats adding a copy.
#include <algorithm>

#include "policy/analysis.hpp"
#include "policy/describe.hpp"

namespace policy {
namespace {

// Says it from the proposal's side: the proposal is the copy, and enabling an existing copy
// beats adding another.
Finding as_proposed_duplicate(Finding finding, const Policy& proposed, const Policy& existing) {
  finding.policies = {proposed.id, existing.id};
  finding.id = finding.rule + ":" + proposed.id + ":" + existing.id;
  finding.title = "'" + proposed.name + "' duplicates '" + existing.name + "'";
  finding.fix = existing.state == State::Enabled
                    ? "Do not add it: '" + existing.name + "' already does this."
                    : "Turn on '" + existing.name + "' instead of adding a copy of it.";
  return finding;
}

bool has_finding(const std::vector<Finding>& findings, const std::string& id) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.id == id; });
}

}  // namespace

ProposedReport check_proposed(const Policy& proposed, const std::vector<Policy>& existing,
                              const Directory& directory, const EmergencyAccounts& emergency) {
  ProposedReport report;
  report.policy = proposed;
  std::vector<Policy> others;
  for (const auto& policy : existing) {
    if (lower(policy.id) == lower(proposed.id))
      report.replaces = policy.id;
    else
      others.push_back(policy);
  }
  const AnalysisContext context{others, directory, emergency, Universes::of(directory)};
  report.summary = summarize(proposed, context.wording());

  for (const auto& policy : others) {
    if (policy.state == State::Disabled) {
      if (auto same = duplicate_or_redundant(proposed, policy, context);
          same && same->rule == "duplicate-policy")
        report.duplicates.push_back(as_proposed_duplicate(std::move(*same), proposed, policy));
      continue;
    }
    for (auto conflict : {block_versus_grant(proposed, policy, context),
                          block_versus_grant(policy, proposed, context)})
      if (conflict) report.contradicts.push_back(std::move(*conflict));
    if (auto same = duplicate_or_redundant(proposed, policy, context)) {
      if (same->rule == "duplicate-policy")
        report.duplicates.push_back(as_proposed_duplicate(std::move(*same), proposed, policy));
      else if (same->policies.front() == policy.id)
        report.redundant_with.push_back(std::move(*same));
      else
        report.supersedes.push_back(std::move(*same));
    }
  }
  report.findings = policy_findings(proposed, context);

  // Gaps with and without it, as if it were enforced.
  const std::vector<Finding> before =
      gap_findings({existing, directory, emergency, Universes::of(directory)});
  std::vector<Policy> with = others;
  with.push_back(proposed);
  with.back().state = State::Enabled;
  const std::vector<Finding> after =
      gap_findings({with, directory, emergency, Universes::of(directory)});
  for (const auto& gap : before)
    if (!has_finding(after, gap.id)) report.closes.push_back(gap);
  for (const auto& gap : after)
    if (!has_finding(before, gap.id)) report.opens.push_back(gap);
  for (auto* list : {&report.contradicts, &report.duplicates, &report.redundant_with,
                     &report.supersedes, &report.findings})
    sort_findings(*list);
  return report;
}

}  // namespace policy

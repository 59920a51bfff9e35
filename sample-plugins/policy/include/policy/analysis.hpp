// AnalyzePolicies: every policy summarised in plain words, every finding over the set, and, for a
// proposed policy, how it relates to the existing ones.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "policy/directory.hpp"
#include "policy/emergency.hpp"
#include "policy/findings.hpp"
#include "policy/model.hpp"

namespace policy {

// Findings beyond this many (the least severe) are left out of a result, with a note: a longer
// list is not read, and a result must stay under the host's 4 MiB.
inline constexpr size_t kMaxFindings = 250;

struct Options {
  std::vector<std::string> emergency_accounts;  // as given; empty: inferred
  std::function<bool()> cancelled;              // checked between pairs; may be empty
};

struct ProposedReport {
  Policy policy;
  std::string summary;
  std::optional<std::string> replaces;  // id of the existing policy with the same id
  std::vector<Finding> contradicts;     // blocks what it grants, or the other way round
  std::vector<Finding> duplicates;
  std::vector<Finding> redundant_with;  // existing policies that already do what it does
  std::vector<Finding> supersedes;      // existing policies it would make redundant
  std::vector<Finding> findings;        // its own problems (exclusions, lock-out, ...)
  std::vector<Finding> closes;          // gaps it closes (once enabled, when it is not)
  std::vector<Finding> opens;           // gaps it opens (when it replaces a policy)
};

struct Analysis {
  std::vector<Policy> policies;
  std::vector<std::string> summaries;       // one per policy, same order
  std::vector<Finding> findings;            // most severe first, at most kMaxFindings
  std::array<size_t, 4> severity_counts{};  // of every finding, by Severity, before the cut
  EmergencyAccounts emergency;
  std::vector<std::string> notes;
  std::optional<ProposedReport> proposed;
};

Analysis analyze(std::vector<Policy> policies, std::optional<Policy> proposed,
                 const Directory& directory, const Options& options = {});

// The relations of `proposed` to `existing` (exposed for tests; analyze() calls it).
ProposedReport check_proposed(const Policy& proposed, const std::vector<Policy>& existing,
                              const Directory& directory, const EmergencyAccounts& emergency);

}  // namespace policy

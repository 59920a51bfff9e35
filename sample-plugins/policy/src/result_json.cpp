#include "policy/result_json.hpp"

#include <boost/json.hpp>

#include "policy/describe.hpp"

namespace policy {
namespace {

namespace json = boost::json;

// Policy ids to {id, name}, across the set and the proposal.
class PolicyNames {
 public:
  explicit PolicyNames(const Analysis& analysis) {
    for (const auto& policy : analysis.policies)
      names_.emplace_back(policy.id, policy.name);
    if (analysis.proposed)
      names_.emplace_back(analysis.proposed->policy.id, analysis.proposed->policy.name);
  }
  json::object ref(const std::string& id) const {
    for (const auto& [known, name] : names_)
      if (known == id) return {{"id", id}, {"name", name}};
    return {{"id", id}, {"name", id}};
  }

 private:
  std::vector<std::pair<std::string, std::string>> names_;
};

json::object finding_json(const Finding& f, const PolicyNames& names) {
  json::array policies;
  for (const auto& id : f.policies)
    policies.push_back(names.ref(id));
  return {{"id", f.id},
          {"rule", f.rule},
          {"category", f.category},
          {"severity", severity_name(f.severity)},
          {"certainty", certainty_name(f.certainty)},
          {"title", f.title},
          {"policies", std::move(policies)},
          {"explanation", f.explanation},
          {"fix", f.fix}};
}

json::array findings_json(const std::vector<Finding>& findings, const PolicyNames& names) {
  json::array out;
  for (const auto& f : findings)
    out.push_back(finding_json(f, names));
  return out;
}

json::object proposed_json(const ProposedReport& p, const PolicyNames& names) {
  json::object out{{"id", p.policy.id},
                   {"name", p.policy.name},
                   {"state", state_name(p.policy.state)},
                   {"summary", p.summary},
                   {"replaces", p.replaces ? json::value(names.ref(*p.replaces)) : nullptr},
                   {"contradicts", findings_json(p.contradicts, names)},
                   {"duplicates", findings_json(p.duplicates, names)},
                   {"redundant_with", findings_json(p.redundant_with, names)},
                   {"supersedes", findings_json(p.supersedes, names)},
                   {"findings", findings_json(p.findings, names)},
                   {"closes", findings_json(p.closes, names)},
                   {"opens", findings_json(p.opens, names)}};
  std::vector<std::string> verdict;
  const auto count = [](size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  const auto policies = [&](size_t n) { return count(n, "policy", "policies"); };
  if (!p.contradicts.empty()) verdict.push_back("conflicts with " + policies(p.contradicts.size()));
  if (!p.duplicates.empty()) verdict.push_back("duplicates " + policies(p.duplicates.size()));
  if (!p.redundant_with.empty())
    verdict.push_back("adds nothing to " + policies(p.redundant_with.size()));
  if (!p.supersedes.empty())
    verdict.push_back("makes " + policies(p.supersedes.size()) + " redundant");
  if (!p.findings.empty())
    verdict.push_back("has " + count(p.findings.size(), "problem", "problems") + " of its own");
  if (!p.closes.empty())
    verdict.push_back("closes " + count(p.closes.size(), "gap", "gaps") +
                      (p.policy.state == State::Enabled ? "" : " once enabled"));
  if (!p.opens.empty()) verdict.push_back("opens " + count(p.opens.size(), "gap", "gaps"));
  std::string text = verdict.empty()
                         ? "Fits the existing policies: no conflict, duplicate or gap change"
                         : join_words(verdict);
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  out["verdict"] = text + ".";
  return out;
}

}  // namespace

json::object analysis_json(const Analysis& analysis, const Directory& directory) {
  const PolicyNames names(analysis);
  const Wording wording{directory, analysis.emergency};
  json::array policies;
  size_t enforced = 0;
  size_t report_only = 0;
  size_t disabled = 0;
  for (size_t i = 0; i < analysis.policies.size(); ++i) {
    const Policy& p = analysis.policies[i];
    enforced += p.state == State::Enabled;
    report_only += p.state == State::ReportOnly;
    disabled += p.state == State::Disabled;
    policies.push_back({{"id", p.id},
                        {"name", p.name},
                        {"state", state_name(p.state)},
                        {"shape", p.shape},
                        {"summary", analysis.summaries[i]}});
  }
  json::object counts;
  for (Severity severity : {Severity::High, Severity::Medium, Severity::Low, Severity::Info})
    counts[severity_name(severity)] = analysis.severity_counts[static_cast<size_t>(severity)];
  json::array accounts;
  for (const auto& id : analysis.emergency.users)
    accounts.push_back({{"id", id}, {"name", name_of_principal(id, wording)}, {"kind", "user"}});
  for (const auto& group : analysis.emergency.groups)
    accounts.push_back({{"id", group.substr(std::string_view(kGroupPrefix).size())},
                        {"name", name_of_principal(group, wording)},
                        {"kind", "group"}});
  json::array notes;
  for (const auto& note : analysis.notes)
    notes.emplace_back(note);
  json::object out{
      {"policy_count", analysis.policies.size()},
      {"enforced", enforced},
      {"report_only", report_only},
      {"disabled", disabled},
      {"policies", std::move(policies)},
      {"findings", findings_json(analysis.findings, names)},
      {"severity_counts", std::move(counts)},
      {"emergency_accounts",
       {{"source", source_name(analysis.emergency.source)}, {"accounts", std::move(accounts)}}},
      {"notes", std::move(notes)}};
  if (analysis.proposed) out["proposed"] = proposed_json(*analysis.proposed, names);
  return out;
}

}  // namespace policy

// Block versus grant. Conditional Access has no allow rules: every policy that applies to a
// sign-in must be satisfied and a block always wins, so a grant policy cannot carve an exception
// out of a block. Two shapes of that mistake are reported:
//
//   block-overrides-grant       everything the grant applies to is certainly blocked: it never
//                               matters.
//   block-conflicts-with-grant  the grant deliberately targets (names a group, app, location,
//                               client type, ...) something inside the region the block singles
//                               out, in every dimension the block singles out.
//
// A block that carves a region out of a broader grant ("MFA for everyone" + "block legacy
// clients") is how Conditional Access is meant to be used and is not reported. Possible
// conflicts that rest only on unknown group membership are left out: any group could hold
// anyone, so they would flag almost every pair.
#include <vector>

#include "finding_text.hpp"

namespace policy {

using detail::quoted;

std::optional<Finding> block_versus_grant(const Policy& block, const Policy& grant,
                                          const AnalysisContext& context) {
  if (!block.grant.block || grant.grant.block || !grant.grant.requires_something()) return {};
  if (applies_to_nothing(block.conditions) || applies_to_nothing(grant.conditions)) return {};
  const Wording wording = context.wording();
  const Conditions& b = block.conditions;
  const Conditions& g = grant.conditions;

  Finding finding;
  finding.category = "conflict";
  finding.policies = {block.id, grant.id};
  const std::string grant_does =
      describe_grant(grant.grant, wording) + " for " + describe_users(g.users, wording) + " on " +
      describe_apps(g.apps, wording) + describe_other_conditions(g, wording);

  const Comparison covered = coverage(b, g, context.universes);
  if (covered.overall == Tri::Yes) {
    finding.rule = "block-overrides-grant";
    finding.severity = Severity::High;
    finding.title = quoted(grant) + " never takes effect: " + quoted(block) +
                    " blocks every sign-in it applies to";
    finding.explanation =
        quoted(grant) + " (" + detail::lowercase_first(grant_does) +
        ") applies only to sign-ins that " + quoted(block) + " blocks (" +
        describe_users(b.users, wording) + " on " + describe_apps(b.apps, wording) +
        describe_other_conditions(b, wording) +
        "). Conditional Access has no allow rules: every policy that applies must be satisfied "
        "and a block always wins, so these sign-ins are blocked whatever " +
        quoted(grant) + " asks for.";
    finding.fix = "If the people " + quoted(grant) +
                  " targets should get in, exclude them (or "
                  "what it targets: its apps, locations or client types) from " +
                  quoted(block) + " and let " + quoted(grant) +
                  " set the requirements; otherwise delete " + quoted(grant) + ".";
  } else {
    const Comparison overlapping = overlap(b, g, context.universes);
    if (overlapping.overall == Tri::No) return {};
    if (overlapping.overall == Tri::Maybe && overlapping.at(Dimension::Users) != Tri::Yes)
      return {};
    std::vector<std::string> pinned;
    for (Dimension d : kAllDimensions) {
      if (!restricts(b, d)) continue;
      if (!targets(g, d)) return {};  // the block carves a region out of a broader grant
      const std::string blocked = detail::dimension_words(b, d, wording);
      const std::string targeted = detail::dimension_words(g, d, wording);
      if (blocked != targeted)
        pinned.push_back(quoted(block) + " blocks " + blocked + " and " + quoted(grant) +
                         " targets " + targeted);
    }
    finding.rule = "block-conflicts-with-grant";
    finding.certainty = overlapping.overall;
    finding.severity = overlapping.overall == Tri::Yes ? Severity::Medium : Severity::Low;
    finding.title = quoted(block) + (overlapping.overall == Tri::Yes ? " blocks" : " may block") +
                    " sign-ins that " + quoted(grant) + " is meant to allow";
    finding.explanation =
        quoted(grant) + " " + detail::lowercase_first(grant_does) + ", but " + quoted(block) +
        " blocks some of the same sign-ins" + (pinned.empty() ? "" : ": " + join_words(pinned)) +
        ". Conditional Access has no allow rules and a block always wins, so where they meet "
        "those sign-ins are blocked whatever " +
        quoted(grant) + " asks for" +
        (covered.overall == Tri::Maybe ? ", possibly all of them" : "") + ".";
    if (auto depends = detail::uncertainty_words(overlapping, block, grant, wording);
        !depends.empty())
      finding.explanation += " " + depends;
    finding.fix = "Exclude from " + quoted(block) + " what " + quoted(grant) +
                  " is meant to admit (its users, apps or locations), so that " + quoted(grant) +
                  " sets the requirements there; or, if the block is right, narrow " +
                  quoted(grant) + " to what " + quoted(block) + " leaves open.";
  }
  finding.id = finding.rule + ":" + block.id + ":" + grant.id;
  if (block.state == State::ReportOnly || grant.state == State::ReportOnly) {
    finding.severity = detail::one_lower(finding.severity);
    finding.explanation += detail::report_only_words({&block, &grant});
  }
  return finding;
}

}  // namespace policy

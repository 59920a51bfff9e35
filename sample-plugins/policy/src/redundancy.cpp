// Policies that add nothing. Every applicable policy is enforced, so a policy is redundant when
// another one applies to every sign-in it applies to and demands at least as much (its grant
// implies this one's, its session controls include this one's). Two policies that cover each
// other and demand the same are duplicates.
#include "finding_text.hpp"
#include "policy/controls.hpp"

namespace policy {

using detail::quoted;

namespace {

// `outer` makes `inner` redundant: it applies wherever inner does and demands at least as much.
bool makes_redundant(const Policy& outer, const Policy& inner, const AnalysisContext& context) {
  if (outer.grant.block != inner.grant.block) return false;
  if (!implies(outer.grant, inner.grant) || !session_at_least(outer.session, inner.session))
    return false;
  // An enforced policy is what really protects; a report-only one only stands in for another
  // report-only one.
  if (outer.state != State::Enabled &&
      !(outer.state == State::ReportOnly && inner.state == State::ReportOnly))
    return false;
  return coverage(outer.conditions, inner.conditions, context.universes).overall == Tri::Yes;
}

bool same_effect(const Policy& a, const Policy& b) {
  return implies(a.grant, b.grant) && implies(b.grant, a.grant) && a.session == b.session;
}

}  // namespace

std::optional<Finding> duplicate_or_redundant(const Policy& a, const Policy& b,
                                              const AnalysisContext& context) {
  if (applies_to_nothing(a.conditions) || applies_to_nothing(b.conditions)) return {};
  const Wording wording = context.wording();
  Finding finding;
  finding.category = "redundancy";
  finding.severity = Severity::Low;
  if (same_effect(a, b) &&
      coverage(a.conditions, b.conditions, context.universes).overall == Tri::Yes &&
      coverage(b.conditions, a.conditions, context.universes).overall == Tri::Yes) {
    // Keep the enforced one; the other is the copy.
    const bool a_is_copy = a.state != State::Enabled && b.state == State::Enabled;
    const Policy& kept = a_is_copy ? b : a;
    const Policy& copy = a_is_copy ? a : b;
    finding.rule = "duplicate-policy";
    finding.policies = {kept.id, copy.id};
    finding.title = quoted(copy) + " duplicates " + quoted(kept);
    finding.explanation =
        "Both apply to the same sign-ins (" + describe_users(kept.conditions.users, wording) +
        " on " + describe_apps(kept.conditions.apps, wording) +
        describe_other_conditions(kept.conditions, wording) + ") and demand the same (" +
        detail::lowercase_first(describe_grant(kept.grant, wording)) +
        (kept.session.empty() ? "" : "; session: ") + join_words(kept.session) + "). " +
        quoted(copy) + " is " + state_words(copy.state) + " and " + quoted(kept) + " is " +
        state_words(kept.state) +
        ". Two copies drift apart: the next change made to one of them will not reach the other.";
    finding.fix = "Delete " + quoted(copy) + " and keep " + quoted(kept) + ".";
  } else {
    const bool a_covers_b = makes_redundant(a, b, context);
    if (!a_covers_b && !makes_redundant(b, a, context)) return {};
    const Policy& outer = a_covers_b ? a : b;
    const Policy& inner = a_covers_b ? b : a;
    finding.rule = "redundant-policy";
    finding.policies = {outer.id, inner.id};
    finding.title = quoted(inner) + " adds nothing to " + quoted(outer);
    finding.explanation = quoted(outer) + " applies to every sign-in " + quoted(inner) +
                          " applies to (" + describe_users(inner.conditions.users, wording) +
                          " on " + describe_apps(inner.conditions.apps, wording) +
                          describe_other_conditions(inner.conditions, wording) +
                          ") and demands at least as much: it " +
                          detail::lowercase_first(describe_grant(outer.grant, wording)) +
                          " where " + quoted(inner) + " " +
                          detail::lowercase_first(describe_grant(inner.grant, wording)) + ". So " +
                          quoted(inner) + " never changes an outcome.";
    finding.fix = "Delete " + quoted(inner) +
                  ", unless it is meant to outlive a planned change "
                  "to " +
                  quoted(outer) + " (then say so in its name).";
  }
  finding.id = finding.rule + ":" + finding.policies[0] + ":" + finding.policies[1];
  return finding;
}

}  // namespace policy

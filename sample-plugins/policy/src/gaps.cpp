// Gaps: protections no enforced policy gives. Each is a "target" (who and which sign-ins: e.g.
// the Global Administrator role, minus the break-glass accounts, on all cloud apps from modern
// clients) and a kind of policy that would protect it; the gap is open unless one enforced
// policy of that kind covers the whole target. Coverage is checked one policy at a time: a
// target split across several policies is reported as not covered.
#include <algorithm>

#include "finding_text.hpp"
#include "policy/controls.hpp"

namespace policy {

using detail::quoted;

namespace {

using Predicate = bool (*)(const Policy&);

struct Cover {
  Tri best = Tri::No;
  const Policy* by = nullptr;  // the enforced policy that comes closest
  Comparison comparison;
  std::vector<const Policy*> not_enforced;  // report-only or disabled policies that would cover
};

// The policy misses the target only through the users it excludes (it applies to all users and
// covers every other dimension): the near miss worth naming.
bool misses_only_by_exclusion(const Policy& policy, const Comparison& comparison) {
  if (comparison.overall == Tri::Yes || !policy.conditions.users.all || comparison.unmodelled)
    return false;
  for (Dimension d : kAllDimensions)
    if (d != Dimension::Users && comparison.at(d) != Tri::Yes) return false;
  return true;
}

Cover find_cover(const Conditions& target, Predicate qualifies, const AnalysisContext& context) {
  Cover cover;
  for (const auto& policy : context.policies) {
    if (!qualifies(policy)) continue;
    const Comparison c = coverage(policy.conditions, target, context.universes);
    if (policy.state != State::Enabled) {
      if (c.overall == Tri::Yes) cover.not_enforced.push_back(&policy);
      continue;
    }
    const bool closer = !cover.by || c.overall > cover.best ||
                        (c.overall == cover.best && misses_only_by_exclusion(policy, c) &&
                         !misses_only_by_exclusion(*cover.by, cover.comparison));
    if (closer) {
      cover.best = c.overall;
      cover.by = &policy;
      cover.comparison = c;
    }
  }
  return cover;
}

Conditions everyone(const AnalysisContext& context) {
  Conditions target;
  target.users = context.emergency.without_them(Selection::everything());
  return target;
}

bool requires_mfa(const Policy& p) {
  return p.grant.block || guaranteed_strength(p.grant) >= Strength::Mfa;
}
bool requires_mfa_not_block(const Policy& p) {
  return !p.grant.block && guaranteed_strength(p.grant) >= Strength::Mfa;
}
bool requires_phishing_resistant(const Policy& p) {
  return !p.grant.block && guaranteed_strength(p.grant) >= Strength::PhishingResistant;
}
bool blocks(const Policy& p) {
  return p.grant.block;
}
bool answers_sign_in_risk(const Policy& p) {
  return p.conditions.sign_in_risk != kAllRiskLevels && requires_mfa(p);
}
bool answers_user_risk(const Policy& p) {
  if (p.conditions.user_risk == kAllRiskLevels) return false;
  if (p.grant.block) return true;
  const auto ways = alternatives(p.grant);
  return std::all_of(ways.begin(), ways.end(), [](const std::vector<Control>& way) {
    return std::any_of(way.begin(), way.end(), [](const Control& c) {
      return c.name == "passwordChange" || c.name == "riskRemediation";
    });
  });
}

// "'X' would, but it is report-only." for policies that would close the gap if enforced.
std::string not_enforced_words(const Cover& cover) {
  std::string text;
  for (const Policy* policy : cover.not_enforced)
    text += " " + quoted(*policy) + " would, but it is " + state_words(policy->state) + ".";
  return text;
}

std::string not_enforced_fix(const Cover& cover) {
  std::string text;
  for (const Policy* policy : cover.not_enforced)
    text += policy->state == State::ReportOnly
                ? " Or turn on " + quoted(*policy) +
                      " after checking its report-only results in the sign-in logs."
                : " Or enable " + quoted(*policy) +
                      " (in report-only mode first, to see whom "
                      "it would affect).";
  return text;
}

bool misses_only_by_exclusion(const Cover& cover) {
  return cover.by && misses_only_by_exclusion(*cover.by, cover.comparison);
}

// Why the closest enforced policy does not settle it; empty when no policy comes close.
std::string partial_words(const Cover& cover, const AnalysisContext& context) {
  const Wording wording = context.wording();
  if (misses_only_by_exclusion(cover)) {
    const auto excluded = detail::excluded_principals(cover.by->conditions.users, wording);
    return " " + quoted(*cover.by) + " comes closest, but it excludes " +
           join_words(excluded, "and", 4) +
           (cover.best == Tri::Maybe ? ", and nothing says who is in them." : ".");
  }
  if (!cover.by || cover.best != Tri::Maybe) return {};
  if (cover.comparison.unmodelled)
    return " " + quoted(*cover.by) + " comes closest, but it also depends on " +
           join_words(cover.by->conditions.unmodelled) + ".";
  return " " + quoted(*cover.by) +
         " comes closest, but whether it covers them depends on which "
         "apps or locations it names.";
}

void add_policies(Finding& finding, const Cover& cover) {
  if (cover.by && cover.best != Tri::No) finding.policies.push_back(cover.by->id);
  for (const Policy* policy : cover.not_enforced)
    finding.policies.push_back(policy->id);
}

void administrators(const AnalysisContext& context, std::vector<Finding>& out) {
  std::vector<std::string> without_mfa;
  std::vector<std::string> maybe_mfa;
  std::vector<std::string> without_phishing_resistant;
  Cover mfa_gap;
  Cover maybe_gap;
  Cover phishing_resistant_best;
  for (const auto& role : well_known_roles()) {
    if (!role.administrator) continue;
    Conditions target;
    Selection users;
    users.collections.insert(kRolePrefix + std::string(role.id));
    target.users = context.emergency.without_them(users);
    target.client_apps = kModernClients;
    const Cover mfa = find_cover(target, requires_mfa_not_block, context);
    const std::string name = context.directory.role_name(role.id);
    if (mfa.best == Tri::No) {
      without_mfa.push_back(name);
      if (mfa_gap.not_enforced.empty()) mfa_gap = mfa;
      continue;
    }
    if (mfa.best == Tri::Maybe) {
      maybe_mfa.push_back(name);
      if (!maybe_gap.by) maybe_gap = mfa;
    }
    // Phishable MFA is the next weakness of every role that has MFA at all.
    const Cover strong = find_cover(target, requires_phishing_resistant, context);
    if (strong.best != Tri::Yes) {
      without_phishing_resistant.push_back(name);
      if (!phishing_resistant_best.by || strong.best > phishing_resistant_best.best)
        phishing_resistant_best = strong;
    }
  }
  if (!without_mfa.empty() || !maybe_mfa.empty()) {
    Finding f;
    f.rule = "admins-without-mfa";
    f.category = "gap";
    const bool certain = !without_mfa.empty();
    f.certainty = certain ? Tri::Yes : Tri::Maybe;
    f.severity = certain ? Severity::High : Severity::Medium;
    const size_t count = without_mfa.size() + maybe_mfa.size();
    f.title = std::to_string(count) + " administrator role" + (count == 1 ? "" : "s") +
              (certain ? " can" : " may") + " sign in without MFA";
    if (!without_mfa.empty())
      f.explanation = "No enforced policy requires MFA (or an authentication strength) of " +
                      join_words(without_mfa) + " on all cloud apps." +
                      partial_words(mfa_gap, context) + not_enforced_words(mfa_gap);
    if (!maybe_mfa.empty())
      f.explanation += std::string(f.explanation.empty() ? "" : " ") + "For " +
                       join_words(maybe_mfa) +
                       ", MFA is not certain:" + partial_words(maybe_gap, context);
    f.explanation +=
        " These roles can change the tenant's security settings, so a stolen "
        "password for one of them is enough to take the tenant over.";
    f.fix =
        "Require MFA of every administrator role on all cloud apps in one enforced policy "
        "that excludes only the break-glass accounts (Microsoft's template \"Require "
        "multifactor authentication for admins\"), preferably with the built-in "
        "\"Phishing-resistant MFA\" authentication strength." +
        not_enforced_fix(mfa_gap);
    add_policies(f, mfa_gap);
    add_policies(f, maybe_gap);
    f.id = f.rule;
    out.push_back(std::move(f));
  }
  if (!without_phishing_resistant.empty()) {
    Finding f;
    f.rule = "admins-without-phishing-resistant-mfa";
    f.category = "gap";
    f.severity = Severity::Medium;
    f.title = std::to_string(without_phishing_resistant.size()) + " administrator role" +
              (without_phishing_resistant.size() == 1 ? "" : "s") +
              " can sign in with phishable MFA";
    f.explanation =
        "No enforced policy requires a phishing-resistant method (FIDO2 security "
        "key, Windows Hello for Business, certificate-based authentication) of " +
        join_words(without_phishing_resistant) +
        ". A one-time code or push approval can be relayed by an "
        "adversary-in-the-middle phishing kit, which then holds an administrator's "
        "session." +
        not_enforced_words(phishing_resistant_best);
    f.fix =
        "Require the built-in \"Phishing-resistant MFA\" authentication strength of these "
        "roles on all cloud apps (add them to the policy that already does it for other "
        "administrators, if there is one), excluding only the break-glass accounts." +
        not_enforced_fix(phishing_resistant_best);
    add_policies(f, phishing_resistant_best);
    f.id = f.rule;
    out.push_back(std::move(f));
  }
}

void legacy_authentication(const AnalysisContext& context, std::vector<Finding>& out) {
  Conditions target = everyone(context);
  target.client_apps = kLegacyClients;
  const Cover block = find_cover(target, blocks, context);
  if (block.best == Tri::Yes) return;
  const Cover mfa = find_cover(target, requires_mfa_not_block, context);
  const bool partly = misses_only_by_exclusion(block);
  Finding f;
  f.rule = "legacy-auth-not-blocked";
  f.category = "gap";
  f.certainty = block.best == Tri::Maybe ? Tri::Maybe : Tri::Yes;
  f.severity = partly || block.best == Tri::Maybe || mfa.best == Tri::Yes ? Severity::Medium
                                                                          : Severity::High;
  f.title = block.best == Tri::Maybe ? "Legacy authentication may not be blocked for everyone"
            : partly                 ? "Legacy authentication is not blocked for everyone"
                                     : "Legacy authentication is not blocked";
  f.explanation =
      "Legacy protocols (Exchange ActiveSync, IMAP, POP, SMTP AUTH, MAPI and older Office "
      "clients: client app types exchangeActiveSync and other) cannot do MFA, so a password "
      "alone gets in through them; password-spray attacks use them for that reason.";
  if (partly || block.best == Tri::Maybe)
    f.explanation += partial_words(block, context) + not_enforced_words(block);
  else
    f.explanation += " No enforced policy blocks them for all users." + not_enforced_words(block);
  if (mfa.best == Tri::Yes)
    f.explanation += " " + quoted(*mfa.by) +
                     " requires MFA of these clients, which they cannot "
                     "provide, so they fail there today; an explicit block still says so and "
                     "survives a change to that policy.";
  f.fix =
      "Block client app types exchangeActiveSync and other for all users on all cloud apps, "
      "excluding only the break-glass accounts (Microsoft's template \"Block legacy "
      "authentication\")." +
      not_enforced_fix(block);
  add_policies(f, block);
  f.id = f.rule;
  out.push_back(std::move(f));
}

void risk(const AnalysisContext& context, std::vector<Finding>& out) {
  {
    Conditions target = everyone(context);
    target.sign_in_risk = kRiskHigh;
    const Cover cover = find_cover(target, answers_sign_in_risk, context);
    if (cover.best != Tri::Yes) {
      Finding f;
      f.rule = "no-sign-in-risk-policy";
      f.category = "gap";
      f.severity = Severity::Medium;
      f.certainty = cover.best == Tri::No ? Tri::Yes : Tri::Maybe;
      f.title = "No enforced policy responds to risky sign-ins";
      f.explanation =
          "Microsoft Entra ID Protection scores every sign-in (anonymous IP addresses, "
          "impossible travel, password spray, token anomalies). No enforced policy requires "
          "MFA of, or blocks, all users when that risk is high, so a sign-in Entra itself "
          "flags as likely compromised gets through with whatever the other policies ask." +
          partial_words(cover, context) + not_enforced_words(cover) +
          " Risk-based policies need Microsoft Entra ID P2.";
      f.fix =
          "Require MFA, with sign-in frequency \"every time\", of all users when sign-in "
          "risk is medium or high, excluding only the break-glass accounts (Microsoft's "
          "template \"Require multifactor authentication for risky sign-ins\")." +
          not_enforced_fix(cover);
      add_policies(f, cover);
      f.id = f.rule;
      out.push_back(std::move(f));
    }
  }
  Conditions target = everyone(context);
  target.user_risk = kRiskHigh;
  const Cover cover = find_cover(target, answers_user_risk, context);
  if (cover.best == Tri::Yes) return;
  Finding f;
  f.rule = "no-user-risk-policy";
  f.category = "gap";
  f.severity = Severity::Medium;
  f.certainty = cover.best == Tri::No ? Tri::Yes : Tri::Maybe;
  f.title = "No enforced policy responds to high user risk";
  f.explanation =
      "When ID Protection concludes an account is likely compromised (leaked credentials, "
      "confirmed risky sign-ins), no enforced policy makes its owner change the password or "
      "blocks it, so the attacker keeps a working password." +
      partial_words(cover, context) + not_enforced_words(cover) +
      " Risk-based policies need Microsoft Entra ID P2.";
  f.fix =
      "Require MFA and a password change of all users when user risk is high, excluding "
      "only the break-glass accounts (Microsoft's template \"Require password change for "
      "high-risk users\")." +
      not_enforced_fix(cover);
  add_policies(f, cover);
  f.id = f.rule;
  out.push_back(std::move(f));
}

void guests(const AnalysisContext& context, std::vector<Finding>& out) {
  const Wording wording = context.wording();
  Conditions target;
  Selection users;
  users.collections.insert(kGuests);
  target.users = context.emergency.without_them(users);
  target.client_apps = kModernClients;
  const Cover cover = find_cover(target, requires_mfa, context);
  if (cover.best == Tri::Yes) return;
  Finding f;
  f.rule = "guests-without-mfa";
  f.category = "gap";
  f.certainty = cover.best == Tri::No ? Tri::Yes : Tri::Maybe;
  f.severity = cover.best == Tri::No ? Severity::Medium : Severity::Low;
  f.title =
      cover.best == Tri::No ? "Guests can sign in without MFA" : "Guests may sign in without MFA";
  f.explanation =
      "Guests and external users sign in with accounts this tenant does not manage, "
      "whose home tenant may not require MFA. No enforced policy requires MFA of "
      "them on all cloud apps.";
  std::vector<std::string> partial;
  for (const auto& policy : context.policies) {
    if (policy.state != State::Enabled || !requires_mfa_not_block(policy)) continue;
    const Selection& u = policy.conditions.users;
    if (u.all && u.excluded_collections.count(kGuests)) {
      partial.push_back(quoted(policy) + " excludes them");
      f.policies.push_back(policy.id);
    } else if (overlap(policy.conditions, target, context.universes).at(Dimension::Users) ==
               Tri::Yes) {
      partial.push_back(quoted(policy) + " covers them only on " +
                        describe_apps(policy.conditions.apps, wording) +
                        describe_other_conditions(policy.conditions, wording));
      f.policies.push_back(policy.id);
    }
  }
  if (!partial.empty()) f.explanation += " " + join_words(partial, "and", 3) + ".";
  f.explanation += not_enforced_words(cover);
  f.fix =
      "Require MFA of guests and external users on all cloud apps (Microsoft's template "
      "\"Require multifactor authentication for guest access\"), or stop excluding them "
      "from the policy that requires MFA of everyone." +
      not_enforced_fix(cover);
  add_policies(f, cover);
  f.id = f.rule;
  out.push_back(std::move(f));
}

void nothing_enforced(const AnalysisContext& context, std::vector<Finding>& out) {
  size_t report_only = 0;
  for (const auto& policy : context.policies) {
    if (policy.state == State::Enabled) return;
    if (policy.state == State::ReportOnly) ++report_only;
  }
  Finding f;
  f.rule = "no-policy-enforced";
  f.category = "gap";
  f.severity = Severity::High;
  f.title = "No policy is enforced";
  f.explanation = "All " + std::to_string(context.policies.size()) + " policies are report-only " +
                  "or disabled (" + std::to_string(report_only) + " report-only), so none of " +
                  "them changes a sign-in: they only log what they would have done.";
  f.fix =
      "Review the report-only results in the sign-in logs (Conditional Access > Insights and "
      "reporting) and turn the policies on, starting with MFA for administrators and "
      "blocking legacy authentication.";
  for (const auto& policy : context.policies)
    if (policy.state == State::ReportOnly) f.policies.push_back(policy.id);
  f.id = f.rule;
  out.push_back(std::move(f));
}

}  // namespace

std::vector<Finding> gap_findings(const AnalysisContext& context) {
  std::vector<Finding> out;
  nothing_enforced(context, out);
  administrators(context, out);
  legacy_authentication(context, out);
  risk(context, out);
  guests(context, out);
  for (auto& finding : out) {
    std::vector<std::string> unique;
    for (auto& id : finding.policies)
      if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(id);
    finding.policies = std::move(unique);
  }
  return out;
}

}  // namespace policy

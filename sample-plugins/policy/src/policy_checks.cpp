// Checks of one policy on its own: exclusions that leave holes, blocks that could lock every
// account out (break-glass accounts included), policies that apply to no one.
#include <algorithm>

#include "finding_text.hpp"
#include "policy/controls.hpp"

namespace policy {

using detail::quoted;

namespace {

constexpr std::string_view kDirectorySyncRole = "d29b2b05-8046-44ba-8758-1e26182fcf32";

// A policy whose exclusions matter: it applies to all users and protects (blocks or demands
// MFA or a managed device), rather than only adjusting sessions.
bool protects_everyone(const Policy& policy) {
  return policy.conditions.users.all &&
         (policy.grant.block || guaranteed_strength(policy.grant) >= Strength::Mfa ||
          can_lock_out(policy.grant));
}

struct Hole {
  Severity severity;
  std::string words;
};

std::vector<Hole> exclusion_holes(const Policy& policy, const AnalysisContext& context) {
  const Wording wording = context.wording();
  const Conditions& c = policy.conditions;
  std::vector<Hole> holes;
  std::vector<std::string> admin_roles;
  std::vector<std::string> other_roles;
  std::vector<std::string> groups;
  std::vector<std::string> users;
  for (const auto& name : c.users.excluded_collections) {
    if (context.emergency.contains(name)) continue;
    if (name == kGuests) {
      if (guaranteed_strength(policy.grant) >= Strength::Mfa)
        holes.push_back({Severity::Medium,
                         "it excludes guests and external users, whose own "
                         "tenant may not ask them for MFA"});
    } else if (name.starts_with(kRolePrefix)) {
      const std::string id = name.substr(std::string_view(kRolePrefix).size());
      if (id == kDirectorySyncRole) continue;  // the sync service account, excluded by design
      (context.directory.is_administrator_role(id) ? admin_roles : other_roles)
          .push_back(name_of_principal(name, wording));
    } else {
      groups.push_back(name_of_principal(name, wording));
    }
  }
  for (const auto& id : c.users.excluded_members)
    if (!context.emergency.contains(id)) users.push_back(name_of_principal(id, wording));
  if (!admin_roles.empty())
    holes.push_back({Severity::High, "it excludes the administrator role" +
                                         std::string(admin_roles.size() > 1 ? "s " : " ") +
                                         join_words(admin_roles) +
                                         ": the accounts that most need it"});
  if (!other_roles.empty())
    holes.push_back({Severity::Medium, "it excludes the role" +
                                           std::string(other_roles.size() > 1 ? "s " : " ") +
                                           join_words(other_roles)});
  if (!groups.empty())
    holes.push_back({Severity::Medium,
                     "it excludes the group" + std::string(groups.size() > 1 ? "s " : " ") +
                         join_words(groups, "and", 4) +
                         ": anyone added to them later escapes the policy without it changing, "
                         "and group owners may not be the people who own Conditional Access"});
  if (!users.empty())
    holes.push_back({users.size() > 3 ? Severity::Medium : Severity::Low,
                     "it excludes " + std::to_string(users.size()) + " user" +
                         (users.size() == 1 ? "" : "s") + " besides the break-glass accounts (" +
                         join_words(users, "and", 4) + ")"});
  if (c.apps.kind == AppTarget::Kind::Apps && c.apps.selection.all &&
      c.apps.selection.has_exclusions()) {
    AppTarget excluded;
    excluded.selection = {};
    excluded.selection.members = c.apps.selection.excluded_members;
    excluded.selection.collections = c.apps.selection.excluded_collections;
    holes.push_back({excluded.selection.collections.empty() ? Severity::Low : Severity::Medium,
                     "it excludes " + describe_apps(excluded, wording) + " from all cloud apps"});
  }
  if (c.platforms != kAllPlatforms && (c.platforms & kOtherPlatforms))
    holes.push_back(
        {Severity::Medium, "it leaves out " +
                               describe_platforms(kAllPlatforms & ~c.platforms & ~kOtherPlatforms) +
                               ", but the device platform is what the client says it is (its user "
                               "agent), so anyone can claim to be on an excluded platform"});
  if (guaranteed_strength(policy.grant) >= Strength::Mfa && c.locations.all &&
      c.locations.excluded_collections.count(kAllTrusted))
    holes.push_back({Severity::Low,
                     "it skips trusted locations, so anyone on those networks (or replaying a "
                     "token from them) is not asked for MFA"});
  return holes;
}

std::optional<Finding> broad_exclusions(const Policy& policy, const AnalysisContext& context) {
  if (policy.state == State::Disabled || !protects_everyone(policy)) return {};
  const auto holes = exclusion_holes(policy, context);
  if (holes.empty()) return {};
  Finding f;
  f.rule = "broad-exclusions";
  f.category = "exclusion";
  f.severity = std::max_element(holes.begin(), holes.end(), [](const Hole& a, const Hole& b) {
                 return a.severity < b.severity;
               })->severity;
  f.policies = {policy.id};
  f.title = quoted(policy) + " has exclusions that leave holes";
  std::string words;  // clauses hold commas, so they are joined with semicolons
  for (size_t i = 0; i < holes.size(); ++i)
    words += (i == 0 ? "" : i + 1 == holes.size() ? "; and " : "; ") + holes[i].words;
  const Wording wording = context.wording();
  f.explanation = quoted(policy) + " " +
                  detail::lowercase_first(describe_grant(policy.grant, wording)) +
                  " for all users, but " + words + ".";
  f.fix =
      "Keep only the break-glass accounts excluded. Give whoever else is excluded a policy of "
      "their own that still protects them (service accounts: move them to workload "
      "identities or a compliant-device policy; a temporary exception: a group with an "
      "access review and an expiry).";
  if (policy.state == State::ReportOnly) {
    f.severity = detail::one_lower(f.severity);
    f.explanation += detail::report_only_words({&policy});
  }
  f.id = f.rule + ":" + policy.id;
  return f;
}

std::optional<Finding> lockout(const Policy& policy, const AnalysisContext& context) {
  const Conditions& c = policy.conditions;
  if (policy.state == State::Disabled || !can_lock_out(policy.grant) || !c.users.all ||
      c.apps.kind != AppTarget::Kind::Apps || !c.apps.selection.all ||
      (c.client_apps & kModernClients) == 0)
    return {};
  const Wording wording = context.wording();
  std::vector<std::string> not_excluded;
  const auto& emergency = context.emergency;
  for (const auto& id : emergency.users) {
    Selection account;
    account.members.insert(id);
    if (overlaps(c.users, account, context.universes.users) == Tri::Yes)
      not_excluded.push_back(name_of_principal(id, wording));
  }
  for (const auto& group : emergency.groups) {
    Selection account;
    account.collections.insert(group);
    if (overlaps(c.users, account, context.universes.users) == Tri::Yes)
      not_excluded.push_back(name_of_principal(group, wording));
  }
  const bool excludes_nobody =
      c.users.excluded_members.empty() &&
      std::none_of(c.users.excluded_collections.begin(), c.users.excluded_collections.end(),
                   [](const std::string& name) { return name.starts_with(kGroupPrefix); });
  if (not_excluded.empty() && !(emergency.empty() && excludes_nobody)) return {};
  Finding f;
  f.rule = "block-without-emergency-exclusion";
  f.category = "exclusion";
  f.severity = Severity::High;
  f.policies = {policy.id};
  f.title = quoted(policy) + " can lock every account out, break-glass accounts included";
  f.explanation =
      quoted(policy) + " " + detail::lowercase_first(describe_grant(policy.grant, wording)) +
      " for " + describe_users(c.users, wording) + " on all cloud apps" +
      describe_other_conditions(c, wording) + ", and " +
      (not_excluded.empty()
           ? std::string("it excludes no account at all")
           : "it does not exclude the break-glass account" +
                 std::string(not_excluded.size() > 1 ? "s " : " ") + join_words(not_excluded)) +
      ". If it misfires (a wrong named location, a device-compliance outage, a "
      "typo), no account is left that can sign in to undo it.";
  f.fix = "Exclude the emergency-access accounts from " + quoted(policy) +
          " (two cloud-only accounts kept for this, with phishing-resistant credentials stored "
          "offline), and alert on every sign-in they make.";
  if (policy.state == State::ReportOnly) {
    f.severity = detail::one_lower(f.severity);
    f.explanation += detail::report_only_words({&policy});
  }
  f.id = f.rule + ":" + policy.id;
  return f;
}

std::optional<Finding> applies_to_no_one(const Policy& policy) {
  if (!applies_to_nothing(policy.conditions) || !policy.conditions.unmodelled.empty() ||
      policy.state == State::Disabled)
    return {};
  Finding f;
  f.rule = "policy-applies-to-no-one";
  f.category = "hygiene";
  f.severity = Severity::Low;
  f.policies = {policy.id};
  f.title = quoted(policy) + " applies to no one";
  f.explanation =
      "Its conditions select no user, no app or no location (e.g. includeUsers "
      "\"None\"), so it never applies; it may look like protection to a reviewer.";
  f.fix = "Delete it, or select the users and apps it was meant for.";
  f.id = f.rule + ":" + policy.id;
  return f;
}

}  // namespace

std::vector<Finding> policy_findings(const Policy& policy, const AnalysisContext& context) {
  std::vector<Finding> out;
  for (auto finding :
       {lockout(policy, context), broad_exclusions(policy, context), applies_to_no_one(policy)})
    if (finding) out.push_back(std::move(*finding));
  return out;
}

}  // namespace policy

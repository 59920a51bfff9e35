// Entra ID sign-ins (SigninLogs): failed, successful, or all of a user's.
#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

bool mentions_sign_in(const Request& r) {
  return r.has_any(
      {"sign-in",         "sign-ins",    "signin",      "signins", "sign in",  "sign ins",
       "login",           "logins",      "log in",      "log-in",  "log ins",  "authentication",
       "authentications", "signed in",   "logged in",   "entra",   "azure ad", "aad",
       "password spray",  "brute force", "brute-force", "mfa"});
}

bool mentions_failure(const Request& r) {
  return r.has_any({"failed", "failure", "failures", "failing", "unsuccessful", "wrong password",
                    "bad password", "brute force", "brute-force", "password spray", "denied"});
}

bool mentions_success(const Request& r) {
  return r.has_any({"successful", "succeeded", "success", "successfully"});
}

// Device logons go to the logon intents: a host, or words about Windows logons.
bool about_devices(const Request& r) {
  return (!r.entities.hosts.empty() && r.entities.emails.empty()) ||
         r.has_any({"logon", "logons", "rdp", "remote desktop", "securityevent", "4624", "4625"});
}

int score_sign_ins(const Request& r, bool failed, bool success) {
  if (!mentions_sign_in(r) || about_devices(r)) return 0;
  if (failed != mentions_failure(r) || success != (mentions_success(r) && !mentions_failure(r)))
    return 0;
  const bool has_subject =
      !r.entities.emails.empty() || !r.entities.users.empty() || !r.entities.ips.empty();
  if (!failed && !success && !has_subject) return 0;  // "sign-ins" alone is too vague
  return 70 + (has_subject ? 10 : 0);
}

Generated build_sign_ins(const Request& r, bool failed, bool success) {
  Generated g;
  const bool non_interactive = r.has_any({"non-interactive", "noninteractive", "non interactive"});
  const std::string table = non_interactive ? "AADNonInteractiveUserSignInLogs" : "SigninLogs";
  g.tables = {table};
  const TimeWindow window = window_or_default(r, 7, g);
  std::string query = table + "\n" + time_filter("TimeGenerated", window) + "\n";
  std::vector<std::string> who;
  if (!r.entities.emails.empty()) {
    query += "| where " + equals_any("UserPrincipalName", r.entities.emails, true) + "\n";
    who = r.entities.emails;
  } else if (!r.entities.users.empty()) {
    std::string condition;
    for (const auto& user : r.entities.users) {
      condition += (condition.empty() ? "" : " or ") +
                   std::string("UserPrincipalName startswith ") +
                   kql_literal(account_name(user) + "@");
      who.push_back(account_name(user));
    }
    query += "| where " + condition + "\n";
    g.assumptions.push_back("'" + join_words(who) +
                            "' is matched as the start of the user principal name (before @).");
  }
  if (!r.entities.ips.empty())
    query += "| where " + equals_any("IPAddress", r.entities.ips, false) + "\n";
  if (failed) query += "| where ResultType != \"0\"\n";
  if (success) query += "| where ResultType == \"0\"\n";
  if (who.empty() && failed) {
    query +=
        "| summarize Failures = count(), FirstFailure = min(TimeGenerated), LastFailure = "
        "max(TimeGenerated), Apps = make_set(AppDisplayName, 10) by UserPrincipalName, IPAddress\n"
        "| sort by Failures desc";
  } else if (who.empty()) {
    query +=
        "| summarize SignIns = count(), FirstSignIn = min(TimeGenerated), LastSignIn = "
        "max(TimeGenerated), Apps = make_set(AppDisplayName, 10) by UserPrincipalName, IPAddress\n"
        "| sort by SignIns desc";
  } else {
    query +=
        "| project TimeGenerated, UserPrincipalName, IPAddress, Location, AppDisplayName, "
        "ClientAppUsed, ResultType, ResultDescription\n"
        "| sort by TimeGenerated desc";
  }
  g.query = std::move(query);
  const std::string kind = failed ? "failed " : success ? "successful " : "";
  g.explanation =
      "Finds " + kind + "Microsoft Entra ID " + (non_interactive ? "non-interactive " : "") +
      "sign-ins" + (who.empty() ? "" : " of " + join_words(who)) +
      (r.entities.ips.empty() ? "" : " from " + join_words(r.entities.ips)) + " in " +
      window.phrase + " from " + table + (failed ? " (ResultType other than 0)" : "") +
      (success ? " (ResultType 0)" : "") +
      (who.empty() ? ", counted per user and IP address, most first." : ", newest first.");
  if (failed || success)
    g.assumptions.push_back(
        "ResultType \"0\" is a successful sign-in; every other code is a failure (Entra ID error "
        "codes).");
  return g;
}

}  // namespace

void add_identity_intents(std::vector<Intent>& list) {
  list.push_back({"failed_sign_ins", "Failed Microsoft Entra ID sign-ins, for a user or overall",
                  "Show failed sign-ins for alice@contoso.com in the last 24 hours",
                  [](const Request& r) { return score_sign_ins(r, true, false); },
                  [](const Request& r) { return build_sign_ins(r, true, false); }});
  list.push_back({"successful_sign_ins", "Successful Microsoft Entra ID sign-ins of a user",
                  "Successful sign-ins of bob@contoso.com from 203.0.113.7 this week",
                  [](const Request& r) { return score_sign_ins(r, false, true); },
                  [](const Request& r) { return build_sign_ins(r, false, true); }});
  list.push_back({"user_sign_ins", "All Microsoft Entra ID sign-ins of a user",
                  "Sign-ins for carol@contoso.com in the past 3 days",
                  [](const Request& r) { return score_sign_ins(r, false, false); },
                  [](const Request& r) { return build_sign_ins(r, false, false); }});
}

}  // namespace kql_skills

#include "planner/lexicon.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace secpilot::planner::lexicon {
namespace {

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) noexcept {
  return std::find(words.begin(), words.end(), word) != words.end();
}

constexpr auto kRequestVerbs = std::to_array<std::string_view>(
    {"show",    "list",        "get",      "pull",    "fetch",       "check",       "look",
     "find",    "search",      "hunt",     "analyse", "analyze",     "summarise",   "summarize",
     "write",   "build",       "give",     "run",     "execute",     "validate",    "explain",
     "decode",  "deobfuscate", "unwrap",   "extract", "triage",      "investigate", "review",
     "audit",   "assess",      "lock",     "ack",     "acknowledge", "close",       "mark",
     "brief",   "report",      "map",      "refang",  "tell",        "see",         "fix",
     "turn",    "generate",    "compare",  "convert", "identify",    "enumerate",   "count",
     "query",   "draft",       "prepare",  "create",  "make",        "rep",         "verify",
     "inspect", "walk",        "describe", "parse",   "kql",         "scan",        "block",
     "isolate", "wipe",        "unlock",   "reopen",  "purge",       "disable",     "revoke",
     "push",    "deploy",      "reset",    "submit",  "detonate",    "decrypt",     "translate",
     "download"});

constexpr auto kQuestionWords = std::to_array<std::string_view>(
    {"is",      "are",    "was",    "were",    "does",     "do",      "did",     "can",
     "could",   "has",    "have",   "had",     "which",    "what",    "what's",  "whats",
     "who",     "whom",   "whose",  "where",   "when",     "how",     "why",     "any",
     "should",  "would",  "will",   "seen",    "anything", "whether", "isn't",   "aren't",
     "doesn't", "didn't", "hasn't", "haven't", "was",      "who's",   "where's", "how's"});

constexpr auto kFillers = std::to_array<std::string_view>(
    {"please",  "pls",   "plz",  "ok",      "okay",  "now",   "also", "and",
     "then",    "so",    "hey",  "hi",      "can",   "could", "you",  "just",
     "quickly", "first", "next", "finally", "right", "yes"});

constexpr auto kNegations =
    std::to_array<std::string_view>({"don't", "dont", "no", "not", "without", "never", "nothing"});

constexpr auto kChangeActions = std::to_array<std::string_view>(
    {"block",      "isolate", "wipe",      "erase",    "unlock",  "reopen",    "purge",
     "disable",    "revoke",  "push",      "deploy",   "reset",   "delete",    "remove",
     "quarantine", "kill",    "submit",    "detonate", "decrypt", "scan",      "download",
     "translate",  "install", "uninstall", "reimage",  "restore", "geolocate", "whois"});

constexpr auto kProducts = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"crowdstrike", "CrowdStrike"},
    {"falcon", "CrowdStrike Falcon"},
    {"okta", "Okta"},
    {"splunk", "Splunk"},
    {"spl", "SPL"},
    {"yara", "YARA"},
    {"sigma", "Sigma"},
    {"virustotal", "VirusTotal"},
    {"jira", "Jira"},
    {"servicenow", "ServiceNow"},
    {"aws", "AWS"},
    {"iam", "IAM"},
    {"gcp", "Google Cloud"},
    {"sentinelone", "SentinelOne"},
    {"carbon", "Carbon Black"},
    {"cortex", "Cortex"},
    {"palo", "Palo Alto"},
    {"fortinet", "Fortinet"},
    {"fortigate", "FortiGate"},
    {"zscaler", "Zscaler"},
    {"proofpoint", "Proofpoint"},
    {"mimecast", "Mimecast"},
    {"intune", "Intune"},
    {"kandji", "Kandji"},
    {"qualys", "Qualys"},
    {"tenable", "Tenable"},
    {"nessus", "Nessus"},
    {"elastic", "Elastic"},
    {"slack", "Slack"},
    {"pagerduty", "PagerDuty"},
});

constexpr auto kPlatforms = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"windows", "windows"},
    {"win10", "windows"},
    {"win11", "windows"},
    {"linux", "linux"},
    {"debian", "linux"},
    {"ubuntu", "linux"},
    {"rhel", "linux"},
    {"macos", "macos"},
    {"mac", "macos"},
    {"macs", "macos"},
    {"macbook", "macos"},
    {"macbooks", "macos"},
    {"iphone", "ios"},
    {"ipad", "ios"},
    {"ios", "ios"},
    {"android", "android"},
});

}  // namespace

bool is_request_verb(std::string_view word) noexcept {
  // Every change action opens a request too ("quarantine ws-fin-07", "delete detection 4127"):
  // the planner checks a request's verb against the skills' actions.
  return contains(kRequestVerbs, word) || contains(kChangeActions, word);
}
bool is_question_word(std::string_view word) noexcept {
  return contains(kQuestionWords, word);
}
bool is_filler(std::string_view word) noexcept {
  return contains(kFillers, word);
}
bool is_negation(std::string_view word) noexcept {
  return contains(kNegations, word);
}
bool is_change_action(std::string_view word) noexcept {
  return contains(kChangeActions, word);
}

std::string_view product_name(std::string_view word) noexcept {
  for (const auto& [key, name] : kProducts)
    if (key == word) return name;
  return {};
}

std::string_view platform(std::string_view word) noexcept {
  for (const auto& [key, family] : kPlatforms)
    if (key == word) return family;
  return {};
}

}  // namespace secpilot::planner::lexicon

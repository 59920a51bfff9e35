#include "grounding/security_lexicon.hpp"

#include <initializer_list>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "grounding/stem.hpp"
#include "grounding/term_hash.hpp"

namespace secpilot::grounding {
namespace {

// Function words and prompt filler. Deliberately absent, because they decide between skills in
// security prompts: not, no, off, on/open states (open), new, first, last, before, after, since,
// out (out of date), without, all-caps product words, and get/list/find/check (skill verbs).
constexpr std::string_view kStopwords[] = {
    "a",        "about",   "above",     "again",    "against", "also",      "although", "am",
    "among",    "an",      "and",       "another",  "any",     "anyone",    "anything", "are",
    "aren",     "around",  "as",        "at",       "be",      "because",   "been",     "being",
    "both",     "but",     "by",        "can",      "cannot",  "ck",        "could",    "couldn",
    "did",      "didn",    "do",        "does",     "doesn",   "doing",     "don",      "done",
    "during",   "each",    "eg",        "either",   "else",    "etc",       "even",     "ever",
    "for",      "from",    "further",   "give",     "given",   "gives",     "had",      "hadn",
    "has",      "hasn",    "have",      "haven",    "having",  "he",        "hello",    "help",
    "her",      "here",    "hers",      "hey",      "hi",      "him",       "his",      "how",
    "however",  "ie",      "if",        "in",       "into",    "is",        "isn",      "it",
    "its",      "itself",  "just",      "know",     "let",     "lets",      "like",     "me",
    "might",    "mine",    "more",      "most",     "much",    "must",      "my",       "myself",
    "need",     "needs",   "neither",   "nor",      "now",     "of",        "often",    "on",
    "once",     "one",     "only",      "onto",     "or",      "other",     "others",   "otherwise",
    "our",      "ours",    "ourselves", "over",     "own",     "per",       "please",   "pls",
    "quite",    "rather",  "really",    "same",     "see",     "shall",     "she",      "should",
    "show",     "shows",   "so",        "some",     "someone", "something", "such",     "tell",
    "than",     "thank",   "thanks",    "that",     "the",     "their",     "theirs",   "them",
    "then",     "there",   "these",     "they",     "thing",   "things",    "this",     "those",
    "though",   "through", "thus",      "to",       "too",     "up",        "upon",     "us",
    "use",      "used",    "uses",      "using",    "very",    "via",       "vs",       "want",
    "wants",    "was",     "wasn",      "way",      "we",      "were",      "weren",    "what",
    "whatever", "when",    "where",     "whether",  "which",   "while",     "who",      "whom",
    "whose",    "why",     "will",      "with",     "within",  "would",     "wouldn",   "yet",
    "you",      "your",    "yours",     "yourself",
};

// One spelling per meaning, on both sides (index and prompt): these are the same word.
constexpr std::pair<std::string_view, std::string_view> kCanonical[] = {
    {"email", "mail"},
    {"signin", "sign"},
    {"login", "logon"},
    {"macos", "mac"},
    {"osx", "mac"},
    {"macbook", "mac"},
    {"mbp", "mac"},
    {"imac", "mac"},
    {"lookup", "look"},
    {"ips", "ip"},
    {"sshd", "ssh"},
    {"openssh", "ssh"},
    {"administrator", "admin"},
    {"intelligence", "intel"},
    {"auth", "authentication"},
    {"authn", "authentication"},
    {"config", "configuration"},
    {"configure", "configuration"},
    {"pwsh", "powershell"},
    {"ps1", "powershell"},
    {"js", "javascript"},
    {"vbs", "vbscript"},
    {"bat", "batch"},
    {"kusto", "kql"},
    {"multifactor", "mfa"},
    {"aad", "entra"},
    {"azuread", "entra"},
    {"att", "attack"},  // ATT&CK splits into att and ck
    {"vuln", "vulnerability"},
    {"hostname", "host"},
    {"username", "user"},
    {"analysis", "analyze"},
    {"summary", "summarize"},
    {"valid", "validate"},
    {"http", "url"},
    {"hxxp", "url"},
    {"uri", "url"},
    {"fqdn", "domain"},
    {"checksum", "hash"},
    {"ioc", "indicator"},  // an indicator of compromise
};

struct Related {
  std::string_view word;
  std::initializer_list<std::string_view> terms;
  float weight;
};

// What a prompt word also stands for, at a share of its weight: hypernyms (sha256 is a hash),
// jargon (EDR raises detections, a TTP is an ATT&CK technique), and near-synonyms that are not
// the same word (a laptop may be a Mac). Directional: "sha256" means a hash; "hash" means
// sha256 only loosely.
constexpr float kStrong = 0.7f;  // nearly the same thing
constexpr float kRelated = 0.5f;
constexpr float kLoose = 0.3f;  // often, not always, the same thing
const Related kRelatedTerms[] = {
    // indicators and their types
    {"ip", {"address"}, kRelated},
    {"address", {"ip"}, kLoose},
    {"ipv4", {"ip"}, kStrong},
    {"ipv6", {"ip"}, kStrong},
    {"sha256", {"hash"}, kStrong},
    {"sha1", {"hash"}, kStrong},
    {"sha", {"hash"}, kStrong},
    {"md5", {"hash"}, kStrong},
    {"sha512", {"hash"}, kStrong},
    {"fingerprint", {"hash"}, kRelated},
    {"hash", {"sha256", "md5", "sha1"}, kLoose},
    {"observable", {"indicator"}, kRelated},
    {"artifact", {"indicator"}, kRelated},
    {"website", {"domain", "url"}, kRelated},
    {"site", {"domain", "url"}, kLoose},
    {"link", {"url"}, kRelated},
    {"vulnerability", {"cve"}, kRelated},
    {"cve", {"vulnerability"}, kRelated},
    {"exploit", {"vulnerability", "cve"}, kLoose},
    // verdicts
    {"malicious", {"reputation", "bad"}, kRelated},
    {"bad", {"malicious"}, kRelated},
    {"evil", {"malicious"}, kRelated},
    {"reputation", {"malicious"}, kRelated},
    {"safe", {"clean", "reputation"}, kRelated},
    {"benign", {"clean", "reputation"}, kRelated},
    {"malware", {"malicious"}, kLoose},
    // hunting
    {"kql", {"query", "hunt"}, kRelated},
    {"query", {"kql"}, kRelated},
    {"hunt", {"kql", "query"}, kRelated},
    {"telemetry", {"log"}, kRelated},
    {"event", {"log"}, kLoose},
    {"rdp", {"logon", "remote"}, kRelated},
    {"sign", {"logon"}, kLoose},
    {"logon", {"sign"}, kLoose},
    {"brute", {"fail", "sign", "logon"}, kRelated},
    {"autorun", {"persistence", "registry"}, kRelated},
    // machines
    {"host", {"device", "machine", "endpoint", "computer", "server"}, kLoose},
    {"device", {"host", "machine", "endpoint", "computer"}, kLoose},
    {"machine", {"host", "device", "endpoint", "computer"}, kLoose},
    {"endpoint", {"host", "device", "machine", "computer"}, kLoose},
    {"computer", {"host", "device", "machine", "endpoint", "mac"}, kLoose},
    {"server", {"host", "machine"}, kLoose},
    {"box", {"host", "machine", "server"}, kLoose},
    {"workstation", {"host", "device", "computer"}, kRelated},
    {"laptop", {"computer", "device", "mac"}, kRelated},
    {"notebook", {"computer", "device", "mac"}, kRelated},
    {"mac", {"computer", "jamf"}, kRelated},
    {"jamf", {"mac"}, kRelated},
    {"mdm", {"jamf", "mac"}, kRelated},
    {"linux", {"debian", "ubuntu"}, kLoose},
    {"debian", {"linux"}, kStrong},
    {"ubuntu", {"linux"}, kStrong},
    {"rhel", {"linux"}, kStrong},
    {"centos", {"linux"}, kStrong},
    // detections and incidents
    {"edr", {"detection", "endpoint"}, kRelated},
    {"mdr", {"detection"}, kRelated},
    {"alert", {"detection", "incident"}, kRelated},
    {"detection", {"alert"}, kLoose},
    {"case", {"incident"}, kRelated},
    {"unresolved", {"open"}, kStrong},
    {"outstanding", {"open"}, kRelated},
    {"pending", {"open"}, kRelated},
    {"ack", {"acknowledge"}, kStrong},
    {"close", {"remediate", "state"}, kRelated},
    {"resolve", {"remediate"}, kRelated},
    {"fp", {"false", "positive"}, kStrong},
    {"contain", {"isolate", "lock"}, kRelated},
    {"quarantine", {"isolate", "contain", "lock"}, kRelated},
    {"isolate", {"contain"}, kLoose},
    {"lock", {"contain"}, kLoose},
    {"ttp", {"technique", "mitre", "attack"}, kRelated},
    {"technique", {"mitre", "attack"}, kLoose},
    {"mitre", {"attack", "technique"}, kRelated},
    {"chronology", {"timeline"}, kStrong},
    {"triage", {"summarize"}, kLoose},
    {"overview", {"summarize"}, kRelated},
    // reports and audiences
    {"brief", {"report", "ciso"}, kRelated},
    {"writeup", {"report"}, kStrong},
    {"report", {"brief"}, kLoose},
    {"ciso", {"executive", "report"}, kRelated},
    {"executive", {"ciso", "report"}, kRelated},
    {"exec", {"ciso", "executive", "report"}, kRelated},
    {"management", {"ciso", "executive", "report"}, kRelated},
    {"board", {"ciso", "executive", "report"}, kRelated},
    {"leadership", {"ciso", "executive", "report"}, kRelated},
    {"stakeholder", {"report"}, kRelated},
    // scripts
    {"powershell", {"script"}, kRelated},
    {"bash", {"script"}, kRelated},
    {"batch", {"script"}, kRelated},
    {"javascript", {"script"}, kRelated},
    {"vbscript", {"script"}, kRelated},
    {"dropper", {"script"}, kRelated},
    {"macro", {"script"}, kLoose},
    {"oneliner", {"script", "command"}, kRelated},
    {"deobfuscate", {"decode", "obfuscate"}, kRelated},
    {"obfuscate", {"deobfuscate"}, kRelated},
    {"decode", {"deobfuscate"}, kRelated},
    {"unwrap", {"deobfuscate", "layer"}, kRelated},
    {"unpack", {"deobfuscate", "layer"}, kRelated},
    {"peel", {"deobfuscate", "layer"}, kRelated},
    {"base64", {"decode", "encode"}, kLoose},
    // KQL assistance
    {"explain", {"describe"}, kLoose},
    {"describe", {"explain"}, kRelated},
    {"understand", {"explain"}, kRelated},
    {"mean", {"explain"}, kRelated},
    {"lint", {"validate"}, kStrong},
    {"verify", {"validate"}, kRelated},
    {"correct", {"validate"}, kLoose},
    {"generate", {"write"}, kLoose},
    {"write", {"generate"}, kLoose},
    {"create", {"write", "generate"}, kRelated},
    {"craft", {"write", "generate"}, kRelated},
    {"draft", {"write"}, kRelated},
    {"compose", {"write"}, kRelated},
    {"execute", {"run"}, kRelated},
    {"run", {"execute"}, kLoose},
    // network and mail
    {"talk", {"connect", "network"}, kRelated},
    {"traffic", {"connect", "network"}, kRelated},
    {"communicate", {"connect", "network"}, kRelated},
    {"beacon", {"connect", "network"}, kRelated},
    {"contact", {"connect"}, kLoose},
    {"phish", {"mail", "sender"}, kRelated},
    {"sender", {"mail"}, kRelated},
    {"inbox", {"mail"}, kRelated},
    {"mailbox", {"mail"}, kRelated},
    {"recipient", {"mail", "receive"}, kRelated},
    // identity and access
    {"user", {"account"}, kLoose},
    {"account", {"user"}, kRelated},
    {"upn", {"user"}, kRelated},
    {"identity", {"user"}, kRelated},
    {"employee", {"user"}, kRelated},
    {"privileged", {"admin"}, kRelated},
    {"basic", {"legacy"}, kLoose},
    {"credential", {"password"}, kLoose},
    {"ca", {"conditional", "access"}, kRelated},
    {"azure", {"entra"}, kRelated},
    // posture and health
    {"encrypt", {"filevault", "bitlocker"}, kRelated},
    {"unencrypted", {"encrypt", "filevault"}, kRelated},
    {"filevault", {"encrypt"}, kRelated},
    {"bitlocker", {"encrypt"}, kRelated},
    {"harden", {"posture", "configuration", "cis"}, kRelated},
    {"posture", {"harden", "configuration"}, kLoose},
    {"cis", {"benchmark", "posture"}, kRelated},
    {"misconfiguration", {"configuration", "posture"}, kRelated},
    {"firewall", {"ufw", "nftables", "iptables"}, kLoose},
    {"ufw", {"firewall"}, kStrong},
    {"nftables", {"firewall"}, kStrong},
    {"iptables", {"firewall"}, kStrong},
    {"port", {"listen", "service"}, kRelated},
    {"outdated", {"out", "date", "unhealthy"}, kRelated},
    {"stale", {"unhealthy"}, kRelated},
    {"noncompliant", {"compliance", "unhealthy"}, kRelated},
    {"compliance", {"unhealthy"}, kLoose},
    {"patch", {"update"}, kRelated},
};

std::string normalise(std::string_view word, const TermMap<std::string>& canonical) {
  std::string term = stem(word);
  if (auto found = canonical.find(term); found != canonical.end()) return found->second;
  return term;
}

struct Lexicon {
  std::unordered_set<std::string_view, TermHash> stopwords{std::begin(kStopwords),
                                                           std::end(kStopwords)};
  TermMap<std::string> canonical;
  TermMap<std::vector<RelatedTerm>> related;

  Lexicon() {
    for (const auto& [from, to] : kCanonical)
      canonical.emplace(stem(from), stem(to));
    for (const auto& entry : kRelatedTerms) {
      auto& terms = related[normalise(entry.word, canonical)];
      for (const auto term : entry.terms)
        terms.push_back({normalise(term, canonical), entry.weight});
    }
  }
};

const Lexicon& lexicon() {
  static const Lexicon instance;  // immutable once built
  return instance;
}

}  // namespace

bool is_stopword(std::string_view word) noexcept {
  return lexicon().stopwords.contains(word);
}

std::string_view canonical_term(std::string_view stemmed) noexcept {
  const auto& canonical = lexicon().canonical;
  if (auto found = canonical.find(stemmed); found != canonical.end()) return found->second;
  return stemmed;
}

std::span<const RelatedTerm> related_terms(std::string_view term) noexcept {
  const auto& related = lexicon().related;
  if (auto found = related.find(term); found != related.end()) return found->second;
  return {};
}

}  // namespace secpilot::grounding

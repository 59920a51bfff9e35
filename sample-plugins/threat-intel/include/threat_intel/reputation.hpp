// Turns the entries an indicator matched into one reputation: a verdict, a confidence, and the
// evidence (which feed, which entry, how it matched, first and last seen, tags).
//
// Verdict: the most severe verdict among the matches (malicious > suspicious > clean); "unknown"
// when nothing matched. A host that merely serves a listed URL is at most "suspicious".
// Confidence (0..100): each match scores its entry's (or feed's) confidence times a weight for
// how it matched (match_weight); per feed the best score counts, and the feeds that support the
// verdict combine as independent witnesses: 100 * (1 - prod(1 - score_f / 100)).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "threat_intel/feed.hpp"
#include "threat_intel/indicator.hpp"
#include "threat_intel/indicator_index.hpp"

namespace threat_intel {

// exact 1.0, cidr 0.85, parent_domain 0.75, url_host 0.85, url_host_cidr 0.7,
// url_host_parent_domain 0.65, host_of_listed_url 0.6.
double match_weight(MatchKind kind) noexcept;

// A match and a reputation hold views into the index they were assessed against (its feeds'
// names and entries' text): they are valid while that index lives. An answer is written from them
// without copying any of the entries' strings.
struct Match {
  std::string_view feed;  // the feed's name
  FeedFormat format = FeedFormat::Plain;
  MatchKind kind = MatchKind::Exact;
  std::string_view entry;  // the listed value that matched: the network, parent domain, URL, hash
  Verdict verdict = Verdict::Suspicious;  // this match's own verdict
  int confidence = 0;                     // this match's score (after the weight)
  std::string_view first_seen, last_seen;
  std::string_view malware, threat_type, reference;
  std::vector<std::string_view> tags;  // the entry's, then the feed's own, each once
  std::vector<std::pair<std::string_view, std::string_view>> details;
  uint32_t line = 0;
};

struct Reputation {
  Indicator indicator;
  Verdict verdict = Verdict::Unknown;
  int confidence = 0;
  std::vector<Match> matches;             // most severe, then most confident first
  std::string_view first_seen;            // earliest over all matches, ISO 8601, or empty
  std::string_view last_seen;             // latest over all matches
  std::vector<std::string_view> tags;     // union of tags, malware families and threat types
  std::vector<std::string_view> malware;  // union of malware families
};

Reputation assess(const IndicatorIndex& index, const Indicator& indicator);

}  // namespace threat_intel

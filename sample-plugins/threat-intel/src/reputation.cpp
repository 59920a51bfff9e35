#include "threat_intel/reputation.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "text_util.hpp"

namespace threat_intel {
namespace {

void add_unique(std::vector<std::string_view>& list, std::string_view value) {
  if (value.empty()) return;
  for (const auto existing : list)
    if (iequals(existing, value)) return;
  list.push_back(value);
}

// The entry's own spelling of the hash that was looked up (it lists every hash of the file).
std::string_view matched_hash(const FeedEntry& entry, std::string_view looked_up) {
  for (const auto& hash : entry.hashes)
    if (iequals(hash, looked_up)) return hash;
  return entry.value;
}

// Sorts stably, in place: std::stable_sort would allocate a temporary buffer on every lookup, for
// what is at most IndicatorIndex::kMaxHits matches and mostly one to three.
template <class Iterator, class Less>
void insertion_sort(Iterator first, Iterator last, Less less) {
  for (Iterator next = first; next != last; ++next)
    std::rotate(std::upper_bound(first, next, *next, less), next, std::next(next));
}

}  // namespace

double match_weight(MatchKind kind) noexcept {
  switch (kind) {
    case MatchKind::Exact:
      return 1.0;
    case MatchKind::Cidr:
      return 0.85;
    case MatchKind::ParentDomain:
      return 0.75;
    case MatchKind::UrlHost:
      return 0.85;
    case MatchKind::UrlHostCidr:
      return 0.7;
    case MatchKind::UrlHostParentDomain:
      return 0.65;
    case MatchKind::HostOfListedUrl:
      return 0.6;
  }
  return 0.5;
}

Reputation assess(const IndicatorIndex& index, const Indicator& indicator) {
  Reputation result;
  result.indicator = indicator;
  const auto hits = index.find(indicator);
  result.matches.reserve(hits.size());
  for (const auto& hit : hits) {
    const FeedStatus& feed = index.feeds()[hit.feed].status;
    const FeedEntry& entry = index.entry(hit);
    Match match;
    match.feed = feed.name;
    match.format = feed.format;
    match.kind = hit.kind;
    // For hashes the entry holds every hash of the file: report the one that matched.
    match.entry = is_hash(entry.type) ? matched_hash(entry, indicator.value) : entry.value;
    match.verdict = entry.verdict.value_or(feed.verdict);
    if (hit.kind == MatchKind::HostOfListedUrl && match.verdict == Verdict::Malicious)
      match.verdict = Verdict::Suspicious;
    int base = std::clamp(entry.confidence.value_or(feed.confidence), 0, 100);
    match.confidence = static_cast<int>(std::lround(base * match_weight(hit.kind)));
    match.first_seen = entry.first_seen;
    match.last_seen = entry.last_seen;
    match.malware = entry.malware;
    match.threat_type = entry.threat_type;
    match.reference = entry.reference;
    match.tags.reserve(entry.tags.size() + feed.tags.size());
    match.tags.assign(entry.tags.begin(), entry.tags.end());
    for (const auto& tag : feed.tags)
      add_unique(match.tags, tag);
    const bool all_hashes = is_hash(entry.type) && entry.hashes.size() > 1;
    match.details.reserve(entry.details.size() + (all_hashes ? entry.hashes.size() : 0));
    match.details.assign(entry.details.begin(), entry.details.end());
    if (all_hashes)
      for (const auto& hash : entry.hashes)
        if (auto type = hash_type(hash)) match.details.emplace_back(type_name(*type), hash);
    match.line = entry.line;
    result.matches.push_back(std::move(match));
  }
  if (result.matches.empty()) return result;

  insertion_sort(result.matches.begin(), result.matches.end(), [](const Match& a, const Match& b) {
    if (a.verdict != b.verdict) return a.verdict > b.verdict;
    return a.confidence > b.confidence;
  });
  result.verdict = result.matches.front().verdict;

  // Best score per supporting feed, combined as independent witnesses.
  std::vector<std::pair<std::string_view, int>> best;
  best.reserve(result.matches.size());
  for (const auto& match : result.matches) {
    if (match.verdict != result.verdict) continue;
    auto it = std::find_if(best.begin(), best.end(),
                           [&](const auto& b) { return b.first == match.feed; });
    if (it == best.end())
      best.emplace_back(match.feed, match.confidence);
    else
      it->second = std::max(it->second, match.confidence);
  }
  double doubt = 1.0;
  for (const auto& [feed, score] : best)
    doubt *= 1.0 - score / 100.0;
  result.confidence = std::clamp(static_cast<int>(std::lround(100.0 * (1.0 - doubt))), 0, 100);

  std::size_t tags = 0;
  for (const auto& match : result.matches)
    tags += match.tags.size() + 2;
  result.tags.reserve(tags);
  result.malware.reserve(result.matches.size());
  for (const auto& match : result.matches) {
    if (!match.first_seen.empty() &&
        (result.first_seen.empty() || match.first_seen < result.first_seen))
      result.first_seen = match.first_seen;
    if (!match.last_seen.empty() && match.last_seen > result.last_seen)
      result.last_seen = match.last_seen;
    add_unique(result.malware, match.malware);
    add_unique(result.tags, match.malware);
    add_unique(result.tags, match.threat_type);
    for (const auto& tag : match.tags)
      add_unique(result.tags, tag);
  }
  return result;
}

}  // namespace threat_intel

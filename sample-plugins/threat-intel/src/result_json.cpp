#include "threat_intel/result_json.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "threat_intel/json_writer.hpp"

namespace threat_intel {
namespace json = boost::json;
namespace {

void write_strings(JsonWriter& out, const std::vector<std::string_view>& list) {
  out.begin_array();
  for (const auto& item : list)
    out.string(item);
  out.end_array();
}

void write_match(JsonWriter& out, const Match& match) {
  out.begin_object();
  out.member("feed", match.feed);
  out.member("format", format_name(match.format));
  out.member("match", match_kind_name(match.kind));
  out.member("entry", match.entry);
  out.member("verdict", verdict_name(match.verdict));
  out.member("confidence", match.confidence);
  out.member_or_null("first_seen", match.first_seen);
  out.member_or_null("last_seen", match.last_seen);
  out.member_or_null("malware", match.malware);
  out.member_or_null("threat_type", match.threat_type);
  out.key("tags");
  write_strings(out, match.tags);
  out.member_or_null("reference", match.reference);
  out.key("details");
  out.begin_object();
  for (const auto& [key, value] : match.details)
    out.member(key, value);
  out.end_object();
  out.member("line", match.line);
  out.end_object();
}

// What was consulted: the folder and its totals, every problem (so that an answer never silently
// rests on a broken feed), and the feeds that matched with their files (where `line` points).
// The status of every feed is plugin state, not part of a verdict: it stays out of the answer.
void write_feeds(JsonWriter& out, const Reputation& reputation, const Snapshot& snapshot) {
  const auto& feeds = snapshot.index.feeds();
  out.begin_object();
  out.member("folder", snapshot.directory.native());
  out.member("loaded_at", snapshot.loaded_at);
  out.member("loaded", snapshot.feeds_loaded());
  out.member("entries", snapshot.index.entry_count());
  out.member("skipped_lines", snapshot.skipped_lines());
  out.key("problems");
  out.begin_array();
  for (const auto& problem : snapshot.problems)
    out.string(problem);
  for (const auto& feed : feeds) {
    const FeedStatus& status = feed.status;
    if (!status.error.empty()) out.string(status.name + ": " + status.error);
    for (const auto& problem : status.problems)
      out.string(status.file + ": " + problem + " (skipped)");
  }
  out.end_array();
  out.key("matched");
  out.begin_array();
  for (const auto& feed : feeds) {
    const FeedStatus& status = feed.status;
    const bool matched = std::any_of(reputation.matches.begin(), reputation.matches.end(),
                                     [&](const Match& match) { return match.feed == status.name; });
    if (!matched) continue;
    out.begin_object();
    out.member("name", status.name);
    out.member("file", status.file);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

}  // namespace

std::string reputation_json(const Reputation& reputation, std::string_view input,
                            const Snapshot& snapshot) {
  std::string text;
  text.reserve(512 + 384 * reputation.matches.size());
  JsonWriter out(text);
  out.begin_object();
  out.member("indicator", reputation.indicator.value);
  out.member("type", type_name(reputation.indicator.type));
  out.member("input", input);
  out.member("defanged", reputation.indicator.defanged);
  out.member("verdict", verdict_name(reputation.verdict));
  out.member("confidence", reputation.confidence);
  out.key("matches");
  out.begin_array();
  for (const auto& match : reputation.matches)
    write_match(out, match);
  out.end_array();
  out.member_or_null("first_seen", reputation.first_seen);
  out.member_or_null("last_seen", reputation.last_seen);
  out.key("tags");
  write_strings(out, reputation.tags);
  out.key("malware");
  write_strings(out, reputation.malware);
  out.key("feeds");
  write_feeds(out, reputation, snapshot);
  out.end_object();
  return text;
}

json::object extraction_json(const Extraction& extraction) {
  json::object out;
  json::array indicators;
  indicators.reserve(extraction.indicators.size());
  for (const auto& indicator : extraction.indicators) {
    json::object item;
    item["type"] = type_name(indicator.type);
    item["value"] = indicator.value;
    item["count"] = static_cast<int64_t>(indicator.count);
    item["defanged"] = indicator.defanged;
    indicators.emplace_back(std::move(item));
  }
  out["indicators"] = std::move(indicators);
  json::object counts;
  size_t total = 0;
  for (int type = 0; type < kIndicatorTypeCount; ++type) {
    counts[type_name(static_cast<IndicatorType>(type))] =
        static_cast<int64_t>(extraction.counts[type]);
    total += extraction.counts[type];
  }
  counts["total"] = static_cast<int64_t>(total);
  out["counts"] = std::move(counts);
  out["occurrences"] = static_cast<int64_t>(extraction.occurrences);
  out["truncated"] = extraction.truncated;
  return out;
}

}  // namespace threat_intel

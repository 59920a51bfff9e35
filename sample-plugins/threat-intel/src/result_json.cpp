#include "threat_intel/result_json.hpp"

#include <boost/json.hpp>

namespace threat_intel {
namespace json = boost::json;
namespace {

json::value text_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::value(text);
}

json::array strings(const std::vector<std::string>& list) {
  json::array out;
  out.reserve(list.size());
  for (const auto& item : list)
    out.emplace_back(item);
  return out;
}

json::object match_json(const Match& match) {
  json::object out;
  out["feed"] = match.feed;
  out["format"] = format_name(match.format);
  out["match"] = match_kind_name(match.kind);
  out["entry"] = match.entry;
  out["verdict"] = verdict_name(match.verdict);
  out["confidence"] = match.confidence;
  out["first_seen"] = text_or_null(match.first_seen);
  out["last_seen"] = text_or_null(match.last_seen);
  out["malware"] = text_or_null(match.malware);
  out["threat_type"] = text_or_null(match.threat_type);
  out["tags"] = strings(match.tags);
  out["reference"] = text_or_null(match.reference);
  json::object details;
  for (const auto& [key, value] : match.details)
    details[key] = value;
  out["details"] = std::move(details);
  out["line"] = static_cast<int64_t>(match.line);
  return out;
}

}  // namespace

json::object feeds_json(const Snapshot& snapshot) {
  json::object out;
  out["folder"] = snapshot.directory.string();
  out["loaded_at"] = snapshot.loaded_at;
  out["loaded"] = static_cast<int64_t>(snapshot.feeds_loaded());
  out["entries"] = static_cast<int64_t>(snapshot.index.entry_count());
  out["skipped_lines"] = static_cast<int64_t>(snapshot.skipped_lines());
  json::array problems = strings(snapshot.problems);
  json::array list;
  for (const auto& feed : snapshot.index.feeds()) {
    const FeedStatus& status = feed.status;
    json::object item;
    item["name"] = status.name;
    item["file"] = status.file;
    item["format"] = format_name(status.format);
    item["verdict"] = verdict_name(status.verdict);
    item["confidence"] = status.confidence;
    item["entries"] = static_cast<int64_t>(status.entries);
    item["skipped_lines"] = static_cast<int64_t>(status.skipped_lines);
    if (!status.error.empty()) {
      item["error"] = status.error;
      problems.emplace_back(status.name + ": " + status.error);
    }
    for (const auto& problem : status.problems)
      problems.emplace_back(status.file + ": " + problem + " (skipped)");
    list.emplace_back(std::move(item));
  }
  out["problems"] = std::move(problems);
  out["list"] = std::move(list);
  return out;
}

json::object reputation_json(const Reputation& reputation, std::string_view input,
                             const Snapshot& snapshot) {
  json::object out;
  out["indicator"] = reputation.indicator.value;
  out["type"] = type_name(reputation.indicator.type);
  out["input"] = input;
  out["defanged"] = reputation.indicator.defanged;
  out["verdict"] = verdict_name(reputation.verdict);
  out["confidence"] = reputation.confidence;
  json::array matches;
  matches.reserve(reputation.matches.size());
  for (const auto& match : reputation.matches)
    matches.emplace_back(match_json(match));
  out["matches"] = std::move(matches);
  out["first_seen"] = text_or_null(reputation.first_seen);
  out["last_seen"] = text_or_null(reputation.last_seen);
  out["tags"] = strings(reputation.tags);
  out["malware"] = strings(reputation.malware);
  out["feeds"] = feeds_json(snapshot);
  return out;
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

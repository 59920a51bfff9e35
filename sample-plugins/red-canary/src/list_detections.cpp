// `since` is the one filter the published API takes for detections; severity and state have no
// parameter, so they are applied here, over full pages, within a page budget that keeps a call
// under Red Canary's documented rate limit.
#include <algorithm>
#include <string>

#include <boost/json/array.hpp>

#include "inputs.hpp"
#include "json_access.hpp"
#include "red_canary/detection.hpp"
#include "red_canary/errors.hpp"
#include "red_canary/paging.hpp"
#include "red_canary/skills.hpp"
#include "red_canary/time_window.hpp"

namespace red_canary {
namespace json = boost::json;

namespace {

constexpr std::size_t kDefaultLimit = 25;
constexpr std::size_t kMaxLimit = 500;
constexpr std::size_t kMaxPerPage = 100;
constexpr int kMaxPages = 10;

struct Filters {
  std::optional<std::string> since;
  std::optional<std::string> severity;
  std::optional<DetectionState> state;
};

Filters read_filters(const json::object& input, std::chrono::system_clock::time_point now) {
  Filters filters;
  if (auto text = detail::optional_text(input, "since")) filters.since = parse_since(*text, now);
  if (auto text = detail::optional_text(input, "severity")) {
    filters.severity = parse_severity(*text);
    if (!filters.severity)
      throw Error(ErrorKind::invalid_input, "the input 'severity' is '" + *text + "': use one of " +
                                                std::string(kSeverityNames) +
                                                " (the severities Red Canary assigns)");
  }
  if (auto text = detail::optional_text(input, "state")) {
    filters.state = parse_state(*text);
    if (!filters.state)
      throw Error(ErrorKind::invalid_input,
                  "the input 'state' is '" + *text + "': use one of " + std::string(kStateNames));
  }
  return filters;
}

bool matches(const json::object& detection, const Filters& filters) {
  if (filters.severity) {
    auto severity = detail::string_at(detection, {"attributes", "severity"});
    if (!severity || parse_severity(*severity) != filters.severity) return false;
  }
  return !filters.state || detection_state(detection) == *filters.state;
}

}  // namespace

json::object list_detections(ApiClient& client, const json::object& input,
                             std::chrono::system_clock::time_point now) {
  const std::size_t limit = detail::limit_input(input, kDefaultLimit, kMaxLimit);
  const Filters filters = read_filters(input, now);
  const bool filter_here = filters.severity || filters.state;

  PageQuery query;
  query.path = "detections";
  query.subject = {"the detections list", true};
  // Filtering here discards items, so full pages then cost the fewest requests.
  query.per_page = filter_here ? kMaxPerPage : std::min(limit, kMaxPerPage);
  query.max_pages = kMaxPages;
  if (filters.since) query.query.emplace_back("since", *filters.since);

  Keep keep;
  if (filter_here) keep = [&](const json::object& item) { return matches(item, filters); };
  const Collected collected = collect(client, query, limit, keep);

  json::array detections;
  for (const auto& item : collected.items)
    detections.push_back(detection_summary(item, client.instance().portal_url));
  json::array by_server;
  json::array by_plugin;
  if (filters.since) by_server.push_back("since");
  if (filters.severity) by_plugin.push_back("severity");
  if (filters.state) by_plugin.push_back("state");

  return json::object{
      {"count", detections.size()},
      {"detections", std::move(detections)},
      {"more_available", collected.more_available},
      {"pages_fetched", collected.pages},
      {"scanned", collected.scanned},
      {"filters",
       json::object{
           {"since", detail::or_null(filters.since)},
           {"severity", detail::or_null(filters.severity)},
           {"state", filters.state ? json::value(state_name(*filters.state)) : json::value()},
           {"applied_by_server", std::move(by_server)},
           {"applied_by_plugin", std::move(by_plugin)},
       }},
  };
}

}  // namespace red_canary

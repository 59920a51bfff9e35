// A natural-language hunting request taken apart: its words and the entities in it.
#ifndef KQL_SKILLS_SRC_GENERATE_REQUEST_HPP
#define KQL_SKILLS_SRC_GENERATE_REQUEST_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kql_skills {

// A time window as the request put it, and how KQL filters it.
struct TimeWindow {
  std::string phrase;        // "the last 24 hours", "since yesterday"
  std::string lower_kql;     // the lower bound: "ago(24h)", "startofday(ago(1d))"
  std::string upper_kql;     // an upper bound, or empty: "startofday(now())" for "yesterday"
  bool from_request = true;  // false: a default the generator assumed
};

struct Entities {
  std::vector<std::string> ips;      // IPv4 / IPv6 addresses
  std::vector<std::string> cidrs;    // 10.0.0.0/8
  std::vector<std::string> domains;  // evil.example.com
  std::vector<std::string> urls;     // http(s)://...
  std::vector<std::string> emails;   // also user principal names
  std::vector<std::string> md5s;
  std::vector<std::string> sha1s;
  std::vector<std::string> sha256s;
  std::vector<std::string> hosts;      // WS-042, DC01, srv-files-01.contoso.com
  std::vector<std::string> users;      // jdoe, CONTOSO\jdoe (not UPNs: those are in emails)
  std::vector<std::string> processes;  // powershell.exe, rundll32.exe
  std::vector<std::string> files;      // invoice.docm, payload.ps1
  std::optional<int> count;            // "top 20", "10 most"
  std::optional<TimeWindow> window;
};

struct Request {
  std::string text;   // as given
  std::string lower;  // ASCII lower case, refanged, with single spaces
  Entities entities;

  // Whole-word (or whole-phrase) match in `lower`: "sign in" matches "failed sign in for".
  bool has(std::string_view phrase) const;
  bool has_any(std::initializer_list<std::string_view> phrases) const;
};

Request read_request(std::string_view text);

// Reads a time window phrase from lower-case text ("last 24 hours", "past 7 days",
// "since yesterday", "today", "last week"), or nullopt.
std::optional<TimeWindow> read_time_window(std::string_view lower);

}  // namespace kql_skills

#endif  // KQL_SKILLS_SRC_GENERATE_REQUEST_HPP

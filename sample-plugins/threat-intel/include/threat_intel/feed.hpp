// Feed files: their formats, the entries read from them, and the parser that turns one file's
// text into entries while counting (never failing on) malformed lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "threat_intel/indicator.hpp"
#include "threat_intel/ip_address.hpp"

namespace threat_intel {

// How bad a listed indicator is. Ordered: a higher value wins when feeds disagree.
enum class Verdict { Unknown, Clean, Suspicious, Malicious };
std::string_view verdict_name(Verdict verdict) noexcept;  // "unknown", "clean", ...
std::optional<Verdict> parse_verdict(std::string_view text);

enum class FeedFormat {
  Auto,              // detect from the header (see detect_format)
  Plain,             // one indicator per line (any type), '#' comments, hosts-file lines
  Cidr,              // "198.51.100.0/24 ; SBL123" (Spamhaus DROP style) or bare CIDRs/addresses
  UrlhausCsv,        // abuse.ch URLhaus CSV export
  FeodoCsv,          // abuse.ch Feodo Tracker IP blocklist CSV
  MalwareBazaarCsv,  // abuse.ch MalwareBazaar CSV export
  ThreatFoxCsv,      // abuse.ch ThreatFox CSV export
};
// "auto", "plain", "cidr", "urlhaus_csv", "feodo_csv", "malwarebazaar_csv", "threatfox_csv".
std::string_view format_name(FeedFormat format) noexcept;
std::optional<FeedFormat> parse_format(std::string_view text);
inline constexpr std::string_view kFormatNames =
    "auto, plain, cidr, urlhaus_csv, feodo_csv, malwarebazaar_csv, threatfox_csv";

// What a feed says by default when its rows do not: plain lists are "suspicious" at 50, the
// curated formats "malicious" at 75 to 90 (see docs/plugins/threat-intel.md).
Verdict default_verdict(FeedFormat format) noexcept;
int default_confidence(FeedFormat format) noexcept;

// Looks at the header and the first lines: an abuse.ch CSV header names its format; a line of the
// form "CIDR ; text" means cidr; anything else is plain.
FeedFormat detect_format(std::string_view content);

// How to read one feed: one entry of feeds.json, or the defaults for an unlisted file.
struct FeedSpec {
  std::string name;  // shown in results; defaults to the file name without extension
  std::string file;  // relative to the feed folder
  FeedFormat format = FeedFormat::Auto;
  std::optional<Verdict> verdict;  // default: default_verdict(format)
  std::optional<int> confidence;   // 0..100; default: default_confidence(format)
  std::vector<std::string> tags;   // added to every entry's tags
};

// One listed indicator.
struct FeedEntry {
  IndicatorType type = IndicatorType::Domain;  // Ipv4/Ipv6 (a network), Domain, Url or a hash
  std::string value;                  // canonical: "198.51.100.0/24", "evil.example", a URL, a hash
  std::optional<IpNetwork> network;   // for IP entries
  std::string url_host;               // for URL entries: the canonical host
  std::vector<std::string> hashes;    // for hash entries: every hash of the file (md5/sha1/sha256)
  std::optional<Verdict> verdict;     // overrides the feed's
  std::optional<int> confidence;      // overrides the feed's (ThreatFox confidence_level)
  std::string first_seen, last_seen;  // ISO 8601, or empty
  std::string malware;                // malware family, when the feed names one
  std::string threat_type;            // e.g. botnet_cc, malware_download, payload
  std::vector<std::string> tags;
  std::string reference;                                     // e.g. the SBL id or the abuse.ch page
  std::vector<std::pair<std::string, std::string>> details;  // format-specific extras
  uint32_t line = 0;                                         // 1-based line in the feed file
};

// What loading one feed did.
struct FeedStatus {
  std::string name;
  std::string file;
  FeedFormat format = FeedFormat::Auto;  // as resolved (never Auto after parsing)
  Verdict verdict = Verdict::Suspicious;
  int confidence = 50;
  std::vector<std::string> tags;  // the feed's own tags, added to its matches
  size_t entries = 0;
  size_t skipped_lines = 0;           // malformed lines, skipped
  std::vector<std::string> problems;  // the first few malformed lines, "line 7: why"
  std::string error;                  // set when the whole file could not be used
};

struct ParsedFeed {
  FeedStatus status;
  std::vector<FeedEntry> entries;
};

// Parses one feed's text. Never throws on bad data: a malformed line is skipped, counted in
// status.skipped_lines and (the first five) described in status.problems.
ParsedFeed parse_feed(std::string_view content, const FeedSpec& spec);

// Normalises feed timestamps to ISO 8601: "2024-08-01 12:00:05" (UTC, as abuse.ch writes them)
// becomes "2024-08-01T12:00:05Z", a bare date stays a date; empty when not a timestamp.
std::string iso8601(std::string_view text);

// One CSV record split into fields: comma-separated, fields optionally "quoted" with "" as an
// escaped quote, spaces around fields trimmed. Empty when the line is malformed (an unterminated
// quote or text after a closing quote).
std::optional<std::vector<std::string>> split_csv(std::string_view line);

}  // namespace threat_intel

#include "threat_intel/feed.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "text_util.hpp"

namespace threat_intel {
namespace {

constexpr size_t kMaxProblems = 5;

// Splits text into lines without copying; handles \n, \r\n and a leading UTF-8 byte order mark.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }
  bool next(std::string_view& line) {
    if (text_.empty()) return false;
    size_t end = text_.find('\n');
    line = text_.substr(0, end);
    text_.remove_prefix(end == std::string_view::npos ? text_.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number_;
    return true;
  }
  uint32_t number() const noexcept { return number_; }

 private:
  std::string_view text_;
  uint32_t number_ = 0;
};

// "#" comments everywhere; ";" comments as in Spamhaus DROP files.
bool is_comment(std::string_view line) noexcept {
  return !line.empty() && (line.front() == '#' || line.front() == ';');
}

// "n/a", "none", "null" and empty mean "no value" in abuse.ch exports.
bool present(std::string_view value) noexcept {
  return !value.empty() && !iequals(value, "n/a") && !iequals(value, "none") &&
         !iequals(value, "null");
}

// The column names of a CSV header line (comment marker, quotes and spaces removed), or empty
// when the line is not a header of a known abuse.ch export.
std::vector<std::string> header_columns(std::string_view line) {
  while (!line.empty() && (line.front() == '#' || is_space(line.front())))
    line.remove_prefix(1);
  auto fields = split_csv(line);
  if (!fields || fields->size() < 3) return {};
  for (auto& field : *fields)
    field = to_lower(field);
  return *fields;
}

bool has_column(const std::vector<std::string>& columns, std::string_view name) {
  return std::find(columns.begin(), columns.end(), name) != columns.end();
}

FeedFormat format_of_header(const std::vector<std::string>& columns) {
  if (columns.empty()) return FeedFormat::Auto;
  if (has_column(columns, "ioc_value")) return FeedFormat::ThreatFoxCsv;
  if (has_column(columns, "sha256_hash")) return FeedFormat::MalwareBazaarCsv;
  if (has_column(columns, "dst_ip")) return FeedFormat::FeodoCsv;
  if (has_column(columns, "url") &&
      (has_column(columns, "url_status") || has_column(columns, "urlhaus_link") ||
       has_column(columns, "dateadded")))
    return FeedFormat::UrlhausCsv;
  return FeedFormat::Auto;
}

// Columns of each export in the documented order, used when a file has no header line.
const std::vector<std::string>& default_columns(FeedFormat format) {
  static const std::vector<std::string> kUrlhaus{"id",         "dateadded",    "url",
                                                 "url_status", "last_online",  "threat",
                                                 "tags",       "urlhaus_link", "reporter"};
  static const std::vector<std::string> kFeodo{"first_seen_utc", "dst_ip",      "dst_port",
                                               "c2_status",      "last_online", "malware"};
  static const std::vector<std::string> kBazaar{
      "first_seen_utc", "sha256_hash",     "md5_hash",  "sha1_hash", "reporter",
      "file_name",      "file_type_guess", "mime_type", "signature", "clamav",
      "vtpercent",      "imphash",         "ssdeep",    "tlsh"};
  static const std::vector<std::string> kThreatFox{
      "first_seen_utc", "ioc_id",        "ioc_value",         "ioc_type",      "threat_type",
      "fk_malware",     "malware_alias", "malware_printable", "last_seen_utc", "confidence_level",
      "reference",      "tags",          "anonymous",         "reporter"};
  static const std::vector<std::string> kNone;
  switch (format) {
    case FeedFormat::UrlhausCsv:
      return kUrlhaus;
    case FeedFormat::FeodoCsv:
      return kFeodo;
    case FeedFormat::MalwareBazaarCsv:
      return kBazaar;
    case FeedFormat::ThreatFoxCsv:
      return kThreatFox;
    default:
      return kNone;
  }
}

// A row's fields by column name.
class Row {
 public:
  Row(const std::map<std::string, size_t, std::less<>>& columns,
      const std::vector<std::string>& fields)
      : columns_(columns), fields_(fields) {}
  std::string_view operator[](std::string_view column) const {
    auto it = columns_.find(column);
    if (it == columns_.end() || it->second >= fields_.size()) return {};
    std::string_view value = fields_[it->second];
    return present(value) ? value : std::string_view{};
  }

 private:
  const std::map<std::string, size_t, std::less<>>& columns_;
  const std::vector<std::string>& fields_;
};

// Parses as a network ("198.51.100.0/24" or an address) into an IP entry.
bool set_network(FeedEntry& entry, std::string_view text) {
  auto network = parse_network(text);
  if (!network) return false;
  entry.type = network->address.is_v4() ? IndicatorType::Ipv4 : IndicatorType::Ipv6;
  entry.value = network->to_string();
  entry.network = network;
  return true;
}

// Classifies a feed value of any type into the entry; false when it is not an indicator.
bool set_indicator(FeedEntry& entry, std::string_view text) {
  if (text.find('/') != std::string_view::npos && text.find("://") == std::string_view::npos &&
      set_network(entry, text))
    return true;
  auto classified = classify_indicator(text);
  if (!classified.indicator) {
    // Feeds may list names whose last label looks like a file extension (evil.zip): trust them.
    auto name = normalize_domain(text, {});
    if (!name) return false;
    entry.type = IndicatorType::Domain;
    entry.value = std::move(*name);
    return true;
  }
  Indicator& indicator = *classified.indicator;
  entry.type = indicator.type;
  if (indicator.ip) {
    entry.network = IpNetwork{*indicator.ip, indicator.ip->family_bits()};
    entry.value = indicator.ip->to_string();
  } else if (indicator.url) {
    entry.url_host = indicator.url->host;
    entry.value = std::move(indicator.value);
  } else {
    entry.value = std::move(indicator.value);
    if (is_hash(entry.type)) entry.hashes.push_back(entry.value);
  }
  return true;
}

class FeedParser {
 public:
  FeedParser(std::string_view content, const FeedSpec& spec) : content_(content) {
    result_.status.name = spec.name;
    result_.status.file = spec.file;
    result_.status.tags = spec.tags;
    format_ = spec.format == FeedFormat::Auto ? detect_format(content) : spec.format;
    result_.status.format = format_;
    result_.status.verdict = spec.verdict.value_or(default_verdict(format_));
    result_.status.confidence =
        std::clamp(spec.confidence.value_or(default_confidence(format_)), 0, 100);
  }

  ParsedFeed run() && {
    LineReader lines(content_);
    std::string_view line;
    bool csv = !default_columns(format_).empty();
    if (csv) use_columns(default_columns(format_));
    bool header_seen = false;
    while (lines.next(line)) {
      line_ = lines.number();
      std::string_view text = trim(line);
      if (text.empty()) continue;
      if (csv && !header_seen) {
        // The header may be a comment ("# id,dateadded,url,...") or the first plain line.
        auto columns = header_columns(text);
        if (format_of_header(columns) == format_) {
          use_columns(columns);
          header_seen = true;
          continue;
        }
      }
      if (is_comment(text)) continue;
      switch (format_) {
        case FeedFormat::Plain:
          plain_line(text);
          break;
        case FeedFormat::Cidr:
          cidr_line(text);
          break;
        default:
          csv_line(text);
          break;
      }
    }
    result_.status.entries = result_.entries.size();
    return std::move(result_);
  }

 private:
  void skip(const std::string& why) {
    ++result_.status.skipped_lines;
    if (result_.status.problems.size() < kMaxProblems)
      result_.status.problems.push_back("line " + std::to_string(line_) + ": " + why);
  }

  void use_columns(const std::vector<std::string>& names) {
    columns_.clear();
    for (size_t i = 0; i < names.size(); ++i)
      columns_.emplace(names[i], i);
  }

  void plain_line(std::string_view text) {
    // Inline comment: " # ..." after the value.
    if (size_t hash = text.find(" #"); hash != std::string_view::npos)
      text = trim(text.substr(0, hash));
    if (size_t tab = text.find("\t#"); tab != std::string_view::npos)
      text = trim(text.substr(0, tab));
    auto words = split_words(text);
    std::string_view value = words.front();
    // hosts-file lines: "0.0.0.0 evil.example" lists the name, not the sink address.
    if (words.size() >= 2 &&
        (value == "0.0.0.0" || value == "127.0.0.1" || value == "::" || value == "::1")) {
      value = words[1];
      if (value == "localhost" || value == "localhost.localdomain" || value == "local" ||
          value == "broadcasthost" || value == "ip6-localhost" || value == "ip6-loopback")
        return;
    }
    FeedEntry entry;
    entry.line = line_;
    if (!set_indicator(entry, value))
      return skip("'" + std::string(value.substr(0, 80)) +
                  "' is not an IP, network, domain, URL or hash");
    result_.entries.push_back(std::move(entry));
  }

  void cidr_line(std::string_view text) {
    size_t semicolon = text.find(';');
    std::string_view network = trim(text.substr(0, semicolon));
    std::string_view reference =
        semicolon == std::string_view::npos ? std::string_view{} : trim(text.substr(semicolon + 1));
    if (auto words = split_words(network); !words.empty()) network = words.front();
    FeedEntry entry;
    entry.line = line_;
    if (!set_network(entry, network))
      return skip("'" + std::string(network.substr(0, 80)) +
                  "' is not a network (expected ADDRESS/PREFIX, e.g. 198.51.100.0/24)");
    entry.reference = std::string(reference);
    result_.entries.push_back(std::move(entry));
  }

  void csv_line(std::string_view text) {
    auto fields = split_csv(text);
    if (!fields) return skip("malformed CSV (unbalanced quotes)");
    if (fields->size() < 3)
      return skip("expected " + std::to_string(columns_.size()) + " CSV fields, found " +
                  std::to_string(fields->size()));
    Row row(columns_, *fields);
    switch (format_) {
      case FeedFormat::UrlhausCsv:
        return urlhaus(row);
      case FeedFormat::FeodoCsv:
        return feodo(row);
      case FeedFormat::MalwareBazaarCsv:
        return bazaar(row);
      case FeedFormat::ThreatFoxCsv:
        return threatfox(row);
      default:
        return;
    }
  }

  void urlhaus(const Row& row) {
    std::string_view url = row["url"];
    FeedEntry entry;
    entry.line = line_;
    if (url.empty() || !set_indicator(entry, url) || entry.type != IndicatorType::Url)
      return skip("'" + std::string(url.substr(0, 80)) + "' is not a URL");
    entry.first_seen = iso8601(row["dateadded"]);
    entry.last_seen = iso8601(row["last_online"]);
    entry.threat_type = std::string(row["threat"]);
    entry.tags = split_list(row["tags"], ',');
    entry.reference = std::string(row["urlhaus_link"]);
    add_detail(entry, "id", row["id"]);
    add_detail(entry, "url_status", row["url_status"]);
    add_detail(entry, "reporter", row["reporter"]);
    result_.entries.push_back(std::move(entry));
  }

  void feodo(const Row& row) {
    std::string_view ip = row["dst_ip"];
    FeedEntry entry;
    entry.line = line_;
    auto address = parse_ip(ip);
    if (!address) return skip("'" + std::string(ip.substr(0, 80)) + "' is not an IP address");
    set_network(entry, ip);
    entry.first_seen = iso8601(row["first_seen_utc"]);
    entry.last_seen = iso8601(row["last_online"]);
    entry.malware = std::string(row["malware"]);
    entry.threat_type = "botnet_cc";
    add_detail(entry, "port", row["dst_port"]);
    add_detail(entry, "c2_status", row["c2_status"]);
    result_.entries.push_back(std::move(entry));
  }

  void bazaar(const Row& row) {
    FeedEntry entry;
    entry.line = line_;
    for (std::string_view column : {"sha256_hash", "md5_hash", "sha1_hash"}) {
      std::string_view hash = row[column];
      if (hash.empty()) continue;
      if (!hash_type(hash))
        return skip(std::string(column) + " '" + std::string(hash.substr(0, 80)) +
                    "' is not a hexadecimal hash of the right length");
      entry.hashes.push_back(to_lower(hash));
    }
    if (entry.hashes.empty()) return skip("no sha256_hash, md5_hash or sha1_hash");
    entry.value = entry.hashes.front();
    entry.type = *hash_type(entry.value);
    entry.first_seen = iso8601(row["first_seen_utc"]);
    entry.malware = std::string(row["signature"]);
    entry.threat_type = "payload";
    if (auto type = row["file_type_guess"]; !type.empty()) entry.tags.emplace_back(type);
    add_detail(entry, "file_name", row["file_name"]);
    add_detail(entry, "file_type", row["file_type_guess"]);
    add_detail(entry, "mime_type", row["mime_type"]);
    add_detail(entry, "reporter", row["reporter"]);
    result_.entries.push_back(std::move(entry));
  }

  void threatfox(const Row& row) {
    std::string_view value = row["ioc_value"];
    std::string_view type = row["ioc_type"];
    FeedEntry entry;
    entry.line = line_;
    bool ok = false;
    if (!value.empty() && type == "ip:port") {
      // "198.51.100.7:443" or "[2001:db8::7]:443"
      std::string_view address = value, port;
      if (size_t colon = value.rfind(':');
          colon != std::string_view::npos && (value.front() == '[' || value.find(':') == colon)) {
        address = value.substr(0, colon);
        port = value.substr(colon + 1);
        if (address.size() >= 2 && address.front() == '[' && address.back() == ']')
          address = address.substr(1, address.size() - 2);
      }
      ok = parse_ip(address) && set_network(entry, address);
      add_detail(entry, "port", port);
    } else if (!value.empty()) {
      ok = set_indicator(entry, value);
      if (ok && type.ends_with("_hash") && !is_hash(entry.type)) ok = false;
      if (ok && type == "url" && entry.type != IndicatorType::Url) ok = false;
      if (ok && type == "domain" && entry.type != IndicatorType::Domain) ok = false;
    }
    if (!ok)
      return skip("ioc_value '" + std::string(value.substr(0, 80)) + "' is not a valid " +
                  (type.empty() ? std::string("indicator") : std::string(type)));
    entry.first_seen = iso8601(row["first_seen_utc"]);
    entry.last_seen = iso8601(row["last_seen_utc"]);
    entry.malware = std::string(row["malware_printable"]);
    if (iequals(entry.malware, "unknown malware")) entry.malware.clear();
    entry.threat_type = std::string(row["threat_type"]);
    entry.tags = split_list(row["tags"], ',');
    entry.reference = std::string(row["reference"]);
    if (std::string_view level = row["confidence_level"]; !level.empty()) {
      if (level.size() > 3 || !all_of(level, is_digit))
        return skip("confidence_level '" + std::string(level.substr(0, 20)) +
                    "' is not a number from 0 to 100");
      entry.confidence = std::min(std::stoi(std::string(level)), 100);
    }
    add_detail(entry, "ioc_id", row["ioc_id"]);
    add_detail(entry, "ioc_type", type);
    add_detail(entry, "malware_alias", row["malware_alias"]);
    result_.entries.push_back(std::move(entry));
  }

  static void add_detail(FeedEntry& entry, std::string_view key, std::string_view value) {
    if (!value.empty()) entry.details.emplace_back(key, value);
  }

  static std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && is_space(text[i]))
        ++i;
      size_t start = i;
      while (i < text.size() && !is_space(text[i]))
        ++i;
      if (i > start) words.push_back(text.substr(start, i - start));
    }
    if (words.empty()) words.push_back(text);
    return words;
  }

  std::string_view content_;
  FeedFormat format_ = FeedFormat::Plain;
  std::map<std::string, size_t, std::less<>> columns_;
  uint32_t line_ = 0;
  ParsedFeed result_;
};

bool digits_at(std::string_view text, size_t from, size_t count) noexcept {
  if (from + count > text.size()) return false;
  for (size_t i = from; i < from + count; ++i)
    if (!is_digit(text[i])) return false;
  return true;
}

int number_at(std::string_view text, size_t from, size_t count) noexcept {
  int value = 0;
  for (size_t i = from; i < from + count; ++i)
    value = value * 10 + (text[i] - '0');
  return value;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::Unknown:
      return "unknown";
    case Verdict::Clean:
      return "clean";
    case Verdict::Suspicious:
      return "suspicious";
    case Verdict::Malicious:
      return "malicious";
  }
  return "unknown";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  std::string name = to_lower(trim(text));
  if (name == "malicious" || name == "bad") return Verdict::Malicious;
  if (name == "suspicious") return Verdict::Suspicious;
  if (name == "clean" || name == "benign" || name == "allow" || name == "allowlist")
    return Verdict::Clean;
  return std::nullopt;
}

std::string_view format_name(FeedFormat format) noexcept {
  switch (format) {
    case FeedFormat::Auto:
      return "auto";
    case FeedFormat::Plain:
      return "plain";
    case FeedFormat::Cidr:
      return "cidr";
    case FeedFormat::UrlhausCsv:
      return "urlhaus_csv";
    case FeedFormat::FeodoCsv:
      return "feodo_csv";
    case FeedFormat::MalwareBazaarCsv:
      return "malwarebazaar_csv";
    case FeedFormat::ThreatFoxCsv:
      return "threatfox_csv";
  }
  return "auto";
}

std::optional<FeedFormat> parse_format(std::string_view text) {
  std::string name = to_lower(trim(text));
  std::replace(name.begin(), name.end(), '-', '_');
  for (FeedFormat format :
       {FeedFormat::Auto, FeedFormat::Plain, FeedFormat::Cidr, FeedFormat::UrlhausCsv,
        FeedFormat::FeodoCsv, FeedFormat::MalwareBazaarCsv, FeedFormat::ThreatFoxCsv})
    if (name == format_name(format)) return format;
  if (name == "blocklist" || name == "list" || name == "txt") return FeedFormat::Plain;
  if (name == "drop" || name == "spamhaus_drop") return FeedFormat::Cidr;
  if (name == "urlhaus") return FeedFormat::UrlhausCsv;
  if (name == "feodo" || name == "feodotracker") return FeedFormat::FeodoCsv;
  if (name == "malwarebazaar" || name == "bazaar") return FeedFormat::MalwareBazaarCsv;
  if (name == "threatfox") return FeedFormat::ThreatFoxCsv;
  return std::nullopt;
}

Verdict default_verdict(FeedFormat format) noexcept {
  return format == FeedFormat::Plain || format == FeedFormat::Auto ? Verdict::Suspicious
                                                                   : Verdict::Malicious;
}

int default_confidence(FeedFormat format) noexcept {
  switch (format) {
    case FeedFormat::Cidr:
      return 85;
    case FeedFormat::UrlhausCsv:
      return 80;
    case FeedFormat::FeodoCsv:
    case FeedFormat::MalwareBazaarCsv:
      return 90;
    case FeedFormat::ThreatFoxCsv:
      return 75;
    default:
      return 50;
  }
}

FeedFormat detect_format(std::string_view content) {
  LineReader lines(content);
  std::string_view line;
  while (lines.next(line) && lines.number() <= 200) {
    std::string_view text = trim(line);
    if (text.empty()) continue;
    if (FeedFormat format = format_of_header(header_columns(text)); format != FeedFormat::Auto)
      return format;
    if (is_comment(text)) continue;
    // The first data line decides between a DROP-style CIDR list and a plain list.
    size_t semicolon = text.find(';');
    if (semicolon != std::string_view::npos && parse_network(trim(text.substr(0, semicolon))))
      return FeedFormat::Cidr;
    break;
  }
  return FeedFormat::Plain;
}

ParsedFeed parse_feed(std::string_view content, const FeedSpec& spec) {
  return FeedParser(content, spec).run();
}

std::string iso8601(std::string_view text) {
  text = trim(text);
  // YYYY-MM-DD
  if (!digits_at(text, 0, 4) || text.size() < 10 || text[4] != '-' || !digits_at(text, 5, 2) ||
      text[7] != '-' || !digits_at(text, 8, 2))
    return {};
  int month = number_at(text, 5, 2), day = number_at(text, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return {};
  std::string date(text.substr(0, 10));
  if (text.size() == 10) return date;
  // [ T]HH:MM[:SS[.fff]] [Z|UTC|+hh:mm]
  if ((text[10] != ' ' && text[10] != 'T') || !digits_at(text, 11, 2) || text.size() < 16 ||
      text[13] != ':' || !digits_at(text, 14, 2))
    return {};
  int hour = number_at(text, 11, 2), minute = number_at(text, 14, 2), second = 0;
  size_t i = 16;
  if (i < text.size() && text[i] == ':') {
    if (!digits_at(text, 17, 2)) return {};
    second = number_at(text, 17, 2);
    i = 19;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && is_digit(text[i]))
        ++i;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return {};
  std::string zone(trim(text.substr(i)));
  if (zone.empty() || zone == "Z" || iequals(zone, "UTC") || iequals(zone, "GMT"))
    zone = "Z";
  else if (!((zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits_at(zone, 1, 2) &&
              zone[3] == ':' && digits_at(zone, 4, 2))))
    return {};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d%s", date.c_str(), hour, minute, second,
                zone.c_str());
  return buffer;
}

std::optional<std::vector<std::string>> split_csv(std::string_view line) {
  std::vector<std::string> fields;
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    std::string field;
    if (i < n && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        field += line[i++];
      }
      if (!closed) return std::nullopt;
      while (i < n && (line[i] == ' ' || line[i] == '\t'))
        ++i;
      if (i < n && line[i] != ',') return std::nullopt;
    } else {
      size_t start = i;
      while (i < n && line[i] != ',')
        ++i;
      field = std::string(trim(line.substr(start, i - start)));
    }
    fields.push_back(std::move(field));
    if (i >= n) break;
    ++i;  // the comma
  }
  return fields;
}

}  // namespace threat_intel

// Indicators of compromise: their types, canonical forms, and how one piece of text is classified
// (after refanging) as an IP address, domain, URL or file hash.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "threat_intel/ip_address.hpp"

namespace threat_intel {

enum class IndicatorType { Ipv4, Ipv6, Domain, Url, Email, Md5, Sha1, Sha256, Cve };
inline constexpr int kIndicatorTypeCount = 9;

// "ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "cve".
std::string_view type_name(IndicatorType type) noexcept;
bool is_hash(IndicatorType type) noexcept;

// What a caller may force with LookupIndicator's `type` input.
enum class TypeHint { Ip, Ipv4, Ipv6, Domain, Url, Hash, Md5, Sha1, Sha256 };
// Case-insensitive: ip ipv4 ipv6 domain url hash md5 sha1 sha256 (also "hostname", "sha-256"...).
std::optional<TypeHint> parse_type_hint(std::string_view text);
inline constexpr std::string_view kTypeHintNames =
    "ip, ipv4, ipv6, domain, url, hash, md5, sha1, sha256";

// A URL split and normalised for exact matching: scheme and host lower-case, IP hosts canonical,
// default port dropped, empty path made "/", fragment dropped; path and query kept as written.
struct Url {
  std::string normalized;
  std::string scheme;
  std::string host;  // canonical: lower-case name, or an IP without brackets
  std::optional<IpAddress> host_ip;
};
std::optional<Url> parse_url(std::string_view text);

// How strict a domain check is.
struct DomainRules {
  // The last label must be alphabetic with at least two letters (or an IDN "xn--" label); when
  // false it only must not be all digits (so "intranet" and "host.local" pass, "1.2.3.4" not).
  bool strict_tld = true;
  // At least two labels.
  bool require_dot = true;
  // Reject names whose last label is a file extension (.exe, .dll, .ps1, .zip ...).
  bool reject_file_extensions = false;
  // Allow '_' inside labels (real DNS names have them; prose and code identifiers too).
  bool allow_underscore = true;
};
// Lower-cases, drops one trailing dot and checks labels (1..63 of [a-z0-9-_], no leading or
// trailing '-', 253 characters at most). Empty when the text is not a domain under `rules`.
std::optional<std::string> normalize_domain(std::string_view text, const DomainRules& rules);
// The small deny-list behind DomainRules::reject_file_extensions (lower-case, no dot).
bool is_file_extension(std::string_view last_label) noexcept;

// md5 (32), sha1 (40) or sha256 (64) hexadecimal digits, any case; empty otherwise.
std::optional<IndicatorType> hash_type(std::string_view text) noexcept;
// "CVE-YYYY-NNNN" (4 or more digits), any case; returned upper-case.
std::optional<std::string> normalize_cve(std::string_view text);

// One classified indicator: its type and canonical value.
struct Indicator {
  IndicatorType type = IndicatorType::Domain;
  std::string value;            // canonical (refanged, lower-case where case does not matter)
  std::optional<IpAddress> ip;  // for Ipv4 and Ipv6
  std::optional<Url> url;       // for Url
  bool defanged = false;        // the input was written defanged
};

// Either an indicator or a message saying why the text is not one and how to fix it.
struct Classification {
  std::optional<Indicator> indicator;
  std::string error;
};

// Classifies one indicator as a user typed it: refangs it, trims spaces, quotes and <>, then tries
// URL (has "://"), hash, IP (a ":port" after an IPv4 or "[v6]:port" is ignored), domain, and a
// scheme-less "host/path" as an http URL. `hint` forces one type (or family).
Classification classify_indicator(std::string_view text, std::optional<TypeHint> hint = {});

}  // namespace threat_intel

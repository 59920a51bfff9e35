#include "domain_name.hpp"

#include <algorithm>
#include <iterator>

#include "text_util.hpp"

namespace script_analysis {
namespace {

// Common generic and country TLDs, and the reserved names documentation uses. Left out on
// purpose: labels that are usually file extensions or code (sh, py, pl, ps, md, so, zip, mov,
// rs) and words that are usually members (host, name, email, date, stream, download).
constexpr std::string_view kTopLevel[] = {
    "ae",      "app",     "ar",    "arpa",     "asia",    "at",   "au",    "bd",     "be",
    "bg",      "bid",     "biz",   "br",       "buzz",    "by",   "ca",    "cc",     "cf",
    "ch",      "cl",      "click", "cloud",    "club",    "cn",   "co",    "com",    "corp",
    "cz",      "de",      "dev",   "dk",       "ec",      "edu",  "ee",    "eg",     "es",
    "eu",      "example", "fi",    "fr",       "fun",     "ga",   "gdn",   "ge",     "gov",
    "gq",      "gr",      "hk",    "hr",       "hu",      "icu",  "id",    "ie",     "il",
    "in",      "info",    "int",   "internal", "invalid", "io",   "ir",    "it",     "jp",
    "ke",      "kr",      "kz",    "lan",      "li",      "link", "live",  "local",  "localhost",
    "lt",      "lu",      "lv",    "ma",       "me",      "mil",  "ml",    "mobi",   "mx",
    "my",      "net",     "ng",    "nl",       "no",      "nz",   "onion", "online", "org",
    "pe",      "ph",      "pk",    "press",    "pro",     "pt",   "pw",    "qa",     "ro",
    "ru",      "sa",      "se",    "sg",       "shop",    "si",   "site",  "sk",     "space",
    "store",   "su",      "tech",  "test",     "th",      "tk",   "today", "top",    "tr",
    "tv",      "tw",      "ua",    "uk",       "us",      "uy",   "uz",    "ve",     "vn",
    "website", "win",     "work",  "world",    "ws",      "xyz",  "za",    "cyou",   "monster",
    "rest",    "quest",   "sbs",
};

bool known_tld(std::string_view label) {
  return std::find(std::begin(kTopLevel), std::end(kTopLevel), label) != std::end(kTopLevel);
}

}  // namespace

bool is_ipv4(std::string_view text) noexcept {
  int octets = 0;
  size_t i = 0;
  while (octets < 4) {
    size_t start = i;
    int value = 0;
    while (i < text.size() && is_digit(text[i]) && i - start < 3)
      value = value * 10 + (text[i++] - '0');
    if (i == start || value > 255 || (i - start > 1 && text[start] == '0')) return false;
    ++octets;
    if (octets == 4) break;
    if (i >= text.size() || text[i] != '.') return false;
    ++i;
  }
  return i == text.size();
}

std::optional<std::string> domain_name(std::string_view name, bool strict_tld) {
  if (name.size() < 4 || name.size() > 253) return std::nullopt;
  if (name.back() == '.') name.remove_suffix(1);
  size_t labels = 0;
  size_t capitalised = 0;
  size_t start = 0;
  std::string_view last;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return std::nullopt;
    bool has_lower = false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-') return std::nullopt;
      has_lower |= c >= 'a' && c <= 'z';
    }
    if (label.front() >= 'A' && label.front() <= 'Z' && (has_lower || label.size() <= 3))
      ++capitalised;
    ++labels;
    last = label;
    if (end == name.size()) break;
    start = end + 1;
  }
  if (labels < 2) return std::nullopt;
  // System.IO, Microsoft.Win32, Net.WebClient: .NET namespaces and types, not hosts.
  if (strict_tld && capitalised == labels) return std::nullopt;
  std::string tld = to_lower(last);
  if (!std::all_of(tld.begin(), tld.end(), [](char c) { return is_alpha(c); }) || tld.size() < 2)
    return std::nullopt;
  if (strict_tld && !known_tld(tld)) return std::nullopt;
  return to_lower(name);
}

}  // namespace script_analysis

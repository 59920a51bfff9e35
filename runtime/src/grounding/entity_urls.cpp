// URLs: "scheme://authority/path?query#fragment" with a known scheme (defanged schemes were
// refanged first). The value lower-cases the scheme and the authority and keeps the rest.
#include <algorithm>
#include <string>

#include "grounding/entity_chars.hpp"
#include "grounding/entity_scan.hpp"
#include "util/entity_syntax.hpp"

namespace secpilot::grounding::detail {
namespace {

constexpr std::string_view kSchemes[] = {"ftp", "ftps", "http", "https", "sftp", "ws", "wss"};
constexpr WordIndex kSchemesIndex{kSchemes};

bool is_url_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u == 0x7f) return false;
  switch (c) {
    case '<':
    case '>':
    case '"':
    case '\'':
    case '`':
    case '{':
    case '}':
    case '|':
    case '\\':
    case '^':
      return false;
    default:
      return true;
  }
}

// Sentence punctuation after a URL ("see https://x.example/a.").
bool url_punctuation(char c, std::size_t) noexcept {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*' ||
         c == '_';
}

// The host of an authority ("user:pw@Host:8080"), without user info and port.
std::string_view authority_host(std::string_view authority) noexcept {
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(0, close + 1);
  }
  if (auto colon = authority.find(':'); colon != std::string_view::npos)
    authority = authority.substr(0, colon);
  return authority;
}

bool valid_host(std::string_view host) noexcept {
  if (host.empty()) return false;
  if (host.front() == '[')
    return host.back() == ']' && entity_syntax::parse_ipv6(host.substr(1, host.size() - 2));
  if (entity_syntax::parse_ipv4(host)) return true;
  // Any DNS name, internal single labels included ("http://intranet/"), but not all digits.
  const bool named = std::any_of(host.begin(), host.end(), [](char c) { return is_alpha(c); });
  return named &&
         (entity_syntax::is_dns_label(host, true) || entity_syntax::is_dns_name(host, true));
}

}  // namespace

void scan_urls(ScanState& state) {
  const std::string_view text = state.text;
  for (auto sep = text.find("://"); sep != std::string_view::npos;
       sep = text.find("://", sep + 3)) {
    std::size_t start = sep;
    while (start > 0 && sep - start < 5 && is_alpha(text[start - 1]))
      --start;
    if (start > 0 && (is_alnum(text[start - 1]) || text[start - 1] == '.')) continue;
    const std::string_view scheme = text.substr(start, sep - start);
    if (!kSchemesIndex.contains(scheme) || state.consumed(start)) continue;
    // The authority first, so that a rejected one costs only its own length.
    std::size_t authority_end = sep + 3;
    while (authority_end < text.size() && is_url_char(text[authority_end]) &&
           !state.consumed(authority_end) && text[authority_end] != '/' &&
           text[authority_end] != '?' && text[authority_end] != '#')
      ++authority_end;
    authority_end = trim_trailing(text, sep + 3, authority_end, url_punctuation);
    if (!valid_host(authority_host(text.substr(sep + 3, authority_end - (sep + 3))))) continue;
    std::size_t end = authority_end;
    while (end < text.size() && is_url_char(text[end]) && !state.consumed(end))
      ++end;
    end = std::max(authority_end, trim_trailing(text, sep + 3, end, url_punctuation));
    std::string value = to_lower_ascii(text.substr(start, authority_end - start));
    value.append(text.substr(authority_end, end - authority_end));
    state.sink.add(Kind::url, std::move(value), start, end);
    state.consume(start, end);
    sep = end - 3;  // the next search starts at `end`
  }
}

}  // namespace secpilot::grounding::detail

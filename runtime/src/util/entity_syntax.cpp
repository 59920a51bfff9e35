#include "util/entity_syntax.hpp"

namespace secpilot::entity_syntax {
namespace {

int hex_value(char c) noexcept {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool all_digits(std::string_view text) noexcept {
  for (char c : text)
    if (!is_digit(c)) return false;
  return !text.empty();
}

}  // namespace

std::optional<Ipv4> parse_ipv4(std::string_view text) noexcept {
  Ipv4 address{};
  std::size_t part = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    unsigned value = 0;
    while (i < text.size() && is_digit(text[i]) && i - start < 4) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    const std::size_t digits = i - start;
    if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text[start] == '0'))
      return std::nullopt;
    address[part++] = static_cast<std::uint8_t>(value);
    if (part == 4) break;
    if (i >= text.size() || text[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != text.size()) return std::nullopt;
  return address;
}

std::optional<Ipv6> parse_ipv6(std::string_view text) noexcept {
  if (text.size() < 2 || text.size() > 45) return std::nullopt;
  std::uint16_t words[8] = {};
  int count = 0;
  int gap = -1;  // index in `words` where "::" stands
  std::size_t i = 0;
  if (text[0] == ':') {
    if (text[1] != ':') return std::nullopt;
    gap = 0;
    i = 2;
  }
  while (i < text.size()) {
    std::size_t j = i;
    unsigned value = 0;
    while (j < text.size() && is_hex_digit(text[j]) && j - i < 5) {
      value = value * 16 + static_cast<unsigned>(hex_value(text[j]));
      ++j;
    }
    if (j < text.size() && text[j] == '.') {  // a trailing dotted quad: the last 32 bits
      if (count > 6) return std::nullopt;
      auto v4 = parse_ipv4(text.substr(i));
      if (!v4) return std::nullopt;
      words[count++] = static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]);
      words[count++] = static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]);
      break;
    }
    if (j == i || j - i > 4 || count == 8) return std::nullopt;
    words[count++] = static_cast<std::uint16_t>(value);
    if (j == text.size()) break;
    if (text[j] != ':') return std::nullopt;
    if (j + 1 < text.size() && text[j + 1] == ':') {
      if (gap >= 0) return std::nullopt;
      gap = count;
      i = j + 2;
    } else {
      i = j + 1;
      if (i == text.size()) return std::nullopt;  // a single trailing colon
    }
  }
  if (gap < 0 ? count != 8 : count > 7) return std::nullopt;
  Ipv6 address{};
  const int tail = gap < 0 ? 0 : count - gap;  // words after the "::"
  for (int k = 0; k < count; ++k) {
    const int at = (gap >= 0 && k >= gap) ? 8 - tail + (k - gap) : k;
    address[static_cast<std::size_t>(2 * at)] = static_cast<std::uint8_t>(words[k] >> 8);
    address[static_cast<std::size_t>(2 * at + 1)] = static_cast<std::uint8_t>(words[k] & 0xff);
  }
  return address;
}

std::optional<int> parse_prefix_length(std::string_view text, int max_bits) noexcept {
  if (!all_digits(text) || text.size() > 3 || (text.size() > 1 && text[0] == '0'))
    return std::nullopt;
  int bits = 0;
  for (char c : text)
    bits = bits * 10 + (c - '0');
  if (bits > max_bits) return std::nullopt;
  return bits;
}

bool is_ip_or_cidr(std::string_view text) noexcept {
  std::string_view prefix;
  bool has_prefix = false;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    prefix = text.substr(slash + 1);
    text = text.substr(0, slash);
    has_prefix = true;
  }
  if (parse_ipv4(text)) return !has_prefix || parse_prefix_length(prefix, 32).has_value();
  if (parse_ipv6(text)) return !has_prefix || parse_prefix_length(prefix, 128).has_value();
  return false;
}

bool is_dns_label(std::string_view label, bool allow_underscore) noexcept {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  for (char c : label)
    if (!is_alnum(c) && c != '-' && !(allow_underscore && c == '_')) return false;
  return true;
}

bool is_dns_name(std::string_view text, bool allow_underscore) noexcept {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return false;
  std::size_t labels = 0;
  std::size_t start = 0;
  while (true) {
    const auto dot = text.find('.', start);
    const auto end = dot == std::string_view::npos ? text.size() : dot;
    if (!is_dns_label(text.substr(start, end - start), allow_underscore)) return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2;
}

std::string_view digest_type(std::string_view text) noexcept {
  for (char c : text)
    if (!is_hex_digit(c)) return {};
  switch (text.size()) {
    case 32:
      return "md5";
    case 40:
      return "sha1";
    case 64:
      return "sha256";
    default:
      return {};
  }
}

bool is_cve(std::string_view text) noexcept {
  if (text.size() < 13) return false;
  const bool prefix = (text[0] == 'C' || text[0] == 'c') && (text[1] == 'V' || text[1] == 'v') &&
                      (text[2] == 'E' || text[2] == 'e') && text[3] == '-';
  return prefix && all_digits(text.substr(4, 4)) && text[8] == '-' && all_digits(text.substr(9));
}

bool is_mitre_technique(std::string_view text) noexcept {
  if (text.size() < 5 || (text[0] != 'T' && text[0] != 't') || !all_digits(text.substr(1, 4)))
    return false;
  if (text.size() == 5) return true;
  return text.size() == 9 && text[5] == '.' && all_digits(text.substr(6, 3));
}

}  // namespace secpilot::entity_syntax

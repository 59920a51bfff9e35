#include "threat_intel/ip_address.hpp"

#include <cstdio>

namespace threat_intel {
namespace {

constexpr uint64_t kMappedPrefix = 0x0000ffff00000000ULL;  // low half of ::ffff:0:0/96

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<uint32_t> parse_ipv4_bits(std::string_view text) noexcept {
  uint32_t result = 0;
  int parts = 0;
  size_t i = 0;
  while (true) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
    size_t start = i;
    unsigned value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      if (value > 255 || i - start >= 3) return std::nullopt;
      ++i;
    }
    if (i - start > 1 && text[start] == '0') return std::nullopt;  // leading zero: octal to some
    result = (result << 8) | value;
    ++parts;
    if (parts == 4) break;
    if (i >= text.size() || text[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != text.size()) return std::nullopt;
  return result;
}

U128 from_groups(const std::array<uint16_t, 8>& groups) noexcept {
  U128 value;
  for (int g = 0; g < 4; ++g)
    value.hi = (value.hi << 16) | groups[g];
  for (int g = 4; g < 8; ++g)
    value.lo = (value.lo << 16) | groups[g];
  return value;
}

std::array<uint16_t, 8> to_groups(U128 value) noexcept {
  std::array<uint16_t, 8> groups{};
  for (int g = 0; g < 4; ++g)
    groups[g] = static_cast<uint16_t>(value.hi >> (48 - 16 * g));
  for (int g = 0; g < 4; ++g)
    groups[4 + g] = static_cast<uint16_t>(value.lo >> (48 - 16 * g));
  return groups;
}

std::string ipv4_text(uint32_t bits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", (bits >> 24) & 0xff, (bits >> 16) & 0xff,
                (bits >> 8) & 0xff, bits & 0xff);
  return buffer;
}

}  // namespace

U128 mask_prefix(U128 value, int bits) noexcept {
  if (bits <= 0) return {};
  if (bits >= 128) return value;
  if (bits <= 64) {
    value.hi = bits == 64 ? value.hi : value.hi & ~(~0ULL >> bits);
    value.lo = 0;
  } else {
    value.lo &= ~(~0ULL >> (bits - 64));
  }
  return value;
}

IpAddress IpAddress::v4(uint32_t address) noexcept {
  return IpAddress(U128{0, kMappedPrefix | address}, true);
}

bool IpAddress::is_v4_mapped() const noexcept {
  return key_.hi == 0 && (key_.lo & 0xffffffff00000000ULL) == kMappedPrefix;
}

std::string IpAddress::to_string() const {
  if (v4_) return ipv4_text(static_cast<uint32_t>(key_.lo));
  if (is_v4_mapped()) return "::ffff:" + ipv4_text(static_cast<uint32_t>(key_.lo));
  auto groups = to_groups(key_);
  // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on a tie.
  int best_start = -1, best_length = 1;
  for (int g = 0; g < 8;) {
    if (groups[g] != 0) {
      ++g;
      continue;
    }
    int start = g;
    while (g < 8 && groups[g] == 0)
      ++g;
    if (g - start > best_length) best_start = start, best_length = g - start;
  }
  std::string out;
  char buffer[8];
  for (int g = 0; g < 8; ++g) {
    if (g == best_start) {
      out += "::";
      g += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buffer, sizeof buffer, "%x", groups[g]);
    out += buffer;
  }
  return out;
}

bool IpNetwork::contains(const IpAddress& ip) const noexcept {
  return mask_prefix(ip.key(), key_prefix()) == address.key();
}

std::string IpNetwork::to_string() const {
  if (is_single_address()) return address.to_string();
  return address.to_string() + "/" + std::to_string(prefix);
}

std::optional<IpAddress> parse_ipv4(std::string_view text) noexcept {
  auto bits = parse_ipv4_bits(text);
  if (!bits) return std::nullopt;
  return IpAddress::v4(*bits);
}

std::optional<IpAddress> parse_ipv6(std::string_view text) noexcept {
  if (text.size() < 2 || text.size() > 45) return std::nullopt;
  std::array<uint16_t, 8> groups{};
  int count = 0;  // groups written so far
  int gap = -1;   // index where "::" stands, if any
  size_t i = 0;
  if (text.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
    if (i == text.size()) return IpAddress::v6({});
  } else if (text[0] == ':') {
    return std::nullopt;
  }
  while (i < text.size()) {
    // A trailing dotted quad takes the last two groups.
    size_t end = text.find(':', i);
    std::string_view piece = text.substr(i, end == std::string_view::npos ? end : end - i);
    if (end == std::string_view::npos && piece.find('.') != std::string_view::npos) {
      auto v4 = parse_ipv4_bits(piece);
      if (!v4 || count > 6) return std::nullopt;
      groups[count++] = static_cast<uint16_t>(*v4 >> 16);
      groups[count++] = static_cast<uint16_t>(*v4 & 0xffff);
      i = text.size();
      break;
    }
    if (piece.empty() || piece.size() > 4 || count >= 8) return std::nullopt;
    unsigned value = 0;
    for (char c : piece) {
      int digit = hex_value(c);
      if (digit < 0) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    groups[count++] = static_cast<uint16_t>(value);
    if (end == std::string_view::npos) {
      i = text.size();
      break;
    }
    i = end + 1;
    if (i < text.size() && text[i] == ':') {  // "::"
      if (gap >= 0) return std::nullopt;      // only one "::"
      gap = count;
      ++i;
      if (i == text.size()) break;
    } else if (i == text.size()) {
      return std::nullopt;  // trailing single ':'
    }
  }
  if (gap < 0) {
    if (count != 8) return std::nullopt;
  } else {
    if (count > 7) return std::nullopt;  // "::" must stand for at least one group
    int tail = count - gap;
    std::array<uint16_t, 8> expanded{};
    for (int g = 0; g < gap; ++g)
      expanded[g] = groups[g];
    for (int g = 0; g < tail; ++g)
      expanded[8 - tail + g] = groups[gap + g];
    groups = expanded;
  }
  return IpAddress::v6(from_groups(groups));
}

std::optional<IpAddress> parse_ip(std::string_view text) noexcept {
  if (auto v4 = parse_ipv4(text)) return v4;
  return parse_ipv6(text);
}

std::optional<IpNetwork> parse_network(std::string_view text) noexcept {
  size_t slash = text.find('/');
  auto address = parse_ip(text.substr(0, slash));
  if (!address) return std::nullopt;
  int prefix = address->family_bits();
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > address->family_bits()) return std::nullopt;
  }
  IpNetwork network;
  network.prefix = prefix;
  int key_bits = address->is_v4() ? 96 + prefix : prefix;
  U128 masked = mask_prefix(address->key(), key_bits);
  network.address =
      address->is_v4() ? IpAddress::v4(static_cast<uint32_t>(masked.lo)) : IpAddress::v6(masked);
  return network;
}

}  // namespace threat_intel

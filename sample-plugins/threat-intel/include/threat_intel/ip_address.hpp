// IPv4 and IPv6 addresses and networks: strict parsing (inet_pton rules), RFC 5952 printing, and
// one 128-bit key space for both families so one table can hold every CIDR range.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace threat_intel {

// A 128-bit unsigned integer as two halves, ordered like the number it is.
struct U128 {
  uint64_t hi = 0;
  uint64_t lo = 0;
  friend auto operator<=>(const U128&, const U128&) = default;
};

// Keeps the `bits` most significant bits of `value` and clears the rest (bits in 0..128).
U128 mask_prefix(U128 value, int bits) noexcept;

// An IPv4 or IPv6 address. IPv4 addresses live in the IPv4-mapped block ::ffff:0:0/96, so that an
// IPv4 feed entry also matches the mapped IPv6 spelling of the same address.
class IpAddress {
 public:
  IpAddress() = default;
  static IpAddress v4(uint32_t address) noexcept;
  static IpAddress v6(U128 address) noexcept { return IpAddress(address, false); }

  // True when parsed from (or built as) dotted-quad IPv4.
  bool is_v4() const noexcept { return v4_; }
  // True for an IPv6 address inside ::ffff:0:0/96 (so it also names an IPv4 address).
  bool is_v4_mapped() const noexcept;
  // The 128-bit key (IPv4 mapped into ::ffff:0:0/96).
  U128 key() const noexcept { return key_; }
  // Bits in this address's own family: 32 or 128.
  int family_bits() const noexcept { return v4_ ? 32 : 128; }
  // Dotted quad for IPv4, RFC 5952 for IPv6 (lower case, longest zero run as "::").
  std::string to_string() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  IpAddress(U128 key, bool v4) noexcept : key_(key), v4_(v4) {}
  U128 key_{};
  bool v4_ = false;
};

// A network: an address with its host bits cleared and a prefix length in the address's family
// (0..32 for IPv4, 0..128 for IPv6). A single address is a network of full length.
struct IpNetwork {
  IpAddress address;
  int prefix = 0;

  // Prefix length in the shared 128-bit key space (IPv4 /n is /96+n).
  int key_prefix() const noexcept { return address.is_v4() ? 96 + prefix : prefix; }
  bool is_single_address() const noexcept { return prefix == address.family_bits(); }
  bool contains(const IpAddress& ip) const noexcept;
  // "198.51.100.0/24", or the bare address when it is a single address.
  std::string to_string() const;
};

// Dotted-quad IPv4: exactly four decimal parts 0..255, no leading zeros (so no octal ambiguity).
std::optional<IpAddress> parse_ipv4(std::string_view text) noexcept;
// IPv6 text form (RFC 4291 2.2), with "::" and a trailing dotted quad allowed; no zone index.
std::optional<IpAddress> parse_ipv6(std::string_view text) noexcept;
// Either family.
std::optional<IpAddress> parse_ip(std::string_view text) noexcept;
// "ADDRESS/PREFIX" or a bare address. Host bits set below the prefix are cleared
// ("198.51.100.7/24" reads as 198.51.100.0/24).
std::optional<IpNetwork> parse_network(std::string_view text) noexcept;

}  // namespace threat_intel

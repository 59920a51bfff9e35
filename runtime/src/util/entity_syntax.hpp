// The syntax of security entity values (IP addresses, CIDR prefixes, DNS names, digests, CVE and
// ATT&CK ids), shared by skill input validation (skills/entity_shapes.cpp) and entity extraction
// (grounding/), so that both agree on what an IP or a SHA-256 is. Pure functions on a
// string_view: no allocation, no NUL-terminated copies, no locale.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace secpilot::entity_syntax {

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_alnum(char c) noexcept {
  return is_digit(c) || is_alpha(c);
}
constexpr bool is_hex_digit(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

using Ipv4 = std::array<std::uint8_t, 4>;
using Ipv6 = std::array<std::uint8_t, 16>;

// Dotted-quad IPv4 ("192.0.2.1"): four decimal parts 0-255, no leading zeros (which some stacks
// read as octal), nothing else — as inet_pton(AF_INET) decides.
std::optional<Ipv4> parse_ipv4(std::string_view text) noexcept;

// IPv6 text form (RFC 4291 2.2: groups, one "::", a trailing dotted quad), as inet_pton(AF_INET6)
// decides. No zone ("%eth0") and no brackets.
std::optional<Ipv6> parse_ipv6(std::string_view text) noexcept;

// A CIDR prefix length: decimal, no leading zeros, at most `max_bits`.
std::optional<int> parse_prefix_length(std::string_view text, int max_bits) noexcept;

// An IPv4 or IPv6 address, optionally with a "/prefix" of the right size.
bool is_ip_or_cidr(std::string_view text) noexcept;

// A DNS label: 1-63 letters, digits and hyphens (underscores when allowed), no hyphen at either end.
bool is_dns_label(std::string_view label, bool allow_underscore) noexcept;

// Two or more DNS labels separated by dots, at most 253 characters; one trailing dot is allowed.
bool is_dns_name(std::string_view text, bool allow_underscore) noexcept;

// "md5", "sha1" or "sha256" for 32, 40 or 64 hex digits; empty for anything else.
std::string_view digest_type(std::string_view text) noexcept;

// "CVE-YYYY-NNNN..." (any case): a 4-digit year and a sequence number of 4 or more digits.
bool is_cve(std::string_view text) noexcept;

// An ATT&CK technique ("T1059") or sub-technique ("T1059.001"), T in either case.
bool is_mitre_technique(std::string_view text) noexcept;

}  // namespace secpilot::entity_syntax

// Whether a dotted name in a script is a host name: valid labels and a top-level label from a
// built-in list of common TLDs. Scripts are full of dotted words (System.Net.WebClient,
// $wc.DownloadString, payload.ps1) that a looser rule would report as domains.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace script_analysis {

// The lower-cased name when `name` is a plausible domain, else nullopt. `strict_tld` false (for
// the host of a URL, where the context already says it is a host) accepts any alphabetic TLD.
std::optional<std::string> domain_name(std::string_view name, bool strict_tld = true);

// True for a dotted IPv4 address with four decimal octets of 0-255 (no leading zeros).
bool is_ipv4(std::string_view text) noexcept;

}  // namespace script_analysis

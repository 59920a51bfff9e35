// What a name is: a public domain, an internal host name, a user name, a file name. Shared by
// the e-mail, path and word scanners so that they draw the same lines.
#pragma once

#include <string_view>

namespace secpilot::grounding::detail {

enum class NameClass {
  none,
  public_domain,  // "evil-cdn.net": a known public TLD
  internal,       // "ws-fin-07.corp.example", "dc01.contoso.local": an internal or reserved TLD
};

// A dotted DNS name (letters, digits, hyphens; no underscores) by its last label.
NameClass classify_dotted_name(std::string_view name) noexcept;

// "report.pdf", "a.ps1", "payload.exe": ends in a known file extension (any case).
bool has_file_extension(std::string_view name) noexcept;

// A single host name label after a host cue: letters, digits and hyphens with a digit
// ("ws-fin-07", "DC01"), or upper-case letters and hyphens, five or more ("FILESRV").
bool is_host_name(std::string_view label) noexcept;

// A name shaped like an asset tag, a host wherever it stands: three or more hyphen-separated
// parts, the first letters only, the last with a digit, one letter case ("ws-fin-07",
// "SRV-SQL-02"). "COVID-19", "SHA-256" and dates have fewer parts or no letters first.
bool is_asset_tag_host(std::string_view label) noexcept;

// Windows default machine names, hosts wherever they stand: DESKTOP-xxxx, LAPTOP-xxxx, WIN-xxxx.
bool is_default_windows_host(std::string_view label) noexcept;

// A user name after a user cue: letters, digits, '.', '_', '-', '$', 2-64 characters, starting
// with a letter or digit; unless quoted ("user 'opened'"), not a stop word, not an English verb
// form of six letters or more ("clicked", "logging").
bool is_user_name(std::string_view word, bool quoted) noexcept;

}  // namespace secpilot::grounding::detail

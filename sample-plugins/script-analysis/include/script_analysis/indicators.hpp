// Indicators of compromise in a script's layers: IPv4 addresses, domains, URLs, e-mail
// addresses, MD5/SHA-1/SHA-256 hashes, file paths and registry keys, defanged forms included
// (hxxp://, 198.51.100[.]7). Hand-written linear scanners, no regular expressions.
//
// Rules worth knowing:
//   - A domain needs a top-level label from a built-in list of common TLDs (plus the reserved
//     example, test, invalid, localhost, onion): scripts are full of dotted names
//     (System.Net.WebClient, $wc.DownloadString, setup.exe) that free-text rules would take for
//     hosts. Names whose every label is capitalised (System.IO) are .NET namespaces, and a name
//     followed by '(' is a call.
//   - The host of a URL and the domain of an e-mail address are not reported again on their own.
//   - Hashes are 32, 40 or 64 hex digits standing alone, with both letters and digits.
//   - File paths: drive paths (C:\...), %VAR%\..., $env:VAR\..., UNC (\\host\share), and Unix
//     paths under well-known roots (/tmp, /etc, /var, /usr, /dev/shm, /home, /root, /opt, ~/).
//   - Registry keys under HKLM, HKCU, HKCR, HKU and HKCC (or their HKEY_* names), written with a
//     backslash, as PowerShell drives (HKLM:) or as Registry:: paths.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace script_analysis {

enum class IndicatorType { Ipv4, Domain, Url, Email, Md5, Sha1, Sha256, FilePath, RegistryKey };

// "ipv4", "domain", "url", "email", "md5", "sha1", "sha256", "file_path", "registry_key".
std::string_view indicator_type_name(IndicatorType type) noexcept;

struct Indicator {
  IndicatorType type = IndicatorType::Domain;
  std::string value;           // refanged; hosts, hashes and addresses lower-case
  size_t layer = 0;            // the first layer it appeared in
  std::vector<size_t> layers;  // every layer it appeared in
  bool defanged = false;       // at least one occurrence was written defanged
};

// Collects indicators layer by layer, deduplicated, in order of first appearance.
class IndicatorCollector {
 public:
  explicit IndicatorCollector(size_t max_indicators = 500) : max_(max_indicators) {}

  void scan(std::string_view text, size_t layer);

  const std::vector<Indicator>& indicators() const noexcept { return indicators_; }
  // More distinct indicators than max_indicators were found; the first ones are kept.
  bool truncated() const noexcept { return truncated_; }

 private:
  friend class IndicatorScanner;
  void add(IndicatorType type, std::string value, size_t layer, bool defanged);

  size_t max_;
  std::vector<Indicator> indicators_;
  std::unordered_map<std::string, size_t> index_;
  bool truncated_ = false;
};

// The indicators of one text (layer 0): for tests and one-off use.
std::vector<Indicator> extract_indicators(std::string_view text);

}  // namespace script_analysis

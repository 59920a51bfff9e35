// Pulls indicators out of free text (reports, tickets, e-mails, chat): IPv4, IPv6, domains, URLs,
// e-mail addresses, MD5/SHA-1/SHA-256 hashes and CVE ids, defanged forms included. Hand-written
// linear scanners (no regular expressions); a pure function, so safe from any thread.
//
// Rules worth knowing:
//   - Text is refanged first (see refang.hpp); each indicator says whether any occurrence was
//     written defanged.
//   - URLs need a scheme (http, https, ftp, ftps, sftp, ws, wss). Trailing punctuation and
//     unbalanced closing brackets are not part of a URL.
//   - The host of a URL and the domain of an e-mail address are not reported again as separate
//     domains or IPs, unless they also appear on their own elsewhere in the text.
//   - A domain needs at least two labels and an alphabetic top-level label of two or more
//     letters (or an xn-- IDN label); names ending in a common file extension (.exe, .dll, .ps1,
//     .zip, ...) are taken for file names, labels with '_' for code identifiers, and a
//     capitalised last label ("ended.The", "Mr.Smith") for a missing space after a full stop;
//     a name directly followed by '(' is a call in code ("requests.get(").
//   - "198.51.100.7:8080" yields the address; "example.com:443" the domain.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "threat_intel/indicator.hpp"

namespace threat_intel {

struct ExtractedIndicator {
  IndicatorType type = IndicatorType::Domain;
  std::string value;      // refanged and canonical (lower-case except URL paths; CVE upper-case)
  size_t count = 0;       // occurrences in the text
  bool defanged = false;  // at least one occurrence was written defanged
};

struct Extraction {
  std::vector<ExtractedIndicator> indicators;        // deduplicated, in order of first appearance
  std::array<size_t, kIndicatorTypeCount> counts{};  // distinct indicators per IndicatorType
  size_t occurrences = 0;                            // all occurrences of the indicators kept
  bool truncated = false;  // more than max_indicators distinct indicators: the rest were dropped
};

struct ExtractOptions {
  size_t max_indicators = 10000;
};

Extraction extract_indicators(std::string_view text, const ExtractOptions& options = {});

}  // namespace threat_intel

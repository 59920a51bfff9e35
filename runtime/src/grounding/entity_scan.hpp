// The state the entity scanners share over one text, and the scanners themselves. They run in
// this order, each skipping what an earlier one consumed:
//   scan_code    fenced blocks, KQL, pasted scripts, long command lines (marks code zones)
//   scan_urls    scheme://...
//   scan_emails  local@domain (an e-mail, or a user's UPN when a cue says so)
//   scan_paths   Windows and POSIX file paths, DOMAIN\user
//   scan_words   everything token-shaped: IPs, CIDRs, hashes, CVEs, ATT&CK ids, domains, hosts,
//                users, incident ids
// Every scanner is linear in the text; look-arounds are bounded by constants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "grounding/entity_refang.hpp"
#include "grounding/entity_sink.hpp"

namespace secpilot::grounding::detail {

// A span [start, end) of the refanged text.
struct Span {
  std::size_t start = 0;
  std::size_t end = 0;
};

class ScanState {
 public:
  ScanState(const RefangedText& refanged, EntitySink& sink)
      : text(refanged.text()), refanged(refanged), sink(sink), consumed_(text.size(), 0) {}

  const std::string_view text;  // refanged
  const RefangedText& refanged;
  EntitySink& sink;

  // What earlier scanners took: a byte map for look-arounds, the spans for a scanner that walks
  // the whole text (scan_words jumps over them instead of testing every byte).
  bool consumed(std::size_t pos) const noexcept { return consumed_[pos] != 0; }
  void consume(std::size_t start, std::size_t end);
  std::vector<Span> consumed_spans() const;  // ordered by start

  // Scripts and KQL: IOCs inside them are still extracted, but context rules ("host X",
  // "user Y") are off there, since keywords in code are not the defender speaking.
  void add_code_zone(std::size_t start, std::size_t end) { code_zones_.push_back({start, end}); }
  void sort_code_zones();
  bool in_code(std::size_t pos) const noexcept;

 private:
  std::vector<std::uint8_t> consumed_;
  std::vector<Span> consumed_spans_;
  std::vector<Span> code_zones_;
};

void scan_code(ScanState& state);
void scan_urls(ScanState& state);
void scan_emails(ScanState& state);
void scan_paths(ScanState& state);
void scan_words(ScanState& state);

}  // namespace secpilot::grounding::detail

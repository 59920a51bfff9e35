#include "grounding/entity_scan.hpp"

#include <algorithm>

namespace secpilot::grounding::detail {

void ScanState::consume(std::size_t start, std::size_t end) {
  if (start >= end) return;
  std::fill(consumed_.begin() + static_cast<std::ptrdiff_t>(start),
            consumed_.begin() + static_cast<std::ptrdiff_t>(end), std::uint8_t{1});
  consumed_spans_.push_back({start, end});
}

std::vector<Span> ScanState::consumed_spans() const {
  std::vector<Span> spans = consumed_spans_;
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.start < b.start; });
  return spans;
}

void ScanState::sort_code_zones() {
  std::sort(code_zones_.begin(), code_zones_.end(),
            [](const Span& a, const Span& b) { return a.start < b.start; });
}

bool ScanState::in_code(std::size_t pos) const noexcept {
  auto after = std::upper_bound(code_zones_.begin(), code_zones_.end(), pos,
                                [](std::size_t p, const Span& zone) { return p < zone.start; });
  return after != code_zones_.begin() && pos < std::prev(after)->end;
}

}  // namespace secpilot::grounding::detail

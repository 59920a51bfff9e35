#include "script_analysis/limits.hpp"

#include <algorithm>

namespace script_analysis {

std::string_view limit_name(LimitKind kind) noexcept {
  switch (kind) {
    case LimitKind::InputSize:
      return "input size";
    case LimitKind::Layers:
      return "layers";
    case LimitKind::LayerSize:
      return "layer size";
    case LimitKind::DecompressedSize:
      return "decompressed size";
    case LimitKind::TotalDecompressedSize:
      return "total decompressed size";
    case LimitKind::LayerText:
      return "layer text";
    case LimitKind::FinalText:
      return "final text";
    case LimitKind::Indicators:
      return "indicators";
    case LimitKind::Time:
      return "time";
  }
  return "unknown";
}

Budget::Budget(Limits limits, std::function<bool()> cancelled)
    : limits_(limits),
      cancelled_(std::move(cancelled)),
      deadline_(std::chrono::steady_clock::now() + limits.max_time) {}

size_t Budget::stream_allowance() const noexcept {
  size_t left = limits_.max_total_decompressed > decompressed_
                    ? limits_.max_total_decompressed - decompressed_
                    : 0;
  return std::min(limits_.max_stream_bytes, left);
}

void Budget::spend_decompressed(size_t bytes, bool stopped_early) {
  if (stopped_early)
    hit(stream_allowance() < limits_.max_stream_bytes ? LimitKind::TotalDecompressedSize
                                                      : LimitKind::DecompressedSize);
  decompressed_ += bytes;
}

void Budget::hit(LimitKind kind) {
  if (!was_hit(kind)) hits_.push_back(kind);
}

bool Budget::was_hit(LimitKind kind) const noexcept {
  return std::find(hits_.begin(), hits_.end(), kind) != hits_.end();
}

bool Budget::out_of_time() {
  if (was_hit(LimitKind::Time)) return true;
  if (std::chrono::steady_clock::now() < deadline_ && !cancelled()) return false;
  hit(LimitKind::Time);
  return true;
}

}  // namespace script_analysis

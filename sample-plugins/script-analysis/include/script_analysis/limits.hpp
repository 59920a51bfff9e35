// The bounds every analysis runs within, so that hostile input (a gzip bomb, base64 nested a
// hundred times, a megabyte of string concatenations) costs bounded memory and time, and the
// record of which bound cut the work short (reported as `limits_hit`, never as a failure).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace script_analysis {

struct Limits {
  size_t max_input_bytes = size_t{1} << 20;          // longer input: its first MiB is analysed
  size_t max_layers = 32;                            // decoded layers after the input
  size_t max_layer_bytes = size_t{2} << 20;          // working text of one layer
  size_t max_stream_bytes = size_t{4} << 20;         // one decompressed stream
  size_t max_total_decompressed = size_t{16} << 20;  // all streams of one analysis
  size_t max_result_layer_text = size_t{16} << 10;   // each layer's text in the result
  size_t max_result_final_text = size_t{64} << 10;   // the final text in the result
  size_t max_indicators = 500;                       // distinct indicators reported
  std::chrono::milliseconds max_time{3000};          // then the layers found so far are kept
};

// Which bound was reached; limit_name() is how `limits_hit` spells it.
enum class LimitKind {
  InputSize,
  Layers,
  LayerSize,
  DecompressedSize,
  TotalDecompressedSize,
  LayerText,
  FinalText,
  Indicators,
  Time,
};

std::string_view limit_name(LimitKind kind) noexcept;

// What one analysis has spent against its Limits, and which limits it hit. One per analysis, not
// shared between threads.
class Budget {
 public:
  // `cancelled`, when set, is polled with the clock: a caller that gives up stops the work too.
  explicit Budget(Limits limits, std::function<bool()> cancelled = {});

  const Limits& limits() const noexcept { return limits_; }

  // How many bytes the next decompressed stream may produce: the per-stream bound or what is left
  // of the total, whichever is smaller.
  size_t stream_allowance() const noexcept;
  // Records a stream's output; `stopped_early` when it reached stream_allowance(), which is then
  // reported as the per-stream or the total limit, whichever applied.
  void spend_decompressed(size_t bytes, bool stopped_early);

  void hit(LimitKind kind);
  bool was_hit(LimitKind kind) const noexcept;
  // Limits hit, in the order they were first hit.
  const std::vector<LimitKind>& hits() const noexcept { return hits_; }

  // True once the time is up or the caller cancelled; records Time the first time.
  bool out_of_time();
  bool cancelled() const { return cancelled_ && cancelled_(); }

 private:
  Limits limits_;
  std::function<bool()> cancelled_;
  std::chrono::steady_clock::time_point deadline_;
  size_t decompressed_ = 0;
  std::vector<LimitKind> hits_;
};

}  // namespace script_analysis

// Builds a rewritten text in one left-to-right pass: spans are replaced in increasing order and
// everything between them is copied, so a decoder's pass stays linear in the text's size.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace script_analysis {

class Rewriter {
 public:
  explicit Rewriter(std::string_view source) : source_(source) {}

  // Replaces source[begin, end) with `replacement`. Spans must not overlap and must come in
  // order; a span before one already replaced is ignored (returns false).
  bool replace(size_t begin, size_t end, std::string_view replacement) {
    if (begin < copied_ || end < begin || end > source_.size()) return false;
    out_.append(source_.substr(copied_, begin - copied_));
    out_.append(replacement);
    copied_ = end;
    changed_ = changed_ || replacement != source_.substr(begin, end - begin);
    return true;
  }

  // Where the next replacement may start.
  size_t position() const noexcept { return copied_; }
  bool changed() const noexcept { return changed_; }

  std::string finish() && {
    out_.append(source_.substr(copied_));
    return std::move(out_);
  }

 private:
  std::string_view source_;
  std::string out_;
  size_t copied_ = 0;
  bool changed_ = false;
};

}  // namespace script_analysis

// Defanged indicators made whole again ("hxxps[:]//evil[.]com" -> "https://evil.com"), with the
// map back to the original text so that every entity keeps its span as written.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secpilot::grounding::detail {

// Recognised: "[.]" "(.)" "{.}" "[dot]" "(dot)" "{dot}" (spaces inside and around allowed:
// "evil [ . ] com"), "[@]" "(@)" "[at]" "(at)" "{at}", "[:]" "[://]" "[/]" "[//]", and the
// schemes hxxp hxxps hxxxp hxxxps hxtp hxtps fxp fxps (any case) before ':' or '['. Dots and at
// signs are only restored between two word characters, so "(at)" in a sentence stays.
class RefangedText {
 public:
  explicit RefangedText(std::string_view original);

  // The refanged text; the original itself (no copy) when nothing was defanged.
  std::string_view text() const noexcept { return changes_.empty() ? original_ : buffer_; }
  std::string_view original() const noexcept { return original_; }

  // The original span of the refanged span [start, end): a replaced marker maps as a whole.
  std::pair<std::size_t, std::size_t> to_original(std::size_t start, std::size_t end) const;
  // Whether a replaced marker lies in the refanged span [start, end).
  bool defanged_in(std::size_t start, std::size_t end) const;

 private:
  // Refanged [begin, end) replaced original [original_begin, original_end).
  struct Change {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t original_begin = 0;
    std::size_t original_end = 0;
  };

  void replace(std::size_t original_begin, std::size_t original_end, std::string_view with);

  std::string_view original_;
  std::string buffer_;
  std::vector<Change> changes_;
  std::size_t copied_ = 0;  // original bytes [0, copied_) are in buffer_
};

}  // namespace secpilot::grounding::detail

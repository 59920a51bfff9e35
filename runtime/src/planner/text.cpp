#include "planner/text.hpp"

namespace secpilot::planner::text {

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

std::size_t find_words(std::string_view lower_text, std::string_view phrase, std::size_t from) {
  if (phrase.empty()) return std::string_view::npos;
  for (auto at = lower_text.find(phrase, from); at != std::string_view::npos;
       at = lower_text.find(phrase, at + 1)) {
    const bool starts = at == 0 || !is_word_char(lower_text[at - 1]);
    const auto end = at + phrase.size();
    const bool ends = end == lower_text.size() || !is_word_char(lower_text[end]);
    if (starts && ends) return at;
  }
  return std::string_view::npos;
}

}  // namespace secpilot::planner::text

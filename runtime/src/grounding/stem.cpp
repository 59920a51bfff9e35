#include "grounding/stem.hpp"

#include <algorithm>
#include <array>

namespace secpilot::grounding {
namespace {

bool is_vowel(char c) noexcept {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

bool all_letters(std::string_view word) noexcept {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool ends_with(const std::string& word, std::string_view suffix) noexcept {
  return std::string_view(word).ends_with(suffix);
}

// Step 1: summarise/summarize and analyse/analyze meet before any suffix is removed.
void americanise(std::string& word) {
  static constexpr std::array<std::string_view, 8> kEndings = {"e",     "ed",     "es", "ing",
                                                               "ation", "ations", "er", "ers"};
  if (word.size() < 7) return;
  for (const auto ending : kEndings) {
    if (!ends_with(word, ending)) continue;
    const std::size_t s = word.size() - ending.size() - 1;  // where the 's' would be
    if (s >= 1 && word[s] == 's' && (word[s - 1] == 'i' || word[s - 1] == 'y')) {
      word[s] = 'z';
      return;
    }
  }
}

void drop_plural(std::string& word) {
  if (ends_with(word, "ies") && word.size() > 4) {
    word.replace(word.size() - 3, 3, "y");
  } else if (ends_with(word, "sses") || ends_with(word, "xes") || ends_with(word, "ches") ||
             ends_with(word, "shes") || ends_with(word, "zes")) {
    word.resize(word.size() - 2);
  } else if (ends_with(word, "s") && !ends_with(word, "ss") && !ends_with(word, "us") &&
             !ends_with(word, "is")) {
    word.pop_back();
  }
}

void drop_verb_ending(std::string& word) {
  std::size_t cut = 0;
  if (ends_with(word, "ing"))
    cut = 3;
  else if (ends_with(word, "ed"))
    cut = 2;
  if (cut == 0) return;
  const std::string_view rest(word.data(), word.size() - cut);
  if (rest.size() < 3 || std::none_of(rest.begin(), rest.end(), is_vowel)) return;
  word.resize(rest.size());
  const char last = word.back();
  if (word[word.size() - 2] == last && !is_vowel(last) && last != 'l' && last != 's' && last != 'z')
    word.pop_back();
}

}  // namespace

std::string stem(std::string_view input) {
  std::string word(input);
  if (word.size() <= 3 || !all_letters(word)) return word;
  americanise(word);
  drop_plural(word);
  drop_verb_ending(word);
  if (word.size() >= 8 && ends_with(word, "tion")) word.resize(word.size() - 3);
  if (word.size() >= 5 && word.back() == 'e' && word[word.size() - 2] != 'e') word.pop_back();
  return word;
}

}  // namespace secpilot::grounding

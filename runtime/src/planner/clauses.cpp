#include "planner/clauses.hpp"

#include <algorithm>

#include "planner/lexicon.hpp"
#include "planner/text.hpp"

namespace secpilot::planner {
namespace {

constexpr std::string_view kEmDash = "—";

struct Word {
  std::string lower;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// "’" (U+2019) as "'", so that "don’t" reads as "don't".
std::string apostrophes_plain(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word.substr(i).starts_with("\xE2\x80\x99")) {
      out += '\'';
      i += 2;
    } else {
      out += word[i];
    }
  }
  return out;
}

// Words of letters and apostrophes (values such as 203.0.113.45 count as one word).
std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text::is_space(text[i]) || text[i] == ',' || text[i] == '"' ||
                               text[i] == '(' || text[i] == ')'))
      ++i;
    const std::size_t begin = i;
    while (i < text.size() && !text::is_space(text[i]) && text[i] != ',')
      ++i;
    if (i > begin) {
      std::string lower = apostrophes_plain(to_lower_ascii(text.substr(begin, i - begin)));
      while (!lower.empty() && (lower.back() == '?' || lower.back() == '!' || lower.back() == ':' ||
                                lower.back() == ';' || lower.back() == '.' || lower.back() == '"'))
        lower.pop_back();
      if (!lower.empty()) words.push_back({std::move(lower), begin, i});
    }
  }
  return words;
}

// Sentence ends: '.', '?', '!' or ';' followed by white space (not the dot of an address), and
// line breaks.
std::vector<std::string_view> sentences_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool end_mark = (c == '.' || c == '?' || c == '!' || c == ';') &&
                          (i + 1 == text.size() || text::is_space(text[i + 1]));
    if (end_mark || c == '\n') {
      out.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

// Where a new clause starts inside a sentence: "then", "and then", ", then", " — ", "and" or ","
// before a request verb, and "," before a question word or a negation (", don't look it up").
std::vector<std::size_t> clause_starts(std::string_view sentence, const std::vector<Word>& words) {
  std::vector<std::size_t> starts{0};
  for (std::size_t w = 1; w < words.size(); ++w) {
    const auto& word = words[w];
    // Inside parentheses is an aside or a list of options ("next steps (contain, block, hunt
    // further)"), never a new request.
    const auto before = sentence.substr(0, word.begin);
    if (std::count(before.begin(), before.end(), '(') >
        std::count(before.begin(), before.end(), ')'))
      continue;
    const bool comma_before =
        word.begin > 0 &&
        sentence.substr(0, word.begin).find_last_not_of(" \t") != std::string_view::npos &&
        sentence[sentence.substr(0, word.begin).find_last_not_of(" \t")] == ',';
    const bool dash_before = word.begin >= 2 && (sentence.substr(0, word.begin).ends_with("— ") ||
                                                 sentence.substr(0, word.begin).ends_with("- "));
    if (word.lower == "then" || dash_before) {
      starts.push_back(word.begin);
      continue;
    }
    const bool verb_next = w + 1 < words.size() && lexicon::is_request_verb(words[w + 1].lower);
    if ((word.lower == "and" || word.lower == "also") && verb_next) {
      starts.push_back(word.begin);
      continue;
    }
    if (comma_before &&
        (lexicon::is_request_verb(word.lower) || (word.lower == "and" && w + 1 < words.size()) ||
         lexicon::is_question_word(word.lower) || lexicon::is_negation(word.lower)))
      starts.push_back(word.begin);
  }
  return starts;
}

ClauseKind read_kind(std::string_view clause, std::string& verb) {
  const auto words = words_of(clause);
  std::size_t w = 0;
  while (w < words.size() && lexicon::is_filler(words[w].lower) &&
         !(w + 1 < words.size() && words[w].lower == "do" && words[w + 1].lower == "not"))
    ++w;
  if (w < words.size()) {
    const auto& first = words[w].lower;
    if (lexicon::is_negation(first) ||
        (first == "do" && w + 1 < words.size() && words[w + 1].lower == "not"))
      return ClauseKind::negation;
    if (lexicon::is_request_verb(first)) {
      verb = first;
      return ClauseKind::request;
    }
    if (lexicon::is_question_word(first)) return ClauseKind::question;
  }
  const auto trimmed = text::trim(clause);
  if (!trimmed.empty() && trimmed.back() == '?') return ClauseKind::question;
  return ClauseKind::context;
}

}  // namespace

std::vector<Clause> split_clauses(std::string_view instruction) {
  std::vector<Clause> clauses;
  std::size_t sentence_index = 0;
  for (const auto sentence : sentences_of(instruction)) {
    const auto words = words_of(sentence);
    if (words.empty()) continue;
    const auto starts = clause_starts(sentence, words);
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const auto end = i + 1 < starts.size() ? starts[i + 1] : sentence.size();
      auto part = sentence.substr(starts[i], end - starts[i]);
      // Drop the joining words and punctuation at the edges.
      part = text::trim(part);
      while (!part.empty() && (part.back() == ',' || part.back() == '-'))
        part = text::trim(part.substr(0, part.size() - 1));
      if (part.ends_with(kEmDash)) part = text::trim(part.substr(0, part.size() - kEmDash.size()));
      for (std::string_view joiner : {"and then ", "then ", "and ", "also ", "— ", "- "})
        if (part.size() > joiner.size() && iequals_ascii(part.substr(0, joiner.size()), joiner)) {
          part = text::trim(part.substr(joiner.size()));
          break;
        }
      if (part.empty()) continue;
      Clause clause;
      clause.text = part;
      clause.offset = static_cast<std::size_t>(part.data() - instruction.data());
      clause.kind = read_kind(part, clause.verb);
      clause.sentence = sentence_index;
      // "... check 203.0.113.45, then: which devices talked to it" keeps its question mark at
      // the sentence's end: a clause in a question sentence that is not a request is a question.
      if (clause.kind == ClauseKind::context && !sentence.empty() &&
          text::trim(sentence).ends_with('?'))
        clause.kind = ClauseKind::question;
      clauses.push_back(clause);
    }
    ++sentence_index;
  }
  return clauses;
}

std::string_view clause_kind_name(ClauseKind kind) noexcept {
  switch (kind) {
    case ClauseKind::request:
      return "request";
    case ClauseKind::question:
      return "question";
    case ClauseKind::negation:
      return "negation";
    case ClauseKind::context:
      return "context";
  }
  return "context";
}

}  // namespace secpilot::planner

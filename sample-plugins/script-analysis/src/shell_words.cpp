#include "shell_words.hpp"

#include <vector>

#include "literal.hpp"
#include "text_util.hpp"

namespace script_analysis {
namespace {

constexpr size_t kMaxWord = size_t{4} << 20;  // a base64 blob is one word

// One past the expansion starting at the '$' or '`' at pos.
size_t skip_expansion(std::string_view text, size_t pos) {
  if (text[pos] == '`') {
    size_t close = text.find('`', pos + 1);
    return close == std::string_view::npos ? text.size() : close + 1;
  }
  size_t at = pos + 1;
  if (at >= text.size()) return at;
  if (text[at] == '(' || text[at] == '{') {
    const char open = text[at];
    const char close = open == '(' ? ')' : '}';
    int depth = 0;
    for (size_t i = at; i < text.size() && i - at < kMaxWord; ++i) {
      if (text[i] == open) ++depth;
      if (text[i] == close && --depth == 0) return i + 1;
    }
    return text.size();
  }
  if (is_digit(text[at]) || std::string_view("@*#?$!-").find(text[at]) != std::string_view::npos)
    return at + 1;
  while (at < text.size() && is_word(text[at]))
    ++at;
  return at;
}

}  // namespace

bool is_shell_separator(char c) noexcept {
  return is_space(c) || c == ';' || c == '|' || c == '&' || c == '<' || c == '>' || c == '(' ||
         c == ')';
}

bool at_shell_word_start(std::string_view text, size_t pos) noexcept {
  return pos == 0 || is_shell_separator(text[pos - 1]);
}

std::optional<ShellWord> parse_shell_word(std::string_view text, size_t pos) {
  ShellWord word;
  word.begin = pos;
  // Value offsets where a quoted or escaped piece meets another piece.
  std::vector<size_t> boundaries;
  bool previous_quoted = false;
  bool first = true;
  size_t i = pos;
  auto piece = [&](bool quoted) {
    if (!first && (quoted || previous_quoted)) boundaries.push_back(word.value.size());
    previous_quoted = quoted;
    first = false;
  };
  while (i < text.size() && i - pos < kMaxWord) {
    const char c = text[i];
    if (is_shell_separator(c)) break;
    if (c == '\'' || c == '"' || (c == '$' && i + 1 < text.size() && text[i + 1] == '\'')) {
      auto literal = parse_literal(text, i, Syntax::Shell);
      if (!literal) return std::nullopt;
      piece(true);
      word.quoted = true;
      if (!literal->constant) word.constant = false;
      word.value += literal->value;
      boundaries.push_back(word.value.size());
      i = literal->end;
      previous_quoted = true;
    } else if (c == '$' || c == '`') {
      word.constant = false;
      piece(false);
      i = skip_expansion(text, i);
    } else if (c == '\\' && i + 1 < text.size()) {
      if (text[i + 1] == '\n') break;
      piece(true);
      word.quoted = true;
      if (is_alnum(text[i + 1])) word.spliced = true;  // \c is c: only there to hide a name
      word.value.push_back(text[i + 1]);
      i += 2;
      previous_quoted = true;
    } else {
      piece(false);
      word.value.push_back(c);
      ++i;
    }
  }
  word.end = i;
  for (size_t b : boundaries)
    if (b > 0 && b < word.value.size() && is_alnum(word.value[b - 1]) && is_alnum(word.value[b]))
      word.spliced = true;
  return word;
}

bool is_plain_shell_word(std::string_view value) noexcept {
  if (value.empty()) return false;
  for (char c : value)
    if (!is_alnum(c) && std::string_view("_./:=@%+,-").find(c) == std::string_view::npos)
      return false;
  return true;
}

std::string shell_word(std::string_view value) {
  if (is_plain_shell_word(value)) return std::string(value);
  return quote_literal(value, Syntax::Shell);
}

size_t skip_heredoc(std::string_view text, size_t pos) {
  if (text.substr(pos, 2) != "<<" || text.substr(pos, 3) == "<<<") return pos;
  size_t at = pos + 2;
  bool strip_tabs = at < text.size() && text[at] == '-';
  if (strip_tabs) ++at;
  at = skip_blanks(text, at);
  char quote = at < text.size() && (text[at] == '\'' || text[at] == '"') ? text[at] : '\0';
  if (quote) ++at;
  size_t end = at;
  while (end < text.size() && (is_word(text[end]) || text[end] == '-'))
    ++end;
  if (end == at) return pos;
  const std::string_view delimiter = text.substr(at, end - at);
  size_t line = line_end(text, end);
  while (line < text.size()) {
    size_t next = line + 1;
    size_t stop = line_end(text, next);
    std::string_view content = text.substr(next, stop - next);
    if (strip_tabs)
      while (!content.empty() && content.front() == '\t')
        content.remove_prefix(1);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    if (content == delimiter) return stop;
    line = stop;
  }
  return text.size();
}

}  // namespace script_analysis

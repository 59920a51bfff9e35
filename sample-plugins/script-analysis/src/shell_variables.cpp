// Commands assembled from variables: a=cu; b=rl; $a$b http://... runs curl. A variable assigned
// exactly once, to a constant, is substituted where it is spliced into a word ($a$b, x${a},
// ${a}y), where it stands as the command itself ($c http://...), and where bash's substring
// syntax cuts it (${a:1:3}). Ordinary uses ("$DIR"/bin, cd $DIR) are left as they are, so an
// everyday script does not look rewritten.
#include <unordered_map>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "shell_words.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr Syntax kSh = Syntax::Shell;

struct Variable {
  size_t assignments = 0;
  std::optional<std::string> constant;
  size_t assigned_at = 0;
};

struct Reference {
  size_t begin = 0;
  size_t end = 0;
  std::string name;
  std::optional<std::pair<int64_t, std::optional<int64_t>>> substring;  // ${a:offset:length}
  bool in_string = false;
};

bool is_name_start(char c) noexcept {
  return is_alpha(c) || c == '_';
}

// Is the word at pos in command position (first word of a simple command)?
bool at_command_position(std::string_view text, size_t pos) {
  size_t at = pos;
  while (at > 0 && is_blank(text[at - 1]))
    --at;
  if (at == 0) return true;
  const char c = text[at - 1];
  if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == '{' || c == '`')
    return true;
  size_t word_end = at;
  size_t word_begin = word_end;
  while (word_begin > 0 && is_word(text[word_begin - 1]))
    --word_begin;
  std::string_view word = text.substr(word_begin, word_end - word_begin);
  return word == "then" || word == "do" || word == "else" || word == "exec" || word == "sudo";
}

// $name, ${name}, ${name:offset[:length]} at pos.
std::optional<Reference> reference_at(std::string_view text, size_t pos) {
  if (pos + 1 >= text.size() || text[pos] != '$') return std::nullopt;
  Reference reference;
  reference.begin = pos;
  size_t at = pos + 1;
  const bool braced = text[at] == '{';
  if (braced) ++at;
  if (at >= text.size() || !is_name_start(text[at])) return std::nullopt;
  size_t end = at;
  while (end < text.size() && is_word(text[end]))
    ++end;
  reference.name = std::string(text.substr(at, end - at));
  if (!braced) {
    reference.end = end;
    return reference;
  }
  if (end < text.size() && text[end] == '}') {
    reference.end = end + 1;
    return reference;
  }
  if (end >= text.size() || text[end] != ':') return std::nullopt;
  auto offset = parse_integer_expression(text, skip_blanks(text, end + 1));
  if (!offset) return std::nullopt;
  size_t next = skip_blanks(text, offset->end);
  std::optional<int64_t> length;
  if (next < text.size() && text[next] == ':') {
    auto parsed = parse_integer_expression(text, skip_blanks(text, next + 1));
    if (!parsed) return std::nullopt;
    length = parsed->value;
    next = skip_blanks(text, parsed->end);
  }
  if (next >= text.size() || text[next] != '}') return std::nullopt;
  reference.substring = std::make_pair(offset->value, length);
  reference.end = next + 1;
  return reference;
}

// bash's ${value:offset:length}, negative offsets counting from the end.
std::optional<std::string> substring(const std::string& value, int64_t offset,
                                     std::optional<int64_t> length) {
  const auto size = static_cast<int64_t>(value.size());
  if (offset < 0) offset = std::max<int64_t>(0, size + offset);
  if (offset > size) return std::string();
  int64_t count = length ? *length : size - offset;
  if (count < 0) count = std::max<int64_t>(0, size - offset + count);
  count = std::min(count, size - offset);
  return value.substr(static_cast<size_t>(offset), static_cast<size_t>(count));
}

class Collector {
 public:
  explicit Collector(std::string_view text) : text_(text) {}

  void run() {
    size_t i = 0;
    while (i < text_.size()) {
      if (comment_starts(text_, i, kSh)) {
        i = skip_literal_or_comment(text_, i, kSh);
        continue;
      }
      const char c = text_[i];
      if (c == '<') {
        size_t after = skip_heredoc(text_, i);
        i = after > i ? after : i + 1;
        continue;
      }
      if (c == '\'' || (c == '$' && i + 1 < text_.size() && text_[i + 1] == '\'')) {
        size_t skipped = skip_literal_or_comment(text_, i, kSh);
        i = skipped > i ? skipped : i + 1;
        continue;
      }
      if (c == '"') {
        auto literal = parse_literal(text_, i, kSh);
        if (!literal) {
          i = line_end(text_, i);
          continue;
        }
        for (size_t k = i + 1; k + 1 < literal->end; ++k) {
          if (text_[k] == '\\') {
            ++k;
          } else if (auto reference = reference_at(text_, k)) {
            reference->in_string = true;
            k = reference->end - 1;
            references.push_back(std::move(*reference));
          }
        }
        i = literal->end;
        continue;
      }
      if (c == '$') {
        if (auto reference = reference_at(text_, i)) {
          i = reference->end;
          references.push_back(std::move(*reference));
          continue;
        }
      }
      if (is_name_start(c) && at_shell_word_start(text_, i)) {
        i = word(i);
        continue;
      }
      ++i;
    }
  }

  std::vector<Reference> references;
  std::unordered_map<std::string, Variable> variables;

 private:
  // A word at a command position: an assignment, or read/for naming variables.
  size_t word(size_t pos) {
    size_t end = pos;
    while (end < text_.size() && is_word(text_[end]))
      ++end;
    std::string name(text_.substr(pos, end - pos));
    if (name == "export" || name == "local" || name == "readonly" || name == "declare")
      return end;  // the assignment after it is a word of its own
    if (!at_command_position(text_, pos) && !preceded_by_declaration(pos)) return end;
    if (name == "read" || name == "for") {
      size_t at = skip_blanks(text_, end);
      while (at < text_.size() && text_[at] == '-') {  // read -r -p ...
        while (at < text_.size() && !is_blank(text_[at]))
          ++at;
        at = skip_blanks(text_, at);
      }
      while (at < text_.size() && is_name_start(text_[at])) {
        size_t stop = at;
        while (stop < text_.size() && is_word(text_[stop]))
          ++stop;
        variables[std::string(text_.substr(at, stop - at))].assignments += 2;
        if (name == "for") break;
        at = skip_blanks(text_, stop);
      }
      return end;
    }
    if (end < text_.size() && text_[end] == '+' && end + 1 < text_.size() &&
        text_[end + 1] == '=') {
      variables[name].assignments += 2;
      return end + 2;
    }
    if (end >= text_.size() || text_[end] != '=') return end;
    Variable& variable = variables[name];
    ++variable.assignments;
    variable.assigned_at = pos;
    variable.constant.reset();
    if (end + 1 >= text_.size() || is_shell_separator(text_[end + 1])) {
      variable.constant = std::string();
      return end + 1;
    }
    auto value = parse_shell_word(text_, end + 1);
    if (!value) return line_end(text_, end);
    if (value->constant) variable.constant = value->value;
    // References inside the value are uses too: scan them on the next steps.
    return value->constant ? value->end : end + 1;
  }

  bool preceded_by_declaration(size_t pos) const {
    size_t at = pos;
    while (at > 0 && is_blank(text_[at - 1]))
      --at;
    size_t begin = at;
    while (begin > 0 && is_word(text_[begin - 1]))
      --begin;
    std::string_view word = text_.substr(begin, at - begin);
    return word == "export" || word == "local" || word == "readonly" || word == "declare";
  }

  std::string_view text_;
};

bool spliced(std::string_view text, const Reference& reference) {
  if (reference.begin > 0) {
    char before = text[reference.begin - 1];
    if (is_alnum(before) || before == '}' || before == '\'') return true;
  }
  if (reference.end < text.size()) {
    char after = text[reference.end];
    if (after == '$' || (text[reference.end - 1] == '}' && (is_alnum(after) || after == '\'')))
      return true;
  }
  return false;
}

// The data of a decoding pipeline: echo $x | base64 -d, printf '%s' "$x" | rev, base64 -d <<< $x.
bool feeds_pipeline(std::string_view text, const Reference& reference) {
  size_t begin = reference.begin;
  size_t end = reference.end;
  if (reference.in_string) {  // "$x": the quotes around it
    if (begin == 0 || text[begin - 1] != '"' || end >= text.size() || text[end] != '"')
      return false;
    --begin;
    ++end;
  }
  size_t before = begin;
  while (before > 0 && is_blank(text[before - 1]))
    --before;
  if (before >= 3 && text.substr(before - 3, 3) == "<<<") return true;
  size_t after = skip_blanks(text, end);
  if (after >= text.size() || text[after] != '|' || text.substr(after, 2) == "||") return false;
  // The word before must be echo or printf, possibly after flags or a '%s' format.
  size_t at = before;
  for (int words = 0; words < 3 && at > 0; ++words) {
    size_t word_end = at;
    size_t word_begin = word_end;
    while (word_begin > 0 && !is_blank(text[word_begin - 1]) && text[word_begin - 1] != '\n' &&
           text[word_begin - 1] != ';' && text[word_begin - 1] != '(')
      --word_begin;
    std::string_view word = text.substr(word_begin, word_end - word_begin);
    if (word == "echo" || word == "printf") return true;
    if (word.empty() || (word.front() != '-' && word != "'%s'" && word != "\"%s\"")) return false;
    at = word_begin;
    while (at > 0 && is_blank(text[at - 1]))
      --at;
  }
  return false;
}

bool safe_in_double_quotes(std::string_view value) {
  return value.find_first_of("\"\\$`") == std::string_view::npos;
}

}  // namespace

std::optional<Rewrite> substitute_shell_variables(const TransformInput& input) {
  const std::string_view text = input.text;
  if (text.find('$') == std::string_view::npos) return std::nullopt;
  Collector collector(text);
  collector.run();
  const size_t max_bytes = input.budget.limits().max_layer_bytes;
  Rewriter out(text);
  size_t size = text.size();
  for (const Reference& reference : collector.references) {
    auto it = collector.variables.find(reference.name);
    if (it == collector.variables.end()) continue;
    const Variable& variable = it->second;
    if (variable.assignments != 1 || !variable.constant || reference.begin < variable.assigned_at)
      continue;
    bool command = !reference.in_string && at_command_position(text, reference.begin);
    if (!reference.substring && !command && !spliced(text, reference) &&
        !feeds_pipeline(text, reference))
      continue;
    std::optional<std::string> value = *variable.constant;
    if (reference.substring)
      value = substring(*value, reference.substring->first, reference.substring->second);
    if (!value) continue;
    std::string replacement;
    if (reference.in_string) {
      if (!safe_in_double_quotes(*value)) continue;
      replacement = *value;
    } else {
      replacement = is_plain_shell_word(*value) || value->empty()
                        ? *value
                        : quote_literal(*value, Syntax::Shell);
    }
    size += replacement.size();
    if (size > max_bytes) break;
    out.replace(reference.begin, reference.end, replacement);
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

// Strings parked in variables and spliced back: $a='Ne'; $b='t.WebC'; ... & ($a+$b) or
// "$a$b". A variable assigned exactly once, to a constant, has its later uses replaced by the
// constant (a literal in code, the raw text inside double-quoted strings), after which the
// concatenation and invocation decoders see through it. Variables assigned more than once, in a
// loop, by ++ or +=, or by foreach are left alone, as are automatic ones ($_, $env:...).
#include <unordered_map>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr Syntax kPs = Syntax::PowerShell;

struct Occurrence {
  size_t begin = 0;
  size_t end = 0;
  std::string name;  // lower case
  bool in_string = false;
  bool assignment = false;
};

struct Variable {
  size_t assignments = 0;
  std::optional<std::string> constant;  // the value of its one constant assignment
  size_t assigned_at = 0;
};

// $name or ${name} at pos (pos at '$'); the name in lower case, or nullopt.
std::optional<std::pair<std::string, size_t>> variable_at(std::string_view text, size_t pos) {
  if (pos + 1 >= text.size() || text[pos] != '$') return std::nullopt;
  size_t at = pos + 1;
  if (text[at] == '{') {
    size_t close = text.find('}', at);
    if (close == std::string_view::npos || close - at > 64) return std::nullopt;
    std::string_view name = text.substr(at + 1, close - at - 1);
    for (char c : name)
      if (!is_word(c)) return std::nullopt;
    if (name.empty()) return std::nullopt;
    return std::make_pair(to_lower(name), close + 1);
  }
  if (!is_alpha(text[at]) && text[at] != '_') return std::nullopt;
  size_t end = at;
  while (end < text.size() && is_word(text[end]))
    ++end;
  if (end < text.size() && text[end] == ':') return std::nullopt;  // $env:x, $script:x
  return std::make_pair(to_lower(text.substr(at, end - at)), end);
}

bool is_automatic(std::string_view name) {
  static constexpr std::string_view kAutomatic[] = {"_",
                                                    "args",
                                                    "input",
                                                    "this",
                                                    "true",
                                                    "false",
                                                    "null",
                                                    "error",
                                                    "home",
                                                    "pwd",
                                                    "psitem",
                                                    "matches",
                                                    "host",
                                                    "shellid",
                                                    "pshome",
                                                    "verbosepreference",
                                                    "myinvocation",
                                                    "psscriptroot",
                                                    "pscmdlet"};
  for (auto automatic : kAutomatic)
    if (name == automatic) return true;
  return false;
}

// Does a statement end at pos (after blanks)?
bool statement_ends(std::string_view text, size_t pos) {
  size_t at = skip_blanks(text, pos);
  return at >= text.size() || text[at] == ';' || text[at] == '\n' || text[at] == '\r' ||
         text[at] == '}' || text[at] == '#';
}

class Collector {
 public:
  explicit Collector(std::string_view text) : text_(text) {}

  void run() {
    size_t i = 0;
    while (i < text_.size()) {
      if (comment_starts(text_, i, kPs)) {
        i = skip_literal_or_comment(text_, i, kPs);
        continue;
      }
      const char c = text_[i];
      if (c == '"' || (c == '@' && i + 1 < text_.size() && text_[i + 1] == '"')) {
        auto literal = parse_literal(text_, i, kPs);
        if (!literal) {
          size_t skipped = skip_literal_or_comment(text_, i, kPs);
          i = skipped > i ? skipped : i + 1;
          continue;
        }
        in_string(i + 1, literal->end - 1);
        i = literal->end;
        continue;
      }
      if (c == '\'' || c == '@') {
        size_t skipped = skip_literal_or_comment(text_, i, kPs);
        i = skipped > i ? skipped : i + 1;
        continue;
      }
      if (c == '$') {
        i = in_code(i);
        continue;
      }
      ++i;
    }
  }

  std::vector<Occurrence> occurrences;
  std::unordered_map<std::string, Variable> variables;

 private:
  void in_string(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (text_[i] == '`') {
        ++i;
        continue;
      }
      if (text_[i] != '$') continue;
      auto variable = variable_at(text_, i);
      if (!variable || variable->second > end) continue;
      occurrences.push_back({i, variable->second, variable->first, true, false});
      i = variable->second - 1;
    }
  }

  size_t in_code(size_t pos) {
    auto variable = variable_at(text_, pos);
    if (!variable) return pos + 1;
    auto& [name, end] = *variable;
    Occurrence occurrence{pos, end, name, false, false};
    size_t at = skip_blanks(text_, end);
    Variable& record = variables[name];
    if (at < text_.size()) {
      const char c = text_[at];
      const char next = at + 1 < text_.size() ? text_[at + 1] : '\0';
      if (c == '=' && next != '=') {
        occurrence.assignment = true;
        ++record.assignments;
        record.assigned_at = pos;
        auto value = parse_operand(text_, skip_blanks(text_, at + 1), kPs);
        if (value && value->constant && statement_ends(text_, value->end))
          record.constant = std::move(value->value);
        else
          record.constant.reset();
      } else if ((next == '=' && std::string_view("+-*/%").find(c) != std::string_view::npos) ||
                 (c == '+' && next == '+') || (c == '-' && next == '-') ||
                 match_word(text_, at, "in") != std::string_view::npos) {
        occurrence.assignment = true;
        record.assignments += 2;  // never a single constant
      }
    }
    occurrences.push_back(std::move(occurrence));
    return end;
  }

  std::string_view text_;
};

bool safe_in_double_quotes(std::string_view value) {
  return value.find_first_of("\"`$\n") == std::string_view::npos &&
         value.find("\xE2\x80\x9C") == std::string_view::npos;
}

}  // namespace

std::optional<Rewrite> substitute_powershell_variables(const TransformInput& input) {
  const std::string_view text = input.text;
  if (text.find('$') == std::string_view::npos) return std::nullopt;
  Collector collector(text);
  collector.run();
  const size_t max_bytes = input.budget.limits().max_layer_bytes;
  Rewriter out(text);
  size_t size = text.size();
  for (const Occurrence& occurrence : collector.occurrences) {
    if (occurrence.assignment || is_automatic(occurrence.name)) continue;
    const auto it = collector.variables.find(occurrence.name);
    if (it == collector.variables.end()) continue;
    const Variable& variable = it->second;
    if (variable.assignments != 1 || !variable.constant || occurrence.begin < variable.assigned_at)
      continue;
    std::string replacement;
    if (!occurrence.in_string) {
      if (occurrence.begin > 0 && text[occurrence.begin - 1] == ']' &&
          ifind(text.substr(occurrence.begin >= 5 ? occurrence.begin - 5 : 0, 5), "[ref]") !=
              std::string_view::npos)
        continue;
      replacement = quote_literal(*variable.constant, kPs);
    } else if (safe_in_double_quotes(*variable.constant)) {
      replacement = *variable.constant;
    } else {
      continue;
    }
    size += replacement.size();
    if (size > max_bytes) break;
    out.replace(occurrence.begin, occurrence.end, replacement);
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, ObfuscationClass::None};
}

}  // namespace script_analysis

// Strings cut into pieces and glued back at run time: 'Invo'+'ke-Ex'+'pression' in PowerShell and
// JavaScript, "Scr" & "ipt" in VBScript. A chain of constant literals (grouping parentheses
// allowed) joined by the concatenation operator becomes one literal. Chains stop where operator
// precedence would make the fold wrong: a member access or index on the last piece ('b'.Length),
// a multiplication, PowerShell's -f and its comma (which bind tighter than +).
#include <vector>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

bool is_concat_operator(std::string_view text, size_t pos, Syntax syntax) noexcept {
  if (pos >= text.size()) return false;
  const char c = text[pos];
  bool plus = c == '+';
  bool ampersand = c == '&' && syntax == Syntax::VBScript;
  if (!plus && !ampersand) return false;
  if (pos + 1 < text.size() && (text[pos + 1] == c || text[pos + 1] == '=')) return false;
  return true;
}

// Does what precedes `pos` bind tighter than '+' to the literal there?
bool bound_before(std::string_view text, size_t pos, Syntax syntax) {
  size_t before = previous_non_space(text, pos);
  if (before == std::string_view::npos) return false;
  const char c = text[before];
  if (c == '*' || c == '/' || c == '%' || c == '.' || c == '[') return true;
  if (syntax == Syntax::PowerShell) {
    if (c == ',') return true;
    if ((c == 'f' || c == 'F') && before >= 1 && text[before - 1] == '-' &&
        starts_word(text, before - 1))
      return true;
  }
  if (syntax == Syntax::JavaScript && c == '-') return true;
  return false;
}

// Does what follows `pos` bind tighter than '+' to the literal before it?
bool bound_after(std::string_view text, size_t pos, Syntax syntax) {
  size_t at = skip_blanks(text, pos);
  if (at >= text.size()) return false;
  const char c = text[at];
  if (c == '.' || c == '[' || c == '*' || c == '/' || c == '%' || c == '(') return true;
  if (syntax == Syntax::PowerShell) {
    if (c == ',') return true;
    if (match_word(text, at, "-f") != std::string_view::npos) return true;
  }
  return false;
}

// PowerShell's array + element: ('i','e')+'x' is ('i','e','x'), which -join then folds (the
// output of $VerbosePreference.ToString()[1,3]+'x'-join'' once the indexing is resolved).
std::optional<std::pair<std::string, size_t>> append_to_list(std::string_view text, size_t pos,
                                                             size_t max_bytes) {
  std::vector<std::string> items;
  size_t at = skip_spaces(text, pos + 1);
  while (true) {
    auto item = parse_operand(text, at, Syntax::PowerShell);
    if (!item || !item->constant) return std::nullopt;
    items.push_back(std::move(item->value));
    at = skip_spaces(text, item->end);
    if (at < text.size() && text[at] == ',') {
      at = skip_spaces(text, at + 1);
      continue;
    }
    break;
  }
  if (items.size() < 2 || at >= text.size() || text[at] != ')') return std::nullopt;
  size_t end = at + 1;
  size_t appended = 0;
  size_t bytes = 0;
  while (appended < 100000) {
    size_t op = skip_spaces(text, end);
    if (!is_concat_operator(text, op, Syntax::PowerShell)) break;
    auto next = parse_operand(text, skip_spaces(text, op + 1), Syntax::PowerShell);
    if (!next || !next->constant || bound_after(text, next->end, Syntax::PowerShell)) break;
    bytes += next->value.size();
    if (bytes > max_bytes) break;
    items.push_back(std::move(next->value));
    end = next->end;
    ++appended;
  }
  if (appended == 0) return std::nullopt;
  std::string list = "(";
  for (size_t k = 0; k < items.size(); ++k) {
    if (k > 0) list += ",";
    list += quote_literal(items[k], Syntax::PowerShell);
  }
  list += ")";
  return std::make_pair(std::move(list), end);
}

}  // namespace

std::optional<Rewrite> concatenate_strings(const TransformInput& input) {
  const std::string_view text = input.text;
  const Syntax syntax = syntax_of(input.language);
  if (syntax == Syntax::Shell || syntax == Syntax::Batch) return std::nullopt;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, syntax)) {
      i = skip_literal_or_comment(text, i, syntax);
      continue;
    }
    const char c = text[i];
    if (c != '(' && c != '\'' && c != '"' && c != '`' && c != '@' && c != '$') {
      ++i;
      continue;
    }
    if (c == '(' && syntax == Syntax::PowerShell) {
      if (auto list = append_to_list(text, i, input.budget.limits().max_layer_bytes)) {
        out.replace(i, list->second, list->first);
        i = list->second;
        continue;
      }
    }
    auto first = parse_operand(text, i, syntax);
    if (!first || !first->constant || bound_before(text, i, syntax)) {
      size_t skipped = skip_literal_or_comment(text, i, syntax);
      i = skipped > i ? skipped : i + 1;
      continue;
    }
    std::string value = std::move(first->value);
    size_t end = first->end;
    size_t pieces = 1;
    while (pieces < 1000000) {
      size_t op = skip_spaces(text, end);
      if (!is_concat_operator(text, op, syntax)) break;
      auto next = parse_operand(text, skip_spaces(text, op + 1), syntax);
      if (!next || !next->constant || bound_after(text, next->end, syntax)) break;
      value += next->value;
      end = next->end;
      ++pieces;
      if (value.size() > input.budget.limits().max_layer_bytes) break;
    }
    if (pieces > 1) out.replace(first->begin, end, quote_literal(value, syntax));
    i = end;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

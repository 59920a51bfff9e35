// PowerShell's format operator used to scramble a string: "{2}{0}{1}" -f 'ke-Exp','ression',
// 'Invo' is "Invoke-Expression". A constant format string whose arguments are all constants
// (literals or integers, optionally in parentheses) becomes the formatted literal. Only plain
// {N} placeholders (and {{ }} escapes) are evaluated; alignment and format specifiers are left
// alone.
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr Syntax kPs = Syntax::PowerShell;

std::optional<std::string> format(std::string_view pattern, const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      out.push_back('{');
      ++i;
    } else if (c == '}' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      out.push_back('}');
      ++i;
    } else if (c == '{') {
      size_t j = i + 1;
      size_t index = 0;
      while (j < pattern.size() && is_digit(pattern[j]) && j - i < 6)
        index = index * 10 + static_cast<size_t>(pattern[j++] - '0');
      if (j == i + 1 || j >= pattern.size() || pattern[j] != '}' || index >= args.size())
        return std::nullopt;
      out += args[index];
      i = j;
    } else if (c == '}') {
      return std::nullopt;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

struct Argument {
  std::string value;
  size_t end = 0;
};

std::optional<Argument> argument_at(std::string_view text, size_t pos) {
  if (auto literal = parse_operand(text, pos, kPs)) {
    if (!literal->constant) return std::nullopt;
    return Argument{std::move(literal->value), literal->end};
  }
  if (auto number = parse_integer_expression(text, pos))
    return Argument{std::to_string(number->value), number->end};
  return std::nullopt;
}

struct Arguments {
  std::vector<std::string> values;
  size_t end = 0;
};

std::optional<Arguments> arguments_at(std::string_view text, size_t pos) {
  Arguments args;
  size_t at = pos;
  while (args.values.size() < 1000) {
    auto arg = argument_at(text, at);
    if (!arg) return std::nullopt;
    args.values.push_back(std::move(arg->value));
    args.end = arg->end;
    size_t comma = skip_spaces(text, arg->end);
    if (comma >= text.size() || text[comma] != ',') break;
    at = skip_spaces(text, comma + 1);
  }
  // A member access or index on the last argument applies to it alone: leave the expression.
  size_t after = skip_blanks(text, args.end);
  if (after < text.size() && (text[after] == '.' || text[after] == '[')) return std::nullopt;
  return args;
}

}  // namespace

std::optional<Rewrite> apply_format_operator(const TransformInput& input) {
  const std::string_view text = input.text;
  if (ifind(text, "-f") == std::string_view::npos) return std::nullopt;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, kPs)) {
      i = skip_literal_or_comment(text, i, kPs);
      continue;
    }
    const char c = text[i];
    if (c != '(' && c != '\'' && c != '"' && c != '@') {
      ++i;
      continue;
    }
    auto pattern = parse_operand(text, i, kPs);
    if (!pattern || !pattern->constant) {
      size_t skipped = skip_literal_or_comment(text, i, kPs);
      i = skipped > i ? skipped : i + 1;
      continue;
    }
    size_t op = match_word(text, skip_spaces(text, pattern->end), "-f");
    if (op == std::string_view::npos) {
      i = pattern->end;
      continue;
    }
    size_t at = skip_spaces(text, op);
    std::optional<Arguments> args;
    bool grouped = at < text.size() && text[at] == '(';
    if (grouped) {
      args = arguments_at(text, skip_spaces(text, at + 1));
      size_t close = args ? skip_spaces(text, args->end) : text.size();
      if (args && close < text.size() && text[close] == ')')
        args->end = close + 1;
      else
        args = arguments_at(text, at);  // "(a)" was only the first argument's parentheses
    } else {
      args = arguments_at(text, at);
    }
    std::optional<std::string> formatted;
    if (args) formatted = format(pattern->value, args->values);
    if (!formatted) {
      i = pattern->end;
      continue;
    }
    out.replace(pattern->begin, args->end, quote_literal(*formatted, kPs));
    i = args->end;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

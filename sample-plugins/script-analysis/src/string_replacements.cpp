// Strings written with junk in them, or backwards, and repaired at run time:
//   PowerShell  'IwwEX' -replace 'ww','' ; 'Dow#nload'.Replace('#','') ; -creplace, -ireplace
//   JavaScript  "h@tt@p".split("@").join("") ; "lave".split("").reverse().join("") ;
//               .replace("x", "y"), .replace(/x/g, "y"), .replaceAll("x", "y")
//   VBScript    Replace("WXScript", "X", "") ; StrReverse("llehS.tpircSW")
// Chains on one constant are applied in order and the result becomes one literal. PowerShell's
// -replace takes a regular expression: only patterns that are plain text (metacharacters escaped)
// are evaluated, and replacements naming groups ($1) are left alone.
#include <algorithm>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

std::string replace_all(std::string_view text, std::string_view from, std::string_view to,
                        bool ignore_case, size_t max_bytes) {
  if (from.empty()) return std::string(text);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t at = ignore_case ? ifind(text, from, i) : text.find(from, i);
    if (at == std::string_view::npos) break;
    out.append(text.substr(i, at - i));
    out.append(to);
    i = at + from.size();
    if (out.size() > max_bytes) return out;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

std::string replace_first(std::string_view text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  if (at == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, at));
  out.append(to);
  out.append(text.substr(at + from.size()));
  return out;
}

// A .NET or JavaScript regular expression that only matches itself, unescaped; nullopt when it
// uses any metacharacter.
std::optional<std::string> plain_regex(std::string_view pattern) {
  static constexpr std::string_view kMeta = ".$^{[(|)*+?";
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size()) return std::nullopt;
      char next = pattern[++i];
      if (kMeta.find(next) == std::string_view::npos && next != '\\' && next != '/' &&
          next != '-' && next != ']' && next != '}')
        return std::nullopt;  // \d, \s, \w, ...
      out.push_back(next);
    } else if (kMeta.find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// A replacement text with no group references; "$$" is a literal '$'.
std::optional<std::string> plain_replacement(std::string_view replacement) {
  std::string out;
  for (size_t i = 0; i < replacement.size(); ++i) {
    if (replacement[i] != '$') {
      out.push_back(replacement[i]);
    } else if (i + 1 < replacement.size() && replacement[i + 1] == '$') {
      out.push_back('$');
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

struct Step {
  std::string value;
  size_t end = 0;
};

// "(a, b, ...)": exactly `count` constant operands in parentheses; end is one past ')'.
struct Arguments {
  std::vector<std::string> values;
  size_t end = 0;
};

std::optional<Arguments> call_arguments(std::string_view text, size_t open, Syntax syntax,
                                        size_t count) {
  if (open >= text.size() || text[open] != '(') return std::nullopt;
  Arguments args;
  size_t at = skip_spaces(text, open + 1);
  for (size_t k = 0; k < count; ++k) {
    if (k > 0) {
      if (at >= text.size() || text[at] != ',') return std::nullopt;
      at = skip_spaces(text, at + 1);
    }
    auto operand = parse_operand(text, at, syntax);
    if (!operand || !operand->constant) return std::nullopt;
    args.values.push_back(std::move(operand->value));
    at = skip_spaces(text, operand->end);
  }
  if (at >= text.size() || text[at] != ')') return std::nullopt;
  args.end = at + 1;
  return args;
}

size_t empty_call(std::string_view text, size_t pos, std::string_view method) {
  if (!imatch_at(text, pos, method)) return std::string_view::npos;
  size_t open = skip_blanks(text, pos + method.size());
  if (open >= text.size() || text[open] != '(') return std::string_view::npos;
  size_t close = skip_blanks(text, open + 1);
  if (close >= text.size() || text[close] != ')') return std::string_view::npos;
  return close + 1;
}

std::optional<Step> powershell_step(std::string_view text, size_t pos, const std::string& value,
                                    size_t max_bytes) {
  constexpr Syntax kPs = Syntax::PowerShell;
  size_t at = skip_blanks(text, pos);
  for (std::string_view op : {"-replace", "-ireplace", "-creplace"}) {
    size_t after = match_word(text, at, op);
    if (after == std::string_view::npos) continue;
    auto pattern = parse_operand(text, skip_blanks(text, after), kPs);
    if (!pattern || !pattern->constant) return std::nullopt;
    std::string replacement;
    size_t end = pattern->end;
    size_t comma = skip_blanks(text, pattern->end);
    if (comma < text.size() && text[comma] == ',') {
      auto with = parse_operand(text, skip_blanks(text, comma + 1), kPs);
      if (!with || !with->constant) return std::nullopt;
      replacement = std::move(with->value);
      end = with->end;
    }
    auto from = plain_regex(pattern->value);
    auto to = plain_replacement(replacement);
    if (!from || !to) return std::nullopt;
    return Step{replace_all(value, *from, *to, op != "-creplace", max_bytes), end};
  }
  if (at < text.size() && text[at] == '.') {
    if (imatch_at(text, at + 1, "replace")) {
      auto args = call_arguments(text, skip_blanks(text, at + 8), kPs, 2);
      if (!args) return std::nullopt;
      return Step{replace_all(value, args->values[0], args->values[1], false, max_bytes),
                  args->end};
    }
    if (size_t end = empty_call(text, at + 1, "tolower"); end != std::string_view::npos)
      return Step{to_lower(value), end};
  }
  return std::nullopt;
}

std::optional<Step> javascript_step(std::string_view text, size_t pos, const std::string& value,
                                    size_t max_bytes) {
  constexpr Syntax kJs = Syntax::JavaScript;
  size_t at = skip_spaces(text, pos);
  if (at >= text.size() || text[at] != '.') return std::nullopt;
  ++at;
  if (imatch_at(text, at, "replaceall(")) {
    auto args = call_arguments(text, at + 10, kJs, 2);
    if (!args) return std::nullopt;
    return Step{replace_all(value, args->values[0], args->values[1], false, max_bytes), args->end};
  }
  if (imatch_at(text, at, "replace(")) {
    size_t open = at + 7;
    size_t arg = skip_spaces(text, open + 1);
    if (arg < text.size() && text[arg] == '/') {
      // .replace(/plain/g, "x")
      size_t close = text.find('/', arg + 1);
      if (close == std::string_view::npos || close - arg > 256) return std::nullopt;
      auto from = plain_regex(text.substr(arg + 1, close - arg - 1));
      size_t flags = close + 1;
      bool global = false, ignore_case = false;
      while (flags < text.size() && is_alpha(text[flags])) {
        global |= text[flags] == 'g';
        ignore_case |= text[flags] == 'i';
        ++flags;
      }
      size_t comma = skip_spaces(text, flags);
      if (!from || comma >= text.size() || text[comma] != ',') return std::nullopt;
      auto with = parse_operand(text, skip_spaces(text, comma + 1), kJs);
      if (!with || !with->constant) return std::nullopt;
      size_t end = skip_spaces(text, with->end);
      if (end >= text.size() || text[end] != ')') return std::nullopt;
      auto to = plain_replacement(with->value);
      if (!to) return std::nullopt;
      std::string result;
      if (global) {
        result = replace_all(value, *from, *to, ignore_case, max_bytes);
      } else if (ignore_case) {
        size_t hit = ifind(value, *from);
        result = hit == std::string_view::npos
                     ? value
                     : value.substr(0, hit) + *to + value.substr(hit + from->size());
      } else {
        result = replace_first(value, *from, *to);
      }
      return Step{std::move(result), end + 1};
    }
    auto args = call_arguments(text, open, kJs, 2);
    if (!args) return std::nullopt;
    return Step{replace_first(value, args->values[0], args->values[1]), args->end};
  }
  if (imatch_at(text, at, "split(")) {
    auto separator = call_arguments(text, at + 5, kJs, 1);
    if (!separator) return std::nullopt;
    size_t next = skip_spaces(text, separator->end);
    bool reverse = false;
    if (size_t end = empty_call(text, next, ".reverse"); end != std::string_view::npos) {
      reverse = true;
      next = skip_spaces(text, end);
    }
    if (!imatch_at(text, next, ".join(")) return std::nullopt;
    auto joiner = call_arguments(text, next + 5, kJs, 1);
    if (!joiner) return std::nullopt;
    const std::string& split_on = separator->values[0];
    const std::string& join_with = joiner->values[0];
    if (!reverse)
      return Step{replace_all(value, split_on, join_with, false, max_bytes), joiner->end};
    if (!split_on.empty() || !join_with.empty()) return std::nullopt;
    std::string reversed(value.rbegin(), value.rend());
    return Step{std::move(reversed), joiner->end};
  }
  if (size_t end = empty_call(text, at, "tolowercase"); end != std::string_view::npos)
    return Step{to_lower(value), end};
  return std::nullopt;
}

// VBScript's Replace(s, a, b) and StrReverse(s) at pos, as a whole expression.
std::optional<Step> vbscript_function(std::string_view text, size_t pos, size_t max_bytes) {
  constexpr Syntax kVbs = Syntax::VBScript;
  if (!starts_word(text, pos)) return std::nullopt;
  if (imatch_at(text, pos, "strreverse")) {
    auto arg = call_arguments(text, skip_blanks(text, pos + 10), kVbs, 1);
    if (!arg) return std::nullopt;
    std::string reversed(arg->values[0].rbegin(), arg->values[0].rend());
    return Step{std::move(reversed), arg->end};
  }
  if (!imatch_at(text, pos, "replace")) return std::nullopt;
  auto args = call_arguments(text, skip_blanks(text, pos + 7), kVbs, 3);
  if (!args) return std::nullopt;
  return Step{replace_all(args->values[0], args->values[1], args->values[2], false, max_bytes),
              args->end};
}

}  // namespace

std::optional<Rewrite> apply_string_replacements(const TransformInput& input) {
  const std::string_view text = input.text;
  const Syntax syntax = syntax_of(input.language);
  if (syntax != Syntax::PowerShell && syntax != Syntax::JavaScript && syntax != Syntax::VBScript)
    return std::nullopt;
  const size_t max_bytes = input.budget.limits().max_layer_bytes;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, syntax)) {
      i = skip_literal_or_comment(text, i, syntax);
      continue;
    }
    const char c = text[i];
    if (syntax == Syntax::VBScript && (lower(c) == 'r' || lower(c) == 's')) {
      if (auto step = vbscript_function(text, i, max_bytes)) {
        out.replace(i, step->end, quote_literal(step->value, syntax));
        i = step->end;
        continue;
      }
    }
    if (c != '(' && c != '\'' && c != '"' && c != '`' && c != '@') {
      ++i;
      continue;
    }
    auto subject = parse_operand(text, i, syntax);
    if (!subject || !subject->constant) {
      size_t skipped = skip_literal_or_comment(text, i, syntax);
      i = skipped > i ? skipped : i + 1;
      continue;
    }
    // -replace binds looser than arithmetic: "$x + 'a' -replace ..." is not ours to fold.
    size_t before = previous_non_space(text, i);
    bool arithmetic_before = before != std::string_view::npos &&
                             std::string_view("+-*/%").find(text[before]) != std::string_view::npos;
    std::string value = std::move(subject->value);
    size_t end = subject->end;
    size_t steps = 0;
    while (steps < 1000) {
      std::optional<Step> step;
      if (syntax == Syntax::PowerShell) {
        step = powershell_step(text, end, value, max_bytes);
        if (step && arithmetic_before && text[skip_blanks(text, end)] == '-') step.reset();
      } else if (syntax == Syntax::JavaScript) {
        step = javascript_step(text, end, value, max_bytes);
      }
      if (!step) break;
      value = std::move(step->value);
      end = step->end;
      ++steps;
    }
    if (steps > 0) out.replace(subject->begin, end, quote_literal(value, syntax));
    i = end;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

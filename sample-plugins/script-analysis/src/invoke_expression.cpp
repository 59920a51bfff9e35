// A constant string run as code is just code: the layer shows what would run.
//   PowerShell  iex 'code', Invoke-Expression ("code"), 'code' | iex, [ScriptBlock]::Create('code')
//               and the disguised callers &('iex'), .('Invoke-Expression'), & ('New-Object'),
//               which become plain command names first
//   JavaScript  eval("code"), new Function("code")(), Function("code")()
//   VBScript    Execute "code", ExecuteGlobal("code"), Eval("code")
// Only a constant argument that is the whole argument is unwrapped; iex $var or
// iex (New-Object Net.WebClient).DownloadString(...) stay as they are (a behaviour rule sees them).
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

struct Found {
  size_t begin = 0;
  size_t end = 0;
  std::string replacement;
};

// After an argument: the end of the statement, a closing bracket or a pipe.
bool argument_ends(std::string_view text, size_t pos) {
  size_t at = skip_blanks(text, pos);
  if (at >= text.size()) return true;
  const char c = text[at];
  return c == ';' || c == '\n' || c == '\r' || c == ')' || c == '}' || c == '|' || c == '#' ||
         c == ':';
}

bool is_invoke_expression(std::string_view name) {
  std::string_view trimmed = trim(name);
  return iequals(trimmed, "iex") || iequals(trimmed, "invoke-expression");
}

// A cmdlet-looking name (Verb-Noun) or iex: safe to write bare.
bool is_command_name(std::string_view name) {
  if (is_invoke_expression(name)) return true;
  if (name.empty() || !is_alpha(name.front()) || name.find('-') == std::string_view::npos)
    return false;
  for (char c : name)
    if (!is_alnum(c) && c != '-') return false;
  return name.size() <= 64;
}

// "& ('iex')", ". 'Invoke-Expression'", "&(\"New-Object\")" at pos: the bare name.
std::optional<Found> literal_command(std::string_view text, size_t pos) {
  const char op = text[pos];
  if (op != '&' && op != '.') return std::nullopt;
  if (pos > 0 && !is_space(text[pos - 1]) && text[pos - 1] != ';' && text[pos - 1] != '(' &&
      text[pos - 1] != '|' && text[pos - 1] != '{')
    return std::nullopt;
  if (op == '.' && pos + 1 < text.size() && text[pos + 1] == '.') return std::nullopt;
  auto name = parse_operand(text, skip_blanks(text, pos + 1), Syntax::PowerShell);
  if (!name || !name->constant || !is_command_name(name->value)) return std::nullopt;
  if (name->end < text.size() && !is_space(text[name->end]) && text[name->end] != '(' &&
      text[name->end] != '\'' && text[name->end] != '"' && text[name->end] != ';')
    return std::nullopt;
  std::string bare = is_invoke_expression(name->value) ? "iex" : std::string(trim(name->value));
  return Found{pos, name->end, bare};
}

// iex / Invoke-Expression [-Command] <constant>
std::optional<Found> powershell_caller(std::string_view text, size_t pos) {
  if (!starts_word(text, pos)) return std::nullopt;
  size_t after = match_word(text, pos, "iex");
  if (after == std::string_view::npos) after = match_word(text, pos, "invoke-expression");
  if (after == std::string_view::npos) return std::nullopt;
  size_t at = skip_blanks(text, after);
  if (size_t parameter = match_word(text, at, "-command"); parameter != std::string_view::npos)
    at = skip_blanks(text, parameter);
  auto code = parse_operand(text, at, Syntax::PowerShell);
  if (!code || !code->constant || !argument_ends(text, code->end)) return std::nullopt;
  return Found{pos, code->end, std::move(code->value)};
}

// <constant> | iex
std::optional<Found> powershell_piped(std::string_view text, size_t pos) {
  auto code = parse_operand(text, pos, Syntax::PowerShell);
  if (!code || !code->constant) return std::nullopt;
  size_t pipe = skip_blanks(text, code->end);
  if (pipe >= text.size() || text[pipe] != '|') return std::nullopt;
  size_t at = skip_blanks(text, pipe + 1);
  size_t after = match_word(text, at, "iex");
  if (after == std::string_view::npos) after = match_word(text, at, "invoke-expression");
  if (after == std::string_view::npos || !argument_ends(text, after)) return std::nullopt;
  size_t before = previous_non_space(text, pos);
  if (before != std::string_view::npos && text[before] != ';' && text[before] != '(' &&
      text[before] != '{' && text[before] != '\n')
    return std::nullopt;  // the literal is only part of what is piped
  return Found{pos, after, std::move(code->value)};
}

// [ScriptBlock]::Create('code') -> { code }
std::optional<Found> scriptblock_create(std::string_view text, size_t pos) {
  size_t at = 0;
  if (imatch_at(text, pos, "[scriptblock]::create("))
    at = pos + 22;
  else if (imatch_at(text, pos, "[system.management.automation.scriptblock]::create("))
    at = pos + 52;
  else
    return std::nullopt;
  auto code = parse_operand(text, skip_spaces(text, at), Syntax::PowerShell);
  if (!code || !code->constant) return std::nullopt;
  size_t close = skip_spaces(text, code->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  return Found{pos, close + 1, "{ " + code->value + " }"};
}

// eval("code"), new Function("code")(), Function("code")()
std::optional<Found> javascript_eval(std::string_view text, size_t pos) {
  if (!starts_word(text, pos)) return std::nullopt;
  size_t at = match_word(text, pos, "eval");
  bool function = false;
  if (at == std::string_view::npos) {
    size_t start = pos;
    if (size_t after_new = match_word(text, pos, "new"); after_new != std::string_view::npos)
      start = skip_blanks(text, after_new);
    at = match_word(text, start, "function");
    function = at != std::string_view::npos;
    if (!function) return std::nullopt;
  }
  at = skip_blanks(text, at);
  if (at >= text.size() || text[at] != '(') return std::nullopt;
  auto code = parse_operand(text, skip_spaces(text, at + 1), Syntax::JavaScript);
  if (!code || !code->constant) return std::nullopt;
  size_t close = skip_spaces(text, code->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  size_t end = close + 1;
  if (function) {
    size_t call = skip_blanks(text, end);
    if (text.substr(call, 2) != "()") return std::nullopt;  // a function defined, not run
    end = call + 2;
  }
  return Found{pos, end, std::move(code->value)};
}

// Execute "code", ExecuteGlobal("code"), Eval("code")
std::optional<Found> vbscript_execute(std::string_view text, size_t pos) {
  if (!starts_word(text, pos)) return std::nullopt;
  size_t after = match_word(text, pos, "executeglobal");
  if (after == std::string_view::npos) after = match_word(text, pos, "execute");
  bool eval = false;
  if (after == std::string_view::npos) {
    after = match_word(text, pos, "eval");
    eval = after != std::string_view::npos;
    if (!eval) return std::nullopt;
  }
  size_t at = skip_blanks(text, after);
  if (eval && (at >= text.size() || text[at] != '(')) return std::nullopt;
  auto code = parse_operand(text, at, Syntax::VBScript);
  if (!code || !code->constant || !argument_ends(text, code->end)) return std::nullopt;
  return Found{pos, code->end, std::move(code->value)};
}

}  // namespace

std::optional<Rewrite> unwrap_invoke_expression(const TransformInput& input) {
  const std::string_view text = input.text;
  const Language language = input.language;
  const bool powershell = language == Language::PowerShell || language == Language::Unknown;
  const bool javascript = language == Language::JavaScript || language == Language::Unknown;
  const bool vbscript = language == Language::VBScript;
  if (!powershell && !javascript && !vbscript) return std::nullopt;
  const Syntax syntax = powershell ? Syntax::PowerShell : syntax_of(language);
  const size_t max_bytes = input.budget.limits().max_layer_bytes;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, syntax)) {
      i = skip_literal_or_comment(text, i, syntax);
      continue;
    }
    const char c = lower(text[i]);
    std::optional<Found> found;
    if (powershell) {
      if (c == '&' || c == '.')
        found = literal_command(text, i);
      else if (c == 'i')
        found = powershell_caller(text, i);
      else if (c == '[')
        found = scriptblock_create(text, i);
      else if (c == '\'' || c == '"' || c == '(' || c == '@')
        found = powershell_piped(text, i);
    }
    if (!found && javascript && (c == 'e' || c == 'n' || c == 'f'))
      found = javascript_eval(text, i);
    if (!found && vbscript && c == 'e') found = vbscript_execute(text, i);
    if (found && found->begin >= out.position() && found->replacement.size() <= max_bytes) {
      out.replace(found->begin, found->end, found->replacement);
      i = found->end;
      continue;
    }
    size_t skipped = skip_literal_or_comment(text, i, syntax);
    i = skipped > i ? skipped : i + 1;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

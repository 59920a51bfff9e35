// A PowerShell command line carries its script as an argument: powershell -nop -w hidden -c
// "IEX ((New-Object Net.WebClient)...)", pwsh -Command '...', powershell.exe "Get-Date". The
// invocation becomes the script it runs, so the PowerShell decoders (which do not look inside
// the command line's quotes) see it as code. Quoting is undone as the Windows command line does
// (\" is a quote). Invocations with -File or -EncodedCommand are left to other decoders.
#include <array>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

// Parameters of powershell.exe that take a value, by the prefixes PowerShell accepts.
bool takes_value(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kValued = {"windowstyle",  "executionpolicy",
                                                              "version",      "inputformat",
                                                              "outputformat", "configurationname"};
  if (name == "w" || name == "ep" || name == "ex" || name == "v" || name == "if" || name == "of")
    return true;
  for (std::string_view full : kValued)
    if (name.size() >= 3 && full.substr(0, name.size()) == name) return true;
  return false;
}

bool is_prefix_of(std::string_view name, std::string_view full, size_t minimum) {
  return name.size() >= minimum && name.size() <= full.size() &&
         full.substr(0, name.size()) == name;
}

struct Invocation {
  size_t begin = 0;
  size_t end = 0;
  std::string script;
};

// The program name at pos: powershell, powershell.exe, pwsh, with a path or quotes before it.
std::optional<size_t> program_end(std::string_view text, size_t pos) {
  for (std::string_view name : {"powershell", "pwsh"}) {
    if (!imatch_at(text, pos, name)) continue;
    size_t end = pos + name.size();
    if (imatch_at(text, end, ".exe")) end += 4;
    if (end < text.size() && text[end] == '"') ++end;  // "C:\...\powershell.exe"
    if (end < text.size() && !is_blank(text[end])) return std::nullopt;
    return end;
  }
  return std::nullopt;
}

// Is `begin` where a command starts: a line start, after ; & | ( {, or after cmd's start, call,
// /c, /k (a quote before the program allowed)?
bool command_position(std::string_view text, size_t begin) {
  size_t at = begin;
  while (at > 0 && is_blank(text[at - 1]))
    --at;
  if (at > 0 && text[at - 1] == '"') {
    --at;
    while (at > 0 && is_blank(text[at - 1]))
      --at;
  }
  if (at == 0) return true;
  const char c = text[at - 1];
  if (c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|' || c == '(' || c == '{' ||
      c == '@')
    return true;
  size_t word = at;
  while (word > 0 && !is_space(text[word - 1]))
    --word;
  std::string previous = to_lower(text.substr(word, at - word));
  for (std::string_view keyword : {"start", "call", "/c", "/k", "/b", "/min", "exec", "nohup"})
    if (previous == keyword) return true;
  return false;
}

std::optional<Invocation> invocation_at(std::string_view text, size_t pos) {
  if (pos > 0 && (is_word(text[pos - 1]) || text[pos - 1] == '-' || text[pos - 1] == '$'))
    return std::nullopt;
  auto end = program_end(text, pos);
  if (!end) return std::nullopt;
  Invocation invocation;
  invocation.begin = pos;
  // Back over a path and an opening quote: "C:\Windows\...\powershell.exe".
  while (invocation.begin > 0 && !is_space(text[invocation.begin - 1]) &&
         text[invocation.begin - 1] != '(' && text[invocation.begin - 1] != '&' &&
         text[invocation.begin - 1] != '|' && text[invocation.begin - 1] != ';' &&
         text[invocation.begin - 1] != '\'')
    --invocation.begin;
  if (!command_position(text, invocation.begin)) return std::nullopt;
  // cmd /c "powershell ...": a quote that wraps the whole command, not the program's path.
  const bool wrapped = text[invocation.begin] == '"' && text[*end - 1] != '"';
  size_t at = skip_blanks(text, *end);
  const size_t line = line_end(text, at);
  while (at < line && (text[at] == '-' || text[at] == '/')) {
    size_t name_end = at + 1;
    while (name_end < line && is_alpha(text[name_end]))
      ++name_end;
    std::string name = to_lower(text.substr(at + 1, name_end - at - 1));
    if (name_end < line && !is_blank(text[name_end])) return std::nullopt;
    if (is_prefix_of(name, "command", 1) && name != "co") {
      at = skip_blanks(text, name_end);
      break;
    }
    if (is_prefix_of(name, "encodedcommand", 1) || name == "ec" || is_prefix_of(name, "file", 1))
      return std::nullopt;
    at = skip_blanks(text, name_end);
    if (takes_value(name)) {
      while (at < line && !is_blank(text[at]))
        ++at;
      at = skip_blanks(text, at);
    }
  }
  if (at >= line) return std::nullopt;
  if (text[at] == '"' || text[at] == '\'') {
    const char quote = text[at];
    size_t close = at + 1;
    while (close < line && text[close] != quote) {
      if (quote == '"' && text[close] == '\\' && close + 1 < line && text[close + 1] == '"') {
        invocation.script.push_back('"');
        close += 2;
        continue;
      }
      invocation.script.push_back(text[close++]);
    }
    invocation.end = close < line ? close + 1 : line;
    if (wrapped && invocation.end < line && text[invocation.end] == '"') ++invocation.end;
  } else {
    invocation.script = std::string(text.substr(at, line - at));
    while (!invocation.script.empty() && is_space(invocation.script.back()))
      invocation.script.pop_back();
    if (wrapped && !invocation.script.empty() && invocation.script.back() == '"')
      invocation.script.pop_back();
    invocation.end = line;
  }
  if (trim(invocation.script).empty()) return std::nullopt;
  return invocation;
}

}  // namespace

std::optional<Rewrite> unwrap_powershell_command(const TransformInput& input) {
  const std::string_view text = input.text;
  if (ifind(text, "powershell") == std::string_view::npos &&
      ifind(text, "pwsh") == std::string_view::npos)
    return std::nullopt;
  Rewriter out(text);
  size_t produced = 0;
  size_t script_bytes = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = lower(text[i]);
    if (c != 'p') continue;
    auto invocation = invocation_at(text, i);
    if (!invocation || invocation->begin < out.position()) continue;
    if (!fit_in_layer(invocation->script, produced, input.budget)) break;
    script_bytes += invocation->script.size();
    out.replace(invocation->begin, invocation->end, invocation->script);
    i = invocation->end;
  }
  if (!out.changed()) return std::nullopt;
  std::string result = std::move(out).finish();
  std::optional<Language> language;
  if (script_bytes * 2 >= result.size()) language = Language::PowerShell;
  return Rewrite{std::move(result), language, ObfuscationClass::None};
}

}  // namespace script_analysis

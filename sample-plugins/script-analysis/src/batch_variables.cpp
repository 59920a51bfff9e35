// Batch commands assembled from environment variables, cmd's favourite obfuscation:
//   set a=pow& set b=ersh& set c=ell
//   %a%%b%%c% -nop ...                  -> powershell -nop ...
//   %COMSPEC:~-7,1%                     -> a character of a value every machine shares
//   %x:~2,3%  %x:old=new%  !x!          -> substrings, replacements, delayed expansion
// Lines are expanded top to bottom as cmd does: a line sees the variables set on earlier lines
// (and the whole line is expanded before any of its `set` commands run). Unknown variables and
// arguments (%1, %~dp0, %%i) are left as written; a well-known variable such as %COMSPEC% is
// only expanded when a substring or replacement cuts it.
#include <array>
#include <unordered_map>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kDefaults{{
    {"comspec", "C:\\WINDOWS\\system32\\cmd.exe"},
    {"public", "C:\\Users\\Public"},
    {"programdata", "C:\\ProgramData"},
    {"allusersprofile", "C:\\ProgramData"},
    {"programfiles", "C:\\Program Files"},
    {"windir", "C:\\WINDOWS"},
    {"systemroot", "C:\\WINDOWS"},
    {"commonprogramfiles", "C:\\Program Files\\Common Files"},
    {"pathext", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"},
}};

using Environment = std::unordered_map<std::string, std::string>;

// cmd's %v:~start,length%: negative start counts from the end, negative length leaves that
// many characters off the end.
std::string substring(const std::string& value, int64_t start, std::optional<int64_t> length) {
  const auto size = static_cast<int64_t>(value.size());
  if (start < 0) start = std::max<int64_t>(0, size + start);
  if (start > size) return {};
  int64_t end = size;
  if (length)
    end = *length >= 0 ? std::min(size, start + *length) : std::max(start, size + *length);
  return value.substr(static_cast<size_t>(start), static_cast<size_t>(end - start));
}

// cmd's %v:old=new% (case-insensitive, every occurrence; "*old" replaces through the first).
std::string replace(const std::string& value, std::string_view from, std::string_view to) {
  if (from.empty()) return value;
  if (from.front() == '*') {
    size_t at = ifind(value, from.substr(1));
    if (from.size() == 1 || at == std::string::npos) return value;
    return std::string(to) + value.substr(at + from.size() - 1);
  }
  std::string out;
  size_t i = 0;
  for (size_t at = ifind(value, from); at != std::string::npos; at = ifind(value, from, i)) {
    out.append(value, i, at - i);
    out.append(to);
    i = at + from.size();
  }
  out.append(value, i);
  return out;
}

struct Expansion {
  std::string line;
  bool expanded = false;
  bool obfuscated = false;  // substrings, replacements, or values spliced into words
};

class Expander {
 public:
  Expander(bool delayed, size_t max_bytes) : delayed_(delayed), max_bytes_(max_bytes) {}

  Expansion expand(std::string_view line) const {
    Expansion result;
    size_t last_end = std::string_view::npos;  // where the previous expansion ended in `line`
    for (size_t i = 0; i < line.size();) {
      const char c = line[i];
      if (c == '%' && i + 1 < line.size() &&
          (line[i + 1] == '%' || is_digit(line[i + 1]) || line[i + 1] == '*' ||
           line[i + 1] == '~')) {
        result.line.append(line.substr(i, 2));  // %%i, %1, %*, %~dp0: not ours
        i += 2;
        continue;
      }
      if (c == '%' || (c == '!' && delayed_)) {
        size_t close = line.find(c, i + 1);
        if (close != std::string_view::npos && close - i <= 256) {
          auto value = evaluate(line.substr(i + 1, close - i - 1), result);
          if (value && result.line.size() + value->size() <= max_bytes_) {
            bool adjacent =
                (i > 0 && (is_alnum(line[i - 1]) || last_end == i)) ||
                (close + 1 < line.size() && (is_alnum(line[close + 1]) || line[close + 1] == '%'));
            result.obfuscated |= adjacent;
            result.line += *value;
            result.expanded = true;
            last_end = close + 1;
            i = close + 1;
            continue;
          }
          if (c == '%') {  // unknown: keep "%name%" whole so its closing '%' opens nothing
            result.line.append(line.substr(i, close + 1 - i));
            i = close + 1;
            continue;
          }
        }
      }
      result.line.push_back(c);
      ++i;
    }
    return result;
  }

  // Runs the `set` commands of an (expanded) line.
  void run_sets(std::string_view line) {
    size_t start = 0;
    while (start < line.size()) {
      size_t end = start;
      bool quoted = false;
      while (end < line.size() && (quoted || (line[end] != '&' && line[end] != '|'))) {
        if (line[end] == '"') quoted = !quoted;
        ++end;
      }
      set_command(line.substr(start, end - start));
      start = end + 1;
    }
  }

 private:
  std::optional<std::string> evaluate(std::string_view body, Expansion& result) const {
    size_t colon = body.find(':');
    std::string name = to_lower(trim(body.substr(0, colon)));
    if (name.empty() || name.find_first_of("\" <>|&") != std::string::npos) return std::nullopt;
    const std::string* value = nullptr;
    std::string fallback;
    if (auto it = variables_.find(name); it != variables_.end()) value = &it->second;
    if (colon == std::string_view::npos)
      return value ? std::optional<std::string>(*value) : std::nullopt;
    if (!value) {
      for (const auto& [known, default_value] : kDefaults)
        if (name == known) fallback = std::string(default_value);
      if (fallback.empty()) return std::nullopt;
      value = &fallback;
    }
    std::string_view modifier = body.substr(colon + 1);
    result.obfuscated = true;
    if (!modifier.empty() && modifier.front() == '~') {
      auto start = parse_integer_expression(modifier, 1);
      if (!start) return std::nullopt;
      std::optional<int64_t> length;
      size_t at = skip_blanks(modifier, start->end);
      if (at < modifier.size() && modifier[at] == ',') {
        auto parsed = parse_integer_expression(modifier, skip_blanks(modifier, at + 1));
        if (!parsed) return std::nullopt;
        length = parsed->value;
        at = skip_blanks(modifier, parsed->end);
      }
      if (at != modifier.size()) return std::nullopt;
      return substring(*value, start->value, length);
    }
    size_t equals = modifier.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    return replace(*value, modifier.substr(0, equals), modifier.substr(equals + 1));
  }

  void set_command(std::string_view statement) {
    std::string_view command = trim(statement);
    while (!command.empty() && command.front() == '@')
      command.remove_prefix(1);
    size_t after = match_word(command, 0, "set");
    if (after == std::string_view::npos) return;
    std::string_view rest = command.substr(after);
    while (!rest.empty() && is_blank(rest.front()))
      rest.remove_prefix(1);
    if (rest.empty() || rest.front() == '/') return;  // set /a, set /p: computed or typed
    if (rest.front() == '"') {
      size_t close = rest.rfind('"');
      rest = close > 0 ? rest.substr(1, close - 1) : rest.substr(1);
    }
    size_t equals = rest.find('=');
    if (equals == std::string_view::npos || equals == 0) return;
    std::string name = to_lower(trim(rest.substr(0, equals)));
    std::string value(rest.substr(equals + 1));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
      value.pop_back();
    if (value.empty())
      variables_.erase(name);
    else if (value.size() <= max_bytes_)
      variables_[name] = std::move(value);
  }

  bool delayed_;
  size_t max_bytes_;
  Environment variables_;
};

}  // namespace

std::optional<Rewrite> expand_batch_variables(const TransformInput& input) {
  const std::string_view text = input.text;
  if (text.find('%') == std::string_view::npos && text.find('!') == std::string_view::npos)
    return std::nullopt;
  const bool delayed = ifind(text, "enabledelayedexpansion") != std::string_view::npos;
  const size_t max_bytes = input.budget.limits().max_layer_bytes;
  Expander expander(delayed, max_bytes);
  std::string result;
  bool expanded = false, obfuscated = false;
  for (size_t start = 0; start <= text.size();) {
    size_t end = line_end(text, start);
    std::string_view line = text.substr(start, end - start);
    Expansion expansion = expander.expand(line);
    expanded |= expansion.expanded;
    obfuscated |= expansion.obfuscated;
    expander.run_sets(expansion.line);
    if (result.size() + expansion.line.size() > max_bytes) {
      input.budget.hit(LimitKind::LayerSize);
      break;
    }
    result += expansion.line;
    if (end >= text.size()) break;
    result.push_back('\n');
    start = end + 1;
  }
  if (!expanded) return std::nullopt;
  return Rewrite{std::move(result), std::nullopt,
                 obfuscated ? ObfuscationClass::CommandObfuscation : ObfuscationClass::None};
}

}  // namespace script_analysis

// Invoke-Obfuscation's way of spelling "iex" without writing it: pick characters out of a
// variable whose value every Windows machine shares, e.g. $env:ComSpec[4,24,25] ("Iex"),
// $ShellId[1]+$ShellId[13]+'x', $PSHome[4]+$PSHome[30]+'x', $VerbosePreference.ToString()[1,3].
// The indexing is replaced by the characters as literals (a list for several indexes), which
// the concatenation and -join decoders then fold.
#include <array>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

struct KnownValue {
  std::string_view name;  // lower case, with the '$'
  std::string_view value;
};

// The values on a default Windows install, as these tricks assume them.
constexpr std::array<KnownValue, 13> kKnownValues{{
    {"$env:comspec", "C:\\WINDOWS\\system32\\cmd.exe"},
    {"$shellid", "Microsoft.PowerShell"},
    {"$pshome", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0"},
    {"$env:public", "C:\\Users\\Public"},
    {"$verbosepreference", "SilentlyContinue"},
    {"$debugpreference", "SilentlyContinue"},
    {"$warningpreference", "Continue"},
    {"$erroractionpreference", "Continue"},
    {"$env:windir", "C:\\WINDOWS"},
    {"$env:systemroot", "C:\\WINDOWS"},
    {"$env:programdata", "C:\\ProgramData"},
    {"$env:allusersprofile", "C:\\ProgramData"},
    {"$env:programfiles", "C:\\Program Files"},
}};

struct Match {
  std::string_view value;
  size_t end = 0;  // one past the variable reference (and .ToString(), or the [string] group)
};

std::optional<Match> known_variable_at(std::string_view text, size_t pos) {
  for (const auto& known : kKnownValues) {
    if (!imatch_at(text, pos, known.name)) continue;
    size_t end = pos + known.name.size();
    if (end < text.size() && (is_word(text[end]) || text[end] == ':')) continue;
    return Match{known.value, end};
  }
  return std::nullopt;
}

// $var, $var.ToString(), or ([string]$var) at pos.
std::optional<Match> reference_at(std::string_view text, size_t pos) {
  if (text[pos] == '$') {
    auto match = known_variable_at(text, pos);
    if (!match) return std::nullopt;
    if (imatch_at(text, match->end, ".tostring()")) match->end += 11;
    return match;
  }
  if (text[pos] != '(') return std::nullopt;
  size_t at = skip_blanks(text, pos + 1);
  if (!imatch_at(text, at, "[string]")) return std::nullopt;
  auto match = known_variable_at(text, skip_blanks(text, at + 8));
  if (!match) return std::nullopt;
  size_t close = skip_blanks(text, match->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  match->end = close + 1;
  return match;
}

}  // namespace

std::optional<Rewrite> expand_automatic_variables(const TransformInput& input) {
  const std::string_view text = input.text;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    size_t skipped = skip_literal_or_comment(text, i, Syntax::PowerShell);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (text[i] != '$' && text[i] != '(') {
      ++i;
      continue;
    }
    auto reference = reference_at(text, i);
    if (!reference || reference->end >= text.size() || text[reference->end] != '[') {
      ++i;
      continue;
    }
    auto indexes = parse_integer_list(text, reference->end + 1, 64);
    size_t close = indexes ? skip_spaces(text, indexes->end) : text.size();
    if (!indexes || close >= text.size() || text[close] != ']') {
      ++i;
      continue;
    }
    std::vector<std::string> characters;
    const auto size = static_cast<int64_t>(reference->value.size());
    for (int64_t index : indexes->values) {
      int64_t at = index < 0 ? size + index : index;
      if (at < 0 || at >= size) break;
      characters.emplace_back(1, reference->value[static_cast<size_t>(at)]);
    }
    if (characters.size() != indexes->values.size()) {
      ++i;
      continue;
    }
    std::string replacement;
    if (characters.size() == 1) {
      replacement = quote_literal(characters[0], Syntax::PowerShell);
    } else {
      replacement = "(";
      for (size_t k = 0; k < characters.size(); ++k) {
        if (k > 0) replacement += ",";
        replacement += quote_literal(characters[k], Syntax::PowerShell);
      }
      replacement += ")";
    }
    out.replace(i, close + 1, replacement);
    i = close + 1;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

// powershell.exe -EncodedCommand <base64 of UTF-16LE>, and every abbreviation PowerShell accepts:
// -e, -en, -enc, ..., -encodedcommand, -ec, written with '-', '/' or an en dash. The invocation,
// from the program name (when it is on the same line) to the end of the argument, becomes the
// decoded command. Arguments that do not decode to UTF-16LE text are left alone.
#include "rewriter.hpp"
#include "script_analysis/base64.hpp"
#include "script_analysis/text_encoding.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr size_t kMinArgument = 8;
constexpr std::string_view kEnDash = "\xE2\x80\x93";

// Length of a parameter marker at pos ('-', '/' or an en dash), 0 when none.
size_t dash_length(std::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  if (text[pos] == '-' || text[pos] == '/') return 1;
  if (text.substr(pos, kEnDash.size()) == kEnDash) return kEnDash.size();
  return 0;
}

// One past an -EncodedCommand parameter name at pos (after the dash), or npos.
size_t encoded_parameter_end(std::string_view text, size_t pos) {
  static constexpr std::string_view kFull = "encodedcommand";
  size_t end = pos;
  while (end < text.size() && is_alpha(text[end]) && end - pos < kFull.size() + 1)
    ++end;
  std::string name = to_lower(text.substr(pos, end - pos));
  if (end < text.size() && !is_blank(text[end]) && text[end] != ':') return std::string_view::npos;
  if (name == "ec" || (!name.empty() && kFull.substr(0, name.size()) == name)) return end;
  return std::string_view::npos;
}

// Start of "powershell", "pwsh" or a path to them earlier on the same line, with its quote.
size_t invocation_start(std::string_view text, size_t line_begin, size_t parameter) {
  std::string_view line = text.substr(line_begin, parameter - line_begin);
  size_t best = std::string_view::npos;
  for (std::string_view program : {"powershell", "pwsh"}) {
    size_t at = ifind(line, program);
    while (at != std::string_view::npos) {
      best = best == std::string_view::npos ? at : std::max(best, at);
      at = ifind(line, program, at + 1);
    }
  }
  if (best == std::string_view::npos) return parameter;
  size_t start = line_begin + best;
  // Back over a path ("C:\Windows\...\powershell.exe") and an opening quote.
  while (start > line_begin && !is_blank(text[start - 1]) && text[start - 1] != '(' &&
         text[start - 1] != '&' && text[start - 1] != '|' && text[start - 1] != ';' &&
         text[start - 1] != '"' && text[start - 1] != '\'')
    --start;
  return start;
}

}  // namespace

std::optional<Rewrite> decode_encoded_command(const TransformInput& input) {
  const std::string_view text = input.text;
  Rewriter out(text);
  size_t replaced_bytes = 0;
  size_t decoded_bytes = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t dash = dash_length(text, i);
    if (dash == 0 || (i > 0 && !is_blank(text[i - 1]) && text[i - 1] != '"' && text[i - 1] != '\''))
      continue;
    size_t name_end = encoded_parameter_end(text, i + dash);
    if (name_end == std::string_view::npos) continue;
    size_t at = name_end < text.size() && text[name_end] == ':' ? name_end + 1 : name_end;
    at = skip_blanks(text, at);
    char quote = at < text.size() && (text[at] == '"' || text[at] == '\'') ? text[at] : '\0';
    size_t arg_begin = quote ? at + 1 : at;
    size_t arg_end = arg_begin;
    while (arg_end < text.size() && (is_base64_char(text[arg_end]) || text[arg_end] == '='))
      ++arg_end;
    if (arg_end - arg_begin < kMinArgument) continue;
    auto bytes = decode_base64(text.substr(arg_begin, arg_end - arg_begin));
    if (!bytes || !looks_like_utf16le(*bytes)) continue;
    std::string command = utf16le_to_utf8(*bytes);
    if (!is_printable_text(command)) continue;
    size_t end = quote && arg_end < text.size() && text[arg_end] == quote ? arg_end + 1 : arg_end;
    size_t begin = invocation_start(text, line_start(text, i), i);
    if (begin < out.position()) continue;
    if (!fit_in_layer(command, replaced_bytes, input.budget)) break;
    decoded_bytes += command.size();
    out.replace(begin, end, command);
    i = end - 1;
  }
  if (!out.changed()) return std::nullopt;
  // When decoded commands make up most of the new text, it is PowerShell whatever wrapped them
  // (a batch line, a JavaScript Run call): the PowerShell decoders apply from here on.
  std::string result = std::move(out).finish();
  std::optional<Language> language;
  if (decoded_bytes * 2 >= result.size()) language = Language::PowerShell;
  return Rewrite{std::move(result), language, std::nullopt};
}

}  // namespace script_analysis

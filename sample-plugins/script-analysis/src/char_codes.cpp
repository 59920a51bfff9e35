// Characters written as their codes, so that no keyword appears in the text:
//   PowerShell  [char]73, [char](0x49), [System.Char]73
//   JavaScript  String.fromCharCode(105, 101, 120), String.fromCharCode.apply(null, [105, 101])
//   VBScript    Chr(73), ChrW(&H49), Chr(80+32)
// Each becomes a string literal of that language; concatenations of them fold in a later pass.
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "script_analysis/text_encoding.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr int64_t kMaxCodePoint = 0x10FFFF;

struct Decoded {
  std::string value;
  size_t end = 0;
};

bool append_code(std::string& out, int64_t code) {
  if (code < 0 || code > kMaxCodePoint) return false;
  append_utf8(out, static_cast<uint32_t>(code));
  return true;
}

// [char]73, [char] 73, [char](73), [System.Char]0x49
std::optional<Decoded> powershell_char(std::string_view text, size_t pos) {
  size_t at = 0;
  if (imatch_at(text, pos, "[char]"))
    at = pos + 6;
  else if (imatch_at(text, pos, "[system.char]"))
    at = pos + 13;
  else
    return std::nullopt;
  at = skip_blanks(text, at);
  bool grouped = at < text.size() && text[at] == '(';
  auto number = parse_integer_expression(text, grouped ? skip_blanks(text, at + 1) : at);
  if (!number) return std::nullopt;
  size_t end = number->end;
  if (grouped) {
    end = skip_blanks(text, end);
    if (end >= text.size() || text[end] != ')') return std::nullopt;
    ++end;
  }
  Decoded decoded;
  if (!append_code(decoded.value, number->value)) return std::nullopt;
  decoded.end = end;
  return decoded;
}

// String.fromCharCode(...) and String.fromCharCode.apply(null|this, [...])
std::optional<Decoded> javascript_from_char_code(std::string_view text, size_t pos) {
  if (!imatch_at(text, pos, "string.fromcharcode") || !starts_word(text, pos)) return std::nullopt;
  size_t at = skip_blanks(text, pos + 19);
  char close = ')';
  if (imatch_at(text, at, ".apply")) {
    at = skip_blanks(text, at + 6);
    if (at >= text.size() || text[at] != '(') return std::nullopt;
    at = skip_blanks(text, at + 1);
    size_t receiver = match_word(text, at, "null");
    if (receiver == std::string_view::npos) receiver = match_word(text, at, "this");
    if (receiver == std::string_view::npos) return std::nullopt;
    at = skip_blanks(text, receiver);
    if (at >= text.size() || text[at] != ',') return std::nullopt;
    at = skip_spaces(text, at + 1);
    if (at >= text.size() || text[at] != '[') return std::nullopt;
    close = ']';
  } else if (at >= text.size() || text[at] != '(') {
    return std::nullopt;
  }
  auto codes = parse_integer_list(text, at + 1);
  if (!codes) return std::nullopt;
  size_t end = skip_spaces(text, codes->end);
  if (end >= text.size() || text[end] != close) return std::nullopt;
  ++end;
  if (close == ']') {
    end = skip_spaces(text, end);
    if (end >= text.size() || text[end] != ')') return std::nullopt;
    ++end;
  }
  Decoded decoded;
  for (int64_t code : codes->values)
    if (!append_code(decoded.value, code & 0xFFFF)) return std::nullopt;
  decoded.end = end;
  return decoded;
}

// Chr(73), ChrW(&H49), ChrB(80+32)
std::optional<Decoded> vbscript_chr(std::string_view text, size_t pos) {
  if (!starts_word(text, pos) || !imatch_at(text, pos, "chr")) return std::nullopt;
  size_t at = pos + 3;
  if (at < text.size() &&
      (text[at] == 'w' || text[at] == 'W' || text[at] == 'b' || text[at] == 'B'))
    ++at;
  at = skip_blanks(text, at);
  if (at >= text.size() || text[at] != '(') return std::nullopt;
  auto code = parse_integer_expression(text, skip_blanks(text, at + 1));
  if (!code) return std::nullopt;
  size_t end = skip_blanks(text, code->end);
  if (end >= text.size() || text[end] != ')') return std::nullopt;
  Decoded decoded;
  if (!append_code(decoded.value, code->value)) return std::nullopt;
  decoded.end = end + 1;
  return decoded;
}

}  // namespace

std::optional<Rewrite> decode_char_codes(const TransformInput& input) {
  const std::string_view text = input.text;
  const Language language = input.language;
  const bool any = language == Language::Unknown;
  const bool powershell = any || language == Language::PowerShell;
  const bool javascript = any || language == Language::JavaScript;
  const bool vbscript = any || language == Language::VBScript;
  const Syntax syntax = syntax_of(language);
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    size_t skipped = skip_literal_or_comment(text, i, syntax);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    const char c = lower(text[i]);
    std::optional<Decoded> decoded;
    Syntax emit = syntax;
    if (c == '[' && powershell) {
      decoded = powershell_char(text, i);
      emit = Syntax::PowerShell;
    } else if (c == 's' && javascript) {
      decoded = javascript_from_char_code(text, i);
      emit = Syntax::JavaScript;
    } else if (c == 'c' && vbscript) {
      decoded = vbscript_chr(text, i);
      emit = Syntax::VBScript;
    }
    if (!decoded) {
      ++i;
      continue;
    }
    out.replace(i, decoded->end, quote_literal(decoded->value, emit));
    i = decoded->end;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

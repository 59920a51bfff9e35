// Escaped text in JavaScript and VBScript droppers:
//   unescape('%68%74%74%70'), unescape("%u0068%u0074"), Unescape(...) in VBScript
//   decodeURIComponent('%68%74'), decodeURI(...)
//   "\x68\x74\x74\x70" and "\u0068..." string literals
// Each becomes a plain literal of the text it stands for.
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "script_analysis/text_encoding.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

// unescape(): %XX is a Latin-1 character, %uXXXX a UTF-16 unit.
std::string percent_unescape(std::string_view value, bool utf8_bytes) {
  std::string out;
  std::string bytes;  // decodeURI: %XX sequences are UTF-8 bytes
  auto flush = [&] {
    out += bytes;
    bytes.clear();
  };
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '%' && i + 5 < value.size() && (value[i + 1] == 'u' || value[i + 1] == 'U') &&
        !utf8_bytes) {
      int a = hex_value(value[i + 2]), b = hex_value(value[i + 3]), c = hex_value(value[i + 4]),
          d = hex_value(value[i + 5]);
      if (a >= 0 && b >= 0 && c >= 0 && d >= 0) {
        append_utf8(out, static_cast<uint32_t>((a << 12) | (b << 8) | (c << 4) | d));
        i += 5;
        continue;
      }
    }
    if (value[i] == '%' && i + 2 < value.size() && is_hex(value[i + 1]) && is_hex(value[i + 2])) {
      auto code = static_cast<uint32_t>(hex_value(value[i + 1]) * 16 + hex_value(value[i + 2]));
      if (utf8_bytes)
        bytes.push_back(static_cast<char>(code));
      else
        append_utf8(out, code);
      i += 2;
      continue;
    }
    flush();
    out.push_back(value[i]);
  }
  flush();
  return out;
}

struct Found {
  size_t end = 0;
  std::string value;
};

std::optional<Found> unescape_call(std::string_view text, size_t pos, Syntax syntax) {
  if (!starts_word(text, pos)) return std::nullopt;
  size_t after = std::string_view::npos;
  bool utf8 = false;
  for (std::string_view name : {"unescape", "decodeuricomponent", "decodeuri"}) {
    after = match_word(text, pos, name);
    if (after != std::string_view::npos) {
      utf8 = name != "unescape";
      break;
    }
  }
  if (after == std::string_view::npos || (utf8 && syntax != Syntax::JavaScript))
    return std::nullopt;
  size_t open = skip_blanks(text, after);
  if (open >= text.size() || text[open] != '(') return std::nullopt;
  auto literal = parse_operand(text, skip_spaces(text, open + 1), syntax);
  if (!literal || !literal->constant) return std::nullopt;
  size_t close = skip_spaces(text, literal->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  std::string value = percent_unescape(literal->value, utf8);
  if (utf8 && !is_printable_text(value) && !value.empty()) return std::nullopt;
  return Found{close + 1, std::move(value)};
}

bool has_code_escapes(std::string_view source) {
  for (size_t i = 0; i + 1 < source.size(); ++i) {
    if (source[i] != '\\') continue;
    if (source[i + 1] == 'x' || source[i + 1] == 'u') return true;
    ++i;
  }
  return false;
}

}  // namespace

std::optional<Rewrite> decode_script_escapes(const TransformInput& input) {
  const std::string_view text = input.text;
  const Syntax syntax = syntax_of(input.language);
  if (syntax != Syntax::JavaScript && syntax != Syntax::VBScript) return std::nullopt;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, syntax)) {
      i = skip_literal_or_comment(text, i, syntax);
      continue;
    }
    const char c = lower(text[i]);
    if (c == 'u' || c == 'd') {
      if (auto found = unescape_call(text, i, syntax)) {
        out.replace(i, found->end, quote_literal(found->value, syntax));
        i = found->end;
        continue;
      }
    }
    if (syntax == Syntax::JavaScript && (c == '"' || c == '\'')) {
      if (auto literal = parse_literal(text, i, syntax)) {
        if (has_code_escapes(text.substr(i, literal->end - i)) &&
            literal->value.find('\0') == std::string::npos)
          out.replace(i, literal->end, quote_literal(literal->value, syntax));
        i = literal->end;
        continue;
      }
    }
    size_t skipped = skip_literal_or_comment(text, i, syntax);
    i = skipped > i ? skipped : i + 1;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

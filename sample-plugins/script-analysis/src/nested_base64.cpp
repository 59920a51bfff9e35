// Base64 with no decoding call in sight: a script that is one big base64 blob (a stage handed
// from one decoder to the next), or a string literal holding one. The blob is decoded (and
// decompressed when it carries a gzip or zlib header) and replaces the text or the literal's
// value, but only when the result is text: a hash, a GUID or an embedded image stays as it is.
#include "rewriter.hpp"
#include "script_analysis/base64.hpp"
#include "script_analysis/inflate.hpp"
#include "script_analysis/text_encoding.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr size_t kMinWholeText = 16;
constexpr size_t kMinLiteral = 24;

// Looks like base64 worth trying: long enough, only base64 characters (and wrapping whitespace,
// padding), and not just hex digits (hashes) or just letters (identifiers, words).
bool plausible_base64(std::string_view value, size_t min_length) {
  size_t symbols = 0;
  bool non_hex = false, digit_or_sign = false, padded = false;
  for (char c : value) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      padded = true;
      continue;
    }
    if (!is_base64_char(c) || padded) return false;
    ++symbols;
    if (!is_hex(c)) non_hex = true;
    if (is_digit(c) || c == '+' || c == '/') digit_or_sign = true;
  }
  return symbols >= min_length && non_hex && (digit_or_sign || padded);
}

struct Decoded {
  std::string text;
  bool compressed = false;
};

std::optional<Decoded> decode_blob(std::string_view value, Budget& budget) {
  auto bytes = decode_base64(value);
  if (!bytes || bytes->size() < 8) return std::nullopt;
  if (auto format = sniff_compression(*bytes)) {
    auto inflated = inflate_within(*bytes, *format, budget);
    if (!inflated) return std::nullopt;
    auto text = bytes_as_text(*inflated);
    if (!text) return std::nullopt;
    return Decoded{std::move(*text), true};
  }
  auto text = bytes_as_text(*bytes);
  if (!text) return std::nullopt;
  return Decoded{std::move(*text), false};
}

}  // namespace

std::optional<Rewrite> decode_nested_base64(const TransformInput& input) {
  const std::string_view text = input.text;
  const std::string_view whole = trim(text);
  if (plausible_base64(whole, kMinWholeText)) {
    if (auto decoded = decode_blob(whole, input.budget))
      return Rewrite{
          std::move(decoded->text), std::nullopt,
          decoded->compressed ? ObfuscationClass::Compression : ObfuscationClass::Encoding};
  }

  const Syntax syntax = syntax_of(input.language);
  Rewriter out(text);
  bool compressed = false;
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, syntax)) {
      i = skip_literal_or_comment(text, i, syntax);
      continue;
    }
    auto literal = parse_literal(text, i, syntax);
    if (!literal) {
      size_t skipped = skip_literal_or_comment(text, i, syntax);
      i = skipped > i ? skipped : i + 1;
      continue;
    }
    i = literal->end;
    if (!literal->constant || !plausible_base64(literal->value, kMinLiteral)) continue;
    auto decoded = decode_blob(literal->value, input.budget);
    if (!decoded) continue;
    compressed |= decoded->compressed;
    out.replace(literal->begin, literal->end, quote_literal(decoded->text, syntax));
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt,
                 compressed ? ObfuscationClass::Compression : ObfuscationClass::Encoding};
}

}  // namespace script_analysis

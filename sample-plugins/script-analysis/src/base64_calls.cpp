// Base64 decoded at run time by the script itself, and what it does with the bytes:
//   [Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('...'))        -> text
//   New-Object IO.StreamReader(New-Object IO.Compression.GzipStream(
//       [IO.MemoryStream][Convert]::FromBase64String('H4sI...'), ...)).ReadToEnd() -> inflated text
//   ... DeflateStream(...)                                                          -> raw inflate
//   atob('...') in JavaScript                                                       -> text
// The decoding expression, from the outermost consumer that is understood (GetString,
// StreamReader, GzipStream, DeflateStream, MemoryStream) to its .ReadToEnd(), becomes a string
// literal of the result. A FromBase64String whose consumer sits elsewhere (the stream kept in a
// variable) is replaced on its own, decompressed when the bytes carry a gzip or zlib header or
// the script names a DeflateStream. Binary results are left encoded.
#include "paren_index.hpp"
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "script_analysis/base64.hpp"
#include "script_analysis/inflate.hpp"
#include "script_analysis/text_encoding.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr Syntax kPs = Syntax::PowerShell;
constexpr size_t kMaxConsumerDepth = 8;

enum class TextEncoding { Utf8, Utf16Le, Utf16Be };

// What a call wrapping the bytes does with them, read from the text before its '('.
enum class Consumer { None, GetString, Gzip, Deflate, MemoryStream, StreamReader };

struct Head {
  Consumer consumer = Consumer::None;
  TextEncoding encoding = TextEncoding::Utf8;
  size_t begin = 0;  // where the call's name (and a New-Object before it) starts
};

// Reads the call name before the '(' at `open`: "[Text.Encoding]::Unicode.GetString",
// "New-Object IO.Compression.GzipStream", "[IO.MemoryStream]::new", ...
Head head_before(std::string_view text, size_t open) {
  Head head;
  size_t begin = open;
  while (begin > 0 && (is_word(text[begin - 1]) || text[begin - 1] == '.' ||
                       text[begin - 1] == ':' || text[begin - 1] == '[' || text[begin - 1] == ']' ||
                       text[begin - 1] == '-' || text[begin - 1] == '$'))
    --begin;
  // The cast-like "[Text.Encoding]::UTF8" and "New-Object X" forms.
  size_t word = begin;
  while (word > 0 && is_blank(text[word - 1]))
    --word;
  if (word >= 10 && imatch_at(text, word - 10, "new-object")) begin = word - 10;
  std::string_view name = text.substr(begin, open - begin);
  head.begin = begin;
  if (ifind(name, "getstring") != std::string_view::npos) {
    head.consumer = Consumer::GetString;
    if (ifind(name, "bigendianunicode") != std::string_view::npos)
      head.encoding = TextEncoding::Utf16Be;
    else if (ifind(name, "unicode") != std::string_view::npos)
      head.encoding = TextEncoding::Utf16Le;
  } else if (ifind(name, "gzipstream") != std::string_view::npos) {
    head.consumer = Consumer::Gzip;
  } else if (ifind(name, "deflatestream") != std::string_view::npos) {
    head.consumer = Consumer::Deflate;
  } else if (ifind(name, "memorystream") != std::string_view::npos) {
    head.consumer = Consumer::MemoryStream;
  } else if (ifind(name, "streamreader") != std::string_view::npos) {
    head.consumer = Consumer::StreamReader;
  }
  return head;
}

std::string to_text(std::string_view bytes, TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::Utf16Le:
      return utf16le_to_utf8(bytes);
    case TextEncoding::Utf16Be:
      return utf16be_to_utf8(bytes);
    case TextEncoding::Utf8:
      break;
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return std::string(bytes);
}

struct Decoding {
  size_t begin = 0;
  size_t end = 0;
  std::string text;
  bool compressed = false;
};

class FromBase64 {
 public:
  FromBase64(std::string_view text, Budget& budget)
      : text_(text),
        budget_(budget),
        parens_(text, kPs),
        names_deflate_(ifind(text, "deflatestream") != std::string_view::npos) {}

  // The decoding that starts with the FromBase64String call at pos, or nullopt.
  std::optional<Decoding> at(size_t pos) {
    size_t open = skip_blanks(text_, pos + 16);
    if (open >= text_.size() || text_[open] != '(') return std::nullopt;
    auto literal = parse_operand(text_, skip_spaces(text_, open + 1), kPs);
    if (!literal || !literal->constant) return std::nullopt;
    size_t close = skip_spaces(text_, literal->end);
    if (close >= text_.size() || text_[close] != ')') return std::nullopt;
    auto bytes = decode_base64(literal->value);
    if (!bytes || bytes->empty()) return std::nullopt;

    size_t begin = call_start(pos);
    size_t end = close + 1;
    std::string data = std::move(*bytes);
    bool compressed = false;
    bool is_text = false;
    for (size_t depth = 0; depth < kMaxConsumerDepth; ++depth) {
      if (is_text || compressed) {
        size_t after = skip_blanks(text_, end);
        if (imatch_at(text_, after, ".readtoend()")) {
          end = after + 12;
          is_text = true;
        }
      }
      auto group = parens_.enclosing(begin, end);
      if (!group) break;
      auto [group_open, group_close] = *group;
      Head head = head_before(text_, group_open);
      if (head.consumer == Consumer::None) {
        // Grouping parentheses around exactly the expression: (New-Object ...).ReadToEnd()
        bool grouping = trim(text_.substr(group_open + 1, begin - group_open - 1)).empty() &&
                        trim(text_.substr(end, group_close - end)).empty() &&
                        head.begin == group_open;
        if (!grouping) break;
        begin = group_open;
        end = group_close + 1;
        continue;
      }
      if (head.consumer == Consumer::GetString) {
        if (compressed || is_text) break;
        data = to_text(data, head.encoding);
        is_text = true;
      } else if (head.consumer == Consumer::Gzip || head.consumer == Consumer::Deflate) {
        if (compressed || is_text) break;
        auto inflated = inflate_within(
            data, head.consumer == Consumer::Gzip ? Compression::Gzip : Compression::RawDeflate,
            budget_);
        if (!inflated) return std::nullopt;
        data = std::move(*inflated);
        compressed = true;
      } else if (head.consumer == Consumer::StreamReader) {
        if (!compressed && is_text) break;
        is_text = true;
        data = to_text(data, TextEncoding::Utf8);
      }
      begin = head.begin;
      end = group_close + 1;
    }
    if (is_text) return Decoding{begin, end, std::move(data), compressed};

    // Only the bytes: decompress what is evidently compressed, and keep what reads as text.
    auto format = sniff_compression(data);
    if (!format && names_deflate_) format = Compression::RawDeflate;
    if (format) {
      if (auto inflated = inflate_within(data, *format, budget_)) {
        auto text = bytes_as_text(*inflated);
        if (text) return Decoding{call_start(pos), close + 1, std::move(*text), true};
      }
    }
    auto text = bytes_as_text(data);
    if (!text) return std::nullopt;
    return Decoding{call_start(pos), close + 1, std::move(*text), false};
  }

 private:
  // Back over "[Convert]::" or "[System.Convert]::" before FromBase64String.
  size_t call_start(size_t pos) const {
    for (std::string_view prefix : {"[system.convert]::", "[convert]::"})
      if (pos >= prefix.size() && imatch_at(text_, pos - prefix.size(), prefix))
        return pos - prefix.size();
    return pos;
  }

  std::string_view text_;
  Budget& budget_;
  ParenIndex parens_;
  bool names_deflate_;
};

std::optional<Decoding> javascript_atob(std::string_view text, size_t pos) {
  size_t after = match_word(text, pos, "atob");
  if (after == std::string_view::npos || !starts_word(text, pos)) return std::nullopt;
  size_t open = skip_blanks(text, after);
  if (open >= text.size() || text[open] != '(') return std::nullopt;
  auto literal = parse_operand(text, skip_spaces(text, open + 1), Syntax::JavaScript);
  if (!literal || !literal->constant) return std::nullopt;
  size_t close = skip_spaces(text, literal->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  auto bytes = decode_base64(literal->value);
  if (!bytes) return std::nullopt;
  auto decoded = bytes_as_text(*bytes);
  if (!decoded) return std::nullopt;
  return Decoding{pos, close + 1, std::move(*decoded), false};
}

}  // namespace

std::optional<Rewrite> decode_base64_calls(const TransformInput& input) {
  const std::string_view text = input.text;
  const bool powershell = ifind(text, "frombase64string") != std::string_view::npos;
  const bool javascript =
      input.language == Language::JavaScript || input.language == Language::Unknown;
  if (!powershell && !(javascript && ifind(text, "atob") != std::string_view::npos))
    return std::nullopt;
  const Syntax syntax = powershell ? kPs : Syntax::JavaScript;
  std::optional<FromBase64> from_base64;
  if (powershell) from_base64.emplace(text, input.budget);
  Rewriter out(text);
  size_t decoded_bytes = 0;
  bool compressed = false;
  size_t i = 0;
  while (i < text.size()) {
    size_t skipped = skip_literal_or_comment(text, i, syntax);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    std::optional<Decoding> decoding;
    if (powershell && (text[i] == 'F' || text[i] == 'f') && imatch_at(text, i, "frombase64string"))
      decoding = from_base64->at(i);
    else if (javascript && (text[i] == 'a' || text[i] == 'A'))
      decoding = javascript_atob(text, i);
    if (!decoding || decoding->begin < out.position()) {
      ++i;
      continue;
    }
    if (!fit_in_layer(decoding->text, decoded_bytes, input.budget)) break;
    compressed |= decoding->compressed;
    out.replace(decoding->begin, decoding->end, quote_literal(decoding->text, syntax));
    i = decoding->end;
  }
  if (!out.changed()) return std::nullopt;
  Rewrite rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
  if (compressed) rewrite.obfuscation = ObfuscationClass::Compression;
  return rewrite;
}

}  // namespace script_analysis

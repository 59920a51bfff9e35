#include "script_analysis/text_encoding.hpp"

namespace script_analysis {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

// Length of the valid UTF-8 sequence at text[pos] and its code point, or 0 when invalid.
size_t utf8_sequence(std::string_view text, size_t pos, uint32_t& code_point) noexcept {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  size_t length = 0;
  uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(pos + i) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF))
    return 0;
  return length;
}

bool is_control(uint32_t code_point) noexcept {
  if (code_point == '\t' || code_point == '\n' || code_point == '\r') return false;
  return code_point < 0x20 || code_point == 0x7F || (code_point >= 0x80 && code_point < 0xA0);
}

template <bool kLittleEndian>
std::string utf16_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 2 + 4);
  auto unit = [&](size_t i) -> uint32_t {
    auto a = static_cast<unsigned char>(bytes[i]);
    auto b = static_cast<unsigned char>(bytes[i + 1]);
    return kLittleEndian ? (uint32_t{b} << 8 | a) : (uint32_t{a} << 8 | b);
  };
  size_t i = 0;
  if (bytes.size() >= 2 && unit(0) == 0xFEFF) i = 2;
  for (; i + 1 < bytes.size(); i += 2) {
    uint32_t first = unit(i);
    if (first >= 0xD800 && first <= 0xDBFF && i + 3 < bytes.size()) {
      uint32_t second = unit(i + 2);
      if (second >= 0xDC00 && second <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, first);
  }
  if (i < bytes.size()) append_utf8(out, kReplacement);
  return out;
}

}  // namespace

void append_utf8(std::string& out, uint32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = kReplacement;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string utf16le_to_utf8(std::string_view bytes) {
  return utf16_to_utf8<true>(bytes);
}

std::string utf16be_to_utf8(std::string_view bytes) {
  return utf16_to_utf8<false>(bytes);
}

bool looks_like_utf16le(std::string_view bytes) noexcept {
  if (bytes.size() < 2 || bytes.size() % 2 != 0) return false;
  size_t start = (bytes[0] == '\xFF' && bytes[1] == '\xFE') ? 2 : 0;
  size_t units = (bytes.size() - start) / 2;
  if (units == 0) return false;
  size_t zero_high = 0;
  for (size_t i = start + 1; i < bytes.size(); i += 2)
    if (bytes[i] == 0) ++zero_high;
  return zero_high * 10 >= units * 8;  // 80%: room for a few non-ASCII characters
}

bool is_printable_text(std::string_view text) noexcept {
  size_t characters = 0, printable = 0, letters = 0;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t length = utf8_sequence(text, i, cp);
    if (length == 0) return false;
    ++characters;
    if (!is_control(cp) && cp != kReplacement) ++printable;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
        cp >= 0xC0)
      ++letters;
    i += length;
  }
  return characters > 0 && letters > 0 && printable * 10 >= characters * 9;
}

std::optional<std::string> bytes_as_text(std::string_view bytes) {
  if (looks_like_utf16le(bytes)) {
    std::string text = utf16le_to_utf8(bytes);
    if (is_printable_text(text)) return text;
    return std::nullopt;
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (is_printable_text(bytes)) return std::string(bytes);
  return std::nullopt;
}

std::string display_text(std::string_view bytes, size_t max_bytes, bool* truncated) {
  std::string out;
  out.reserve(bytes.size() < max_bytes ? bytes.size() : max_bytes);
  if (truncated) *truncated = false;
  for (size_t i = 0; i < bytes.size();) {
    uint32_t cp = 0;
    size_t length = utf8_sequence(bytes, i, cp);
    if (length == 0 || is_control(cp)) {
      cp = kReplacement;
      if (length == 0) length = 1;
    }
    size_t before = out.size();
    if (cp == kReplacement)
      append_utf8(out, cp);
    else
      out.append(bytes.substr(i, length));
    if (out.size() > max_bytes) {
      out.resize(before);
      if (truncated) *truncated = true;
      break;
    }
    i += length;
  }
  return out;
}

}  // namespace script_analysis

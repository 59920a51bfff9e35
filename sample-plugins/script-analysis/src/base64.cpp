#include "script_analysis/base64.hpp"

#include <array>
#include <cstdint>

#include "text_util.hpp"

namespace script_analysis {
namespace {

constexpr std::array<int8_t, 256> make_decode_table() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table)
    entry = -1;
  for (int i = 0; i < 26; ++i) {
    table[static_cast<size_t>('A' + i)] = static_cast<int8_t>(i);
    table[static_cast<size_t>('a' + i)] = static_cast<int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i)
    table[static_cast<size_t>('0' + i)] = static_cast<int8_t>(52 + i);
  table['+'] = table['-'] = 62;  // '-' and '_': the URL-safe alphabet
  table['/'] = table['_'] = 63;
  return table;
}

constexpr auto kDecode = make_decode_table();
constexpr char kEncode[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  uint32_t bits = 0;
  int count = 0;
  size_t symbols = 0;
  bool padding = false;
  for (char c : text) {
    if (is_space(c)) continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int8_t value = kDecode[static_cast<unsigned char>(c)];
    if (value < 0 || padding) return std::nullopt;  // a stray character, or data after padding
    bits = (bits << 6) | static_cast<uint32_t>(value);
    ++symbols;
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xff));
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
      count = 0;
    }
  }
  if (symbols % 4 == 1) return std::nullopt;
  if (count == 2) {
    out.push_back(static_cast<char>((bits >> 4) & 0xff));
  } else if (count == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xff));
    out.push_back(static_cast<char>((bits >> 2) & 0xff));
  }
  return out;
}

std::string encode_base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t bits = (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                    (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                    static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kEncode[(bits >> 18) & 63]);
    out.push_back(kEncode[(bits >> 12) & 63]);
    out.push_back(kEncode[(bits >> 6) & 63]);
    out.push_back(kEncode[bits & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t bits = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) bits |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kEncode[(bits >> 18) & 63]);
    out.push_back(kEncode[(bits >> 12) & 63]);
    out.push_back(rest == 2 ? kEncode[(bits >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace script_analysis

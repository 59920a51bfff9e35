#include "runner/frame_writer.hpp"

#include <array>
#include <charconv>

#include "runner/frames.hpp"

namespace secpilot::runner {
namespace {

// What Boost.JSON's serializer writes for each byte inside a string: the byte itself (0), a
// two-character escape (its letter), or \u00XX ('u'); it escapes nothing else.
constexpr auto kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c)
    table[c] = 'u';
  table['\b'] = 'b';
  table['\t'] = 't';
  table['\n'] = 'n';
  table['\f'] = 'f';
  table['\r'] = 'r';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

template <typename Number>
void append_number(std::string& out, Number value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

FrameWriter::FrameWriter(std::string& out) : out_(out) {
  out_.assign(kFrameHeaderBytes, '\0');
  out_.push_back('{');
}

FrameWriter& FrameWriter::string(std::string_view key_name, std::string_view value) {
  key(key_name);
  quoted(value);
  return *this;
}

FrameWriter& FrameWriter::number(std::string_view key_name, std::int64_t value) {
  key(key_name);
  append_number(out_, value);
  return *this;
}

FrameWriter& FrameWriter::number(std::string_view key_name, std::uint64_t value) {
  key(key_name);
  append_number(out_, value);
  return *this;
}

std::string_view FrameWriter::finish() {
  out_.push_back('}');
  const auto size = static_cast<std::uint32_t>(out_.size() - kFrameHeaderBytes);
  out_[0] = static_cast<char>((size >> 24) & 0xff);
  out_[1] = static_cast<char>((size >> 16) & 0xff);
  out_[2] = static_cast<char>((size >> 8) & 0xff);
  out_[3] = static_cast<char>(size & 0xff);
  return out_;
}

void FrameWriter::key(std::string_view name) {
  if (!first_) out_.push_back(',');
  first_ = false;
  quoted(name);
  out_.push_back(':');
}

// Two passes, sizing the buffer exactly and then writing through a pointer: no reallocation and
// no per-run append, and no worst-case (6x) buffer for a 4 MiB result.
void FrameWriter::quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t size = text.size() + 2;
  for (const char c : text)
    if (const char escape = kEscapes[static_cast<unsigned char>(c)]) size += escape == 'u' ? 5 : 1;
  const std::size_t start = out_.size();
  out_.resize(start + size);
  char* at = out_.data() + start;
  *at++ = '"';
  for (const char c : text) {
    const char escape = kEscapes[static_cast<unsigned char>(c)];
    if (!escape) {
      *at++ = c;
      continue;
    }
    *at++ = '\\';
    if (escape != 'u') {
      *at++ = escape;
      continue;
    }
    *at++ = 'u';
    *at++ = '0';
    *at++ = '0';
    *at++ = kHex[static_cast<unsigned char>(c) >> 4];
    *at++ = kHex[static_cast<unsigned char>(c) & 15];
  }
  *at = '"';
}

}  // namespace secpilot::runner

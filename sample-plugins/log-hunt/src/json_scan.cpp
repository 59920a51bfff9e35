#include "log_hunt/json_scan.hpp"

namespace log_hunt {
namespace json_scan {
namespace {

// Skips a nested object or array starting at `p` ('{' or '['), strings inside included.
const char* skip_nested(const char* p, const char* end) noexcept {
  int depth = 0;
  while (p < end) {
    switch (*p) {
      case '"':
        p = string_end(p + 1, end);
        if (!p) return nullptr;
        break;
      case '{':
      case '[':
        ++depth;
        break;
      case '}':
      case ']':
        if (--depth == 0) return p + 1;
        break;
      default:
        break;
    }
    ++p;
  }
  return nullptr;
}

bool is_delimiter(char c) noexcept {
  return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

const char* read_value(const char* p, const char* end, RawField& field) noexcept {
  if (p >= end) return nullptr;
  switch (*p) {
    case '"': {
      const char* close = string_end(p + 1, end);
      if (!close) return nullptr;
      field = {p + 1, close, RawField::String};
      return close + 1;
    }
    case '{':
    case '[': {
      const char* after = skip_nested(p, end);
      if (!after) return nullptr;
      field = {p, after, *p == '{' ? RawField::Object : RawField::Array};
      return after;
    }
    default: {
      const char* q = p;
      while (q < end && !is_delimiter(*q))
        ++q;
      const std::string_view token(p, static_cast<size_t>(q - p));
      if (token.empty()) return nullptr;
      if (token == "true")
        field = {p, q, RawField::True};
      else if (token == "false")
        field = {p, q, RawField::False};
      else if (token == "null")
        field = {p, q, RawField::Null};
      else if ((token[0] >= '0' && token[0] <= '9') || token[0] == '-')
        field = {p, q, RawField::Number};
      else
        return nullptr;
      return q;
    }
  }
}

}  // namespace json_scan

size_t JsonFieldScanner::hash(const char* key, size_t size) noexcept {
  size_t h = size * 0x9E3779B1u;
  if (size > 0) {
    h ^= static_cast<unsigned char>(key[0]) * 31u;
    h ^= static_cast<unsigned char>(key[size - 1]) * 1031u;
    h ^= static_cast<unsigned char>(key[size / 2]) * 65599u;
  }
  return h ^ (h >> 7);
}

JsonFieldScanner::JsonFieldScanner(const std::vector<std::string>& keys) : keys_(keys) {
  size_t capacity = 16;
  while (capacity < keys_.size() * 4)
    capacity *= 2;
  slots_.assign(capacity, -1);
  mask_ = capacity - 1;
  for (size_t i = 0; i < keys_.size(); ++i) {
    size_t slot = hash(keys_[i].data(), keys_[i].size()) & mask_;
    while (slots_[slot] != -1)
      slot = (slot + 1) & mask_;
    slots_[slot] = static_cast<int16_t>(i);
  }
}

int JsonFieldScanner::lookup(const char* key, size_t size) const noexcept {
  size_t slot = hash(key, size) & mask_;
  while (slots_[slot] != -1) {
    const std::string& candidate = keys_[static_cast<size_t>(slots_[slot])];
    if (candidate.size() == size && std::memcmp(candidate.data(), key, size) == 0)
      return slots_[slot];
    slot = (slot + 1) & mask_;
  }
  return -1;
}

bool JsonFieldScanner::scan(std::string_view line, RawField* fields) const noexcept {
  for (size_t i = 0; i < keys_.size(); ++i)
    fields[i].kind = RawField::Absent;
  const char* p = line.data();
  const char* end = p + line.size();
  p = json_scan::skip_space(p, end);
  if (p >= end || *p != '{') return false;
  p = json_scan::skip_space(p + 1, end);
  if (keys_.empty()) {
    // Nothing to extract (`count`): a line that opens and closes an object is a row.
    const char* last = end;
    while (last > p && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\r'))
      --last;
    return last > p && last[-1] == '}';
  }
  if (p < end && *p == '}') return true;
  size_t remaining = keys_.size();
  while (p < end) {
    if (*p != '"') return false;
    const char* key_end = json_scan::string_end(p + 1, end);
    if (!key_end) return false;
    // Keys with escapes are compared as written: column names do not need them.
    const int index = remaining > 0 ? lookup(p + 1, static_cast<size_t>(key_end - p - 1)) : -1;
    p = json_scan::skip_space(key_end + 1, end);
    if (p >= end || *p != ':') return false;
    p = json_scan::skip_space(p + 1, end);
    RawField field;
    p = json_scan::read_value(p, end, field);
    if (!p) return false;
    if (index >= 0 && fields[index].kind == RawField::Absent) {
      fields[index] = field;
      if (--remaining == 0) {
        // Everything needed is here: trust the rest of the line if it closes the object.
        const char* last = end;
        while (last > p && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\r'))
          --last;
        return last > p && last[-1] == '}';
      }
    }
    p = json_scan::skip_space(p, end);
    if (p >= end) return false;
    if (*p == '}') return json_scan::skip_space(p + 1, end) == end;
    if (*p != ',') return false;
    p = json_scan::skip_space(p + 1, end);
  }
  return false;
}

namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex4(std::string_view raw, size_t pos, uint32_t& out) noexcept {
  if (pos + 4 > raw.size()) return false;
  out = 0;
  for (size_t i = 0; i < 4; ++i) {
    int digit = hex_value(raw[pos + i]);
    if (digit < 0) return false;
    out = out * 16 + static_cast<uint32_t>(digit);
  }
  return true;
}

void append_utf8(uint32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

bool decode_json_string(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  size_t pos = 0;
  while (pos < raw.size()) {
    const char* slash =
        static_cast<const char*>(std::memchr(raw.data() + pos, '\\', raw.size() - pos));
    const size_t stop = slash ? static_cast<size_t>(slash - raw.data()) : raw.size();
    out.append(raw.data() + pos, stop - pos);
    if (!slash) return true;
    pos = stop + 1;
    if (pos >= raw.size()) return false;
    const char escape = raw[pos++];
    switch (escape) {
      case '"':
      case '\\':
      case '/':
        out += escape;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t code = 0;
        if (!read_hex4(raw, pos, code)) return false;
        pos += 4;
        if (code >= 0xD800 && code <= 0xDBFF) {
          uint32_t low = 0;
          if (pos + 1 < raw.size() && raw[pos] == '\\' && raw[pos + 1] == 'u' &&
              read_hex4(raw, pos + 2, low) && low >= 0xDC00 && low <= 0xDFFF) {
            pos += 6;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          } else {
            code = 0xFFFD;
          }
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
          code = 0xFFFD;
        }
        append_utf8(code, out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace log_hunt

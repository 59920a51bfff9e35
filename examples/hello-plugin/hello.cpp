// Hello: the smallest useful secpilot plugin. One skill, Greet, that reads its `name` input and the
// optional `Greeting` setting and answers {"message": "<Greeting>, <name>!"}.
#include <secpilot/sdk.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace {

// JSON's two-character escapes: kEscaped[i] is written as a backslash and kEscapeLetters[i].
constexpr std::string_view kEscaped = "\"\\\b\f\n\r\t";
constexpr std::string_view kEscapeLetters = "\"\\bfnrt";

// Appends `text` to `out` as the body of a JSON string (RFC 8259): quotes, backslashes and control
// characters escaped; other bytes, UTF-8 included, copied as they are.
void append_json_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (const auto i = kEscaped.find(c); i != std::string_view::npos) {
      out += '\\';
      out += kEscapeLetters[i];
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char code[7];
      std::snprintf(code, sizeof code, "\\u%04x", static_cast<unsigned>(c));
      out += code;
    } else {
      out += c;
    }
  }
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  append_json_escaped(out, text);
  out += '"';
  return out;
}

// A tiny reader for the one thing this plugin needs from its input: a top-level string member of a
// JSON object, such as "name" in {"name":"Ada"}. The host has already checked the input against the
// manifest's Inputs, so it is well-formed JSON. A plugin with richer inputs would use a JSON
// library (see SECPILOT_SDK_USE_BOOST_JSON in docs/sdk.md).
class InputReader {
 public:
  explicit InputReader(std::string_view json) : json_(json) {}

  // The value of the top-level member `key` when it is a string; nullopt otherwise.
  std::optional<std::string> string_member(std::string_view key) {
    at_ = 0;
    if (!consume('{')) return std::nullopt;
    while (!consume('}')) {
      std::string name;
      if (!read_string(name) || !consume(':')) return std::nullopt;
      skip_space();
      if (name == key) {
        std::string value;
        return peek() == '"' && read_string(value) ? std::optional(value) : std::nullopt;
      }
      if (!skip_value()) return std::nullopt;
      consume(',');
    }
    return std::nullopt;
  }

 private:
  char peek() const { return at_ < json_.size() ? json_[at_] : '\0'; }
  void skip_space() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')
      ++at_;
  }
  bool consume(char c) {
    skip_space();
    if (peek() != c) return false;
    ++at_;
    return true;
  }

  // Skips one value of any kind: a string, a nested object or array, or a literal.
  bool skip_value() {
    std::string ignored;
    if (peek() == '"') return read_string(ignored);
    int depth = 0;
    for (; at_ < json_.size(); ++at_) {
      const char c = json_[at_];
      if (c == '"') {
        if (!read_string(ignored)) return false;
        --at_;  // the loop steps past the closing quote
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return true;  // the end of the enclosing object
        if (--depth == 0) {
          ++at_;
          return true;
        }
      } else if (c == ',' && depth == 0) {
        return true;
      }
    }
    return false;
  }

  unsigned read_hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i, ++at_) {
      const char h = peek();
      const int digit = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
      if (digit < 0) return 0xFFFFFFFF;
      code = code * 16 + static_cast<unsigned>(digit);
    }
    return code;
  }

  static void append_utf8(std::string& out, unsigned code) {
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

  // Reads a JSON string starting at its opening quote, decoding escapes (\uXXXX and surrogate
  // pairs included) into UTF-8.
  bool read_string(std::string& out) {
    if (!consume('"')) return false;
    while (at_ < json_.size()) {
      const char c = json_[at_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++at_;
      if (e == 'u') {
        unsigned code = read_hex4();
        if (code >= 0xD800 && code < 0xDC00 && json_.substr(at_, 2) == "\\u") {  // a pair
          at_ += 2;
          const unsigned low = read_hex4();
          if (low < 0xDC00 || low > 0xDFFF) return false;
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;  // lone half
        append_utf8(out, code);
      } else if (const auto i = kEscapeLetters.find(e); i != std::string_view::npos) {
        out += kEscaped[i];
      } else {
        out += e;  // "\/"
      }
    }
    return false;
  }

  std::string_view json_;
  std::size_t at_ = 0;
};

}  // namespace

class Hello {
 public:
  // Settings are read once, at load. The manifest gives Greeting a DefaultValue, so the host
  // answers with "Hello" when the settings file says nothing.
  explicit Hello(secpilot::sdk::InitContext& init)
      : greeting_(init.setting_or("Greeting", "Hello")) {}

  // Greet: {"name": "Ada"} -> {"message": "Hello, Ada!"}.
  std::string greet(secpilot::sdk::Context& ctx) const {
    const auto name = InputReader(ctx.input()).string_member("name");
    if (!name || name->empty())
      throw secpilot::sdk::Error(SP_ERR_INVALID_INPUT,
                                 "input 'name' must be a non-empty string, e.g. --input name=Ada");
    return "{\"message\":" + json_string(greeting_ + ", " + *name + "!") + "}";
  }

 private:
  std::string greeting_;
};

// The entry point: plugin name (the manifest's Descriptor.Name), its version, and its skills, each
// named as in the manifest. Greet keeps no mutable state, so it may run concurrently.
SECPILOT_PLUGIN(Hello, "Hello", "1.0.0",
                secpilot::sdk::skill<&Hello::greet>("Greet", SP_SKILL_THREAD_SAFE,
                                                    "Greets someone by name"));

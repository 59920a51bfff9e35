// String functions: tolower, toupper, strlen, substring, strcat, strcat_delim, split, indexof,
// replace_string, replace_regex, trim, trim_start, trim_end, reverse, countof, extract,
// extract_all, base64_decode_tostring, base64_encode_tostring, url_decode.
#include <regex>

#include <boost/json/array.hpp>

#include "functions.hpp"
#include "kql_regex.hpp"
#include "log_hunt/convert.hpp"
#include "log_hunt/text.hpp"

namespace log_hunt {
namespace {

size_t utf8_length(std::string_view text) {
  size_t count = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

// Byte offset of the `index`-th code point (clamped to the end).
size_t utf8_offset(std::string_view text, int64_t index) {
  size_t pos = 0;
  for (int64_t seen = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) {
      if (seen == index) return pos;
      ++seen;
    }
  }
  return text.size();
}

// A regex given as a constant is compiled once; otherwise per call, with a one-entry cache.
class RegexSlot {
 public:
  explicit RegexSlot(Expression& pattern) {
    if (pattern.is_constant()) {
      pattern_ = to_text(constant_value(pattern));
      regex_ = compile_kql_regex(pattern_);
    }
  }
  const std::regex& get(const Value& pattern) {
    std::string text = to_text(pattern);
    if (text != pattern_) {
      regex_ = compile_kql_regex(text);
      pattern_ = std::move(text);
    }
    return regex_;
  }

 private:
  std::string pattern_;
  std::regex regex_{};
};

std::string base64_decode(std::string_view text, bool& ok) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  ok = true;
  for (char c : text) {
    if (c == '=' || c == ' ' || c == '\n' || c == '\r') continue;
    int v = value_of(c);
    if (v < 0) {
      ok = false;
      return {};
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string base64_encode(std::string_view text) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(text[i]) << 16) |
                 (static_cast<unsigned char>(text[i + 1]) << 8) |
                 static_cast<unsigned char>(text[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < text.size()) {
    uint32_t n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) n |= static_cast<unsigned char>(text[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < text.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

FunctionSpec spec(size_t min, size_t max, const char* signature,
                  std::function<ExpressionPtr(Args&, const FunctionContext&)> build) {
  return FunctionSpec{min, max, signature, std::move(build)};
}

// A function of one string argument returning a string.
FunctionSpec text_map(const char* signature, std::string (*map)(std::string_view)) {
  return spec(1, 1, signature, [map](Args& args, const FunctionContext&) {
    return make_call(Type::String, std::move(args),
                     [map, scratch = std::string()](auto v, Value& out) mutable {
                       out.set_string(map(text_arg(*v[0], scratch)));
                     });
  });
}

}  // namespace

void add_string_functions(FunctionTable& t) {
  t["tolower"] = text_map("tolower(text)", [](std::string_view s) { return to_lower_copy(s); });
  t["toupper"] = text_map("toupper(text)", [](std::string_view s) { return to_upper_copy(s); });
  t["reverse"] = text_map("reverse(text)",
                          [](std::string_view s) { return std::string(s.rbegin(), s.rend()); });
  t["base64_encode_tostring"] = text_map("base64_encode_tostring(text)", base64_encode);
  t["base64_decode_tostring"] =
      spec(1, 1, "base64_decode_tostring(text)", [](Args& args, const FunctionContext&) {
        return make_call(Type::String, std::move(args),
                         [scratch = std::string()](auto v, Value& out) mutable {
                           bool ok = false;
                           std::string decoded = base64_decode(text_arg(*v[0], scratch), ok);
                           // PowerShell's -EncodedCommand is UTF-16LE: drop its zero bytes
                           // so the script reads as text.
                           size_t zeros = 0;
                           for (char c : decoded)
                             zeros += c == '\0';
                           if (zeros * 2 >= decoded.size() && zeros > 0) std::erase(decoded, '\0');
                           if (ok)
                             out.set_string(decoded);
                           else
                             out.set_string("");
                         });
      });
  t["url_decode"] = text_map("url_decode(text)", [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i] == '+' ? ' ' : s[i];
      }
    }
    return out;
  });
  t["strlen"] = spec(1, 1, "strlen(text)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Long, std::move(args),
                     [scratch = std::string()](auto v, Value& out) mutable {
                       out.set_long(static_cast<int64_t>(utf8_length(text_arg(*v[0], scratch))));
                     });
  });
  t["substring"] =
      spec(2, 3, "substring(source, start [, length])", [](Args& args, const FunctionContext&) {
        return make_call(
            Type::String, std::move(args), [scratch = std::string()](auto v, Value& out) mutable {
              std::string_view text = text_arg(*v[0], scratch);
              int64_t start = 0, length = -1;
              if (!long_arg(*v[1], start)) {
                out.set_string("");
                return;
              }
              if (v.size() > 2 && !long_arg(*v[2], length)) length = -1;
              if (start < 0) start = 0;
              const size_t from = utf8_offset(text, start);
              const size_t to = length < 0 ? text.size() : utf8_offset(text, start + length);
              out.set_string(text.substr(from, to - from));
            });
      });
  t["strcat"] = spec(1, 64, "strcat(a, b, ...)", [](Args& args, const FunctionContext&) {
    return make_call(Type::String, std::move(args), [](auto v, Value& out) {
      std::string joined;
      for (const Value* value : v)
        append_text(*value, joined);
      out.set_string(joined);
    });
  });
  t["strcat_delim"] =
      spec(3, 64, "strcat_delim(delimiter, a, b, ...)", [](Args& args, const FunctionContext&) {
        return make_call(Type::String, std::move(args), [](auto v, Value& out) {
          std::string delimiter = to_text(*v[0]);
          std::string joined;
          for (size_t i = 1; i < v.size(); ++i) {
            if (i > 1) joined += delimiter;
            append_text(*v[i], joined);
          }
          out.set_string(joined);
        });
      });
  t["split"] =
      spec(2, 3, "split(source, delimiter [, index])", [](Args& args, const FunctionContext&) {
        return make_call(Type::Dynamic, std::move(args), [](auto v, Value& out) {
          std::string text = to_text(*v[0]);
          std::string delimiter = to_text(*v[1]);
          boost::json::array parts;
          if (delimiter.empty()) {
            parts.emplace_back(text);
          } else {
            size_t start = 0;
            while (true) {
              size_t at = text.find(delimiter, start);
              parts.emplace_back(std::string_view(text).substr(start, at - start));
              if (at == std::string::npos) break;
              start = at + delimiter.size();
            }
          }
          int64_t index = 0;
          if (v.size() > 2 && long_arg(*v[2], index)) {
            boost::json::array picked;
            if (index >= 0 && static_cast<size_t>(index) < parts.size())
              picked.push_back(parts[static_cast<size_t>(index)]);
            out = Value::of_json(boost::json::value(std::move(picked)));
          } else {
            out = Value::of_json(boost::json::value(std::move(parts)));
          }
        });
      });
  t["indexof"] = spec(2, 2, "indexof(source, lookup)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Long, std::move(args), [](auto v, Value& out) {
      std::string text = to_text(*v[0]);
      size_t at = text.find(to_text(*v[1]));
      out.set_long(at == std::string::npos
                       ? -1
                       : static_cast<int64_t>(utf8_length(std::string_view(text).substr(0, at))));
    });
  });
  t["countof"] = spec(2, 2, "countof(text, search)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Long, std::move(args), [](auto v, Value& out) {
      std::string text = to_text(*v[0]);
      std::string search = to_text(*v[1]);
      int64_t count = 0;
      if (!search.empty())
        for (size_t at = text.find(search); at != std::string::npos;
             at = text.find(search, at + search.size()))
          ++count;
      out.set_long(count);
    });
  });
  t["replace_string"] =
      spec(3, 3, "replace_string(text, lookup, rewrite)", [](Args& args, const FunctionContext&) {
        return make_call(Type::String, std::move(args), [](auto v, Value& out) {
          std::string text = to_text(*v[0]);
          std::string lookup = to_text(*v[1]);
          std::string rewrite = to_text(*v[2]);
          std::string result;
          size_t start = 0;
          if (!lookup.empty()) {
            for (size_t at = text.find(lookup); at != std::string::npos;
                 at = text.find(lookup, start)) {
              result.append(text, start, at - start);
              result += rewrite;
              start = at + lookup.size();
            }
          }
          result.append(text, start, std::string::npos);
          out.set_string(result);
        });
      });
  t["replace_regex"] =
      spec(3, 3, "replace_regex(text, regex, rewrite)", [](Args& args, const FunctionContext&) {
        auto slot = std::make_shared<RegexSlot>(*args[1]);
        return make_call(Type::String, std::move(args), [slot](auto v, Value& out) {
          std::string rewrite = to_text(*v[2]);
          // KQL writes groups as \1; ECMAScript as $1.
          for (size_t i = 0; i + 1 < rewrite.size(); ++i)
            if (rewrite[i] == '\\' && std::isdigit(static_cast<unsigned char>(rewrite[i + 1])))
              rewrite[i] = '$';
          out.set_string(std::regex_replace(std::string(regex_input(to_text(*v[0]))),
                                            slot->get(*v[1]), rewrite));
        });
      });
  // trim: the pattern anchored at the start and/or the end, each matched once.
  auto trim_builder = [](bool start, bool end) {
    return [start, end](Args& args, const FunctionContext&) {
      struct Anchored {
        std::string pattern;
        std::regex head, tail;
        void set(const std::string& p) {
          pattern = p;
          head = compile_kql_regex("^(?:" + p + ")");
          tail = compile_kql_regex("(?:" + p + ")$");
        }
      };
      auto anchored = std::make_shared<Anchored>();
      if (args[0]->is_constant()) anchored->set(to_text(constant_value(*args[0])));
      return make_call(Type::String, std::move(args), [anchored, start, end](auto v, Value& out) {
        std::string pattern = to_text(*v[0]);
        if (pattern != anchored->pattern || anchored->pattern.empty()) anchored->set(pattern);
        std::string text = to_text(*v[1]);
        if (text.size() > kMaxRegexInput) {
          out.set_string(text);
          return;
        }
        std::smatch match;
        if (start && std::regex_search(text, match, anchored->head))
          text.erase(0, static_cast<size_t>(match.length(0)));
        if (end && std::regex_search(text, match, anchored->tail))
          text.erase(static_cast<size_t>(match.position(0)));
        out.set_string(text);
      });
    };
  };
  t["trim"] = spec(2, 2, "trim(regex, text)", trim_builder(true, true));
  t["trim_start"] = spec(2, 2, "trim_start(regex, text)", trim_builder(true, false));
  t["trim_end"] = spec(2, 2, "trim_end(regex, text)", trim_builder(false, true));
  t["extract"] = spec(
      3, 4, "extract(regex, captureGroup, source [, typeof(T)])",
      [](Args& args, const FunctionContext&) {
        auto slot = std::make_shared<RegexSlot>(*args[0]);
        Type type = Type::String;
        if (args.size() > 3 && args[3]->is_constant())
          type = kql::parse_type_name(to_text(constant_value(*args[3]))).value_or(Type::String);
        return make_call(type, std::move(args), [slot, type](auto v, Value& out) {
          int64_t group = 0;
          std::string text(regex_input(to_text(*v[2])));
          std::smatch match;
          if (long_arg(*v[1], group) && group >= 0 &&
              std::regex_search(text, match, slot->get(*v[0])) &&
              static_cast<size_t>(group) < match.size() &&
              match[static_cast<size_t>(group)].matched) {
            value_from_text(match[static_cast<size_t>(group)].str(), type, out);
          } else {
            out.set_null(type);
            if (type == Type::String) out.set_string("");
          }
        });
      });
  t["extract_all"] =
      spec(2, 2, "extract_all(regex, source)", [](Args& args, const FunctionContext&) {
        auto slot = std::make_shared<RegexSlot>(*args[0]);
        return make_call(Type::Dynamic, std::move(args), [slot](auto v, Value& out) {
          std::string text(regex_input(to_text(*v[1])));
          const std::regex& regex = slot->get(*v[0]);
          boost::json::array matches;
          for (auto it = std::sregex_iterator(text.begin(), text.end(), regex);
               it != std::sregex_iterator(); ++it) {
            const std::smatch& match = *it;
            if (match.size() <= 1) {
              matches.emplace_back(match.str(0));
            } else if (match.size() == 2) {
              matches.emplace_back(match.str(1));
            } else {
              boost::json::array groups;
              for (size_t g = 1; g < match.size(); ++g)
                groups.emplace_back(match.str(g));
              matches.emplace_back(std::move(groups));
            }
          }
          if (matches.empty())
            out = Value::null_of(Type::Dynamic);
          else
            out = Value::of_json(boost::json::value(std::move(matches)));
        });
      });
}

}  // namespace log_hunt

#include "jamf/error_body.hpp"

#include <boost/json.hpp>

namespace jamf {
namespace {

namespace json = boost::json;

std::string text_of(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::string joined(const std::string& first, const std::string& second) {
  if (first.empty()) return second;
  if (second.empty()) return first;
  return first + ": " + second;
}

// At most 200 bytes of printable text, without HTML tags: an error page or a proxy's message.
std::string plain_excerpt(const std::string& body) {
  std::string out;
  bool space = false;
  bool in_tag = false;
  for (char c : body) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '<') in_tag = true;
    if (in_tag || byte < 0x20 || byte == 0x7F) {
      in_tag = in_tag && c != '>';
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= 200) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace

std::string describe_error_body(const std::string& body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    const auto& object = parsed.get_object();
    if (const auto* errors = object.if_contains("errors"); errors && errors->is_array()) {
      std::string out;
      for (const auto& item : errors->get_array()) {
        if (!item.is_object()) continue;
        const std::string one =
            joined(text_of(item.get_object(), "code"), text_of(item.get_object(), "description"));
        if (one.empty()) continue;
        out += (out.empty() ? "" : "; ") + one;
      }
      if (!out.empty()) return out;
    }
    const std::string oauth =
        joined(text_of(object, "error"), text_of(object, "error_description"));
    if (!oauth.empty()) return oauth;
  }
  return plain_excerpt(body);
}

}  // namespace jamf

#include "secpilot/skills/input_validation.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>

namespace secpilot::skills {
namespace {

bool is_hex(std::string_view text, std::size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Undoes the usual defanging so the shape can be checked.
std::string refang(std::string_view value) {
  std::string out(value);
  replace_all(out, "[.]", ".");
  replace_all(out, "(.)", ".");
  replace_all(out, "[:]", ":");
  replace_all(out, "[@]", "@");
  replace_all(out, "[://]", "://");
  if (out.rfind("hxxp", 0) == 0) out.replace(0, 4, "http");
  return out;
}

bool is_ip(std::string_view value) {
  std::string text(value);
  if (auto slash = text.find('/'); slash != std::string::npos) {  // CIDR
    if (!is_digits(std::string_view(text).substr(slash + 1))) return false;
    text.resize(slash);
  }
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool is_domain(std::string_view value) {
  if (value.empty() || value.size() > 253 || value.find('.') == std::string_view::npos)
    return false;
  if (value.back() == '.') value.remove_suffix(1);
  std::size_t start = 0;
  while (start <= value.size()) {
    auto end = value.find('.', start);
    if (end == std::string_view::npos) end = value.size();
    auto label = value.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    start = end + 1;
  }
  return true;
}

bool is_url(std::string_view value) {
  auto scheme = value.find("://");
  return scheme != std::string_view::npos && scheme > 0 && scheme + 3 < value.size();
}

bool is_email(std::string_view value) {
  auto at = value.find('@');
  return at != std::string_view::npos && at > 0 && is_domain(value.substr(at + 1));
}

bool is_cve(std::string_view value) {
  if (value.size() < 13) return false;
  std::string upper(value.substr(0, 4));
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "CVE-" && is_digits(value.substr(4, 4)) && value[8] == '-' &&
         is_digits(value.substr(9)) && value.size() - 9 >= 4;
}

bool is_technique(std::string_view value) {
  if (value.size() < 5 || (value[0] != 'T' && value[0] != 't')) return false;
  if (!is_digits(value.substr(1, 4))) return false;
  if (value.size() == 5) return true;
  return value.size() == 9 && value[5] == '.' && is_digits(value.substr(6, 3));
}

const char* json_type_name(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

// Converts `value` in place to the declared type when it is a string spelling of it.
std::string coerce(const manifest::Input& input, boost::json::value& value) {
  const std::string& type = input.type;
  const std::string prefix = "input '" + input.name + "' ";
  if (type == "integer" || type == "number") {
    if (value.is_string()) {
      const auto& text = value.as_string();
      if (type == "integer") {
        long long number = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || end != text.data() + text.size())
          return prefix + "must be an integer, got \"" + std::string(text) + "\"";
        value = number;
      } else {
        try {
          std::size_t used = 0;
          double number = std::stod(std::string(text), &used);
          if (used != text.size()) throw std::invalid_argument("trailing");
          value = number;
        } catch (const std::exception&) {
          return prefix + "must be a number, got \"" + std::string(text) + "\"";
        }
      }
    }
    if (type == "integer" && !value.is_int64() && !value.is_uint64())
      return prefix + "must be an integer, got " + json_type_name(value);
    if (type == "number" && !value.is_number())
      return prefix + "must be a number, got " + json_type_name(value);
    return {};
  }
  if (type == "boolean") {
    if (value.is_string()) {
      std::string text(value.as_string());
      for (auto& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (text == "true" || text == "yes" || text == "1")
        value = true;
      else if (text == "false" || text == "no" || text == "0")
        value = false;
      else
        return prefix + "must be true or false, got \"" + text + "\"";
    }
    return value.is_bool() ? std::string() : prefix + "must be true or false";
  }
  if (type == "object") return value.is_object() ? "" : prefix + "must be a JSON object";
  if (type == "array") return value.is_array() ? "" : prefix + "must be a JSON array";
  // Everything else is a string, possibly with an entity shape.
  if (!value.is_string()) return prefix + "must be a string, got " + json_type_name(value);
  if (type != "string" && !matches_entity_type(type, value.as_string()))
    return prefix + "must be " + (type == "ip" ? "an " : "a ") + type + ", got \"" +
           std::string(value.as_string()) + "\"";
  return {};
}

}  // namespace

bool matches_entity_type(std::string_view type, std::string_view raw) {
  const std::string value = refang(raw);
  if (type == "ip") return is_ip(value);
  if (type == "domain") return is_domain(value);
  if (type == "url") return is_url(value);
  if (type == "email") return is_email(value);
  if (type == "md5") return is_hex(value, 32);
  if (type == "sha1") return is_hex(value, 40);
  if (type == "sha256") return is_hex(value, 64);
  if (type == "hash") return is_hex(value, 32) || is_hex(value, 40) || is_hex(value, 64);
  if (type == "cve") return is_cve(value);
  if (type == "mitre_technique") return is_technique(value);
  return !value.empty();  // host, user, incident_id, script, kql: free text, but not empty
}

Expected<std::string> prepare_input(const manifest::Skill& skill, std::string_view input_json) {
  boost::system::error_code error;
  boost::json::value parsed =
      boost::json::parse(boost::json::string_view(input_json.data(), input_json.size()), error);
  if (error || !parsed.is_object())
    return make_error(Status::invalid_input,
                      "the inputs must be a JSON object such as {\"name\": \"value\"}" +
                          (error ? " (" + error.message() + ")" : std::string()));
  auto& object = parsed.as_object();
  bool changed = false;

  for (const auto& [key, value] : object) {
    (void)value;
    bool known = std::any_of(skill.inputs.begin(), skill.inputs.end(),
                             [&](const auto& input) { return input.name == key; });
    if (!known) {
      std::string names;
      for (const auto& input : skill.inputs)
        names += (names.empty() ? "" : ", ") + input.name;
      return make_error(Status::invalid_input,
                        "unknown input '" + std::string(key) + "' for " + skill.name +
                            (names.empty() ? " — it takes no inputs" : " — it takes: " + names));
    }
  }
  for (const auto& input : skill.inputs) {
    auto* value = object.if_contains(input.name);
    if (!value || value->is_null()) {
      if (input.default_value) {
        object[input.name] = *input.default_value;
        value = object.if_contains(input.name);
        changed = true;
      } else if (input.required) {
        return make_error(
            Status::invalid_input,
            "missing required input '" + input.name + "'" +
                (input.description.empty() ? "" : " (" + input.description + ")") +
                (input.placeholder.empty() ? ""
                                           : ", e.g. " + input.name + "=" + input.placeholder));
      } else {
        continue;
      }
    }
    const boost::json::value before = *value;
    if (auto problem = coerce(input, *value); !problem.empty())
      return make_error(Status::invalid_input, problem);
    changed = changed || before != *value;
  }
  if (!changed) return std::string(input_json);
  return boost::json::serialize(object);
}

}  // namespace secpilot::skills

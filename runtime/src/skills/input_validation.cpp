#include "secpilot/skills/input_validation.hpp"
#include "skills/input_scan.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>

namespace secpilot::skills {
namespace {

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

Expected<std::string> prepare_input(const manifest::Skill& skill, std::string_view input_json) {
  if (inputs_already_valid(skill, input_json)) return std::string(input_json);
  // Slow path: build the document, convert and fill what can be, explain what cannot.
  boost::system::error_code error;
  boost::json::value parsed =
      boost::json::parse(boost::json::string_view(input_json.data(), input_json.size()), error);
  if (error || !parsed.is_object())
    return make_error(Status::invalid_input,
                      "the inputs must be a JSON object such as {\"name\": \"value\"}" +
                          (error ? " (" + error.message() + ")" : std::string()));
  auto& object = parsed.as_object();
  bool changed = false;

  for (const auto& member : object) {
    // Not a structured binding: clang before 16 cannot capture one in the lambda below.
    const boost::json::string_view key = member.key();
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

Expected<boost::json::object> input_object(std::string_view skill_name,
                                           const manifest::Skill* skill,
                                           std::string_view input_json) {
  std::string input(input_json);
  if (skill) {
    auto prepared = prepare_input(*skill, input_json);
    if (!prepared)
      return make_error(Status::invalid_input,
                        std::string(skill_name) + ": " + std::move(prepared).error().message);
    input = std::move(*prepared);
  }
  boost::system::error_code syntax;
  auto inputs = boost::json::parse(input, syntax);
  if (syntax || !inputs.is_object())
    return make_error(Status::invalid_input,
                      std::string(skill_name) + ": the inputs are not a JSON object");
  return std::move(inputs.as_object());
}

}  // namespace secpilot::skills

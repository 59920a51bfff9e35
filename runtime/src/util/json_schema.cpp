#include "secpilot/util/json_schema.hpp"

#include <boost/json.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <charconv>
#include <exception>
#include <optional>
#include <string_view>

#include "util/json_schema_fast.hpp"

namespace secpilot {
namespace {

namespace json = boost::json;

constexpr std::string_view kPrefixesOfSummaries[] = {
    // valijson repeats a nested failure at every enclosing level; the nested entry says it all.
    "Failed to validate against schema associated with property name",
    "Failed to validate against schema associated with pattern",
    "Failed to validate item #",
    "Failed to validate against additional properties schema",
};

constexpr std::string_view kWrongType = "Value type not permitted by 'type' constraint.";

bool is_summary(std::string_view description) {
  for (std::string_view prefix : kPrefixesOfSummaries)
    if (description.starts_with(prefix)) return true;
  return false;
}

// A keyword of drafts 2019-09 and 2020-12 that draft-07 reads differently or not at all, used
// anywhere in `schema`; empty when there is none. ("items" as one schema and "$defs" through
// "$ref": "#/$defs/..." mean the same in both.)
std::string newer_keyword(const json::value& schema) {
  static constexpr std::string_view kNewer[] = {
      "prefixItems",       "unevaluatedProperties", "unevaluatedItems",
      "dependentRequired", "dependentSchemas",      "$dynamicRef",
      "$dynamicAnchor",    "$recursiveRef",         "$recursiveAnchor",
      "$anchor",           "minContains",           "maxContains"};
  if (const auto* object = schema.if_object()) {
    for (const auto& [key, value] : *object) {
      for (std::string_view keyword : kNewer)
        if (key == keyword) return std::string(keyword);
      if (key == "items" && value.is_array()) return "items (as an array)";
      if (key == "properties" || key == "$defs" || key == "definitions" ||
          key == "patternProperties") {
        if (const auto* children = value.if_object())
          for (const auto& [name, child] : *children)
            if (auto found = newer_keyword(child); !found.empty()) return found;
        continue;
      }
      if (key == "enum" || key == "const" || key == "default" || key == "examples") continue;
      if (auto found = newer_keyword(value); !found.empty()) return found;
    }
  } else if (const auto* array = schema.if_array()) {
    for (const auto& item : *array)
      if (auto found = newer_keyword(item); !found.empty()) return found;
  }
  return {};
}

std::optional<valijson::SchemaParser::Version> draft_of(const json::value& schema,
                                                        std::string& unsupported) {
  const json::object* object = schema.if_object();
  if (!object) return valijson::SchemaParser::kDraft7;
  const json::value* dialect = object->if_contains("$schema");
  if (!dialect || !dialect->is_string()) return valijson::SchemaParser::kDraft7;
  std::string_view uri = dialect->get_string();
  if (uri.find("draft-07") != std::string_view::npos) return valijson::SchemaParser::kDraft7;
  if (uri.find("draft-06") != std::string_view::npos) return valijson::SchemaParser::kDraft7;
  if (uri.find("draft-04") != std::string_view::npos) return valijson::SchemaParser::kDraft4;
  if (uri.find("draft-03") != std::string_view::npos) return valijson::SchemaParser::kDraft3;
  // 2020-12 is MCP's default dialect: a schema that keeps to what draft-07 reads the same way
  // (nearly all tool schemas) is checked as draft-07.
  if (uri.find("2020-12") != std::string_view::npos ||
      uri.find("2019-09") != std::string_view::npos) {
    const std::string keyword = newer_keyword(schema);
    if (keyword.empty()) return valijson::SchemaParser::kDraft7;
    unsupported = std::string(uri) + "' with '" + keyword;
    return std::nullopt;
  }
  unsupported = std::string(uri);
  return std::nullopt;
}

// The JSON Schema type names.
bool is_type_name(std::string_view name) {
  return name == "string" || name == "number" || name == "integer" || name == "boolean" ||
         name == "object" || name == "array" || name == "null" || name == "any";
}

// Finds what valijson would accept but mean something else: "type" values that name no JSON
// type (it ignores them, hiding typos such as "strng") and remote "$ref"s, anywhere a subschema
// can be.
void find_problems(const json::value& schema, const std::string& path, std::string& problem) {
  if (!problem.empty()) return;
  if (const json::array* list = schema.if_array()) {
    for (std::size_t i = 0; i < list->size(); ++i)
      find_problems((*list)[i], path + "/" + std::to_string(i), problem);
    return;
  }
  const json::object* object = schema.if_object();
  if (!object) return;
  for (const auto& [key, value] : *object) {
    std::string child = path + "/" + std::string(key);
    if (key == "$ref" && value.is_string() && !value.get_string().starts_with("#")) {
      problem = "'$ref' at " + child + " points outside the schema ('" +
                std::string(value.get_string()) +
                "') and remote references are not fetched; copy that schema under "
                "\"definitions\" and refer to it as \"#/definitions/<name>\"";
      return;
    }
    if (key == "type") {
      auto check = [&](const json::value& name) {
        if (!name.is_string()) {
          if (!name.is_object() && problem.empty())  // draft 3 allows schemas in "type"
            problem = "'type' at " + child + " must be a type name or a list of them";
          return;
        }
        if (!is_type_name(name.get_string()) && problem.empty())
          problem = "'type' at " + child + " names no JSON type: '" +
                    std::string(name.get_string()) +
                    "' (use string, number, integer, boolean, object, array or null)";
      };
      if (const json::array* names = value.if_array()) {
        for (const json::value& name : *names)
          check(name);
      } else {
        check(value);
      }
      continue;
    }
    // Keywords whose value holds data, not subschemas.
    if (key == "enum" || key == "const" || key == "default" || key == "examples" ||
        key == "required")
      continue;
    // Maps from names to subschemas: a property called "type" is not the keyword.
    if (key == "properties" || key == "patternProperties" || key == "definitions" ||
        key == "$defs" || key == "dependencies") {
      if (const json::object* members = value.if_object())
        for (const auto& [name, member] : *members)
          find_problems(member, child + "/" + std::string(name), problem);
      continue;
    }
    find_problems(value, child, problem);
  }
}

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::size_t> to_index(std::string_view text) {
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return index;
}

// Resolves a local "$ref" ("#/definitions/x"); remote ones were refused at compile time.
const json::value* resolve_ref(const json::value& root, const json::value* schema) {
  for (int hops = 0; schema && hops < 16; ++hops) {
    const json::object* object = schema->if_object();
    if (!object) return schema;
    const json::value* ref = object->if_contains("$ref");
    if (!ref || !ref->is_string()) return schema;
    std::string_view target = ref->get_string();
    if (!target.starts_with("#")) return nullptr;
    target.remove_prefix(1);
    if (target.empty()) {
      schema = &root;
      continue;
    }
    boost::system::error_code ec;
    schema = root.find_pointer(target, ec);
  }
  return schema;
}

// The subschema that applies to the value at `segments` of the document, when it is plain
// "properties"/"items" nesting; nullptr when it cannot be told.
const json::value* subschema_at(const json::value& root, const json::value& document,
                                const std::vector<std::string>& segments) {
  const json::value* schema = resolve_ref(root, &root);
  const json::value* value = &document;
  for (const std::string& segment : segments) {
    if (!schema || !value) return nullptr;
    const json::object* object = schema->if_object();
    if (!object) return nullptr;
    const json::value* next = nullptr;
    if (const json::array* array = value->if_array()) {
      auto index = to_index(segment);
      if (!index || *index >= array->size()) return nullptr;
      value = &(*array)[*index];
      if (const json::value* items = object->if_contains("items")) {
        if (items->is_object()) {
          next = items;
        } else if (const json::array* tuple = items->if_array(); tuple && *index < tuple->size()) {
          next = &(*tuple)[*index];
        } else {
          next = object->if_contains("additionalItems");
        }
      }
    } else if (const json::object* fields = value->if_object()) {
      value = fields->if_contains(segment);
      const json::value* properties = object->if_contains("properties");
      if (properties && properties->is_object())
        next = properties->as_object().if_contains(segment);
      if (!next) next = object->if_contains("additionalProperties");
    } else {
      return nullptr;
    }
    schema = resolve_ref(root, next);
  }
  return schema;
}

std::string expected_types(const json::value& schema) {
  const json::object* object = schema.if_object();
  if (!object) return {};
  const json::value* type = object->if_contains("type");
  if (!type) return {};
  if (type->is_string()) return std::string(type->get_string());
  std::string out;
  if (const json::array* names = type->if_array()) {
    for (std::size_t i = 0; i < names->size(); ++i) {
      if (!(*names)[i].is_string()) return {};
      if (i > 0) out += (i + 1 == names->size()) ? " or " : ", ";
      out += (*names)[i].get_string();
    }
  }
  return out;
}

std::string allowed_values(const json::value& schema) {
  const json::object* object = schema.if_object();
  if (!object) return {};
  const json::value* values = object->if_contains("enum");
  if (!values || !values->is_array()) return {};
  std::string out;
  for (const json::value& allowed : values->get_array()) {
    if (!out.empty()) out += ", ";
    out += json::serialize(allowed);
  }
  return out;
}

// valijson prints bounds with std::to_string ("5.000000"); drop the noise.
std::string tidy_numbers(std::string text) {
  for (std::size_t at; (at = text.find(".000000")) != std::string::npos;)
    text.erase(at, 7);
  return text;
}

std::string reword(const std::string& description, const json::value* schema) {
  if (description == kWrongType && schema) {
    if (std::string types = expected_types(*schema); !types.empty()) return "expected " + types;
  }
  if (description == "Failed to match against any enum values." && schema) {
    if (std::string values = allowed_values(*schema); !values.empty())
      return "expected one of " + values;
  }
  constexpr std::string_view kUnexpected =
      "Object contains a property that could not be validated using 'properties' or "
      "'additionalProperties' constraints: ";
  if (description.starts_with(kUnexpected)) {
    std::string name = description.substr(kUnexpected.size());
    if (name.ends_with(".")) name.pop_back();
    return "unexpected property " + name;
  }
  std::string out = tidy_numbers(description);
  if (!out.empty() && out.back() == '.') out.pop_back();
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

}  // namespace

Expected<JsonSchema> JsonSchema::compile(const boost::json::value& schema) {
  if (!schema.is_object() && !schema.is_bool())
    return make_error(Status::invalid_input,
                      std::string("a JSON Schema must be an object (or true/false), not ") +
                          (schema.is_array() ? "a list" : "a scalar"));
  std::string unsupported;
  auto draft = draft_of(schema, unsupported);
  if (!draft)
    return make_error(Status::invalid_input,
                      "JSON Schema dialect '" + unsupported +
                          "' is not supported; use draft-07 (http://json-schema.org/draft-07/"
                          "schema#), draft-04, or 2020-12 without its newer keywords");
  std::string problem_found;
  find_problems(schema, "", problem_found);
  if (!problem_found.empty())
    return make_error(Status::invalid_input, "invalid JSON Schema: " + problem_found);
  try {
    auto compiled = std::make_shared<valijson::Schema>();
    valijson::SchemaParser parser(*draft);
    valijson::adapters::BoostJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled);
    JsonSchema result;
    result.schema_ = std::move(compiled);
    result.source_ = std::make_shared<const json::value>(schema);
    if (*draft != valijson::SchemaParser::kDraft3)
      result.fast_ = detail::FastSchema::compile(schema, *draft == valijson::SchemaParser::kDraft7);
    return result;
  } catch (const std::exception& e) {
    return make_error(Status::invalid_input, std::string("invalid JSON Schema: ") + e.what());
  }
}

std::vector<std::string> JsonSchema::validate(const boost::json::value& document) const {
  // The hot path: a valid document, decided by the compiled checks.
  if (fast_ && fast_->accepts(document)) return {};
  return validate_with_valijson(document);
}

std::optional<bool> JsonSchema::fast_verdict(const boost::json::value& document) const {
  if (!fast_) return std::nullopt;
  return fast_->accepts(document);
}

bool JsonSchema::valijson_verdict(const boost::json::value& document) const {
  if (!schema_) return true;
  try {
    valijson::ValidationResults results;
    valijson::Validator validator;
    valijson::adapters::BoostJsonAdapter adapter(document);
    return validator.validate(*schema_, adapter, &results);
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<std::string> JsonSchema::validate_with_valijson(
    const boost::json::value& document) const {
  if (!schema_) return {};
  valijson::ValidationResults results;
  try {
    // A Validator caches compiled regexes, so each call gets its own: no shared mutable state.
    valijson::Validator validator;
    valijson::adapters::BoostJsonAdapter adapter(document);
    if (validator.validate(*schema_, adapter, &results)) return {};
  } catch (const std::exception& e) {
    return {std::string("/: the schema could not be applied: ") + e.what()};
  }

  struct Problem {
    std::string path;
    std::string reason;
    bool wrong_type = false;
  };
  std::vector<Problem> found;
  std::vector<std::string> summary_paths;  // where only a summary was reported (a `false` schema)
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    // Context is "<root>" then "[name]" / "[index]" per level.
    std::vector<std::string> segments;
    for (std::size_t i = 1; i < error.context.size(); ++i) {
      std::string_view part = error.context[i];
      if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
        part = part.substr(1, part.size() - 2);
      segments.emplace_back(part);
    }
    std::string path;
    for (const std::string& segment : segments)
      path += "/" + escape_pointer_token(segment);
    if (path.empty()) path = "/";
    if (is_summary(error.description)) {
      // The property-name summary sits at the parent and names the property in quotes.
      constexpr std::string_view kProperty =
          "Failed to validate against schema associated with property name '";
      if (error.description.starts_with(kProperty)) {
        const auto start = kProperty.size();
        const auto end = error.description.find('\'', start);
        if (end != std::string::npos)
          path = (path == "/" ? "" : path) + "/" +
                 escape_pointer_token(error.description.substr(start, end - start));
      }
      summary_paths.push_back(std::move(path));
      continue;
    }
    const json::value* schema = source_ ? subschema_at(*source_, document, segments) : nullptr;
    found.push_back(
        {std::move(path), reword(error.description, schema), error.description == kWrongType});
  }

  // A value of the wrong type fails its other constraints (enum, pattern) too: say it once.
  std::stable_sort(found.begin(), found.end(),
                   [](const Problem& a, const Problem& b) { return a.path < b.path; });
  std::vector<std::string> problems;
  for (const Problem& problem : found) {
    bool redundant = false;
    for (const Problem& other : found)
      redundant =
          redundant || (other.path == problem.path && other.wrong_type && !problem.wrong_type);
    std::string line = problem.path + ": " + problem.reason;
    if (redundant || std::find(problems.begin(), problems.end(), line) != problems.end()) continue;
    problems.push_back(std::move(line));
  }
  // valijson rejects a value under a `false` subschema with nothing but a summary line: the
  // deepest such path is where the value is not allowed.
  if (problems.empty()) {
    std::sort(summary_paths.begin(), summary_paths.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    problems.push_back((summary_paths.empty() ? std::string("/") : summary_paths.front()) +
                       ": no value is allowed here");
  }
  return problems;
}

}  // namespace secpilot

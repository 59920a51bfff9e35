#include "util/json_schema_fast.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace secpilot::detail {
namespace {

namespace json = boost::json;

// Type names as bits; an int64 is both an integer and a number, a double only a number.
enum : std::uint8_t {
  kNull = 1 << 0,
  kBoolean = 1 << 1,
  kInteger = 1 << 2,
  kNumber = 1 << 3,
  kString = 1 << 4,
  kArray = 1 << 5,
  kObject = 1 << 6,
};

enum class Format : std::uint8_t { none, other, date, time, date_time };

enum class Additional : std::uint8_t { any, none, schema };

// a == b for the short strings of property names and enum values, without a call to memcmp.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  auto load8 = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8) {
    if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
    // Two loads that overlap when n < 16.
    return load8(a.data()) == load8(b.data()) && load8(a.data() + n - 8) == load8(b.data() + n - 8);
  }
  if (n >= 4)
    return load4(a.data()) == load4(b.data()) && load4(a.data() + n - 4) == load4(b.data() + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

struct Bound {
  double value = 0;
  bool lower = false;
  bool exclusive = false;
};

constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

}  // namespace

struct FastSchema::Node {
  struct Property {
    std::string name;
    std::unique_ptr<Node> schema;
    bool required = false;
  };

  bool never = false;  // the schema `false`
  bool has_type = false;
  std::uint8_t types = 0;
  bool type_only = false;  // no keyword but "type": checked inline by the parent
  bool has_enum = false;
  json::array enum_values;
  // When every enum value is a string without NUL, the same strings, compared quicker.
  bool enum_of_plain_strings = false;
  std::vector<std::string> enum_strings;
  bool has_const = false;
  json::value const_value;
  Format format = Format::none;
  std::vector<Bound> bounds;
  std::uint64_t min_length = 0;
  std::uint64_t max_length = kNoLimit;
  std::uint64_t min_items = 0;
  std::uint64_t max_items = kNoLimit;
  bool unique_items = false;
  std::unique_ptr<Node> items;
  bool has_properties = false;  // "properties" or "additionalProperties" present
  std::vector<Property> properties;
  std::unordered_map<std::string_view, std::size_t> index;  // by name, for long property lists
  Additional additional = Additional::any;
  std::unique_ptr<Node> additional_schema;
  std::size_t required_in_properties = 0;
  std::vector<std::string> required_elsewhere;

  // The property called `name`, trying first the one at `hint`: documents tend to list their
  // members in the order of the schema.
  const Property* find(std::string_view name, std::size_t hint) const noexcept {
    if (hint < properties.size() && same_text(properties[hint].name, name))
      return &properties[hint];
    if (!index.empty()) {
      auto it = index.find(name);
      return it == index.end() ? nullptr : &properties[it->second];
    }
    for (const Property& property : properties)
      if (same_text(property.name, name)) return &property;
    return nullptr;
  }
};

namespace {

using Node = FastSchema::Node;

constexpr std::size_t kIndexFrom = 12;  // properties; fewer are searched in order

// ---- compiling --------------------------------------------------------------------------------

bool is_annotation(std::string_view key) {
  // Keywords valijson does not read (or reads without validating anything: title, description).
  return key == "title" || key == "description" || key == "default" || key == "examples" ||
         key == "$schema" || key == "$comment" || key == "$id" || key == "id" ||
         key == "definitions" || key == "$defs" || key == "readOnly" || key == "writeOnly" ||
         key == "deprecated" || key == "contentMediaType" || key == "contentEncoding";
}

bool has_nul(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

bool number_of(const json::value& value, double& out) {
  if (value.is_int64()) {
    out = static_cast<double>(value.get_int64());
    return true;
  }
  if (value.is_double()) {
    out = value.get_double();
    return true;
  }
  return false;
}

bool count_of(const json::value& value, std::uint64_t& out) {
  if (!value.is_int64() || value.get_int64() < 0) return false;
  out = static_cast<std::uint64_t>(value.get_int64());
  return true;
}

bool type_bits(std::string_view name, bool draft7, std::uint8_t& bits, bool& any) {
  if (name == "null") {
    bits |= kNull;
  } else if (name == "boolean") {
    bits |= kBoolean;
  } else if (name == "integer") {
    bits |= kInteger;
  } else if (name == "number") {
    bits |= kNumber;
  } else if (name == "string") {
    bits |= kString;
  } else if (name == "array") {
    bits |= kArray;
  } else if (name == "object") {
    bits |= kObject;
  } else if (name == "any" && draft7) {
    any = true;
  } else {
    return false;
  }
  return true;
}

std::unique_ptr<Node> compile_node(const json::value& schema, bool draft7);

bool compile_keywords(const json::object& schema, bool draft7, Node& node) {
  if (schema.contains("$ref")) return false;  // valijson ignores the siblings of a "$ref"
  const json::value* minimum = nullptr;
  const json::value* maximum = nullptr;
  const json::value* exclusive_minimum = nullptr;
  const json::value* exclusive_maximum = nullptr;
  const json::value* required = nullptr;

  for (const auto& [key, value] : schema) {
    if (is_annotation(key)) continue;
    if (key == "type") {
      bool any = false;
      std::uint8_t bits = 0;
      if (value.is_string()) {
        if (!type_bits(value.get_string(), draft7, bits, any)) return false;
      } else if (const json::array* names = value.if_array()) {
        for (const json::value& name : *names)
          if (!name.is_string() || !type_bits(name.get_string(), draft7, bits, any)) return false;
      } else {
        return false;
      }
      node.has_type = !any;
      node.types = bits;
    } else if (key == "enum") {
      if (!value.is_array()) return false;
      node.has_enum = true;
      node.enum_values = value.get_array();
      node.enum_of_plain_strings = true;
      for (const json::value& allowed : node.enum_values) {
        if (!allowed.is_string() || has_nul(allowed.get_string())) {
          node.enum_of_plain_strings = false;
          node.enum_strings.clear();
          break;
        }
        node.enum_strings.emplace_back(allowed.get_string());
      }
    } else if (key == "const") {
      node.has_const = true;
      node.const_value = value;
    } else if (key == "format") {
      if (!value.is_string() || value.get_string().empty()) return false;
      std::string_view format = value.get_string();
      node.format = format == "date"        ? Format::date
                    : format == "time"      ? Format::time
                    : format == "date-time" ? Format::date_time
                                            : Format::other;
    } else if (key == "minimum") {
      minimum = &value;
    } else if (key == "maximum") {
      maximum = &value;
    } else if (key == "exclusiveMinimum") {
      exclusive_minimum = &value;
    } else if (key == "exclusiveMaximum") {
      exclusive_maximum = &value;
    } else if (key == "minLength") {
      if (!count_of(value, node.min_length)) return false;
    } else if (key == "maxLength") {
      if (!count_of(value, node.max_length)) return false;
    } else if (key == "minItems") {
      if (!count_of(value, node.min_items)) return false;
    } else if (key == "maxItems") {
      if (!count_of(value, node.max_items)) return false;
    } else if (key == "uniqueItems") {
      if (!value.is_bool()) return false;
      node.unique_items = value.get_bool();
    } else if (key == "items") {
      if (!value.is_object() && !(draft7 && value.is_bool())) return false;  // not a tuple
      node.items = compile_node(value, draft7);
      if (!node.items) return false;
    } else if (key == "required") {
      if (!value.is_array()) return false;
      required = &value;
    } else if (key == "properties") {
      const json::object* properties = value.if_object();
      if (!properties) return false;
      node.has_properties = true;
      for (const auto& [name, subschema] : *properties) {
        if (has_nul(name)) return false;  // valijson cuts names at a NUL
        auto child = compile_node(subschema, draft7);
        if (!child) return false;
        node.properties.push_back({std::string(name), std::move(child), false});
      }
    } else if (key == "additionalProperties") {
      node.has_properties = true;
      if (value.is_bool()) {
        node.additional = value.get_bool() ? Additional::any : Additional::none;
      } else if (value.is_object()) {
        node.additional = Additional::schema;
        node.additional_schema = compile_node(value, draft7);
        if (!node.additional_schema) return false;
      } else {
        return false;
      }
    } else {
      return false;  // a keyword outside the subset: valijson decides
    }
  }

  // Bounds. Draft-07: each keyword is a bound of its own. Draft-04: "exclusive*" are booleans
  // qualifying "minimum"/"maximum" (valijson refuses them alone).
  auto add_bound = [&](const json::value* bound, bool lower, bool exclusive) {
    Bound b;
    if (!number_of(*bound, b.value)) return false;
    b.lower = lower;
    b.exclusive = exclusive;
    node.bounds.push_back(b);
    return true;
  };
  if (draft7) {
    if (exclusive_minimum && !add_bound(exclusive_minimum, true, true)) return false;
    if (minimum && !add_bound(minimum, true, false)) return false;
    if (exclusive_maximum && !add_bound(exclusive_maximum, false, true)) return false;
    if (maximum && !add_bound(maximum, false, false)) return false;
  } else {
    auto flag = [](const json::value* exclusive, bool& out) {
      if (!exclusive) return true;
      if (!exclusive->is_bool()) return false;
      out = exclusive->get_bool();
      return true;
    };
    bool exclusive = false;
    if (minimum) {
      if (!flag(exclusive_minimum, exclusive) || !add_bound(minimum, true, exclusive)) return false;
    } else if (exclusive_minimum) {
      return false;
    }
    exclusive = false;
    if (maximum) {
      if (!flag(exclusive_maximum, exclusive) || !add_bound(maximum, false, exclusive))
        return false;
    } else if (exclusive_maximum) {
      return false;
    }
  }

  // Required names: those among the properties are counted during the pass over the members.
  if (required) {
    for (const json::value& name : required->get_array()) {
      if (!name.is_string() || has_nul(name.get_string())) return false;
      std::string_view text = name.get_string();
      bool counted = false;
      for (auto& property : node.properties) {
        if (property.name == text) {
          if (!property.required) ++node.required_in_properties;
          property.required = true;
          counted = true;
          break;
        }
      }
      if (!counted) node.required_elsewhere.emplace_back(text);
    }
  }
  if (node.properties.size() >= kIndexFrom) {
    for (std::size_t i = 0; i < node.properties.size(); ++i)
      node.index.emplace(node.properties[i].name, i);
  }
  return true;
}

std::unique_ptr<Node> compile_node(const json::value& schema, bool draft7) {
  auto node = std::make_unique<Node>();
  if (schema.is_bool()) {
    if (!draft7) return nullptr;
    node->never = !schema.get_bool();
    node->type_only = !node->never;
    return node;
  }
  const json::object* object = schema.if_object();
  if (!object || !compile_keywords(*object, draft7, *node)) return nullptr;
  const Node& n = *node;
  node->type_only = !n.has_enum && !n.has_const && n.format == Format::none && n.bounds.empty() &&
                    n.min_length == 0 && n.max_length == kNoLimit && n.min_items == 0 &&
                    n.max_items == kNoLimit && !n.unique_items && !n.items && !n.has_properties &&
                    n.required_elsewhere.empty();
  return node;
}

// ---- checking ---------------------------------------------------------------------------------

// The type names a value answers to, by its kind.
constexpr std::uint8_t kBitsOfKind[] = {
    kNull,               // json::kind::null
    kBoolean,            // json::kind::bool_
    kInteger | kNumber,  // json::kind::int64
    0,                   // json::kind::uint64: valijson's adapter sees no integer nor number
    kNumber,             // json::kind::double_
    kString,             // json::kind::string
    kArray,              // json::kind::array
    kObject,             // json::kind::object
};
static_assert(static_cast<int>(json::kind::null) == 0 &&
              static_cast<int>(json::kind::uint64) == 3 &&
              static_cast<int>(json::kind::double_) == 4 &&
              static_cast<int>(json::kind::object) == 7);

std::uint8_t bits_of(const json::value& value) noexcept {
  return kBitsOfKind[static_cast<unsigned>(value.kind()) & 7];
}

double as_double(const json::value& number) noexcept {
  return number.is_int64() ? static_cast<double>(number.get_int64()) : number.get_double();
}

// strcmp(a.c_str(), b.c_str()) == 0: valijson compares strings it copied through c_str().
bool c_string_equal(const json::string& a, const json::string& b) noexcept {
  const char* x = a.c_str();
  const char* y = b.c_str();
  for (; *x == *y; ++x, ++y)
    if (*x == 0) return true;
  return false;
}

// The same, `plain` holding no NUL.
bool c_string_equal(std::string_view plain, const json::string& other) noexcept {
  if (other.size() == plain.size()) return same_text(plain, other);
  return other.size() > plain.size() && other[plain.size()] == 0 &&
         same_text(plain, std::string_view(other.data(), plain.size()));
}

// valijson's strict equalTo(), `schema_side` being the enum or const value (or the earlier item).
bool equal(const json::value& schema_side, const json::value& other) noexcept {
  switch (schema_side.kind()) {
    case json::kind::null:
      return other.is_null();
    case json::kind::bool_:
      return other.is_bool() && other.get_bool() == schema_side.get_bool();
    case json::kind::int64:
    case json::kind::double_:
      return (other.is_int64() || other.is_double()) && as_double(other) == as_double(schema_side);
    case json::kind::uint64:
      return false;
    case json::kind::string:
      return other.is_string() && c_string_equal(schema_side.get_string(), other.get_string());
    case json::kind::array: {
      const json::array& mine = schema_side.get_array();
      const json::array* theirs = other.if_array();
      if (!theirs || theirs->size() != mine.size()) return false;
      for (std::size_t i = 0; i < mine.size(); ++i)
        if (!equal(mine[i], (*theirs)[i])) return false;
      return true;
    }
    case json::kind::object: {
      const json::object& mine = schema_side.get_object();
      const json::object* theirs = other.if_object();
      if (!theirs || theirs->size() != mine.size()) return false;
      for (const auto& member : *theirs) {
        const json::value* counterpart = mine.if_contains(member.key());
        if (!counterpart || !equal(*counterpart, member.value())) return false;
      }
      return true;
    }
  }
  return false;
}

// valijson's u8_strlen() on a C string, stopping as soon as the count reaches `enough`; false
// where valijson's behaviour is undefined (a run of more than 5 continuation bytes).
bool utf8_length(const char* s, std::uint64_t enough, std::uint64_t& count) noexcept {
  static constexpr std::uint32_t kOffsets[6] = {0x00000000UL, 0x00003080UL, 0x000E2080UL,
                                                0x03C82080UL, 0xFA082080UL, 0x82082080UL};
  count = 0;
  std::uint64_t i = 0;
  while (s[i] != 0 && count < enough) {
    std::uint64_t ch = 0;
    int size = 0;
    do {
      ch <<= 6;
      ch += static_cast<unsigned char>(s[i++]);
      ++size;
    } while (s[i] && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80);
    if (size > 6) return false;
    ch -= kOffsets[size - 1];
    if (ch == 0) break;
    ++count;
  }
  return true;
}

bool digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// ^([0-9]+)-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01]) from position `at`; moves `at` past it.
bool match_date(std::string_view s, std::size_t& at, int& month, int& day) noexcept {
  std::size_t i = at;
  const std::size_t start = i;
  while (i < s.size() && digit(s[i]))
    ++i;
  if (i == start || i + 6 > s.size() || s[i] != '-' || s[i + 3] != '-') return false;
  const char m1 = s[i + 1], m2 = s[i + 2], d1 = s[i + 4], d2 = s[i + 5];
  const bool month_ok =
      (m1 == '0' && m2 >= '1' && m2 <= '9') || (m1 == '1' && m2 >= '0' && m2 <= '2');
  const bool day_ok = (d1 == '0' && d2 >= '1' && d2 <= '9') ||
                      ((d1 == '1' || d1 == '2') && digit(d2)) ||
                      (d1 == '3' && (d2 == '0' || d2 == '1'));
  if (!month_ok || !day_ok) return false;
  month = (m1 - '0') * 10 + (m2 - '0');
  day = (d1 - '0') * 10 + (d2 - '0');
  at = i + 6;
  return true;
}

bool hour_ok(char a, char b) noexcept {
  return ((a == '0' || a == '1') && digit(b)) || (a == '2' && b >= '0' && b <= '3');
}

bool minute_ok(char a, char b) noexcept {
  return a >= '0' && a <= '5' && digit(b);
}

// ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?(([Zz])|([\+|\-]([01][0-9]|2[0-3]):[0-5][0-9]))$
bool match_time(std::string_view s, std::size_t at) noexcept {
  if (at + 8 > s.size()) return false;
  const char* t = s.data() + at;
  if (!hour_ok(t[0], t[1]) || t[2] != ':' || !minute_ok(t[3], t[4]) || t[5] != ':') return false;
  if (!minute_ok(t[6], t[7]) && !(t[6] == '6' && t[7] == '0')) return false;
  std::size_t i = at + 8;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && digit(s[i]))
      ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '|' && s[i] != '-') return false;
  if (i + 6 != s.size()) return false;
  const char* z = s.data() + i + 1;
  return hour_ok(z[0], z[1]) && z[2] == ':' && minute_ok(z[3], z[4]);
}

// valijson's validate_date_range().
bool date_range_ok(int month, int day) noexcept {
  if (month == 2) return day <= 29;
  int limit = 31;
  if (month <= 7) {
    if (month % 2 == 0) limit = 30;
  } else if (month % 2 != 0) {
    limit = 30;
  }
  return day <= limit;
}

bool format_ok(Format format, const json::value& value) noexcept {
  if (format == Format::other) {
    // valijson turns the value into a string, and throws for what it cannot turn.
    switch (value.kind()) {
      case json::kind::array:
        return value.get_array().empty();
      case json::kind::object:
        return value.get_object().empty();
      case json::kind::uint64:
        return false;
      default:
        return true;
    }
  }
  // No value other than a string turns into text that matches these patterns.
  if (!value.is_string()) return false;
  const std::string_view s(value.get_string().c_str());  // up to the first NUL, as valijson
  std::size_t at = 0;
  int month = 0, day = 0;
  switch (format) {
    case Format::date:
      return match_date(s, at, month, day) && at == s.size() && date_range_ok(month, day);
    case Format::time:
      return match_time(s, 0);
    case Format::date_time:
      return match_date(s, at, month, day) && at < s.size() && (s[at] == 'T' || s[at] == 't') &&
             match_time(s, at + 1) && date_range_ok(month, day);
    default:
      return true;
  }
}

bool check(const Node& node, const json::value& value) noexcept;

// check(), with the usual leaf ("type" alone, or an empty schema) decided without a call.
inline bool check_child(const Node& node, const json::value& value) noexcept {
  if (node.type_only) return !node.has_type || (node.types & bits_of(value)) != 0;
  return check(node, value);
}

bool check_object(const Node& node, const json::object& object) noexcept {
  for (const std::string& name : node.required_elsewhere)
    if (!object.contains(name)) return false;
  if (!node.has_properties) return node.required_in_properties == 0;
  std::size_t required_seen = 0;
  std::size_t hint = 0;
  for (const auto& member : object) {
    if (const Node::Property* property = node.find(member.key(), hint)) {
      hint = static_cast<std::size_t>(property - node.properties.data()) + 1;
      required_seen += property->required;
      if (!check_child(*property->schema, member.value())) return false;
    } else if (node.additional == Additional::none) {
      return false;
    } else if (node.additional == Additional::schema) {
      if (!check_child(*node.additional_schema, member.value())) return false;
    }
  }
  return required_seen == node.required_in_properties;
}

bool check_array(const Node& node, const json::array& array) noexcept {
  if (array.size() < node.min_items || array.size() > node.max_items) return false;
  if (node.items)
    for (const json::value& item : array)
      if (!check_child(*node.items, item)) return false;
  if (node.unique_items)
    for (std::size_t i = 0; i < array.size(); ++i)
      for (std::size_t j = i + 1; j < array.size(); ++j)
        if (equal(array[i], array[j])) return false;
  return true;
}

bool check_string(const Node& node, const json::string& string) noexcept {
  // The count never exceeds the bytes, so a short string needs no count for maxLength.
  if (node.min_length == 0 && string.size() <= node.max_length) return true;
  const std::uint64_t enough =
      string.size() <= node.max_length ? node.min_length : node.max_length + 1;
  std::uint64_t count = 0;
  if (!utf8_length(string.c_str(), enough, count)) return false;
  return count >= node.min_length && count <= node.max_length;
}

bool check(const Node& node, const json::value& value) noexcept {
  if (node.never) return false;
  if (node.has_type && (node.types & bits_of(value)) == 0) return false;
  if (node.has_enum) {
    bool found = false;
    if (node.enum_of_plain_strings) {
      if (!value.is_string()) return false;
      for (const std::string& allowed : node.enum_strings)
        if (c_string_equal(allowed, value.get_string())) {
          found = true;
          break;
        }
    } else {
      for (const json::value& allowed : node.enum_values)
        if (equal(allowed, value)) {
          found = true;
          break;
        }
    }
    if (!found) return false;
  }
  if (node.has_const && !equal(node.const_value, value)) return false;
  if (node.format != Format::none && !format_ok(node.format, value)) return false;
  switch (value.kind()) {
    case json::kind::int64:
    case json::kind::double_: {
      const double number = as_double(value);
      for (const Bound& bound : node.bounds) {
        if (bound.lower ? (bound.exclusive ? number <= bound.value : number < bound.value)
                        : (bound.exclusive ? number >= bound.value : number > bound.value))
          return false;
      }
      return true;
    }
    case json::kind::string:
      return check_string(node, value.get_string());
    case json::kind::array:
      return check_array(node, value.get_array());
    case json::kind::object:
      return check_object(node, value.get_object());
    default:
      return true;
  }
}

}  // namespace

FastSchema::FastSchema(std::unique_ptr<const Node> root) : root_(std::move(root)) {}

FastSchema::~FastSchema() = default;

std::shared_ptr<const FastSchema> FastSchema::compile(const json::value& schema, bool draft7) {
  auto root = compile_node(schema, draft7);
  if (!root) return nullptr;
  return std::make_shared<const FastSchema>(std::move(root));
}

bool FastSchema::accepts(const json::value& document) const noexcept {
  return check(*root_, document);
}

}  // namespace secpilot::detail

#include "manifest/yaml_json.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cstdint>

#include "manifest/text.hpp"

namespace secpilot::manifest::detail {
namespace {

namespace json = boost::json;

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<json::value> as_integer(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'o')) {
    if (text.size() != digits.size()) return std::nullopt;  // YAML has no signed hex/octal
    base = digits[1] == 'x' ? 16 : 8;
    digits.remove_prefix(2);
  } else if (!all_digits(digits)) {
    return std::nullopt;
  }
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (end != digits.data() + digits.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    double value = 0;
    std::from_chars(text.data() + (text.front() == '+'), text.data() + text.size(), value);
    return json::value(value);
  }
  if (ec != std::errc()) return std::nullopt;
  if (!negative) {
    if (magnitude <= static_cast<std::uint64_t>(INT64_MAX))
      return json::value(static_cast<std::int64_t>(magnitude));
    return json::value(magnitude);
  }
  if (magnitude <= static_cast<std::uint64_t>(INT64_MAX))
    return json::value(-static_cast<std::int64_t>(magnitude));
  if (magnitude == static_cast<std::uint64_t>(INT64_MAX) + 1) return json::value(INT64_MIN);
  return json::value(-static_cast<double>(magnitude));
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
std::optional<json::value> as_float(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9')
    ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9')
      ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::size_t exponent = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9')
      ++i, ++exponent;
    if (exponent == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  double value = 0;
  std::string_view number = text.front() == '+' ? text.substr(1) : text;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return std::nullopt;
  return json::value(value);
}

std::optional<json::value> plain_scalar(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return json::value(nullptr);
  if (text == "true" || text == "True" || text == "TRUE") return json::value(true);
  if (text == "false" || text == "False" || text == "FALSE") return json::value(false);
  if (auto integer = as_integer(text)) return integer;
  return as_float(text);
}

class Converter {
 public:
  Converter(const std::string* file, std::vector<Diagnostic>* diagnostics)
      : file_(file), diagnostics_(diagnostics) {}

  bool exhausted() const noexcept { return exhausted_; }

  json::value convert(const YAML::Node& node, bool exact_keys) {
    if (budget_ == 0) {
      exhausted_ = true;
      return nullptr;
    }
    --budget_;
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return scalar_to_json(node);
      case YAML::NodeType::Sequence: {
        json::array array;
        array.reserve(node.size());
        for (const YAML::Node& item : node)
          array.push_back(convert(item, exact_keys));
        return array;
      }
      case YAML::NodeType::Map:
        return convert_map(node, exact_keys);
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    return nullptr;
  }

 private:
  json::value convert_map(const YAML::Node& node, bool exact_keys) {
    json::object object;
    object.reserve(node.size());
    std::vector<std::pair<std::string, YAML::Node>> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = key_text(it->first);
      if (diagnostics_) {
        for (const auto& [earlier, earlier_node] : seen) {
          if (exact_keys ? earlier == key : iequals(earlier, key)) {
            SourceLocation first = location(earlier_node, *file_);
            diagnostics_->push_back({Severity::Error, location(it->first, *file_),
                                     "duplicate key '" + key + "' (first written at line " +
                                         std::to_string(first.line) + ")",
                                     "remove one of them; only the first is used"});
            break;
          }
        }
        seen.emplace_back(key, it->first);
      }
      json::value value = convert(it->second, exact_keys || iequals(key, "Outputs"));
      object.emplace(key, std::move(value));  // keeps the first of exact duplicates
    }
    return object;
  }

  const std::string* file_;
  std::vector<Diagnostic>* diagnostics_;
  // Values a document may expand to: a large manifest has a few thousand.
  std::size_t budget_ = 1'000'000;
  bool exhausted_ = false;
};

// What to check for each of yaml-cpp's syntax error messages.
std::string syntax_fix(const std::string& message) {
  if (message.starts_with("end of map flow"))
    return "close the mapping with '}' and separate entries with ','";
  if (message.starts_with("end of sequence flow"))
    return "close the list with ']' and separate items with ','";
  if (message.starts_with("end of map") || message.starts_with("end of sequence") ||
      message.starts_with("illegal map value") || message.starts_with("illegal block entry"))
    return "check the indentation here (spaces only, children indented more than their key) and "
           "quote values that contain ': '";
  if (message.starts_with("unknown escape character"))
    return "in double quotes write a backslash as \\\\, or use single quotes";
  if (message.find("tab") != std::string::npos) return "indent with spaces, not tabs";
  if (message.starts_with("illegal EOF in scalar") || message.starts_with("end of string"))
    return "close the quoted string";
  return "check the indentation, quoting and brackets at this point";
}

}  // namespace

json::value scalar_to_json(const YAML::Node& node) {
  if (node.IsNull()) return nullptr;
  if (!node.IsScalar()) return yaml_to_json(node);
  const std::string& text = node.Scalar();
  const std::string& tag = node.Tag();
  if (tag == "!" || tag == kStrTag) return json::value(text);
  if (tag == "?" || tag.starts_with("tag:yaml.org,2002:")) {
    if (auto typed = plain_scalar(text)) return *typed;
  }
  return json::value(text);
}

json::value yaml_to_json(const YAML::Node& node) {
  return Converter(nullptr, nullptr).convert(node, false);
}

std::optional<json::value> yaml_to_json_checked(const YAML::Node& node, const std::string& file,
                                                std::vector<Diagnostic>& diagnostics,
                                                KeyCase key_case) {
  Converter converter(&file, &diagnostics);
  json::value value = converter.convert(node, key_case == KeyCase::exact);
  if (!converter.exhausted()) return value;
  diagnostics.push_back({Severity::Error, location(node, file),
                         "the document expands to more than a million values",
                         "do not nest YAML aliases (*name) inside each other"});
  return std::nullopt;
}

std::string key_text(const YAML::Node& key) {
  if (key.IsScalar()) return key.Scalar();
  if (key.IsNull()) return {};
  YAML::Emitter out;
  out << YAML::Flow << key;
  return out.c_str();
}

SourceLocation location(const YAML::Node& node, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file,
                                    std::vector<Diagnostic>& diagnostics) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    SourceLocation at{file, 0, 0};
    if (e.mark.line >= 0 && e.mark.column >= 0) at = {file, e.mark.line + 1, e.mark.column + 1};
    diagnostics.push_back({Severity::Error, at, "YAML syntax error: " + e.msg, syntax_fix(e.msg)});
    return std::nullopt;
  }
}

}  // namespace secpilot::manifest::detail

#include "util/json_template.hpp"

#include <charconv>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace secpilot {

namespace json = boost::json;

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<json::value> json_at_path(const json::value& root, std::string_view path) {
  const json::value* at = &root;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (const auto* object = at->if_object()) {
      if (const json::value* next = object->if_contains(key)) {
        at = next;
        continue;
      }
      if (key == "length") return json::value(object->size());
      return std::nullopt;
    }
    if (const auto* array = at->if_array()) {
      if (key == "length") {
        if (!path.empty()) return std::nullopt;
        return json::value(array->size());
      }
      std::size_t index = 0;
      const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (error != std::errc() || end != key.data() + key.size() || index >= array->size())
        return std::nullopt;
      at = &(*array)[index];
      continue;
    }
    return std::nullopt;
  }
  return *at;
}

std::string render_json_template(std::string_view text,
                                 const std::function<std::string(std::string_view)>& lookup) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find("{{", at);
    const std::size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    out += lookup(trimmed(text.substr(open + 2, close - open - 2)));
    at = close + 2;
  }
  out.append(text.substr(at));
  return out;
}

std::vector<std::string> json_template_problems(std::string_view text) {
  std::vector<std::string> problems;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      problems.push_back("'{{' at character " + std::to_string(open + 1) + " is never closed");
      break;
    }
    if (trimmed(text.substr(open + 2, close - open - 2)).empty())
      problems.push_back("an empty placeholder '{{}}' at character " + std::to_string(open + 1));
    at = close + 2;
  }
  return problems;
}

}  // namespace secpilot

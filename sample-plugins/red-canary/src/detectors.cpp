#include "red_canary/detectors.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/value.hpp>

#include "json_access.hpp"

namespace red_canary {
namespace json = boost::json;
using detail::or_null;
using detail::string_at;

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

void add_once(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

}  // namespace

std::vector<std::string> technique_ids_in(std::string_view text) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
    if (text[i] != 'T' || (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) != 0)))
      continue;
    if (!std::all_of(text.begin() + static_cast<long>(i) + 1,
                     text.begin() + static_cast<long>(i) + 5, digit))
      continue;
    std::size_t end = i + 5;
    if (end + 4 <= text.size() && text[end] == '.' && digit(text[end + 1]) &&
        digit(text[end + 2]) && digit(text[end + 3]))
      end += 4;
    if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end])) != 0) continue;
    if (end + 1 < text.size() && text[end] == '.' && digit(text[end + 1])) continue;  // T1059.1
    add_once(ids, std::string(text.substr(i, end - i)));
    i = end - 1;
  }
  return ids;
}

json::array detector_list(const std::vector<json::object>& items) {
  json::array detectors;
  for (const auto& item : items) {
    std::vector<std::string> techniques;
    // The ids under relationships.attack_techniques, then any only named in the attributes.
    if (const auto* related = detail::find(item, {"relationships", "attack_techniques"}))
      if (const auto* list = related->if_array())
        for (const auto& technique : *list)
          if (auto id = string_at(technique, {"data", "id"}))
            for (auto& found : technique_ids_in(*id))
              add_once(techniques, std::move(found));
    if (const auto* names = detail::find(item, {"attributes", "attack_technique_identifiers"}))
      if (const auto* list = names->if_array())
        for (const auto& name : *list)
          if (const auto* text = name.if_string())
            for (auto& found : technique_ids_in(*text))
              add_once(techniques, std::move(found));
    json::array ids(techniques.begin(), techniques.end());
    detectors.push_back(json::object{
        {"id", or_null(detail::integer_at(item, {"id"}))},
        {"name", or_null(string_at(item, {"attributes", "name"}))},
        {"description", or_null(string_at(item, {"attributes", "description"}))},
        {"techniques", std::move(ids)},
    });
  }
  return detectors;
}

}  // namespace red_canary

// Red Canary signals more pages in more than one way across its published clients (links.next,
// meta.total_items against a running count); the client accepts any of them.
#include "red_canary/envelope.hpp"

#include <string>

#include "json_access.hpp"
#include "red_canary/errors.hpp"

namespace red_canary {
namespace json = boost::json;

std::vector<json::object> data_items(const json::object& body, std::string_view subject) {
  const auto* data = body.if_contains("data");
  if (!data)
    throw Error(ErrorKind::upstream, "Red Canary's answer for " + std::string(subject) +
                                         " has no 'data' member: it is not the API's envelope");
  std::vector<json::object> items;
  if (const auto* one = data->if_object()) {
    items.push_back(*one);
    return items;
  }
  const auto* array = data->if_array();
  if (!array)
    throw Error(ErrorKind::upstream, "Red Canary's answer for " + std::string(subject) +
                                         " has a 'data' member that is neither a list nor an "
                                         "object");
  for (const auto& item : *array) {
    const auto* object = item.if_object();
    if (!object)
      throw Error(ErrorKind::upstream, "Red Canary's answer for " + std::string(subject) +
                                           " lists an item under 'data' that is not an object");
    items.push_back(*object);
  }
  return items;
}

json::object single_item(const json::object& body, std::string_view subject) {
  auto items = data_items(body, subject);
  if (items.empty())
    throw Error(ErrorKind::not_found,
                std::string(subject) + " was not found in Red Canary (its answer lists nothing)");
  return std::move(items.front());
}

std::optional<long> total_items(const json::object& body) {
  return detail::integer_at(body, {"meta", "total_items"});
}

bool has_more_pages(const json::object& body, std::size_t received_so_far, std::size_t page_items,
                    std::size_t per_page) {
  if (page_items == 0) return false;
  if (const auto* next = detail::find(body, {"links", "next"})) {
    if (next->is_string()) return !next->get_string().empty();
    if (detail::string_at(*next, {"href"})) return true;
  }
  if (auto total = total_items(body))
    return received_so_far < static_cast<std::size_t>(std::max(*total, 0L));
  if (detail::find(body, {"links"})) return false;  // links without next: the last page
  return page_items >= per_page;
}

}  // namespace red_canary

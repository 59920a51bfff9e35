// Red Canary's JSON:API-flavoured envelope: {data: [...], meta: {api_version, total_items},
// links: {self, next, ...}}. `data` is an array even when one resource is asked for.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace red_canary {

// The resource objects under `data` (an array, or a lone object as some endpoints may send).
// Throws Error(upstream) naming `subject` when `data` is missing or holds something else.
std::vector<boost::json::object> data_items(const boost::json::object& body,
                                            std::string_view subject);

// The first resource under `data`; Error(not_found) naming `subject` when `data` is empty.
boost::json::object single_item(const boost::json::object& body, std::string_view subject);

// Whether the server says more pages follow: links.next when present, else meta.total_items
// against the items received so far, else whether the page came back full.
bool has_more_pages(const boost::json::object& body, std::size_t received_so_far,
                    std::size_t page_items, std::size_t per_page);

// meta.total_items, when the server sent it.
std::optional<long> total_items(const boost::json::object& body);

}  // namespace red_canary

// Follows Red Canary's page/per_page paging until enough items pass a filter, the server says
// there is no more, or a page budget runs out.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "red_canary/client.hpp"

namespace red_canary {

struct PageQuery {
  std::string path;  // "detections"
  Fields query;      // filters the server applies (since, filter_query, ...)
  Subject subject;   // for error messages
  std::size_t per_page = 100;
  int max_pages = 50;  // a bound on requests: Red Canary allows about 20 a minute per IP
};

struct Collected {
  std::vector<boost::json::object> items;  // those that passed `keep`, at most `limit`
  int pages = 0;                           // pages fetched
  std::size_t scanned = 0;                 // items received, kept or not
  bool more_available = false;             // the limit or page budget stopped us, not the end
};

using Keep = std::function<bool(const boost::json::object& item)>;

// Fetches pages 1, 2, ... of `query` and keeps the items `keep` accepts (all when empty).
Collected collect(ApiClient& client, const PageQuery& query, std::size_t limit,
                  const Keep& keep = {});

}  // namespace red_canary

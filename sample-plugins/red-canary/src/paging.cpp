#include "red_canary/paging.hpp"

#include <string>

#include "red_canary/envelope.hpp"

namespace red_canary {

Collected collect(ApiClient& client, const PageQuery& query, std::size_t limit, const Keep& keep) {
  Collected out;
  for (int page = 1;; ++page) {
    Fields fields = query.query;
    fields.emplace_back("page", std::to_string(page));
    fields.emplace_back("per_page", std::to_string(query.per_page));
    const auto body = client.get(query.path, fields, query.subject);
    auto items = data_items(body, query.subject.what);
    ++out.pages;
    out.scanned += items.size();

    std::size_t used = 0;
    for (auto& item : items) {
      if (out.items.size() >= limit) break;
      ++used;
      if (!keep || keep(item)) out.items.push_back(std::move(item));
    }
    const bool more_here = used < items.size();
    const bool more_pages = has_more_pages(body, out.scanned, items.size(), query.per_page);
    if (out.items.size() >= limit || page >= query.max_pages) {
      out.more_available = more_here || more_pages;
      return out;
    }
    if (!more_pages) return out;
  }
}

}  // namespace red_canary

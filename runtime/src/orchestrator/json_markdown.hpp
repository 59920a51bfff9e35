// A skill's JSON result as Markdown people can read: fields as bullets, lists of records as
// tables, KQL-style {columns, rows} results as tables; bounded in depth, rows, columns and
// length, and escaped so that nothing in a result becomes a link, a heading or HTML.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace secpilot::orchestrator {

struct MarkdownLimits {
  std::size_t max_rows = 20;        // of a table
  std::size_t max_columns = 6;      // of a table
  std::size_t max_list_items = 10;  // of a list of plain values
  std::size_t max_text = 200;       // characters of one value
  std::size_t max_depth = 3;        // of nested objects
  std::size_t max_total = 8000;     // characters of the whole rendering
};

// Text as inline Markdown: special characters escaped, line breaks as spaces, cut to `max`
// characters (with "…").
std::string markdown_inline(std::string_view text, std::size_t max = 200);

// A scalar as text: strings as they are, numbers and booleans as JSON, null as "—".
std::string scalar_text(const boost::json::value& value);

std::string json_to_markdown(const boost::json::value& value, const MarkdownLimits& limits = {});

}  // namespace secpilot::orchestrator

#include "orchestrator/json_markdown.hpp"

#include <algorithm>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace secpilot::orchestrator {

namespace json = boost::json;

namespace {

bool is_scalar(const json::value& value) {
  return !value.is_object() && !value.is_array();
}

// Cuts at a character boundary of UTF-8, never inside a sequence.
std::string cut(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  return std::string(text.substr(0, end)) + "…";
}

class Renderer {
 public:
  explicit Renderer(const MarkdownLimits& limits) : limits_(limits) {}

  std::string render(const json::value& value) {
    if (const auto* object = value.if_object()) {
      if (!table_of_rows(*object)) fields(*object, 0);
    } else if (const auto* array = value.if_array()) {
      list("result", *array, 0);
    } else {
      line(markdown_inline(scalar_text(value), limits_.max_text));
    }
    if (out_.size() > limits_.max_total) {
      out_ = cut(out_, limits_.max_total);
      out_ += "\n\n*(cut here; the whole result is in the step's output)*\n";
    }
    return out_;
  }

 private:
  void line(const std::string& text) { out_ += text + "\n"; }

  std::string indent(std::size_t depth) const { return std::string(depth * 2, ' '); }

  std::string value_text(const json::value& value) const {
    return markdown_inline(scalar_text(value), limits_.max_text);
  }

  void fields(const json::object& object, std::size_t depth) {
    for (const auto& [key, value] : object) {
      const std::string label = indent(depth) + "- **" + markdown_inline(key, 60) + ":**";
      if (is_scalar(value)) {
        line(label + " " + value_text(value));
      } else if (const auto* nested = value.if_object()) {
        if (nested->empty()) {
          line(label + " —");
        } else if (depth + 1 >= limits_.max_depth) {
          line(label + " `" + cut(json::serialize(*nested), limits_.max_text) + "`");
        } else {
          line(label);
          fields(*nested, depth + 1);
        }
      } else {
        const auto& array = value.get_array();
        if (array.empty()) {
          line(label + " none");
        } else if (std::all_of(array.begin(), array.end(), is_scalar)) {
          line(label + " " + joined(array));
        } else {
          line(label + " " + std::to_string(array.size()) +
               (array.size() == 1 ? " item" : " items"));
          if (depth == 0) {
            out_ += "\n";
            list(key, array, depth);
            out_ += "\n";
          }
        }
      }
      if (out_.size() > limits_.max_total) return;
    }
  }

  std::string joined(const json::array& array) const {
    std::string text;
    const std::size_t shown = std::min(array.size(), limits_.max_list_items);
    for (std::size_t i = 0; i < shown; ++i)
      text += (i ? ", " : "") + value_text(array[i]);
    if (array.size() > shown) text += " … (" + std::to_string(array.size() - shown) + " more)";
    return text;
  }

  // A list of records as a table of their plain fields; plain values as a list.
  void list(std::string_view name, const json::array& array, std::size_t depth) {
    if (std::all_of(array.begin(), array.end(), is_scalar)) {
      line(indent(depth) + "- " + joined(array));
      return;
    }
    std::vector<std::string> columns;
    const std::size_t sample = std::min(array.size(), limits_.max_rows);
    for (std::size_t i = 0; i < sample; ++i)
      if (const auto* row = array[i].if_object())
        for (const auto& [key, value] : *row)
          if (is_scalar(value) && columns.size() < limits_.max_columns &&
              std::find(columns.begin(), columns.end(), key) == columns.end())
            columns.emplace_back(key);
    if (columns.empty()) {
      line(indent(depth) + "- " + markdown_inline(name, 60) + ": " + std::to_string(array.size()) +
           " records");
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < sample; ++i) {
      std::vector<std::string> cells;
      const auto* row = array[i].if_object();
      for (const auto& column : columns) {
        const json::value* cell = row ? row->if_contains(column) : nullptr;
        cells.push_back(cell && is_scalar(*cell) ? value_text(*cell) : std::string());
      }
      rows.push_back(std::move(cells));
    }
    table(columns, rows, array.size());
  }

  // LogHunt-style results: {"columns": [{"name": ...}], "rows": [[...], ...]}.
  bool table_of_rows(const json::object& object) {
    const json::value* columns = object.if_contains("columns");
    const json::value* rows = object.if_contains("rows");
    if (!columns || !rows || !columns->is_array() || !rows->is_array()) return false;
    std::vector<std::string> names;
    for (const auto& column : columns->get_array()) {
      const auto* described = column.if_object();
      const json::value* name = described ? described->if_contains("name") : nullptr;
      if (!name || !name->is_string()) return false;
      names.emplace_back(name->get_string());
    }
    const std::size_t shown_columns = std::min(names.size(), limits_.max_columns);
    names.resize(shown_columns);
    std::vector<std::vector<std::string>> cells;
    const auto& all = rows->get_array();
    for (std::size_t i = 0; i < std::min(all.size(), limits_.max_rows); ++i) {
      std::vector<std::string> row;
      const auto* values = all[i].if_array();
      for (std::size_t c = 0; c < shown_columns; ++c)
        row.push_back(values && c < values->size() && is_scalar((*values)[c])
                          ? value_text((*values)[c])
                          : std::string());
      cells.push_back(std::move(row));
    }
    for (const auto& [key, value] : object)
      if (key != "columns" && key != "rows" && is_scalar(value))
        line("- **" + markdown_inline(key, 60) + ":** " + value_text(value));
    out_ += "\n";
    table(names, cells, all.size());
    return true;
  }

  void table(const std::vector<std::string>& columns,
             const std::vector<std::vector<std::string>>& rows, std::size_t total) {
    std::string head = "|";
    std::string rule = "|";
    for (const auto& column : columns) {
      head += " " + markdown_inline(column, 60) + " |";
      rule += " --- |";
    }
    line(head);
    line(rule);
    for (const auto& row : rows) {
      std::string text = "|";
      for (const auto& cell : row)
        text += " " + cell + " |";
      line(text);
    }
    if (total > rows.size()) line("\n*… and " + std::to_string(total - rows.size()) + " more*");
  }

  const MarkdownLimits& limits_;
  std::string out_;
};

}  // namespace

std::string markdown_inline(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '#':
      case '!':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return cut(out, max);
}

std::string scalar_text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return "—";
  return json::serialize(value);
}

std::string json_to_markdown(const json::value& value, const MarkdownLimits& limits) {
  return Renderer(limits).render(value);
}

}  // namespace secpilot::orchestrator

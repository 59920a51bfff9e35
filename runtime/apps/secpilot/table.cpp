#include "table.hpp"

#include <algorithm>
#include <ostream>

namespace secpilot::cli {
namespace {

// Display width of UTF-8 text: counts code points, not bytes.
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string cut(const std::string& text, std::size_t limit) {
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  if (width(flat) <= limit) return flat;
  std::size_t kept = 0, bytes = 0;
  while (bytes < flat.size() && kept < limit - 1) {
    ++bytes;
    while (bytes < flat.size() && (static_cast<unsigned char>(flat[bytes]) & 0xC0) == 0x80)
      ++bytes;
    ++kept;
  }
  return flat.substr(0, bytes) + "…";
}

}  // namespace

Table::Table(std::vector<std::string> headers, std::size_t max_cell)
    : headers_(std::move(headers)), max_cell_(max_cell) {}

void Table::add(std::vector<std::string> row) {
  for (auto& cell : row)
    cell = cut(cell, max_cell_);
  row.resize(headers_.size());
  rows_.push_back(std::move(row));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const auto& header : headers_)
    widths.push_back(width(header));
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], width(row[i]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      text += cells[i];
      if (i + 1 < cells.size()) text += std::string(widths[i] - width(cells[i]) + 2, ' ');
    }
    text.erase(text.find_last_not_of(' ') + 1);  // no padding after an empty last cell
    out << text << '\n';
  };
  line(headers_);
  for (const auto& row : rows_)
    line(row);
}

}  // namespace secpilot::cli

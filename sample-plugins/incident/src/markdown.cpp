#include "markdown.hpp"

#include <algorithm>
#include <cctype>

namespace incident::md {
namespace {

std::string one_line(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

std::size_t longest_run(std::string_view value, char c) {
  std::size_t longest = 0, run = 0;
  for (char x : value) {
    run = x == c ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

std::string escape_pipes(std::string_view cell) {
  std::string out;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    // A pipe already escaped by text() stays as it is.
    if (cell[i] == '|' && (i == 0 || cell[i - 1] != '\\')) out += '\\';
    out += cell[i];
  }
  return out;
}

}  // namespace

std::string text(std::string_view value) {
  std::string out;
  for (char c : one_line(value)) {
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string code(std::string_view value) {
  const std::string line = one_line(value);
  const std::string fence(longest_run(line, '`') + 1, '`');
  const bool pad = !line.empty() && (line.front() == '`' || line.back() == '`');
  return fence + (pad ? " " : "") + line + (pad ? " " : "") + fence;
}

std::string block(std::string_view value, std::string_view language) {
  const std::string fence(std::max<std::size_t>(3, longest_run(value, '`') + 1), '`');
  std::string out = fence + std::string(language) + "\n" + std::string(value);
  if (out.back() != '\n') out += '\n';
  return out + fence + "\n";
}

std::string table(const std::vector<std::string>& headers,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  for (const auto& header : headers)
    out += " " + header + " |";
  out += "\n|";
  for (std::size_t i = 0; i < headers.size(); ++i)
    out += " --- |";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (const auto& cell : row)
      out += " " + escape_pipes(cell) + " |";
    out += "\n";
  }
  return out;
}

std::string list(const std::vector<std::string>& items, bool numbered) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string marker = numbered ? std::to_string(i + 1) + ". " : std::string("- ");
    // Later lines of an item (a code block) are indented under its text, so that they stay in
    // the item and the numbering goes on.
    std::string_view item = items[i];
    while (!item.empty() && item.back() == '\n')
      item.remove_suffix(1);
    out += marker;
    for (char c : item) {
      out += c;
      if (c == '\n') out += std::string(marker.size(), ' ');
    }
    out += "\n";
  }
  return out;
}

std::size_t word_count(std::string_view markdown) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : markdown) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace incident::md

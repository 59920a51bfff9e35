// Aligned text tables for people; long cells are cut with an ellipsis.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace secpilot::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers, std::size_t max_cell = 60);
  void add(std::vector<std::string> row);
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::size_t max_cell_;
};

}  // namespace secpilot::cli

#include "scan_util.hpp"

namespace script_analysis {
namespace {

constexpr int64_t kMaxMagnitude = int64_t{1} << 31;

std::optional<IntegerParse> parse_number(std::string_view text, size_t pos) {
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    pos = skip_blanks(text, pos + 1);
  }
  int base = 10;
  if (pos + 1 < text.size() && text[pos] == '0' && (text[pos + 1] == 'x' || text[pos + 1] == 'X')) {
    base = 16;
    pos += 2;
  } else if (pos + 1 < text.size() && text[pos] == '&' &&
             (text[pos + 1] == 'h' || text[pos + 1] == 'H')) {
    base = 16;
    pos += 2;
  }
  size_t start = pos;
  int64_t value = 0;
  while (pos < text.size()) {
    int digit = base == 16 ? hex_value(text[pos]) : (is_digit(text[pos]) ? text[pos] - '0' : -1);
    if (digit < 0) break;
    value = value * base + digit;
    if (value > kMaxMagnitude) return std::nullopt;
    ++pos;
  }
  if (pos == start) return std::nullopt;
  if (pos < text.size() && (is_alpha(text[pos]) || text[pos] == '_' || text[pos] == '.'))
    return std::nullopt;  // 12abc, 1.5: not an integer
  return IntegerParse{negative ? -value : value, pos};
}

std::optional<IntegerParse> parse_product(std::string_view text, size_t pos) {
  auto left = parse_number(text, pos);
  if (!left) return std::nullopt;
  for (int steps = 0; steps < 64; ++steps) {
    size_t op = skip_blanks(text, left->end);
    if (op >= text.size() || text[op] != '*') break;
    auto right = parse_number(text, skip_blanks(text, op + 1));
    if (!right) break;
    int64_t product = left->value * right->value;
    if (product > kMaxMagnitude || product < -kMaxMagnitude) return std::nullopt;
    left = IntegerParse{product, right->end};
  }
  return left;
}

}  // namespace

std::optional<IntegerParse> parse_integer_expression(std::string_view text, size_t pos) {
  auto left = parse_product(text, pos);
  if (!left) return std::nullopt;
  for (int steps = 0; steps < 64; ++steps) {
    size_t op = skip_blanks(text, left->end);
    if (op >= text.size() || (text[op] != '+' && text[op] != '-')) break;
    if (op + 1 < text.size() &&
        (text[op + 1] == '+' || text[op + 1] == '=' || is_alpha(text[op + 1])))
      break;  // ++, +=, -join: not arithmetic
    auto right = parse_product(text, skip_blanks(text, op + 1));
    if (!right) break;
    int64_t sum = text[op] == '+' ? left->value + right->value : left->value - right->value;
    if (sum > kMaxMagnitude || sum < -kMaxMagnitude) return std::nullopt;
    left = IntegerParse{sum, right->end};
  }
  return left;
}

std::optional<IntegerList> parse_integer_list(std::string_view text, size_t pos, size_t max_items) {
  IntegerList list;
  auto first = parse_integer_expression(text, skip_spaces(text, pos));
  if (!first) return std::nullopt;
  list.values.push_back(first->value);
  list.end = first->end;
  while (list.values.size() < max_items) {
    size_t comma = skip_spaces(text, list.end);
    if (comma >= text.size() || text[comma] != ',') break;
    auto next = parse_integer_expression(text, skip_spaces(text, comma + 1));
    if (!next) break;
    list.values.push_back(next->value);
    list.end = next->end;
  }
  return list;
}

}  // namespace script_analysis

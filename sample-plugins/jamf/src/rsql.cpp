#include "jamf/rsql.hpp"

#include <stdexcept>

namespace jamf::rsql {
namespace {

std::string join(const std::vector<std::string>& terms, char separator) {
  std::string out;
  for (const auto& term : terms) {
    if (term.empty()) continue;
    if (!out.empty()) out += separator;
    out += term;
  }
  return out;
}

}  // namespace

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string compare(std::string_view field, std::string_view op, std::string_view value) {
  if (op != "==" && op != "!=" && op != "<" && op != "<=" && op != ">" && op != ">=")
    throw std::invalid_argument("unsupported RSQL operator " + std::string(op));
  return std::string(field) + std::string(op) + quote(value);
}

std::string all_of(const std::vector<std::string>& terms) {
  return join(terms, ';');
}

std::string any_of(const std::vector<std::string>& terms) {
  std::string inner = join(terms, ',');
  return inner.empty() ? inner : "(" + inner + ")";
}

}  // namespace jamf::rsql

// Shared helpers for kql_core's tests: the shipped catalogue, and parse-then-check shortcuts.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "kql/catalogue.hpp"
#include "kql/check.hpp"
#include "kql/parse.hpp"

namespace kql::testing {

// The catalogue from kql-core/schema, loaded once.
inline const Catalogue& shipped_catalogue() {
  static const CatalogueLoad load = load_catalogue(std::string(KQL_CORE_SOURCE_DIR) + "/schema");
  return load.catalogue;
}

inline std::string describe(const Diagnostics& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics)
    text += std::to_string(d.range.line) + ":" + std::to_string(d.range.column) + " " +
            std::string(severity_name(d.severity)) + " [" + d.code + "] " + d.message + " (" +
            d.hint + ")\n";
  return text;
}

// Parses (asserting no syntax error) and checks against the shipped catalogue.
inline CheckResult check_text(std::string_view text, const CheckOptions& options = {}) {
  ParseResult parsed = parse(text);
  EXPECT_TRUE(parsed.ok()) << text << "\n" << describe(parsed.diagnostics);
  return check(parsed.ast, shipped_catalogue(), options);
}

inline const Diagnostic* find_code(const Diagnostics& diagnostics, std::string_view code) {
  for (const auto& d : diagnostics)
    if (d.code == code) return &d;
  return nullptr;
}

inline size_t count_code(const Diagnostics& diagnostics, std::string_view code) {
  size_t count = 0;
  for (const auto& d : diagnostics)
    count += d.code == code ? 1 : 0;
  return count;
}

// The first query statement's query.
inline const Query& first_query(const ParseResult& parsed) {
  for (const auto& statement : parsed.ast.statements)
    if (const auto* query = std::get_if<QueryStatement>(&statement.node)) return *query->query;
  throw std::runtime_error("no query statement");
}

}  // namespace kql::testing

// Runs one KQL query over a LogStore: parse (kql_core), compile, pull rows until the row limit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "log_hunt/execution_context.hpp"
#include "log_hunt/log_store.hpp"
#include "log_hunt/value.hpp"

namespace log_hunt {

struct QueryOptions {
  Limits limits;
  int64_t now_ticks = 0;  // now() and ago() for this query (ticks since 1970)
};

struct QueryResult {
  Schema columns;
  std::vector<Row> rows;
  bool truncated = false;
  std::string truncation_reason;  // "max_rows" or "max_result_bytes" when truncated
  ScanStats stats;
  double elapsed_ms = 0;
  std::vector<std::string> tables;
  std::vector<std::string> warnings;
};

// Throws QueryError: InvalidQuery (syntax errors carry kql_core's first diagnostic, position
// included), NotFound, Unsupported, TooLarge, Cancelled, Timeout, Storage. Runs the query on a
// thread of its own with a deep stack (see src/deep_stack.hpp) and waits for it.
QueryResult run_query(std::string_view text, const LogStore& store, const QueryOptions& options);

// The same on the calling thread, for callers that manage their own stack.
QueryResult run_query_here(std::string_view text, const LogStore& store,
                           const QueryOptions& options);

}  // namespace log_hunt

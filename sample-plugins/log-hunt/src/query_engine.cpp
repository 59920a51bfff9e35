#include "log_hunt/query_engine.hpp"

#include <chrono>

#include "compiler.hpp"
#include "deep_stack.hpp"
#include "kql/parse.hpp"
#include "log_hunt/query_error.hpp"

namespace log_hunt {
namespace {

// The first syntax error, as kql_core reports it, with its hint.
[[noreturn]] void throw_syntax_error(const kql::Diagnostics& diagnostics) {
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.severity != kql::Severity::Error) continue;
    std::string message = diagnostic.message;
    if (!diagnostic.hint.empty()) message += " (" + diagnostic.hint + ")";
    throw QueryError(ErrorKind::InvalidQuery, message, diagnostic.range);
  }
  throw QueryError(ErrorKind::InvalidQuery, "the query does not parse");
}

// Rough size of a row as JSON, for the result's byte bound.
size_t json_size(const Row& row) {
  size_t bytes = 2;
  for (const auto& value : row) {
    bytes += 8;
    if (value.is_string_like()) bytes += value.text.size() + 2;
    if (value.type == Type::Dynamic && value.json) bytes += approximate_bytes(value);
    if (value.type == Type::DateTime) bytes += 28;
  }
  return bytes;
}

}  // namespace

QueryResult run_query(std::string_view text, const LogStore& store, const QueryOptions& options) {
  QueryResult result;
  run_on_deep_stack([&] { result = run_query_here(text, store, options); });
  return result;
}

QueryResult run_query_here(std::string_view text, const LogStore& store,
                           const QueryOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  kql::ParseResult parsed = kql::parse(text);
  if (!parsed.ok()) throw_syntax_error(parsed.diagnostics);

  ExecutionContext context(options.limits, options.now_ticks);
  Compiler compiler(store, context);
  const kql::Query* query = nullptr;
  size_t queries = 0;
  for (const auto& statement : parsed.ast.statements) {
    if (const auto* let = std::get_if<kql::LetStatement>(&statement.node)) {
      compiler.add_let(*let);
    } else if (const auto* body = std::get_if<kql::QueryStatement>(&statement.node)) {
      if (body->query) {
        query = body->query.get();
        ++queries;
      }
    }
  }
  if (!query)
    throw QueryError(
        ErrorKind::InvalidQuery,
        "the text has no query to run, only let statements: end it with a query such as "
        "`DeviceProcessEvents | take 10`");
  if (queries > 1) context.warn("only the last query statement's result is returned");

  OperatorPtr plan = compiler.compile_query(*query, ColumnNeeds::everything());
  QueryResult result;
  result.columns = plan->schema();
  size_t bytes = 0;
  const size_t max_rows = options.limits.max_rows;
  while (const Row* row = plan->next()) {
    if (result.rows.size() >= max_rows) {
      result.truncated = true;
      result.truncation_reason = "max_rows";
      break;
    }
    bytes += json_size(*row);
    if (bytes > options.limits.max_result_bytes) {
      result.truncated = true;
      result.truncation_reason = "max_result_bytes";
      break;
    }
    result.rows.push_back(*row);
  }
  // A column typed only by the data (iff over mixed types, a union of disagreeing legs) is
  // reported with the type of its first value.
  for (size_t c = 0; c < result.columns.size(); ++c) {
    if (result.columns[c].type != Type::Unknown) continue;
    for (const auto& row : result.rows)
      if (!row[c].is_null || row[c].is_string_like()) {
        result.columns[c].type = row[c].type;
        break;
      }
    if (result.columns[c].type == Type::Unknown) result.columns[c].type = Type::Dynamic;
  }
  result.stats = context.stats();
  result.tables = compiler.tables_used();
  result.warnings = context.warnings();
  result.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace log_hunt

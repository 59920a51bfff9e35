// Compiler: sources, the pipeline and lets.
#include <algorithm>

#include "compiler.hpp"
#include "kql/naming.hpp"
#include "log_hunt/query_error.hpp"
#include "log_hunt/table_scan.hpp"
#include "scalar_nodes.hpp"
#include "suggest.hpp"

namespace log_hunt {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

constexpr int kMaxNesting = 32;
constexpr size_t kMaxSubqueryRows = 1'000'000;

std::string unique_name(const Schema& schema, std::string name) {
  if (find_column(schema, name) < 0) return name;
  for (int suffix = 1;; ++suffix) {
    std::string candidate = name + std::to_string(suffix);
    if (find_column(schema, candidate) < 0) return candidate;
  }
}

std::string table_list(const std::map<std::string, StoredTable>& tables) {
  std::string list;
  for (const auto& [name, table] : tables)
    list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? "(none)" : list;
}

}  // namespace

Compiler::Compiler(const LogStore& store, ExecutionContext& context)
    : store_(store), context_(context) {}

void Compiler::add_let(const kql::LetStatement& let) {
  if (let.tabular) {
    tabular_lets_[let.name] = let.tabular.get();
    scalar_lets_.erase(let.name);
    return;
  }
  if (!let.scalar)
    throw QueryError(ErrorKind::InvalidQuery, "let " + let.name + " has no value", let.name_range);
  ExpressionPtr value = compile_expression(*let.scalar, Schema{});
  if (!value->is_constant())
    throw QueryError(ErrorKind::Unsupported, "let " + let.name + " must be a constant value",
                     let.scalar->range);
  scalar_lets_[let.name] = constant_value(*value);
  tabular_lets_.erase(let.name);
}

std::vector<std::string> Compiler::expand_wildcard(const std::string& pattern) const {
  std::vector<std::string> names;
  for (const auto& [name, table] : store_.tables())
    if (glob_match(pattern, name)) names.push_back(name);
  for (const auto& [name, query] : tabular_lets_)
    if (glob_match(pattern, name) && std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  return names;
}

OperatorPtr Compiler::compile_query(const kql::Query& query, const ColumnNeeds& at_end) {
  if (++depth_ > kMaxNesting)
    throw QueryError(ErrorKind::InvalidQuery,
                     "sub-queries and lets nest too deeply (a let that refers to itself?)",
                     query.range);
  const auto needs = needs_before_each(query.pipeline, at_end);
  size_t first = 0;
  std::vector<const kql::Expr*> pushed;
  if (std::holds_alternative<kql::TableSource>(query.source)) {
    while (first < query.pipeline.size()) {
      const auto* where = std::get_if<kql::WhereOperator>(&query.pipeline[first].node);
      if (!where || !where->predicate) break;
      pushed.push_back(where->predicate.get());
      ++first;
    }
  }
  OperatorPtr op = compile_source(query, needs[0], pushed);
  for (size_t i = first; i < query.pipeline.size(); ++i) {
    try {
      op = compile_operator(std::move(op), query.pipeline[i], needs[i + 1]);
    } catch (const QueryError& error) {
      if (error.range().known()) throw;
      throw QueryError(error.kind(), error.what(), query.pipeline[i].range);
    }
  }
  --depth_;
  return op;
}

OperatorPtr Compiler::compile_source(const kql::Query& query, const ColumnNeeds& needs,
                                     std::vector<const kql::Expr*> pushed) {
  return std::visit(
      Overloaded{
          [&](const kql::TableSource& table) {
            return compile_table(table.name, query.source_range, needs, pushed);
          },
          [&](const kql::UnionSource& source) {
            return compile_union({}, {}, source.union_op, needs);
          },
          [&](const kql::DatatableSource& source) { return compile_datatable(source); },
          [&](const kql::PrintSource& source) { return compile_print(source); },
          [&](const kql::RangeSource& source) { return compile_range(source); },
          [&](const kql::SubquerySource& source) -> OperatorPtr {
            if (!source.query)
              throw QueryError(ErrorKind::InvalidQuery, "empty sub-query", query.source_range);
            return compile_query(*source.query, needs);
          },
          [&](const auto&) -> OperatorPtr {
            throw QueryError(ErrorKind::Unsupported,
                             "`search` is not supported: query a table and filter with where, e.g. "
                             "`DeviceProcessEvents | where ProcessCommandLine has \"x\"`",
                             query.source_range);
          },
      },
      query.source);
}

OperatorPtr Compiler::compile_table(const std::string& name, const kql::SourceRange& range,
                                    const ColumnNeeds& needs,
                                    const std::vector<const kql::Expr*>& pushed) {
  auto filtered = [&](OperatorPtr op) {
    for (const auto* predicate : pushed)
      op = make_filter(std::move(op), compile_expression(*predicate, op->schema()));
    return op;
  };
  if (auto let = tabular_lets_.find(name); let != tabular_lets_.end()) {
    ColumnNeeds let_needs = needs;
    return filtered(compile_query(*let->second, let_needs));
  }
  const auto tables = store_.tables();
  auto found = tables.find(name);
  if (found == tables.end()) {
    if (name.find('*') != std::string::npos) {
      kql::UnionOperator wildcard;
      auto source = std::make_unique<kql::Query>();
      source->source = kql::TableSource{name};
      wildcard.legs.push_back(std::move(source));
      return filtered(compile_union({}, {}, wildcard, needs));
    }
    std::vector<std::string> names;
    for (const auto& [table_name, table] : tables)
      names.push_back(table_name);
    const bool known = store_.in_catalogue(name);
    throw QueryError(
        ErrorKind::NotFound,
        (known ? "table '" + name + "' has no data in " : "no table '" + name + "' in ") +
            store_.directory().string() + did_you_mean(name, names) +
            " (tables with data: " + table_list(tables) + ")",
        range);
  }
  ScanSpec spec;
  spec.table = found->second;
  spec.schema = store_.schema_of(found->second);
  for (size_t i = 0; i < spec.schema.size(); ++i)
    if (needs.contains(spec.schema[i].name)) spec.needed.push_back(static_cast<int>(i));
  if (!pushed.empty()) {
    ColumnNeeds predicate_needs;
    for (const auto* predicate : pushed) {
      ExpressionPtr compiled = compile_expression(*predicate, spec.schema);
      spec.predicate = spec.predicate ? make_and(std::move(spec.predicate), std::move(compiled))
                                      : std::move(compiled);
      add_references(*predicate, predicate_needs);
    }
    for (int index : spec.needed)
      if (predicate_needs.contains(spec.schema[static_cast<size_t>(index)].name))
        spec.predicate_columns.push_back(index);
  }
  if (std::find(tables_used_.begin(), tables_used_.end(), name) == tables_used_.end())
    tables_used_.push_back(name);
  return std::make_unique<TableScan>(std::move(spec), context_);
}

std::vector<Row> Compiler::run_subquery(const kql::Query& query, Schema* schema) {
  OperatorPtr op = compile_query(query, ColumnNeeds::everything());
  if (schema) *schema = op->schema();
  std::vector<Row> rows;
  while (const Row* row = op->next()) {
    if (rows.size() >= kMaxSubqueryRows)
      throw QueryError(ErrorKind::TooLarge,
                       "a sub-query used as a value returned more than " +
                           std::to_string(kMaxSubqueryRows) + " rows: filter it further",
                       query.range);
    size_t bytes = 32;
    for (const auto& value : *row)
      bytes += approximate_bytes(value);
    context_.charge(bytes, "a sub-query's values");
    rows.push_back(*row);
  }
  return rows;
}

OperatorPtr Compiler::compile_datatable(const kql::DatatableSource& source) {
  Schema schema;
  for (const auto& column : source.columns)
    schema.push_back({column.name, column.type});
  if (schema.empty())
    throw QueryError(ErrorKind::InvalidQuery, "datatable needs at least one column");
  std::vector<Row> rows;
  Row row;
  for (const auto& value : source.values) {
    Value cell = constant(*value, "a datatable value");
    const Column& column = schema[row.size()];
    if (cell.is_null || cell.type == column.type || column.type == Type::Dynamic) {
      if (column.type == Type::Dynamic && cell.type != Type::Dynamic)
        cell = Value::of_json(to_json(cell));
      if (cell.is_null) cell = Value::null_of(column.type);
    } else if (!(cell.is_number() && (column.type == Type::Real || column.type == Type::Long ||
                                      column.type == Type::Int || column.type == Type::Decimal))) {
      throw QueryError(ErrorKind::InvalidQuery,
                       "datatable value for column " + column.name + " is not a " +
                           std::string(kql::type_name(column.type)),
                       value->range);
    } else if (column.type == Type::Real || column.type == Type::Decimal) {
      cell = Value::of_real(cell.as_double());
    } else {
      cell = Value::of_long(static_cast<int64_t>(cell.as_double()), column.type);
    }
    row.push_back(std::move(cell));
    if (row.size() == schema.size()) rows.push_back(std::move(row)), row.clear();
  }
  return make_rows_source(std::move(schema), std::move(rows));
}

OperatorPtr Compiler::compile_print(const kql::PrintSource& source) {
  Schema schema;
  Row row;
  const auto names = kql::output_names(source.columns, kql::NamingContext::Print);
  for (size_t i = 0; i < source.columns.size(); ++i) {
    ExpressionPtr expression = compile_expression(*source.columns[i].expr, Schema{});
    schema.push_back({unique_name(schema, names[i]), expression->type()});
    row.push_back(constant_value(*expression));
    if (schema.back().type == Type::Unknown) schema.back().type = row.back().type;
  }
  return make_rows_source(std::move(schema), {std::move(row)});
}

OperatorPtr Compiler::compile_range(const kql::RangeSource& source) {
  Value from = constant(*source.from, "range's start");
  Value to = constant(*source.to, "range's end");
  Value step = constant(*source.step, "range's step");
  std::vector<Row> rows;
  Schema schema{{source.column, from.type}};
  const bool integral =
      from.is_integral() || from.type == Type::DateTime || from.type == Type::TimeSpan;
  if (integral && (step.is_integral() || step.type == Type::TimeSpan) && step.integer > 0) {
    for (int64_t x = from.integer; x <= to.integer; x += step.integer) {
      if (rows.size() >= kMaxSubqueryRows)
        throw QueryError(ErrorKind::TooLarge, "range makes more than 1,000,000 rows");
      rows.push_back({Value::of_long(x, from.type)});
    }
  } else if (from.is_number() && step.is_number() && step.as_double() > 0) {
    for (double x = from.as_double(); x <= to.as_double(); x += step.as_double()) {
      if (rows.size() >= kMaxSubqueryRows)
        throw QueryError(ErrorKind::TooLarge, "range makes more than 1,000,000 rows");
      rows.push_back({Value::of_real(x)});
    }
  } else {
    throw QueryError(ErrorKind::InvalidQuery,
                     "range needs numbers, datetimes or timespans and a positive step");
  }
  return make_rows_source(std::move(schema), std::move(rows));
}

}  // namespace log_hunt

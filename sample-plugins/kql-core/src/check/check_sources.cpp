// Where rows come from: tables, tabular lets, union, search, datatable, print, range and
// sub-queries.
#include "check/checker.hpp"
#include "kql/suggest.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

// Adds `column` to `schema`; a column of the same name and another type becomes Unknown, as
// KQL's outer union keeps both under suffixed names that a checker need not track.
void merge_column(TableSchema& schema, const Column& column) {
  for (auto& existing : schema.columns) {
    if (existing.name == column.name) {
      if (existing.type != column.type) existing.type = ScalarType::Unknown;
      return;
    }
  }
  schema.columns.push_back(column);
}

}  // namespace

Relation Checker::check_query(const Query& query) {
  DepthGuard guard(*this);
  if (guard.too_deep()) {
    error(query.range, "too-deep", "the query is nested too deeply to check", "simplify it");
    Relation open;
    open.schema.open = true;
    return open;
  }
  Relation relation = check_source(query);
  for (const auto& op : query.pipeline)
    apply(op, relation);
  return relation;
}

Relation Checker::table_relation(const std::string& name, const SourceRange& range,
                                 bool allow_wildcard) {
  Relation relation;
  if (name.empty()) {  // a source the parser could not read
    relation.schema.open = true;
    return relation;
  }
  if (allow_wildcard && name.find('*') != std::string::npos) {
    bool any = false;
    for (const auto& table : catalogue_.tables()) {
      if (!wildcard_match(name, table.name)) continue;
      any = true;
      note_table(table.name);
      for (const auto& column : table.columns)
        merge_column(relation.schema, column);
      if (!table.time_column.empty())
        relation.unfiltered.push_back({table.name, table.time_column, range});
    }
    if (!any) {
      error(range, "unknown-table", "no known table matches '" + name + "'",
            "check the pattern; the catalogue lists the tables this checker knows");
      relation.schema.open = true;
    }
    return relation;
  }
  if (auto let = tabular_lets_.find(name); let != tabular_lets_.end()) {
    relation = let->second;
    relation.schema.name = name;
    return relation;
  }
  if (const TableSchema* table = catalogue_.find(name)) {
    note_table(table->name);
    relation.schema = *table;
    if (!table->time_column.empty())
      relation.unfiltered.push_back({table->name, table->time_column, range});
    return relation;
  }
  if (scalar_lets_.contains(name)) {
    error(range, "not-a-table", "'" + name + "' is a scalar value (a let), not a table",
          "start the query with a table or a tabular let");
  } else {
    std::vector<std::string> candidates = catalogue_.table_names();
    for (const auto& [let_name, unused] : tabular_lets_)
      candidates.push_back(let_name);
    auto match = closest_match(name, candidates);
    error(range, "unknown-table",
          "unknown table '" + name + "'" + (match ? ". Did you mean '" + *match + "'?" : ""),
          match ? "write '" + *match + "' (table names are case-sensitive)"
                : "the catalogue has " + std::to_string(catalogue_.tables().size()) +
                      " Defender XDR and Sentinel tables, e.g. DeviceProcessEvents, SigninLogs");
  }
  relation.schema.open = true;  // no cascade of unknown-column errors
  return relation;
}

Relation Checker::union_relation(const UnionOperator& union_op, const Relation* input) {
  std::vector<Relation> legs;
  if (input) legs.push_back(*input);
  for (const auto& leg : union_op.legs) {
    if (!leg) continue;
    const auto* table = std::get_if<TableSource>(&leg->source);
    if (table && leg->pipeline.empty()) {
      legs.push_back(table_relation(table->name, leg->source_range, true));
    } else {
      legs.push_back(check_query(*leg));
    }
  }
  Relation out;
  bool first = true;
  for (const auto& leg : legs) {
    out.schema.open = out.schema.open || leg.schema.open;
    out.unfiltered.insert(out.unfiltered.end(), leg.unfiltered.begin(), leg.unfiltered.end());
    if (union_op.outer || first) {
      for (const auto& column : leg.schema.columns)
        merge_column(out.schema, column);
    } else {  // kind=inner keeps the columns every leg has
      std::erase_if(out.schema.columns,
                    [&](const Column& column) { return !leg.schema.find(column.name); });
    }
    first = false;
  }
  if (!union_op.with_source.empty())
    out.schema.columns.insert(out.schema.columns.begin(),
                              Column{union_op.with_source, ScalarType::String, "source table"});
  return out;
}

// A bare string is a term searched in every column; `and`/`or` combine terms and conditions.
void Checker::check_search_predicate(const Expr& predicate, const Scope& scope) {
  DepthGuard guard(*this);
  if (guard.too_deep()) return;
  if (const auto* literal = std::get_if<Literal>(&predicate.node);
      literal && literal->type == ScalarType::String)
    return;
  if (const auto* binary = std::get_if<BinaryExpr>(&predicate.node);
      binary && (binary->op == BinaryOp::And || binary->op == BinaryOp::Or)) {
    check_search_predicate(*binary->left, scope);
    check_search_predicate(*binary->right, scope);
    return;
  }
  expect_bool(predicate, type_of(predicate, scope), "search");
}

Relation Checker::check_source(const Query& query) {
  return std::visit(
      [&](const auto& source) -> Relation {
        using Source = std::decay_t<decltype(source)>;
        Relation relation;
        if constexpr (std::is_same_v<Source, TableSource>) {
          relation = table_relation(source.name, query.source_range, false);
        } else if constexpr (std::is_same_v<Source, UnionSource>) {
          relation = union_relation(source.union_op, nullptr);
        } else if constexpr (std::is_same_v<Source, SearchSource>) {
          const auto& search = source.search;
          if (search.tables.empty()) {
            warning(query.source_range, "search-star",
                    "search without 'in (...)' scans every table in the workspace",
                    "name the tables: search in (DeviceProcessEvents, DeviceFileEvents) "
                    "\"term\", or query one table with where ... has \"term\"");
            for (const auto& table : catalogue_.tables())
              if (!table.time_column.empty())
                relation.unfiltered.push_back(
                    {"every table", table.time_column, query.source_range});
            if (relation.unfiltered.size() > 1) relation.unfiltered.resize(1);
          } else {
            for (size_t i = 0; i < search.tables.size(); ++i) {
              Relation table = table_relation(search.tables[i], search.table_ranges[i], true);
              relation.unfiltered.insert(relation.unfiltered.end(), table.unfiltered.begin(),
                                         table.unfiltered.end());
              for (const auto& column : table.schema.columns)
                merge_column(relation.schema, column);
            }
          }
          relation.schema.open = search.tables.empty() || relation.schema.open;
          relation.schema.columns.insert(relation.schema.columns.begin(),
                                         Column{"$table", ScalarType::String, "source table"});
          if (search.predicate) {
            if (std::holds_alternative<StarExpr>(search.predicate->node)) {
              warning(search.predicate->range, "search-star",
                      "'search *' returns every row of every table it reads",
                      "search for a term, or filter one table with where");
            } else {
              const Scope scope{&relation.schema, false, "search"};
              check_search_predicate(*search.predicate, scope);
              apply_time_filter(*search.predicate, relation);
            }
          }
        } else if constexpr (std::is_same_v<Source, DatatableSource>) {
          for (const auto& column : source.columns)
            relation.schema.set({column.name, column.type, ""});
          const Scope scope{nullptr, false, "datatable"};
          for (size_t i = 0; i < source.values.size(); ++i) {
            if (!source.values[i]) continue;
            const ScalarType type = type_of(*source.values[i], scope);
            if (source.columns.empty()) continue;
            const auto& column = source.columns[i % source.columns.size()];
            if (!comparable(type, column.type) && type != ScalarType::Unknown)
              error(source.values[i]->range, "type-mismatch",
                    "the value " + expression_text(*source.values[i]) + " is a " +
                        std::string(type_name(type)) + " but the column '" + column.name + "' is " +
                        std::string(type_name(column.type)),
                    "give a " + std::string(type_name(column.type)) + " value");
          }
        } else if constexpr (std::is_same_v<Source, PrintSource>) {
          const Scope scope{nullptr, false, "print"};
          for (auto& column : project_columns(source.columns, scope, NamingContext::Print))
            relation.schema.set(std::move(column));
        } else if constexpr (std::is_same_v<Source, RangeSource>) {
          const Scope scope{nullptr, false, "range"};
          ScalarType type = source.from ? type_of(*source.from, scope) : ScalarType::Long;
          if (source.to) type_of(*source.to, scope);
          if (source.step) type_of(*source.step, scope);
          relation.schema.set({source.column, type, ""});
        } else if constexpr (std::is_same_v<Source, SubquerySource>) {
          if (source.query) relation = check_query(*source.query);
        }
        return relation;
      },
      query.source);
}

}  // namespace kql::detail

// Compiler: the tabular operators of a pipeline.
#include <algorithm>

#include "compiler.hpp"
#include "kql/naming.hpp"
#include "log_hunt/query_error.hpp"
#include "suggest.hpp"

namespace log_hunt {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string unique_name(const Schema& schema, std::string name) {
  if (find_column(schema, name) < 0) return name;
  for (int suffix = 1;; ++suffix) {
    std::string candidate = name + std::to_string(suffix);
    if (find_column(schema, candidate) < 0) return candidate;
  }
}

// Whether KQL numbers this column (Column1, Column2, ...) for want of a name.
bool numbered(const kql::NamedExpr& item) {
  return item.name.empty() && kql::natural_name(*item.expr, kql::NamingContext::Column).empty();
}

std::vector<std::string> names_of(const Schema& schema) {
  std::vector<std::string> names;
  for (const auto& column : schema)
    names.push_back(column.name);
  return names;
}

int require_column(const Schema& schema, const std::string& name, const kql::SourceRange& range) {
  int index = find_column(schema, name);
  if (index < 0)
    throw QueryError(ErrorKind::InvalidQuery,
                     "unknown column '" + name + "'" + did_you_mean(name, names_of(schema)), range);
  return index;
}

std::vector<OutputColumn> keep_columns(const Schema& schema, const std::vector<size_t>& indices) {
  std::vector<OutputColumn> columns;
  for (size_t index : indices)
    columns.push_back({schema[index], std::make_unique<ColumnExpression>(static_cast<int>(index),
                                                                         schema[index].type)});
  return columns;
}

// The indices of the columns a project-away/keep/reorder pattern list names. A pattern without
// `*` must name a column.
std::vector<bool> matched_columns(const Schema& schema,
                                  const std::vector<kql::ColumnPattern>& patterns) {
  std::vector<bool> matched(schema.size(), false);
  for (const auto& pattern : patterns) {
    bool any = false;
    for (size_t i = 0; i < schema.size(); ++i)
      if (glob_match(pattern.pattern, schema[i].name)) matched[i] = any = true;
    if (!any && !pattern.has_wildcard()) require_column(schema, pattern.pattern, pattern.range);
  }
  return matched;
}

SortKey sort_key(ExpressionPtr expression, const kql::SortKey& key) {
  return SortKey{std::move(expression), key.order == kql::SortOrder::Descending,
                 key.nulls == kql::NullsOrder::First};
}

}  // namespace

OperatorPtr Compiler::compile_operator(OperatorPtr input, const kql::Operator& op,
                                       const ColumnNeeds& needs_after) {
  const Schema in = input->schema();
  auto unsupported = [&](const char* what) -> OperatorPtr {
    throw QueryError(
        ErrorKind::Unsupported,
        std::string(what) +
            " is not supported by LogHunt; see docs/plugins/log-hunt.md for the operators it runs",
        op.name_range.known() ? op.name_range : op.range);
  };
  return std::visit(
      Overloaded{
          [&](const kql::WhereOperator& where) {
            return make_filter(std::move(input), compile_expression(*where.predicate, in));
          },
          [&](const kql::ProjectOperator& project) {
            std::vector<OutputColumn> columns;
            Schema out;
            const auto names = kql::output_names(project.columns, kql::NamingContext::Column);
            for (size_t i = 0; i < project.columns.size(); ++i) {
              ExpressionPtr expression = compile_expression(*project.columns[i].expr, in);
              const std::string name = unique_name(out, names[i]);
              out.push_back({name, expression->type()});
              columns.push_back({out.back(), std::move(expression)});
            }
            return make_projection(std::move(input), std::move(columns));
          },
          [&](const kql::ProjectAwayOperator& away) {
            auto matched = matched_columns(in, away.columns);
            std::vector<size_t> keep;
            for (size_t i = 0; i < in.size(); ++i)
              if (!matched[i]) keep.push_back(i);
            return make_projection(std::move(input), keep_columns(in, keep));
          },
          [&](const kql::ProjectKeepOperator& keep_op) {
            auto matched = matched_columns(in, keep_op.columns);
            std::vector<size_t> keep;
            for (size_t i = 0; i < in.size(); ++i)
              if (matched[i]) keep.push_back(i);
            return make_projection(std::move(input), keep_columns(in, keep));
          },
          [&](const kql::ProjectRenameOperator& rename) {
            std::vector<size_t> all(in.size());
            for (size_t i = 0; i < in.size(); ++i)
              all[i] = i;
            auto columns = keep_columns(in, all);
            for (const auto& item : rename.renames) {
              int index = require_column(in, item.old_name, item.old_name_range);
              columns[static_cast<size_t>(index)].column.name = item.new_name;
            }
            return make_projection(std::move(input), std::move(columns));
          },
          [&](const kql::ProjectReorderOperator& reorder) {
            std::vector<size_t> order;
            std::vector<bool> placed(in.size(), false);
            for (const auto& pattern : reorder.columns) {
              bool any = false;
              for (size_t i = 0; i < in.size(); ++i)
                if (!placed[i] && glob_match(pattern.pattern, in[i].name)) {
                  order.push_back(i);
                  placed[i] = any = true;
                }
              if (!any && !pattern.has_wildcard())
                require_column(in, pattern.pattern, pattern.range);
            }
            for (size_t i = 0; i < in.size(); ++i)
              if (!placed[i]) order.push_back(i);
            return make_projection(std::move(input), keep_columns(in, order));
          },
          [&](const kql::ExtendOperator& extend) {
            Schema schema = in;
            std::vector<std::pair<size_t, ExpressionPtr>> columns;
            const auto names = kql::output_names(extend.columns, kql::NamingContext::Column);
            for (size_t i = 0; i < extend.columns.size(); ++i) {
              const auto& item = extend.columns[i];
              ExpressionPtr expression = compile_expression(*item.expr, schema);
              // A numbered column (Column1, ...) never replaces one the input already has.
              const std::string name = numbered(item) ? unique_name(schema, names[i]) : names[i];
              int index = find_column(schema, name);
              if (index < 0) {
                schema.push_back({name, expression->type()});
                index = static_cast<int>(schema.size() - 1);
              } else {
                schema[static_cast<size_t>(index)].type = expression->type();
              }
              columns.emplace_back(static_cast<size_t>(index), std::move(expression));
            }
            return make_extend(std::move(input), std::move(schema), std::move(columns));
          },
          [&](const kql::SerializeOperator& serialize) {
            Schema schema = in;
            std::vector<std::pair<size_t, ExpressionPtr>> columns;
            const auto names = kql::output_names(serialize.columns, kql::NamingContext::Column);
            for (size_t i = 0; i < serialize.columns.size(); ++i) {
              const auto& item = serialize.columns[i];
              ExpressionPtr expression = compile_expression(*item.expr, schema);
              const std::string name = numbered(item) ? unique_name(schema, names[i]) : names[i];
              schema.push_back({name, expression->type()});
              columns.emplace_back(schema.size() - 1, std::move(expression));
            }
            return make_extend(std::move(input), std::move(schema), std::move(columns));
          },
          [&](const kql::SummarizeOperator& summarize) {
            return compile_summarize(std::move(input), summarize);
          },
          [&](const kql::SortOperator& sort) {
            std::vector<SortKey> keys;
            for (const auto& key : sort.keys)
              keys.push_back(sort_key(compile_expression(*key.expr, in), key));
            return make_sort(std::move(input), std::move(keys), context_);
          },
          [&](const kql::TopOperator& top) {
            std::vector<SortKey> keys;
            keys.push_back(sort_key(compile_expression(*top.by.expr, in), top.by));
            return make_top(std::move(input), constant_count(*top.count, "top's count"),
                            std::move(keys), context_);
          },
          [&](const kql::TakeOperator& take) {
            return make_take(std::move(input), constant_count(*take.count, "take's count"));
          },
          [&](const kql::SampleOperator& sample) {
            context_.warn("sample returns the first rows, not a random sample");
            return make_take(std::move(input), constant_count(*sample.count, "sample's count"));
          },
          [&](const kql::JoinOperator& join) {
            return compile_join(std::move(input), join.right, join.on, join.kind, false,
                                needs_after, op.range);
          },
          [&](const kql::LookupOperator& lookup) {
            return compile_join(std::move(input), lookup.right, lookup.on, lookup.kind, true,
                                needs_after, op.range);
          },
          [&](const kql::UnionOperator& union_op) {
            std::vector<OperatorPtr> first;
            first.push_back(std::move(input));
            return compile_union(std::move(first), {"union_arg0"}, union_op, needs_after);
          },
          [&](const kql::DistinctOperator& distinct) {
            std::vector<OutputColumn> columns;
            const bool star = std::any_of(
                distinct.columns.begin(), distinct.columns.end(), [](const auto& column) {
                  return column && std::holds_alternative<kql::StarExpr>(column->node);
                });
            if (star) {
              std::vector<size_t> all(in.size());
              for (size_t i = 0; i < in.size(); ++i)
                all[i] = i;
              columns = keep_columns(in, all);
            } else {
              Schema out;
              std::vector<const kql::Expr*> listed;
              for (const auto& column : distinct.columns)
                listed.push_back(column.get());
              const auto names = kql::output_names(listed, kql::NamingContext::Column);
              for (size_t i = 0; i < listed.size(); ++i) {
                ExpressionPtr expression = compile_expression(*listed[i], in);
                out.push_back({unique_name(out, names[i]), expression->type()});
                columns.push_back({out.back(), std::move(expression)});
              }
            }
            return make_distinct(std::move(input), std::move(columns), context_);
          },
          [&](const kql::CountOperator&) { return make_count(std::move(input), context_); },
          [&](const kql::ParseOperator& parse) {
            const bool regex = parse.kind == "regex";
            return make_parse(std::move(input), compile_expression(*parse.source, in),
                              parse.pattern, parse.keep_only_matches, regex);
          },
          [&](const kql::MvExpandOperator& expand) {
            std::vector<const kql::Expr*> unnamed;
            for (const auto& item : expand.items)
              if (item.column.name.empty()) unnamed.push_back(item.column.expr.get());
            const auto implied = kql::output_names(unnamed, kql::NamingContext::Column);
            std::vector<ExpandItem> items;
            size_t next = 0;
            for (const auto& item : expand.items) {
              const std::string name =
                  item.column.name.empty() ? implied[next++] : item.column.name;
              items.push_back({{name, item.to_type.value_or(Type::Dynamic)},
                               compile_expression(*item.column.expr, in),
                               item.to_type});
            }
            int64_t limit = expand.limit ? constant_count(*expand.limit, "mv-expand's limit") : -1;
            return make_mv_expand(std::move(input), std::move(items), expand.with_itemindex, limit);
          },
          [&](const kql::GetSchemaOperator&) {
            Schema schema{{"ColumnName", Type::String},
                          {"ColumnOrdinal", Type::Int},
                          {"DataType", Type::String},
                          {"ColumnType", Type::String}};
            std::vector<Row> rows;
            for (size_t i = 0; i < in.size(); ++i) {
              const std::string type(
                  kql::type_name(in[i].type == Type::Unknown ? Type::Dynamic : in[i].type));
              rows.push_back({Value::of_string(in[i].name),
                              Value::of_long(static_cast<int64_t>(i), Type::Int),
                              Value::of_string("System." + type), Value::of_string(type)});
            }
            return make_rows_source(std::move(schema), std::move(rows));
          },
          [&](const kql::RenderOperator&) {
            context_.warn("render is ignored: LogHunt returns the table");
            return std::move(input);
          },
          [&](const kql::AsOperator&) { return std::move(input); },
          [&](const kql::SearchOperator&) { return unsupported("search"); },
          [&](const kql::MakeSeriesOperator&) { return unsupported("make-series"); },
          [&](const kql::EvaluateOperator&) {
            return unsupported("evaluate (plugins such as bag_unpack)");
          },
          [&](const kql::InvokeOperator&) { return unsupported("invoke"); },
          [&](const auto&) { return unsupported("this operator"); },
      },
      op.node);
}

OperatorPtr Compiler::compile_summarize(OperatorPtr input,
                                        const kql::SummarizeOperator& summarize) {
  const Schema in = input->schema();
  std::vector<GroupKey> keys;
  Schema out;
  const auto by_names = kql::output_names(summarize.by, kql::NamingContext::GroupBy);
  for (size_t i = 0; i < summarize.by.size(); ++i) {
    ExpressionPtr expression = compile_expression(*summarize.by[i].expr, in);
    const std::string name = unique_name(out, by_names[i]);
    out.push_back({name, expression->type()});
    keys.push_back({out.back(), std::move(expression)});
  }
  std::vector<AggregatePtr> aggregates;
  for (const auto& item : summarize.aggregates) {
    const auto* call = item.expr ? std::get_if<kql::CallExpr>(&item.expr->node) : nullptr;
    if (!call || !is_aggregate_function(call->name))
      throw QueryError(ErrorKind::Unsupported,
                       "summarize takes aggregation calls such as count(), dcount(X), make_set(X), "
                       "arg_max(Timestamp, *); expressions around them are not supported",
                       item.range);
    AggregateCall aggregate;
    aggregate.name = call->name;
    const bool arg_extreme = call->name == "arg_max" || call->name == "arg_min";
    // `*` in arg_max/arg_min stands for the input's columns other than those already produced.
    std::vector<std::string> star_columns;
    for (const auto& column : in)
      if (find_column(out, column.name) < 0) star_columns.push_back(column.name);
    aggregate.column_names = kql::aggregate_column_names(*call, item.name, star_columns);
    if (!arg_extreme || call->args.empty()) {
      for (const auto& arg : call->args)
        aggregate.args.push_back(compile_expression(*arg, in));
    } else {
      // One argument per column kql names: the maximised expression, then each returned column
      // from the listed argument that produces it or, failing that, from `*`.
      aggregate.args.push_back(compile_expression(*call->args[0], in));
      std::vector<const kql::Expr*> listed;  // the returned columns other than `*`
      for (size_t a = 1; a < call->args.size(); ++a)
        if (!std::holds_alternative<kql::StarExpr>(call->args[a]->node))
          listed.push_back(call->args[a].get());
      const auto listed_names = kql::output_names(listed, kql::NamingContext::Column);
      for (size_t c = 1; c < aggregate.column_names.size(); ++c) {
        const std::string& name = aggregate.column_names[c];
        const auto found = std::find(listed_names.begin(), listed_names.end(), name);
        if (found != listed_names.end()) {
          const size_t a = static_cast<size_t>(found - listed_names.begin());
          aggregate.args.push_back(compile_expression(*listed[a], in));
        } else {
          const int index = require_column(in, name, item.range);
          aggregate.args.push_back(
              std::make_unique<ColumnExpression>(index, in[static_cast<size_t>(index)].type));
        }
      }
    }
    AggregatePtr compiled;
    try {
      compiled = make_aggregate(std::move(aggregate));
    } catch (const QueryError& error) {
      throw QueryError(error.kind(), error.what(), item.range);
    }
    for (const auto& column : compiled->columns())
      out.push_back(column);
    aggregates.push_back(std::move(compiled));
  }
  OperatorPtr op =
      make_summarize(std::move(input), std::move(keys), std::move(aggregates), context_);
  // Aggregates named alike (count(), count()) get numeric suffixes, as in KQL.
  Schema unique;
  bool renamed = false;
  for (const auto& column : op->schema()) {
    std::string name = unique_name(unique, column.name);
    renamed = renamed || name != column.name;
    unique.push_back({name, column.type});
  }
  if (!renamed) return op;
  std::vector<OutputColumn> columns;
  for (size_t i = 0; i < unique.size(); ++i)
    columns.push_back(
        {unique[i], std::make_unique<ColumnExpression>(static_cast<int>(i), unique[i].type)});
  return make_projection(std::move(op), std::move(columns));
}

OperatorPtr Compiler::compile_join(OperatorPtr input, const kql::QueryPtr& right,
                                   const std::vector<kql::JoinKey>& on, kql::JoinKind kind,
                                   bool lookup, const ColumnNeeds& needs_after,
                                   const kql::SourceRange& range) {
  if (!right)
    throw QueryError(ErrorKind::InvalidQuery,
                     "join needs a right side: join (Table | ...) on Column", range);
  if (on.empty())
    throw QueryError(ErrorKind::InvalidQuery,
                     "join needs `on`: join (...) on Column, or on $left.A == $right.B", range);
  ColumnNeeds right_needs = needs_after;
  if (!right_needs.all) {
    for (const auto& name : needs_after.names) {
      size_t end = name.size();
      while (end > 0 && name[end - 1] >= '0' && name[end - 1] <= '9')
        --end;
      right_needs.add(name.substr(0, end));
    }
    for (const auto& key : on)
      right_needs.add(key.right);
  }
  OperatorPtr right_op = compile_query(*right, right_needs);
  JoinSpec spec;
  spec.kind = kind;
  for (const auto& key : on) {
    spec.left_keys.push_back(require_column(input->schema(), key.left, key.left_range));
    spec.right_keys.push_back(require_column(right_op->schema(), key.right, key.right_range));
  }
  const Schema left_schema = input->schema();
  const Schema right_schema = right_op->schema();
  const std::vector<int> right_keys = spec.right_keys;
  OperatorPtr join = make_join(std::move(input), std::move(right_op), std::move(spec), context_);
  if (!lookup) return join;
  // lookup: the left columns, then the right side's columns other than its keys.
  std::vector<size_t> keep;
  for (size_t i = 0; i < left_schema.size(); ++i)
    keep.push_back(i);
  for (size_t i = 0; i < right_schema.size(); ++i)
    if (std::find(right_keys.begin(), right_keys.end(), static_cast<int>(i)) == right_keys.end())
      keep.push_back(left_schema.size() + i);
  const Schema joined = join->schema();
  auto columns = keep_columns(joined, keep);
  // Right columns renamed only because of a key clash keep their own names again.
  for (size_t i = left_schema.size(); i < columns.size(); ++i) {
    const std::string& original = right_schema[keep[i] - left_schema.size()].name;
    if (find_column(left_schema, original) < 0) columns[i].column.name = original;
  }
  return make_projection(std::move(join), std::move(columns));
}

OperatorPtr Compiler::compile_union(std::vector<OperatorPtr> legs, std::vector<std::string> names,
                                    const kql::UnionOperator& op, const ColumnNeeds& needs) {
  for (size_t i = 0; i < op.legs.size(); ++i) {
    const auto& leg = op.legs[i];
    const auto* table = std::get_if<kql::TableSource>(&leg->source);
    if (table && table->name.find('*') != std::string::npos && leg->pipeline.empty()) {
      auto matches = expand_wildcard(table->name);
      if (matches.empty() && !op.is_fuzzy)
        throw QueryError(ErrorKind::NotFound, "no table matches '" + table->name + "'",
                         leg->source_range);
      for (const auto& name : matches) {
        kql::Query single;
        single.source = kql::TableSource{name};
        single.range = leg->range;
        single.source_range = leg->source_range;
        legs.push_back(compile_query(single, needs));
        names.push_back(name);
      }
      continue;
    }
    try {
      legs.push_back(compile_query(*leg, needs));
    } catch (const QueryError& error) {
      if (op.is_fuzzy && error.kind() == ErrorKind::NotFound) continue;
      throw;
    }
    names.push_back(table && leg->pipeline.empty() ? table->name
                                                   : "union_arg" + std::to_string(names.size()));
  }
  if (legs.empty()) throw QueryError(ErrorKind::NotFound, "union has no table to read");
  return make_union(std::move(legs), std::move(names), op.with_source);
}

}  // namespace log_hunt

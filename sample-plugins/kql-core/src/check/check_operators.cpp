// How each tabular operator changes the columns flowing down the pipeline, and what it checks.
#include <algorithm>

#include "check/checker.hpp"
#include "kql/naming.hpp"
#include "kql/print.hpp"
#include "kql/suggest.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// The first free name among `name`, `name1`, `name2`, ... (how KQL renames join collisions).
std::string free_name(const TableSchema& schema, const std::string& name) {
  if (!schema.find(name)) return name;
  for (int suffix = 1;; ++suffix) {
    std::string candidate = name + std::to_string(suffix);
    if (!schema.find(candidate)) return candidate;
  }
}

}  // namespace

void Checker::unknown_column(const std::string& name, const SourceRange& range,
                             const TableSchema& schema,
                             const std::map<std::string, DroppedBy>* dropped,
                             const std::vector<std::string>& extra_candidates) {
  if (dropped) {
    if (auto it = dropped->find(name); it != dropped->end()) {
      error(range, "unknown-column",
            "the column '" + name + "' is no longer available here: the " + it->second.op +
                " at line " + std::to_string(it->second.range.line) + ", column " +
                std::to_string(it->second.range.column) + " removed it",
            "keep '" + name + "' in that " + it->second.op + "'s output to use it afterwards");
      return;
    }
  }
  std::vector<std::string> candidates = schema.column_names();
  candidates.insert(candidates.end(), extra_candidates.begin(), extra_candidates.end());
  auto match = closest_match(name, candidates);
  std::string hint;
  if (match) {
    hint = "write '" + *match + "'" +
           (iequals(*match, name) ? " (column names are "
                                    "case-sensitive)"
                                  : "");
  } else {
    const auto names = schema.column_names();
    hint = "the columns here are ";
    for (size_t i = 0; i < names.size() && i < 8; ++i)
      hint += (i ? ", " : "") + names[i];
    if (names.size() > 8) hint += ", ... (" + std::to_string(names.size()) + " in all)";
    if (names.empty()) hint = "there are no columns here";
  }
  error(range, "unknown-column",
        "unknown column '" + name + "' " + where_text(schema) +
            (match ? ". Did you mean '" + *match + "'?" : ""),
        hint);
}

std::vector<Column> Checker::project_columns(const std::vector<NamedExpr>& columns,
                                             const Scope& scope, NamingContext naming) {
  const std::vector<std::string> names = output_names(columns, naming);
  std::vector<Column> out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].expr) continue;
    Column column{names[i], type_of(*columns[i].expr, scope), ""};
    if (const auto* ref = std::get_if<ColumnRef>(&columns[i].expr->node); ref && scope.row)
      if (const Column* source = scope.row->find(ref->name))
        column.description = source->description;
    out.push_back(std::move(column));
  }
  return out;
}

std::vector<std::string> Checker::match_patterns(const std::vector<ColumnPattern>& patterns,
                                                 const Relation& relation) {
  std::vector<std::string> names;
  for (const auto& pattern : patterns) {
    if (pattern.has_wildcard()) {
      for (const auto& column : relation.schema.columns)
        if (wildcard_match(pattern.pattern, column.name) &&
            std::find(names.begin(), names.end(), column.name) == names.end())
          names.push_back(column.name);
      continue;
    }
    if (relation.schema.find(pattern.pattern)) {
      names.push_back(pattern.pattern);
    } else if (!relation.schema.open) {
      unknown_column(pattern.pattern, pattern.range, relation.schema, &relation.dropped);
    }
  }
  return names;
}

void Checker::apply(const Operator& op, Relation& relation) {
  const TableSchema before = relation.schema;
  const Scope scope{&before, false, "", &relation.dropped};
  auto derived = [&] { relation.schema.name.clear(); };
  std::visit(
      Overloaded{
          [&](const WhereOperator& where) {
            if (!where.predicate) return;
            const Scope where_scope{&before, false, "where", &relation.dropped};
            expect_bool(*where.predicate, type_of(*where.predicate, where_scope), "where");
            apply_time_filter(*where.predicate, relation);
          },
          [&](const ProjectOperator& project) {
            relation.schema.columns =
                project_columns(project.columns, scope, NamingContext::Column);
            derived();
          },
          [&](const ProjectAwayOperator& away) {
            for (const auto& name : match_patterns(away.columns, relation))
              relation.schema.remove(name);
            derived();
          },
          [&](const ProjectKeepOperator& keep) {
            const auto names = match_patterns(keep.columns, relation);
            std::erase_if(relation.schema.columns, [&](const Column& column) {
              return std::find(names.begin(), names.end(), column.name) == names.end();
            });
            derived();
          },
          [&](const ProjectReorderOperator& reorder) {
            const auto names = match_patterns(reorder.columns, relation);
            std::stable_partition(relation.schema.columns.begin(), relation.schema.columns.end(),
                                  [&](const Column& column) {
                                    return std::find(names.begin(), names.end(), column.name) !=
                                           names.end();
                                  });
          },
          [&](const ProjectRenameOperator& rename) {
            for (const auto& item : rename.renames) {
              Column* column = nullptr;
              for (auto& candidate : relation.schema.columns)
                if (candidate.name == item.old_name) column = &candidate;
              if (!column) {
                if (!relation.schema.open)
                  unknown_column(item.old_name, item.old_name_range, relation.schema,
                                 &relation.dropped);
                continue;
              }
              if (item.new_name != item.old_name) relation.schema.remove(item.new_name);
              for (auto& candidate : relation.schema.columns)
                if (candidate.name == item.old_name) candidate.name = item.new_name;
            }
            derived();
          },
          [&](const ExtendOperator& extend) {
            // Each column is visible to the ones after it in the same extend.
            const std::vector<std::string> names =
                output_names(extend.columns, NamingContext::Column);
            for (size_t i = 0; i < extend.columns.size(); ++i) {
              if (!extend.columns[i].expr) continue;
              const TableSchema current = relation.schema;
              const Scope extend_scope{&current, false, "extend", &relation.dropped};
              relation.schema.set({names[i], type_of(*extend.columns[i].expr, extend_scope), ""});
            }
          },
          [&](const SummarizeOperator& summarize) {
            apply_summarize(summarize, relation);
            derived();
          },
          [&](const SortOperator& sort) {
            for (const auto& key : sort.keys)
              if (key.expr) type_of(*key.expr, scope);
            relation.ordered = true;
          },
          [&](const TopOperator& top) {
            if (top.count) {
              const Scope count_scope{nullptr, false, "top"};
              const ScalarType type = type_of(*top.count, count_scope);
              if (!is_unknownish(type) && type != ScalarType::Long && type != ScalarType::Int)
                error(top.count->range, "type-mismatch", "top needs a whole number of rows",
                      "write e.g. 'top 10 by Timestamp desc'");
            }
            if (top.by.expr) type_of(*top.by.expr, scope);
            relation.ordered = true;
          },
          [&](const TakeOperator& take) {
            if (!take.count) return;
            const Scope count_scope{nullptr, false, "take"};
            const ScalarType type = type_of(*take.count, count_scope);
            if (!is_unknownish(type) && type != ScalarType::Long && type != ScalarType::Int)
              error(take.count->range, "type-mismatch", "take needs a whole number of rows",
                    "write e.g. 'take 100'");
          },
          [&](const JoinOperator& join) { apply_join(join, op, relation); },
          [&](const LookupOperator& lookup) { apply_lookup(lookup, relation); },
          [&](const UnionOperator& union_op) {
            relation = union_relation(union_op, &relation);
            derived();
          },
          [&](const DistinctOperator& distinct) {
            const bool all = distinct.columns.size() == 1 && distinct.columns[0] &&
                             std::holds_alternative<StarExpr>(distinct.columns[0]->node);
            if (all) return;
            std::vector<Column> columns;
            int counter = 1;
            for (const auto& expr : distinct.columns) {
              if (!expr) continue;
              std::string name = natural_name(*expr, NamingContext::Column);
              if (name.empty()) name = "Column" + std::to_string(counter++);
              columns.push_back({name, type_of(*expr, scope), ""});
            }
            relation.schema.columns = std::move(columns);
            relation.ordered = false;
            derived();
          },
          [&](const CountOperator&) {
            relation.schema.columns = {{"Count", ScalarType::Long, "the number of rows"}};
            relation.schema.open = false;
            derived();
          },
          [&](const ParseOperator& parse) {
            if (parse.source) {
              const ScalarType type = type_of(*parse.source, scope);
              if (!is_stringish(type))
                error(parse.source->range, "type-mismatch",
                      "parse reads text, but " + expression_text(*parse.source) + " is a " +
                          std::string(type_name(type)),
                      "convert it first: parse tostring(" + expression_text(*parse.source) +
                          ") with ...");
            }
            for (const auto& part : parse.pattern)
              if (part.kind == ParsePart::Kind::Column)
                relation.schema.set({part.text, part.type, "parsed"});
          },
          [&](const MvExpandOperator& expand) {
            int counter = 1;
            for (const auto& item : expand.items) {
              if (!item.column.expr) continue;
              const ScalarType type = type_of(*item.column.expr, scope);
              if (!is_unknownish(type))
                error(item.column.expr->range, "type-mismatch",
                      "mv-expand expands arrays and bags, but " +
                          expression_text(*item.column.expr) + " is a " +
                          std::string(type_name(type)),
                      "parse it first: mv-expand Items = parse_json(" +
                          expression_text(*item.column.expr) + ")");
              std::string name = item.column.name;
              if (name.empty()) name = natural_name(*item.column.expr, NamingContext::Column);
              if (name.empty()) name = "Column" + std::to_string(counter++);
              relation.schema.set(
                  {name, item.to_type.value_or(ScalarType::Dynamic), "one item per row"});
            }
            if (!expand.with_itemindex.empty())
              relation.schema.set({expand.with_itemindex, ScalarType::Long, "item index"});
          },
          [&](const SearchOperator& search) {
            if (!search.predicate) return;
            if (std::holds_alternative<StarExpr>(search.predicate->node)) {
              warning(search.predicate->range, "search-star",
                      "'search *' keeps every row and searches nothing",
                      "search for a term, or remove the operator");
              return;
            }
            check_search_predicate(*search.predicate, scope);
            apply_time_filter(*search.predicate, relation);
          },
          [&](const MakeSeriesOperator& series) {
            TableSchema out;
            const Scope agg_scope{&before, true, "make-series", &relation.dropped};
            for (auto& column : project_columns(series.by, scope, NamingContext::GroupBy))
              out.set(std::move(column));
            if (series.on) {
              type_of(*series.on, scope);
              std::string axis = natural_name(*series.on, NamingContext::Column);
              if (!axis.empty()) out.set({axis, ScalarType::Dynamic, "the series' time axis"});
            }
            for (const auto* bound : {&series.from, &series.to, &series.step})
              if (*bound) type_of(**bound, scope);
            int counter = 1;
            for (const auto& aggregate : series.aggregates) {
              if (!aggregate.aggregate.expr) continue;
              type_of(*aggregate.aggregate.expr, agg_scope);
              std::string name = aggregate.aggregate.name;
              if (name.empty())
                name = natural_name(*aggregate.aggregate.expr, NamingContext::Aggregate);
              if (name.empty()) name = "Column" + std::to_string(counter++);
              out.set({name, ScalarType::Dynamic, "a series"});
            }
            relation.schema.columns = std::move(out.columns);
            derived();
          },
          [&](const EvaluateOperator& evaluate) {
            if (const auto* call =
                    evaluate.plugin ? std::get_if<CallExpr>(&evaluate.plugin->node) : nullptr)
              for (const auto& arg : call->args)
                if (arg) type_of(*arg, scope);
            relation.schema.open = true;  // plugins add columns only known at run time
            derived();
          },
          [&](const SerializeOperator& serialize) {
            for (auto& column : project_columns(serialize.columns, scope, NamingContext::Column))
              relation.schema.set(std::move(column));
            relation.ordered = true;
          },
          [&](const SampleOperator& sample) {
            if (sample.count) {
              const Scope count_scope{nullptr, false, "sample"};
              type_of(*sample.count, count_scope);
            }
          },
          [&](const GetSchemaOperator&) {
            relation.schema.columns = {{"ColumnName", ScalarType::String, ""},
                                       {"ColumnOrdinal", ScalarType::Int, ""},
                                       {"DataType", ScalarType::String, ""},
                                       {"ColumnType", ScalarType::String, ""}};
            relation.schema.open = false;
            derived();
          },
          [&](const InvokeOperator&) {
            relation.schema.open = true;
            derived();
          },
          [&](const auto&) {},  // as, render: rows and columns unchanged
      },
      op.node);
  // Remember what this operator removed, for "no longer available" messages later.
  for (const auto& column : before.columns)
    if (!relation.schema.find(column.name))
      relation.dropped[column.name] = {operator_name(op), op.name_range};
  for (const auto& column : relation.schema.columns)
    relation.dropped.erase(column.name);
}

void Checker::apply_summarize(const SummarizeOperator& summarize, Relation& relation) {
  const TableSchema input = relation.schema;
  const Scope by_scope{&input, false, "summarize by", &relation.dropped};
  const Scope agg_scope{&input, true, "summarize", &relation.dropped};
  TableSchema out;
  out.open = input.open;
  for (auto& column : project_columns(summarize.by, by_scope, NamingContext::GroupBy))
    out.set(std::move(column));
  int counter = 1;
  for (const auto& aggregate : summarize.aggregates) {
    if (!aggregate.expr) continue;
    const Expr& expr = *aggregate.expr;
    if (!contains_aggregate(expr)) {
      error(expr.range, "not-an-aggregate", "'" + expression_text(expr) + "' is not an aggregation",
            "aggregate it (count(), dcount(x), make_set(x), max(x), ...) or move it after "
            "'by' to group by it");
      type_of(expr, by_scope);
      continue;
    }
    const ScalarType type = type_of(expr, agg_scope);
    const auto* call = std::get_if<CallExpr>(&expr.node);
    const bool multi = call && (call->name == "arg_max" || call->name == "arg_min" ||
                                ((call->name == "percentiles") && call->args.size() > 2));
    if (multi) {
      const auto names = aggregate_column_names(*call, aggregate.name, input.column_names());
      for (size_t i = 0; i < names.size(); ++i) {
        if (out.find(names[i])) continue;
        ScalarType column_type = type;
        if (i > 0) {
          const Column* source = input.find(names[i]);
          column_type = source ? source->type : ScalarType::Unknown;
        }
        out.set({names[i], column_type, ""});
      }
      continue;
    }
    std::string name = aggregate.name;
    if (name.empty()) name = natural_name(expr, NamingContext::Aggregate);
    if (name.empty()) name = "Column" + std::to_string(counter++);
    out.set({name, type, ""});
  }
  relation.schema.columns = std::move(out.columns);
  relation.ordered = false;
}

void Checker::check_join_keys(const std::vector<JoinKey>& keys, const Relation& left,
                              const Relation& right) {
  for (const auto& key : keys) {
    const Column* left_column = left.schema.find(key.left);
    const Column* right_column = right.schema.find(key.right);
    if (!left_column && !left.schema.open) {
      TableSchema named = left.schema;
      if (named.name.empty()) named.name = "the join's left side";
      unknown_column(key.left, key.left_range, named, &left.dropped);
    }
    if (!right_column && !right.schema.open) {
      TableSchema named = right.schema;
      named.name =
          named.name.empty() ? "the join's right side" : named.name + " (the join's right side)";
      unknown_column(key.right, key.right_range, named, &right.dropped);
    }
    if (left_column && right_column && !comparable(left_column->type, right_column->type))
      error(key.right_range, "type-mismatch",
            "the join compares '" + key.left + "' (" + std::string(type_name(left_column->type)) +
                ") with '" + key.right + "' (" + std::string(type_name(right_column->type)) + ")",
            "join on columns of the same type, or extend a converted column first");
  }
}

void Checker::apply_join(const JoinOperator& join, const Operator& op, Relation& relation) {
  Relation right;
  right.schema.open = true;
  if (join.right) right = check_query(*join.right);
  check_join_keys(join.on, relation, right);
  if (!relation.unfiltered.empty()) {
    warning(op.name_range, "unbounded-join",
            "the left side of this join reads " + relation.unfiltered.front().table +
                " without a time filter, so the join runs over all of its rows",
            "filter the left side first, e.g. '| where " + relation.unfiltered.front().column +
                " > ago(1d)' before the join");
    relation.unfiltered.clear();
  }
  switch (join.kind) {
    case JoinKind::LeftAnti:
    case JoinKind::LeftSemi:
      break;
    case JoinKind::RightAnti:
    case JoinKind::RightSemi:
      relation.schema.columns = right.schema.columns;
      relation.schema.open = right.schema.open;
      break;
    default:
      for (const auto& column : right.schema.columns)
        relation.schema.columns.push_back(
            {free_name(relation.schema, column.name), column.type, column.description});
      relation.schema.open = relation.schema.open || right.schema.open;
  }
  relation.unfiltered.insert(relation.unfiltered.end(), right.unfiltered.begin(),
                             right.unfiltered.end());
  relation.ordered = false;
  relation.schema.name.clear();
}

void Checker::apply_lookup(const LookupOperator& lookup, Relation& relation) {
  Relation right;
  right.schema.open = true;
  if (lookup.right) right = check_query(*lookup.right);
  check_join_keys(lookup.on, relation, right);
  for (const auto& column : right.schema.columns) {
    const bool is_key = std::any_of(lookup.on.begin(), lookup.on.end(),
                                    [&](const JoinKey& key) { return key.right == column.name; });
    if (!is_key)
      relation.schema.columns.push_back(
          {free_name(relation.schema, column.name), column.type, column.description});
  }
  relation.schema.open = relation.schema.open || right.schema.open;
  relation.unfiltered.insert(relation.unfiltered.end(), right.unfiltered.begin(),
                             right.unfiltered.end());
  relation.schema.name.clear();
}

}  // namespace kql::detail

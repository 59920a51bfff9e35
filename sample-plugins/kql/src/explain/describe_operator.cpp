// Sources and tabular operators in words: one sentence each.
#include <cctype>

#include "explain/describe.hpp"
#include "kql/naming.hpp"
#include "kql/print.hpp"

namespace kql_skills {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// A table description inside a sentence: "Process creation ..." -> "process creation ...",
// but proper nouns (Microsoft, Windows, Syslog, Common Event Format) keep their capital.
std::string lower_first(std::string text) {
  const std::string_view first = std::string_view(text).substr(0, text.find(' '));
  for (std::string_view proper : {"Microsoft", "Windows", "Syslog", "Common", "Linux"})
    if (first == proper) return text;
  if (text.empty() || !std::isupper(static_cast<unsigned char>(text[0]))) return text;
  for (size_t i = 1; i < first.size(); ++i)
    if (!std::islower(static_cast<unsigned char>(first[i])) && first[i] != '-') return text;
  text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string join_kind_words(kql::JoinKind kind) {
  switch (kind) {
    case kql::JoinKind::InnerUnique:
      return "keeping matching rows, with duplicate keys on the left removed (KQL's default "
             "innerunique)";
    case kql::JoinKind::Inner:
      return "keeping only rows that match on both sides";
    case kql::JoinKind::LeftOuter:
      return "keeping every row on the left, with the right side's columns empty where "
             "nothing matches";
    case kql::JoinKind::RightOuter:
      return "keeping every row on the right";
    case kql::JoinKind::FullOuter:
      return "keeping every row from both sides";
    case kql::JoinKind::LeftAnti:
      return "keeping only the left rows that have no match";
    case kql::JoinKind::RightAnti:
      return "keeping only the right rows that have no match";
    case kql::JoinKind::LeftSemi:
      return "keeping the left rows that have a match, without adding columns";
    case kql::JoinKind::RightSemi:
      return "keeping the right rows that have a match";
  }
  return "";
}

std::string keys_text(const std::vector<kql::JoinKey>& keys) {
  std::vector<std::string> words;
  for (const auto& key : keys)
    words.push_back(key.left == key.right ? key.left : key.left + " = " + key.right);
  return word_list(words);
}

std::string patterns_text(const std::vector<kql::ColumnPattern>& patterns) {
  std::vector<std::string> words;
  for (const auto& pattern : patterns)
    words.push_back(pattern.pattern);
  return word_list(words);
}

}  // namespace

std::string Describer::query_brief(const kql::Query& query) const {
  std::string text;
  if (const auto* table = std::get_if<kql::TableSource>(&query.source)) {
    text = table->name;
  } else {
    text = "a sub-query";
  }
  std::vector<std::string> steps;
  for (const auto& op : query.pipeline) {
    if (const auto* where = std::get_if<kql::WhereOperator>(&op.node); where && where->predicate)
      steps.push_back("rows " + filter(*where->predicate));
    else
      steps.push_back(kql::operator_name(op));
  }
  if (!steps.empty()) text += " (" + word_list(steps, 4) + ")";
  return text;
}

std::string Describer::source(const kql::Query& query) const {
  return std::visit(
      Overloaded{
          [&](const kql::TableSource& table) -> std::string {
            if (const kql::TableSchema* schema = catalogue_.find(table.name))
              return "Reads " + table.name + " (" + lower_first(schema->description) + ").";
            if (table.name.find('*') != std::string::npos)
              return "Reads every table whose name matches " + table.name + ".";
            return "Starts from " + table.name + ".";
          },
          [&](const kql::UnionSource& source) -> std::string {
            std::vector<std::string> legs;
            for (const auto& leg : source.union_op.legs)
              if (leg) legs.push_back(query_brief(*leg));
            return "Reads the rows of " + word_list(legs) + " together (union)" +
                   (source.union_op.with_source.empty()
                        ? ""
                        : ", naming each row's table in " + source.union_op.with_source) +
                   ".";
          },
          [&](const kql::SearchSource& source) -> std::string {
            const auto& search = source.search;
            std::string where = search.tables.empty() ? "every table" : word_list(search.tables);
            std::string what = search.predicate ? value(*search.predicate) : "anything";
            if (search.predicate && !std::holds_alternative<kql::Literal>(search.predicate->node))
              what = "rows where " + condition(*search.predicate);
            return "Searches " + where + " for " + what + ".";
          },
          [&](const kql::DatatableSource& table) -> std::string {
            std::vector<std::string> columns;
            for (const auto& column : table.columns)
              columns.push_back(column.name);
            const size_t rows =
                table.columns.empty() ? 0 : table.values.size() / table.columns.size();
            return "Builds an inline table of " + std::to_string(rows) + " row" +
                   (rows == 1 ? "" : "s") + " with the columns " + word_list(columns) + ".";
          },
          [&](const kql::PrintSource& print) -> std::string {
            std::vector<std::string> values;
            for (const auto& column : print.columns)
              if (column.expr) values.push_back(value(*column.expr));
            return "Prints one row with " + word_list(values) + ".";
          },
          [&](const kql::RangeSource& range) -> std::string {
            return "Generates rows with " + range.column + " from " +
                   (range.from ? value(*range.from) : "?") + " to " +
                   (range.to ? value(*range.to) : "?") + " in steps of " +
                   (range.step ? value(*range.step) : "?") + ".";
          },
          [&](const kql::SubquerySource& sub) -> std::string {
            return std::string(sub.materialized ? "Computes once (materialize) " : "Starts from ") +
                   (sub.query ? query_brief(*sub.query) : "a sub-query") + ".";
          },
      },
      query.source);
}

std::string Describer::operation(const kql::Operator& op) const {
  return std::visit(
      Overloaded{
          [&](const kql::WhereOperator& where) -> std::string {
            return where.predicate ? "Keeps rows " + filter(*where.predicate) + "." : "Filters.";
          },
          [&](const kql::ProjectOperator& project) -> std::string {
            std::vector<std::string> kept, computed;
            for (const auto& column : project.columns) {
              if (!column.expr) continue;
              const bool plain = std::holds_alternative<kql::ColumnRef>(column.expr->node);
              if (plain && column.name.empty()) {
                kept.push_back(value(*column.expr));
              } else {
                const std::string name =
                    column.name.empty()
                        ? kql::natural_name(*column.expr, kql::NamingContext::Column)
                        : column.name;
                computed.push_back((name.empty() ? "" : name + " = ") + value(*column.expr));
              }
            }
            std::string text = "Keeps only the columns " + word_list(kept, 12);
            if (kept.empty())
              text = "Keeps only the computed columns " + word_list(computed, 12);
            else if (!computed.empty())
              text += ", and computes " + word_list(computed, 12);
            return text + ".";
          },
          [&](const kql::ProjectAwayOperator& away) -> std::string {
            return std::string(away.columns.size() == 1 && !away.columns[0].has_wildcard()
                                   ? "Removes the column "
                                   : "Removes the columns ") +
                   patterns_text(away.columns) + ".";
          },
          [&](const kql::ProjectKeepOperator& keep) -> std::string {
            return "Keeps only the columns " + patterns_text(keep.columns) + ".";
          },
          [&](const kql::ProjectRenameOperator& rename) -> std::string {
            std::vector<std::string> words;
            for (const auto& item : rename.renames)
              words.push_back(item.old_name + " to " + item.new_name);
            return "Renames " + word_list(words) + ".";
          },
          [&](const kql::ProjectReorderOperator& reorder) -> std::string {
            return "Puts the columns " + patterns_text(reorder.columns) + " first.";
          },
          [&](const kql::ExtendOperator& extend) -> std::string {
            std::vector<std::string> words;
            const auto names = kql::output_names(extend.columns, kql::NamingContext::Column);
            for (size_t i = 0; i < extend.columns.size(); ++i)
              if (extend.columns[i].expr)
                words.push_back(names[i] + " = " + value(*extend.columns[i].expr));
            return std::string(words.size() == 1 ? "Adds the column " : "Adds the columns ") +
                   word_list(words) + ".";
          },
          [&](const kql::SummarizeOperator& summarize) -> std::string {
            std::vector<std::string> keys, aggregates;
            for (const auto& key : summarize.by)
              if (key.expr)
                keys.push_back(key.name.empty() ? group_key(*key.expr)
                                                : key.name + " (" + group_key(*key.expr) + ")");
            const auto names =
                kql::output_names(summarize.aggregates, kql::NamingContext::Aggregate);
            for (size_t i = 0; i < summarize.aggregates.size(); ++i)
              if (summarize.aggregates[i].expr)
                aggregates.push_back(names[i] + " = " + aggregate(*summarize.aggregates[i].expr));
            if (aggregates.empty()) return "Keeps one row per distinct " + word_list(keys) + ".";
            if (keys.empty()) return "Aggregates all rows into one: " + word_list(aggregates) + ".";
            return "Groups the rows by " + word_list(keys) + " and computes for each group " +
                   word_list(aggregates) + ".";
          },
          [&](const kql::SortOperator& sort) -> std::string {
            std::vector<std::string> words;
            for (const auto& key : sort.keys)
              if (key.expr)
                words.push_back(value(*key.expr) + (key.order == kql::SortOrder::Descending
                                                        ? " (highest or latest "
                                                          "first)"
                                                        : " (lowest or earliest "
                                                          "first)"));
            return "Sorts by " + word_list(words) + ".";
          },
          [&](const kql::TopOperator& top) -> std::string {
            const std::string count = top.count ? value(*top.count) : "N";
            const std::string key = top.by.expr ? value(*top.by.expr) : "?";
            const bool descending = top.by.order == kql::SortOrder::Descending;
            return "Keeps the " + count + " rows with the " +
                   (descending ? "highest (or latest) " : "lowest (or earliest) ") + key + ".";
          },
          [&](const kql::TakeOperator& take) -> std::string {
            return "Returns at most " + (take.count ? value(*take.count) : std::string("N")) +
                   " rows, in no particular order.";
          },
          [&](const kql::JoinOperator& join) -> std::string {
            return "Joins with " + (join.right ? query_brief(*join.right) : std::string("?")) +
                   " on " + keys_text(join.on) + ", " + join_kind_words(join.kind) + ".";
          },
          [&](const kql::LookupOperator& lookup) -> std::string {
            return "Adds the columns of " +
                   (lookup.right ? query_brief(*lookup.right) : std::string("?")) + " where " +
                   keys_text(lookup.on) + " match" +
                   (lookup.kind == kql::JoinKind::Inner ? ", dropping rows without a match."
                                                        : ", keeping rows without a match.");
          },
          [&](const kql::UnionOperator& union_op) -> std::string {
            std::vector<std::string> legs;
            for (const auto& leg : union_op.legs)
              if (leg) legs.push_back(query_brief(*leg));
            return "Appends the rows of " + word_list(legs) + ".";
          },
          [&](const kql::DistinctOperator& distinct) -> std::string {
            std::vector<std::string> words;
            for (const auto& column : distinct.columns)
              if (column) words.push_back(value(*column));
            if (words.size() == 1 && words.front() == "*") return "Removes duplicate rows.";
            return "Keeps one row per distinct combination of " + word_list(words) + ".";
          },
          [&](const kql::CountOperator&) -> std::string {
            return "Counts the rows (one row with the column Count).";
          },
          [&](const kql::ParseOperator& parse) -> std::string {
            std::vector<std::string> columns;
            for (const auto& part : parse.pattern)
              if (part.kind == kql::ParsePart::Kind::Column)
                columns.push_back(part.text + " (" + std::string(kql::type_name(part.type)) + ")");
            return "Extracts " + word_list(columns) + " from " +
                   (parse.source ? value(*parse.source) : std::string("?")) +
                   (parse.kind == "regex" ? " with a regular expression" : " by its pattern") +
                   (parse.keep_only_matches ? ", dropping rows that do not match." : ".");
          },
          [&](const kql::MvExpandOperator& expand) -> std::string {
            std::vector<std::string> words;
            for (const auto& item : expand.items)
              if (item.column.expr)
                words.push_back(item.column.name.empty()
                                    ? value(*item.column.expr)
                                    : item.column.name + " = " + value(*item.column.expr));
            return "Expands " + word_list(words) + " into one row per item.";
          },
          [&](const kql::SearchOperator& search) -> std::string {
            if (!search.predicate) return "Searches the rows.";
            if (std::holds_alternative<kql::Literal>(search.predicate->node))
              return "Keeps rows that contain " + value(*search.predicate) + " in any column.";
            return "Keeps rows where " + condition(*search.predicate) + ".";
          },
          [&](const kql::MakeSeriesOperator& series) -> std::string {
            std::vector<std::string> aggregates, keys;
            for (const auto& aggregate_item : series.aggregates)
              if (aggregate_item.aggregate.expr)
                aggregates.push_back(aggregate(*aggregate_item.aggregate.expr));
            for (const auto& key : series.by)
              if (key.expr) keys.push_back(value(*key.expr));
            return "Builds a time series of " + word_list(aggregates) + " over " +
                   (series.on ? value(*series.on) : std::string("?")) + " in steps of " +
                   (series.step ? duration(*series.step) : std::string("?")) +
                   (keys.empty() ? "" : ", one series per " + word_list(keys)) + ".";
          },
          [&](const kql::EvaluateOperator& evaluate) -> std::string {
            return "Runs the plugin " +
                   (evaluate.plugin ? kql::to_kql(*evaluate.plugin) : std::string("?")) +
                   " (its output columns are decided at run time).";
          },
          [&](const kql::SerializeOperator&) -> std::string {
            return "Fixes the row order so row functions (row_number, prev, next) can run.";
          },
          [&](const kql::AsOperator& as) -> std::string {
            return "Names this result " + as.name + ".";
          },
          [&](const kql::SampleOperator& sample) -> std::string {
            return "Keeps " + (sample.count ? value(*sample.count) : std::string("N")) +
                   " random rows.";
          },
          [&](const kql::GetSchemaOperator&) -> std::string {
            return "Returns the column names and types instead of the rows.";
          },
          [&](const kql::RenderOperator& render) -> std::string {
            return "Displays the result as a " + render.chart + ".";
          },
          [&](const kql::InvokeOperator& invoke) -> std::string {
            return "Calls the function " +
                   (invoke.function ? kql::to_kql(*invoke.function) : std::string("?")) + ".";
          },
      },
      op.node);
}

}  // namespace kql_skills

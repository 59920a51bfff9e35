#include "kql/naming.hpp"

#include <algorithm>

namespace kql {
namespace {

// `Col` -> Col, `Bag.key` -> Bag_key, `Bag["key"]` -> Bag_key, `Arr[0]` -> Arr_0.
std::string path_name(const Expr& expr) {
  if (const auto* column = std::get_if<ColumnRef>(&expr.node)) return column->name;
  if (const auto* member = std::get_if<MemberExpr>(&expr.node)) {
    std::string object = path_name(*member->object);
    return object.empty() ? "" : object + "_" + member->member;
  }
  if (const auto* index = std::get_if<IndexExpr>(&expr.node)) {
    std::string object = path_name(*index->object);
    if (object.empty()) return "";
    if (const auto* literal = std::get_if<Literal>(&index->index->node)) {
      if (literal->type == ScalarType::String) return object + "_" + literal->text;
      if (literal->type == ScalarType::Long) return object + "_" + std::to_string(literal->integer);
    }
  }
  return "";
}

std::string aggregate_prefix(const std::string& function) {
  if (function == "make_set" || function == "make_set_if") return "set";
  if (function == "make_list" || function == "make_list_if") return "list";
  if (function == "make_bag" || function == "make_bag_if") return "bag";
  if (function == "take_any" || function == "any" || function == "take_anyif") return "any";
  return function;
}

std::string number_text(const Expr& expr) {
  if (const auto* literal = std::get_if<Literal>(&expr.node)) {
    if (literal->type == ScalarType::Long) return std::to_string(literal->integer);
    if (literal->type == ScalarType::Real) {
      std::string text = std::to_string(literal->real);
      while (!text.empty() && text.back() == '0')
        text.pop_back();
      if (!text.empty() && text.back() == '.') text.pop_back();
      std::replace(text.begin(), text.end(), '.', '_');
      return text;
    }
  }
  return "";
}

// `count_`, `dcount_X`, `set_X`, `percentile_X_95`: one aggregate's natural name.
std::string single_aggregate_name(const CallExpr& call) {
  const std::string prefix = aggregate_prefix(call.name);
  if (call.name == "count" || call.name == "countif" || call.args.empty()) return prefix + "_";
  if (call.name == "percentile" && call.args.size() == 2)
    return prefix + "_" + path_name(*call.args[0]) + "_" + number_text(*call.args[1]);
  return prefix + "_" + path_name(*call.args.front());
}

}  // namespace

std::string natural_name(const Expr& expr, NamingContext context) {
  switch (context) {
    case NamingContext::Column:
    case NamingContext::Print:
      return context == NamingContext::Print ? "" : path_name(expr);
    case NamingContext::GroupBy:
      if (const auto* call = std::get_if<CallExpr>(&expr.node)) {
        if ((call->name == "bin" || call->name == "floor" || call->name == "bin_at") &&
            !call->args.empty())
          return path_name(*call->args.front());
        return "";
      }
      return path_name(expr);
    case NamingContext::Aggregate:
      if (const auto* call = std::get_if<CallExpr>(&expr.node)) return single_aggregate_name(*call);
      return path_name(expr);
  }
  return "";
}

namespace {

// The natural name, else the next Column1, Column2, ... (print_0, print_1, ... for print).
std::string numbered_name(const Expr* expr, NamingContext context, int& counter) {
  std::string name = expr ? natural_name(*expr, context) : "";
  if (name.empty())
    name = (context == NamingContext::Print ? "print_" : "Column") + std::to_string(counter++);
  return name;
}

}  // namespace

std::vector<std::string> output_names(const std::vector<NamedExpr>& columns,
                                      NamingContext context) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  int counter = context == NamingContext::Print ? 0 : 1;
  for (const auto& column : columns)
    names.push_back(column.name.empty() ? numbered_name(column.expr.get(), context, counter)
                                        : column.name);
  return names;
}

std::vector<std::string> output_names(const std::vector<const Expr*>& columns,
                                      NamingContext context) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  int counter = context == NamingContext::Print ? 0 : 1;
  for (const Expr* column : columns)
    names.push_back(numbered_name(column, context, counter));
  return names;
}

std::vector<std::string> aggregate_column_names(const CallExpr& call, const std::string& name,
                                                const std::vector<std::string>& input_columns) {
  std::vector<std::string> names;
  auto add = [&](std::string column) {
    if (!column.empty() && std::find(names.begin(), names.end(), column) == names.end())
      names.push_back(std::move(column));
  };
  const bool arg_extreme = call.name == "arg_max" || call.name == "arg_min";
  if (arg_extreme && !call.args.empty()) {
    std::string first = path_name(*call.args.front());
    add(name.empty() ? (first.empty() ? call.name == "arg_max" ? "max_" : "min_" : first) : name);
    std::vector<const Expr*> listed;  // the returned columns other than `*`
    for (size_t i = 1; i < call.args.size(); ++i)
      if (!std::holds_alternative<StarExpr>(call.args[i]->node))
        listed.push_back(call.args[i].get());
    const std::vector<std::string> listed_names = output_names(listed, NamingContext::Column);
    size_t next = 0;
    for (size_t i = 1; i < call.args.size(); ++i) {
      if (std::holds_alternative<StarExpr>(call.args[i]->node)) {
        for (const auto& column : input_columns)
          add(column);
      } else {
        add(listed_names[next++]);
      }
    }
    return names;
  }
  if (call.name == "percentiles" && call.args.size() >= 2 && name.empty()) {
    const std::string column = path_name(*call.args.front());
    for (size_t i = 1; i < call.args.size(); ++i)
      add("percentile_" + column + "_" + number_text(*call.args[i]));
    return names;
  }
  names.push_back(name.empty() ? single_aggregate_name(call) : name);
  return names;
}

}  // namespace kql

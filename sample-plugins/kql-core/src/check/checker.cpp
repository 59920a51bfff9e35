// The checker's entry point: statements and let bindings, in order, and reporting.
#include "check/checker.hpp"

#include <algorithm>

#include "kql/print.hpp"

namespace kql {
namespace detail {

CheckResult Checker::run(const Script& script) {
  const Query* last_query = nullptr;
  for (const auto& statement : script.statements) {
    if (const auto* let = std::get_if<LetStatement>(&statement.node)) {
      if (let->tabular) {
        Relation relation = check_query(*let->tabular);
        warn_take_without_order(*let->tabular);
        tabular_lets_[let->name] = std::move(relation);
        scalar_lets_.erase(let->name);
      } else if (let->scalar) {
        const Scope scope{nullptr, false, "let"};
        scalar_lets_[let->name] = type_of(*let->scalar, scope);
        tabular_lets_.erase(let->name);
      }
    } else if (const auto* query = std::get_if<QueryStatement>(&statement.node)) {
      if (!query->query) continue;
      Relation relation = check_query(*query->query);
      warn_unfiltered(relation.unfiltered);
      warn_take_without_order(*query->query);
      result_.output = std::move(relation.schema);
      last_query = query->query.get();
    }
  }
  if (!last_query && !script.statements.empty())
    error(script.statements.back().range, "no-query",
          "the script binds names with let but runs no query",
          "end it with a query that uses them, e.g. 'MyLet | take 10'");
  std::stable_sort(
      result_.diagnostics.begin(), result_.diagnostics.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.range.offset < b.range.offset; });
  return std::move(result_);
}

void Checker::error(const SourceRange& range, std::string code, std::string message,
                    std::string hint) {
  // The same problem at the same place is reported once (a let used twice, say).
  for (const auto& existing : result_.diagnostics)
    if (existing.range.offset == range.offset && existing.code == code &&
        existing.message == message)
      return;
  result_.diagnostics.push_back(
      {Severity::Error, std::move(code), std::move(message), std::move(hint), range});
}

void Checker::warning(const SourceRange& range, std::string code, std::string message,
                      std::string hint) {
  for (const auto& existing : result_.diagnostics)
    if (existing.range.offset == range.offset && existing.code == code) return;
  result_.diagnostics.push_back(
      {Severity::Warning, std::move(code), std::move(message), std::move(hint), range});
}

void Checker::note_table(const std::string& name) {
  if (std::find(result_.tables.begin(), result_.tables.end(), name) == result_.tables.end())
    result_.tables.push_back(name);
}

std::string Checker::where_text(const TableSchema& schema) const {
  return schema.name.empty() ? "at this step of the query" : "of " + schema.name;
}

std::optional<ScalarType> comparable(ScalarType left, ScalarType right) {
  if (is_unknownish(left)) return right;
  if (is_unknownish(right)) return left;
  if (left == right) return left;
  if (is_numeric(left) && is_numeric(right)) return ScalarType::Real;
  const bool texty_left = left == ScalarType::String || left == ScalarType::Guid;
  const bool texty_right = right == ScalarType::String || right == ScalarType::Guid;
  if (texty_left && texty_right) return ScalarType::String;
  return std::nullopt;
}

bool is_unknownish(ScalarType type) {
  return type == ScalarType::Unknown || type == ScalarType::Dynamic;
}

bool is_stringish(ScalarType type) {
  return type == ScalarType::String || type == ScalarType::Guid || is_unknownish(type);
}

std::string expression_text(const Expr& expr) {
  std::string text = to_kql(expr);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

}  // namespace detail

CheckResult check(const Script& script, const Catalogue& catalogue, const CheckOptions& options) {
  return detail::Checker(catalogue, options).run(script);
}

}  // namespace kql

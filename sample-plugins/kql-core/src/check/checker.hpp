// The checker's state and rules, split over check_*.cpp by area. Internal to kql_core.
//
// A Relation is what flows down a pipeline: the columns at this step, plus what the cost rules
// need (tables read without a time filter yet, whether rows are ordered).
#ifndef KQL_SRC_CHECK_CHECKER_HPP
#define KQL_SRC_CHECK_CHECKER_HPP

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kql/check.hpp"
#include "kql/functions.hpp"
#include "kql/naming.hpp"

namespace kql::detail {

// A catalogue table read with no time filter applied so far.
struct TimeRequirement {
  std::string table;
  std::string column;  // Timestamp or TimeGenerated
  SourceRange range;   // where the table is named
};

struct DroppedBy {
  std::string op;  // "project", "summarize", ...
  SourceRange range;
};

struct Relation {
  TableSchema schema;
  std::vector<TimeRequirement> unfiltered;
  bool ordered = false;  // a sort or top has run
  // Columns an operator removed, with that operator: for "no longer available" messages.
  std::map<std::string, DroppedBy> dropped;
};

// What an expression may see and do.
struct Scope {
  const TableSchema* row = nullptr;  // the columns of the current row; null: none (a let)
  bool aggregates_allowed = false;   // inside summarize's aggregations
  const char* context = "";          // "where", "extend", ... for messages
  const std::map<std::string, DroppedBy>* dropped = nullptr;  // Relation::dropped
};

class Checker {
 public:
  Checker(const Catalogue& catalogue, const CheckOptions& options)
      : catalogue_(catalogue), options_(options) {}
  CheckResult run(const Script& script);

  // --- queries and sources (check_sources.cpp) ---
  Relation check_query(const Query& query);
  Relation check_source(const Query& query);
  Relation table_relation(const std::string& name, const SourceRange& range, bool allow_wildcard);
  Relation union_relation(const UnionOperator& union_op, const Relation* input);
  void check_search_predicate(const Expr& predicate, const Scope& scope);

  // --- operators (check_operators.cpp) ---
  void apply(const Operator& op, Relation& relation);
  void apply_summarize(const SummarizeOperator& summarize, Relation& relation);
  void apply_join(const JoinOperator& join, const Operator& op, Relation& relation);
  void apply_lookup(const LookupOperator& lookup, Relation& relation);
  void check_join_keys(const std::vector<JoinKey>& keys, const Relation& left,
                       const Relation& right);
  std::vector<Column> project_columns(const std::vector<NamedExpr>& columns, const Scope& scope,
                                      NamingContext naming);
  std::vector<std::string> match_patterns(const std::vector<ColumnPattern>& patterns,
                                          const Relation& relation);

  // --- expressions (check_expression.cpp) ---
  ScalarType type_of(const Expr& expr, const Scope& scope);
  ScalarType column_type(const ColumnRef& column, const Expr& expr, const Scope& scope);
  ScalarType call_type(const CallExpr& call, const Expr& expr, const Scope& scope);
  ScalarType binary_type(const BinaryExpr& binary, const Expr& expr, const Scope& scope);
  ScalarType in_type(const InExpr& in, const Scope& scope);
  void check_argument(const FunctionSignature& function, size_t index, ScalarType type,
                      const Expr& arg);
  bool contains_aggregate(const Expr& expr) const;
  void expect_bool(const Expr& expr, ScalarType type, const std::string& what);

  // --- cost warnings (cost_warnings.cpp) ---
  void note_contains(const BinaryExpr& binary);
  void apply_time_filter(const Expr& predicate, Relation& relation);
  void warn_unfiltered(const std::vector<TimeRequirement>& requirements);
  void warn_take_without_order(const Query& query);

  void unknown_column(const std::string& name, const SourceRange& range, const TableSchema& schema,
                      const std::map<std::string, DroppedBy>* dropped,
                      const std::vector<std::string>& extra_candidates = {});

  // --- reporting (checker.cpp) ---
  void error(const SourceRange& range, std::string code, std::string message, std::string hint);
  void warning(const SourceRange& range, std::string code, std::string message, std::string hint);
  void note_table(const std::string& name);
  std::string where_text(const TableSchema& schema) const;  // "of DeviceInfo" / "at this step"

  class DepthGuard {  // a hand-built tree may be deeper than the parser allows
   public:
    explicit DepthGuard(Checker& checker) : checker_(checker) { ++checker_.depth_; }
    ~DepthGuard() { --checker_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    // Twice the parser's default max_depth (128): no parsed query comes near it. 1000 levels
    // overflowed an 8 MiB stack under AddressSanitizer, whose frames are larger.
    bool too_deep() const { return checker_.depth_ > 256; }

   private:
    Checker& checker_;
  };

  const Catalogue& catalogue_;
  CheckOptions options_;
  CheckResult result_;
  std::map<std::string, ScalarType> scalar_lets_;
  std::map<std::string, Relation> tabular_lets_;
  size_t depth_ = 0;
};

// The type two operands are compared in, or nullopt when they cannot be compared.
std::optional<ScalarType> comparable(ScalarType left, ScalarType right);
bool is_stringish(ScalarType type);             // string, guid, dynamic, unknown
bool is_unknownish(ScalarType type);            // dynamic, unknown
std::string expression_text(const Expr& expr);  // a short rendering for messages

}  // namespace kql::detail

#endif  // KQL_SRC_CHECK_CHECKER_HPP

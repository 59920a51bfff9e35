// The names KQL gives result columns that the query does not name, so that every consumer of
// the AST (checker, explainer, LogHunt's executor) agrees on them.
#ifndef KQL_NAMING_HPP
#define KQL_NAMING_HPP

#include <string>
#include <vector>

#include "kql/ast.hpp"

namespace kql {

enum class NamingContext {
  Column,     // project, extend, serialize, mv-expand: `Col` -> Col, `a.b` -> a_b, else ColumnN
  GroupBy,    // summarize ... by: also `bin(Col, 1h)` / `floor(Col, ..)` / `bin_at(Col, ..)` -> Col
  Aggregate,  // summarize aggregates: `count()` -> count_, `dcount(X)` -> dcount_X, ...
  Print,      // print: unnamed -> print_0, print_1, ...
};

// The name for one expression, or "" when KQL would number it (ColumnN / print_N).
std::string natural_name(const Expr& expr, NamingContext context);

// The names of a list of columns as one operator writes them: explicit names first, then the
// natural name, then Column1, Column2, ... (print_0, print_1, ... for print) in order.
std::vector<std::string> output_names(const std::vector<NamedExpr>& columns, NamingContext context);

// The same for columns listed without explicit names (distinct's columns, mv-expand's unnamed
// items, arg_max's returned columns other than `*`): the natural name, else Column1, Column2, ...
std::vector<std::string> output_names(const std::vector<const Expr*>& columns,
                                      NamingContext context);

// The columns one aggregate produces. Most produce one (`count_`, `sum_Bytes`, `set_X` for
// make_set, `list_X` for make_list, `any_X` for take_any). arg_max/arg_min produce the maximised
// expression's column followed by the listed columns (Column1, Column2, ... for ones that are not
// column paths), or by all of `input_columns` (minus those already produced) for `*`. `name`, when
// not empty, replaces the first column's name.
std::vector<std::string> aggregate_column_names(const CallExpr& call, const std::string& name,
                                                const std::vector<std::string>& input_columns);

}  // namespace kql

#endif  // KQL_NAMING_HPP

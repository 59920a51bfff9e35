// The syntax tree of a KQL (Kusto Query Language) script, as kql::parse builds it.
//
// SHARED CONTRACT: this header is read by the Kql plugin (validate, explain, generate) AND by the
// LogHunt plugin, which executes queries from it (sample-plugins/log-hunt). It only ever GROWS:
// new node kinds, new enumerators and new members may be added; nothing is renamed, removed,
// reordered or given a new meaning. Consumers therefore
//   - visit variants with a catch-all (`[](const auto&) { unsupported(); }`) or std::get_if, and
//     give switches over the enums a `default:`, so that an addition does not break them;
//   - never rely on the index of a variant alternative or the value of an enumerator.
//
// Shape (ownership is by std::unique_ptr, so the tree is move-only):
//
//   Script      = statements: Statement*            `let a = 1h; let T = X | where ..; T | ..`
//   Statement   = LetStatement | QueryStatement
//   LetStatement: name + (scalar Expr | tabular Query); the parser decides which (see below)
//   Query       = Source + pipeline of Operator     `Source | op | op ...`
//   Source      = TableSource (table or tabular-let name, may hold `*` wildcards)
//               | UnionSource | SearchSource | DatatableSource | PrintSource | RangeSource
//               | SubquerySource (`( query )`, `materialize(query)`)
//   Operator    = WhereOperator (where/filter) | ProjectOperator | ProjectAwayOperator
//               | ProjectKeepOperator | ProjectRenameOperator | ProjectReorderOperator
//               | ExtendOperator | SummarizeOperator | SortOperator (sort/order by) | TopOperator
//               | TakeOperator (take/limit) | JoinOperator | LookupOperator | UnionOperator
//               | DistinctOperator | CountOperator | ParseOperator (parse, parse-where)
//               | MvExpandOperator | SearchOperator | MakeSeriesOperator | EvaluateOperator
//               | SerializeOperator | AsOperator | SampleOperator | GetSchemaOperator
//               | RenderOperator | InvokeOperator
//   Expr        = Literal | ColumnRef | StarExpr | CallExpr | UnaryExpr | BinaryExpr
//               | InExpr (in, !in, in~, !in~, has_any, has_all) | BetweenExpr | MemberExpr
//               | IndexExpr | SubqueryExpr
//
// Every node carries `range`: where it is in the text (byte offset and length, 1-based line and
// column), so a consumer can point at the exact place of a runtime problem too.
//
// Names are kept as written (KQL is case-sensitive for tables, columns and functions); bracketed
// names (`['Account Name']`) arrive without brackets and quotes. String literals arrive decoded
// (escapes resolved, verbatim and obfuscated forms unwrapped). A negative number is a
// UnaryExpr(Negate) around a Literal. Result columns a query does not name (`count()`,
// `bin(Timestamp, 1h)`, `arg_max(T, *)`) are named by kql/naming.hpp; kql/print.hpp renders a
// node back to KQL text for messages.
#ifndef KQL_AST_HPP
#define KQL_AST_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kql/literals.hpp"  // kTicksPerSecond and the other tick units
#include "kql/source_range.hpp"
#include "kql/types.hpp"

namespace kql {

struct Expr;
struct Query;
using ExprPtr = std::unique_ptr<Expr>;
using QueryPtr = std::unique_ptr<Query>;

// ---------------------------------------------------------------------------------------------
// Scalar expressions
// ---------------------------------------------------------------------------------------------

// A constant. `type` says which member holds the value:
//   Bool -> boolean; Int, Long -> integer; Real, Decimal -> real; String, Guid -> text (decoded);
//   DateTime -> ticks since 1970-01-01T00:00:00Z (negative before); TimeSpan -> ticks;
//   Dynamic -> text holds the value as compact JSON (`dynamic([1,"a"])` -> `[1,"a"]`).
// A null (`null`, `long(null)`, `datetime(null)`, `dynamic(null)`) has is_null set; an untyped
// `null` has type Unknown.
struct Literal {
  ScalarType type = ScalarType::Unknown;
  bool is_null = false;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  int64_t ticks = 0;
  std::string text;
  bool obfuscated = false;  // h"..." : a value to keep out of logs
};

// A name in a scalar position: a column, a scalar `let`, or (inside `in (...)`) a tabular `let`
// or table. `$left.X` / `$right.X` in a join condition arrive as JoinKey, not as ColumnRef.
struct ColumnRef {
  std::string name;
};

// `*`: all columns (`where * has "x"`, `arg_max(Timestamp, *)`, `search *`).
struct StarExpr {};

// A function or aggregate call: `ago(1d)`, `count()`, `not(x)`, `iff(c, a, b)`, `tolong(x)`.
// `name` is as written; `name_range` is the name alone. Typed-literal forms that are not
// literals (`todatetime("..")`) are calls.
struct CallExpr {
  std::string name;
  SourceRange name_range;
  std::vector<ExprPtr> args;
};

enum class UnaryOp { Negate, Plus };

struct UnaryExpr {
  UnaryOp op = UnaryOp::Negate;
  ExprPtr operand;
};

// Binary operators. The `Cs` variants are case-sensitive; the plain string operators are not
// (except Equal/NotEqual, which are case-sensitive as in KQL; EqualCi is `=~`, NotEqualCi `!~`).
enum class BinaryOp {
  Or,
  And,
  Equal,
  NotEqual,
  EqualCi,
  NotEqualCi,
  Less,
  LessOrEqual,
  Greater,
  GreaterOrEqual,
  Add,
  Subtract,
  Multiply,
  Divide,
  Modulo,
  Has,
  NotHas,
  HasCs,
  NotHasCs,
  HasPrefix,
  NotHasPrefix,
  HasPrefixCs,
  NotHasPrefixCs,
  HasSuffix,
  NotHasSuffix,
  HasSuffixCs,
  NotHasSuffixCs,
  Contains,
  NotContains,
  ContainsCs,
  NotContainsCs,
  StartsWith,
  NotStartsWith,
  StartsWithCs,
  NotStartsWithCs,
  EndsWith,
  NotEndsWith,
  EndsWithCs,
  NotEndsWithCs,
  MatchesRegex,
  Like,     // not KQL; reserved so a `like` written by SQL habit can be named in an error
  NotLike,  // idem
};

struct BinaryExpr {
  BinaryOp op = BinaryOp::Equal;
  SourceRange op_range;  // the operator token(s) alone
  ExprPtr left;
  ExprPtr right;
};

// Set membership: `x in ("a", "b")`, `x !in (T | project y)`, `x in~ (list)`,
// `x has_any ("a", "b")`, `x has_all (dynamic(["a"]))`. `items` are scalar expressions, a
// dynamic Literal (its array elements count), a SubqueryExpr, or a ColumnRef naming a
// tabular let or table (its single column counts).
enum class InOp { In, NotIn, InCi, NotInCi, HasAny, HasAll };

struct InExpr {
  InOp op = InOp::In;
  SourceRange op_range;
  ExprPtr left;
  std::vector<ExprPtr> items;
};

// `x between (low .. high)` / `x !between (low .. high)`; both bounds inclusive.
struct BetweenExpr {
  bool negated = false;
  ExprPtr left;
  ExprPtr low;
  ExprPtr high;
};

// `object.member` (a property of a dynamic bag: `AdditionalFields.Command`).
struct MemberExpr {
  ExprPtr object;
  std::string member;
  SourceRange member_range;
};

// `object[index]`: `Bag["key"]` or `Array[0]` (negative counts from the end).
struct IndexExpr {
  ExprPtr object;
  ExprPtr index;
};

// A tabular expression used as a value: `x in (DeviceInfo | project DeviceName)`,
// `toscalar(T | summarize max(Timestamp))`.
struct SubqueryExpr {
  QueryPtr query;
};

struct Expr {
  SourceRange range;
  std::variant<Literal, ColumnRef, StarExpr, CallExpr, UnaryExpr, BinaryExpr, InExpr, BetweenExpr,
               MemberExpr, IndexExpr, SubqueryExpr>
      node;
};

// `name = expr`, or just `expr` (name empty: the output column is named by KQL's rules, see
// kql/naming.hpp). Used by project, extend, summarize (aggregates and by), print, serialize.
struct NamedExpr {
  std::string name;
  SourceRange name_range;  // unknown (line 0) when unnamed
  ExprPtr expr;
  SourceRange range;
};

// `name=value` settings written before an operator's arguments: `kind=leftouter`,
// `hint.strategy=shuffle`, `withsource=Table`, `isfuzzy=true`. Kept as written (value as text);
// the ones a node understands are also decoded into its own members.
struct OperatorParam {
  std::string name;
  std::string value;
  SourceRange range;
};

// A column name as written in project-away/keep/reorder: may hold `*` wildcards (`Device*`).
struct ColumnPattern {
  std::string pattern;
  SourceRange range;
  bool has_wildcard() const { return pattern.find('*') != std::string::npos; }
};

// ---------------------------------------------------------------------------------------------
// Tabular operators
// ---------------------------------------------------------------------------------------------

struct WhereOperator {  // where, filter
  ExprPtr predicate;
};

struct ProjectOperator {
  std::vector<NamedExpr> columns;
};

struct ProjectAwayOperator {
  std::vector<ColumnPattern> columns;
};

struct ProjectKeepOperator {
  std::vector<ColumnPattern> columns;
};

struct Rename {
  std::string new_name;
  SourceRange new_name_range;
  std::string old_name;
  SourceRange old_name_range;
};

struct ProjectRenameOperator {  // project-rename New = Old, ...
  std::vector<Rename> renames;
};

struct ProjectReorderOperator {  // project-reorder A, B* [asc|desc]: the order words are kept in
  std::vector<ColumnPattern> columns;  // ColumnPattern only; the operator does not drop columns
};

struct ExtendOperator {
  std::vector<NamedExpr> columns;
};

// `summarize [name =] aggregate(...), ... [by [name =] expr, ...]`. `by` expressions are usually
// columns or `bin(Timestamp, 1h)`.
struct SummarizeOperator {
  std::vector<OperatorParam> params;
  std::vector<NamedExpr> aggregates;
  std::vector<NamedExpr> by;
};

enum class SortOrder { Ascending, Descending };
enum class NullsOrder { First, Last };

// One key of sort/top. KQL's defaults are resolved by the parser: order Descending; nulls Last
// when descending, First when ascending. The *_explicit flags say whether the text spelled them.
struct SortKey {
  ExprPtr expr;
  SortOrder order = SortOrder::Descending;
  NullsOrder nulls = NullsOrder::Last;
  bool order_explicit = false;
  bool nulls_explicit = false;
  SourceRange range;
};

struct SortOperator {  // sort by / order by
  std::vector<SortKey> keys;
};

struct TopOperator {  // top N by expr [asc|desc] [nulls first|last]
  ExprPtr count;
  SortKey by;
};

struct TakeOperator {  // take N / limit N
  ExprPtr count;
};

enum class JoinKind {
  InnerUnique,  // KQL's default when `kind=` is absent
  Inner,
  LeftOuter,
  RightOuter,
  FullOuter,
  LeftAnti,   // also written leftantisemi / anti
  RightAnti,  // also rightantisemi
  LeftSemi,
  RightSemi,
};

// One equality of a join's `on`: `on X` gives left = right = "X"; `on $left.A == $right.B`
// gives left "A", right "B".
struct JoinKey {
  std::string left;
  SourceRange left_range;
  std::string right;
  SourceRange right_range;
};

struct JoinOperator {
  JoinKind kind = JoinKind::InnerUnique;
  bool kind_explicit = false;
  std::vector<OperatorParam> params;  // all name=value settings, kind= and hint.* included
  QueryPtr right;                     // `(sub-query)` or a bare table / tabular-let name
  std::vector<JoinKey> on;
};

// `lookup [kind=leftouter|inner] (T) on keys`: like a join whose right side is a dimension table.
struct LookupOperator {
  JoinKind kind = JoinKind::LeftOuter;
  bool kind_explicit = false;
  std::vector<OperatorParam> params;
  QueryPtr right;
  std::vector<JoinKey> on;
};

// `union [kind=inner|outer] [withsource=Name] [isfuzzy=true] T1, (T2 | ...), Device*`.
// As an operator the piped input is the first leg (not listed in `legs`).
struct UnionOperator {
  std::vector<OperatorParam> params;
  bool outer = true;        // kind=outer (the default) keeps all columns
  std::string with_source;  // the column naming each row's table, empty when absent
  bool is_fuzzy = false;
  std::vector<QueryPtr> legs;
};

struct DistinctOperator {  // distinct A, B / distinct *
  std::vector<ExprPtr> columns;
};

struct CountOperator {};  // one row, one column `Count` (long)

// One piece of a parse pattern: `*` (skip), a literal text to find, or a column to capture.
struct ParsePart {
  enum class Kind { Wildcard, Text, Column };
  Kind kind = Kind::Wildcard;
  std::string text;                      // Text: the literal; Column: the column name
  ScalarType type = ScalarType::String;  // Column: `name:type`, string when not written
  bool type_explicit = false;
  SourceRange range;
};

// `parse [kind=simple|regex|relaxed] source with pattern...`; parse-where drops rows that do
// not match.
struct ParseOperator {
  std::vector<OperatorParam> params;
  std::string kind = "simple";
  bool keep_only_matches = false;  // parse-where
  ExprPtr source;
  std::vector<ParsePart> pattern;
};

struct MvExpandItem {
  NamedExpr column;                   // `Col` or `Name = expr`
  std::optional<ScalarType> to_type;  // `to typeof(long)`
};

struct MvExpandOperator {  // mv-expand [params] item, ... [limit N]
  std::vector<OperatorParam> params;
  std::string with_itemindex;  // with_itemindex=Name, empty when absent
  std::vector<MvExpandItem> items;
  ExprPtr limit;  // null when absent
};

// `search [kind=case_sensitive] [in (T1, T2)] predicate`. A bare string predicate ("evil.com")
// searches every column for the term; `Col:"x"` arrives as BinaryExpr Has on Col; `search *`
// has a StarExpr predicate (every row).
struct SearchOperator {
  std::vector<OperatorParam> params;
  bool case_sensitive = false;
  std::vector<std::string> tables;  // `in (...)`; empty: all tables (as a source) or the input
  std::vector<SourceRange> table_ranges;
  ExprPtr predicate;
};

// `make-series [name =] agg [default = v], ... on Axis from A to B step S [by ...]`.
struct MakeSeriesAggregate {
  NamedExpr aggregate;
  ExprPtr default_value;  // null when absent (KQL uses 0)
};

struct MakeSeriesOperator {
  std::vector<OperatorParam> params;
  std::vector<MakeSeriesAggregate> aggregates;
  ExprPtr on;
  ExprPtr from;  // null when absent
  ExprPtr to;    // null when absent
  ExprPtr step;
  std::vector<NamedExpr> by;
};

// `evaluate plugin(args)` (bag_unpack, pivot, ...): its output columns are not known statically.
struct EvaluateOperator {
  std::vector<OperatorParam> params;
  ExprPtr plugin;  // a CallExpr
};

struct SerializeOperator {  // serialize [name = expr, ...]
  std::vector<NamedExpr> columns;
};

struct AsOperator {  // as [hint.materialized=true] Name
  std::vector<OperatorParam> params;
  std::string name;
};

struct SampleOperator {  // sample N
  ExprPtr count;
};

struct GetSchemaOperator {};

// `render chart [with (...)]`: presentation only; the text after the chart type is kept raw.
struct RenderOperator {
  std::string chart;
  std::string properties;
};

struct InvokeOperator {  // invoke function(args)
  ExprPtr function;
};

struct Operator {
  SourceRange range;
  SourceRange name_range;  // the operator's keyword(s): `where`, `project-away`, `order by`
  std::variant<WhereOperator, ProjectOperator, ProjectAwayOperator, ProjectKeepOperator,
               ProjectRenameOperator, ProjectReorderOperator, ExtendOperator, SummarizeOperator,
               SortOperator, TopOperator, TakeOperator, JoinOperator, LookupOperator, UnionOperator,
               DistinctOperator, CountOperator, ParseOperator, MvExpandOperator, SearchOperator,
               MakeSeriesOperator, EvaluateOperator, SerializeOperator, AsOperator, SampleOperator,
               GetSchemaOperator, RenderOperator, InvokeOperator>
      node;
};

// ---------------------------------------------------------------------------------------------
// Sources and queries
// ---------------------------------------------------------------------------------------------

// A table or a tabular let by name. `name` may hold `*` wildcards in union legs (`Device*`).
struct TableSource {
  std::string name;
};

struct UnionSource {  // `union T1, T2 | ...` at the start of a query
  UnionOperator union_op;
};

struct SearchSource {  // `search ...` / `search in (T) ...` at the start of a query
  SearchOperator search;
};

struct DatatableColumn {
  std::string name;
  ScalarType type = ScalarType::String;
  SourceRange range;
};

// `datatable(Name:type, ...) [v1, v2, ...]`: values row-major, values.size() a multiple of the
// column count (the parser reports otherwise).
struct DatatableSource {
  std::vector<DatatableColumn> columns;
  std::vector<ExprPtr> values;
};

struct PrintSource {  // print [name =] expr, ...
  std::vector<NamedExpr> columns;
};

struct RangeSource {  // range Name from A to B step S
  std::string column;
  ExprPtr from;
  ExprPtr to;
  ExprPtr step;
};

struct SubquerySource {  // `( query )` or `materialize( query )`
  QueryPtr query;
  bool materialized = false;
};

struct Query {
  SourceRange range;
  SourceRange source_range;
  std::variant<TableSource, UnionSource, SearchSource, DatatableSource, PrintSource, RangeSource,
               SubquerySource>
      source;
  std::vector<Operator> pipeline;
};

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

// `let name = value;`. The parser decides scalar or tabular: tabular when the value starts with
// a table-producing form or contains a top-level `|`, or is a bare name that is not a scalar let
// defined earlier (a bare name at statement level can only be a table). Exactly one of `scalar`
// and `tabular` is set.
struct LetStatement {
  std::string name;
  SourceRange name_range;
  ExprPtr scalar;
  QueryPtr tabular;
  bool is_tabular() const { return tabular != nullptr; }
};

struct QueryStatement {
  QueryPtr query;
};

struct Statement {
  SourceRange range;
  std::variant<LetStatement, QueryStatement> node;
};

// A whole input: statements separated by `;`. A parse with errors still yields every statement
// it could recover (see kql::ParseResult).
struct Script {
  std::vector<Statement> statements;
};

}  // namespace kql

#endif  // KQL_AST_HPP

// The parser: the tree it builds for each construct, with exact positions.
#include "kql/literals.hpp"
#include "kql/print.hpp"
#include "test_support.hpp"

namespace kql {
namespace {

using testing::first_query;

ParseResult parse_ok(std::string_view text) {
  ParseResult parsed = parse(text);
  EXPECT_TRUE(parsed.ok()) << text << "\n" << testing::describe(parsed.diagnostics);
  return parsed;
}

template <class Node>
const Node& node_of(const Operator& op) {
  const Node* node = std::get_if<Node>(&op.node);
  if (!node) throw std::runtime_error("unexpected operator " + operator_name(op));
  return *node;
}

template <class Node>
const Node& expr_of(const Expr& expr) {
  const Node* node = std::get_if<Node>(&expr.node);
  if (!node) throw std::runtime_error("unexpected expression " + to_kql(expr));
  return *node;
}

TEST(Parser, SimpleQueryShapeAndPositions) {
  const auto parsed = parse_ok(
      "DeviceProcessEvents\n| where Timestamp > ago(1d) and FileName =~ \"cmd.exe\"\n| take 10");
  const Query& query = first_query(parsed);
  EXPECT_EQ(std::get<TableSource>(query.source).name, "DeviceProcessEvents");
  EXPECT_EQ(query.source_range.length, 19u);
  ASSERT_EQ(query.pipeline.size(), 2u);

  const Operator& where = query.pipeline[0];
  EXPECT_EQ(where.name_range.line, 2u);
  EXPECT_EQ(where.name_range.column, 3u);
  EXPECT_EQ(where.range.line, 2u);
  const auto& predicate = expr_of<BinaryExpr>(*node_of<WhereOperator>(where).predicate);
  EXPECT_EQ(predicate.op, BinaryOp::And);
  const auto& left = expr_of<BinaryExpr>(*predicate.left);
  EXPECT_EQ(left.op, BinaryOp::Greater);
  EXPECT_EQ(expr_of<ColumnRef>(*left.left).name, "Timestamp");
  EXPECT_EQ(left.left->range.column, 9u);
  const auto& ago = expr_of<CallExpr>(*left.right);
  EXPECT_EQ(ago.name, "ago");
  EXPECT_EQ(ago.name_range.column, 21u);
  EXPECT_EQ(expr_of<Literal>(*ago.args[0]).ticks, 86400 * kTicksPerSecond);
  const auto& right = expr_of<BinaryExpr>(*predicate.right);
  EXPECT_EQ(right.op, BinaryOp::EqualCi);
  EXPECT_EQ(right.op_range.column, 42u);
  EXPECT_EQ(expr_of<Literal>(*right.right).text, "cmd.exe");

  const auto& take = node_of<TakeOperator>(query.pipeline[1]);
  EXPECT_EQ(expr_of<Literal>(*take.count).integer, 10);
  EXPECT_EQ(query.pipeline[1].range.line, 3u);
}

TEST(Parser, ExpressionRangesCoverTheirText) {
  const std::string text = "T | extend x = tolower(a.b[\"c\"]) + 1";
  const auto parsed = parse_ok(text);
  const auto& extend = node_of<ExtendOperator>(first_query(parsed).pipeline[0]);
  const Expr& expr = *extend.columns[0].expr;
  EXPECT_EQ(text.substr(expr.range.offset, expr.range.length), "tolower(a.b[\"c\"]) + 1");
  EXPECT_EQ(extend.columns[0].name, "x");
  EXPECT_EQ(extend.columns[0].name_range.column, 12u);
}

TEST(Parser, PrecedenceFollowsKql) {
  const auto parsed =
      parse_ok("T | where a or b and c == 1 + 2 * 3 | extend y = -x * 2, z = not(a)");
  const auto& where = node_of<WhereOperator>(first_query(parsed).pipeline[0]);
  EXPECT_EQ(to_kql(*where.predicate), "a or b and c == 1 + 2 * 3");
  const auto& top = expr_of<BinaryExpr>(*where.predicate);
  EXPECT_EQ(top.op, BinaryOp::Or);
  const auto& conjunction = expr_of<BinaryExpr>(*top.right);
  EXPECT_EQ(conjunction.op, BinaryOp::And);
  const auto& comparison = expr_of<BinaryExpr>(*conjunction.right);
  EXPECT_EQ(comparison.op, BinaryOp::Equal);
  const auto& sum = expr_of<BinaryExpr>(*comparison.right);
  EXPECT_EQ(sum.op, BinaryOp::Add);
  EXPECT_EQ(expr_of<BinaryExpr>(*sum.right).op, BinaryOp::Multiply);

  const auto& extend = node_of<ExtendOperator>(first_query(parsed).pipeline[1]);
  const auto& product = expr_of<BinaryExpr>(*extend.columns[0].expr);
  EXPECT_EQ(product.op, BinaryOp::Multiply);
  EXPECT_EQ(expr_of<UnaryExpr>(*product.left).op, UnaryOp::Negate);
  EXPECT_EQ(expr_of<CallExpr>(*extend.columns[1].expr).name, "not");
}

TEST(Parser, EveryStringAndComparisonOperator) {
  const std::vector<std::pair<std::string, BinaryOp>> cases{
      {"==", BinaryOp::Equal},
      {"!=", BinaryOp::NotEqual},
      {"<>", BinaryOp::NotEqual},
      {"=~", BinaryOp::EqualCi},
      {"!~", BinaryOp::NotEqualCi},
      {"<", BinaryOp::Less},
      {"<=", BinaryOp::LessOrEqual},
      {">", BinaryOp::Greater},
      {">=", BinaryOp::GreaterOrEqual},
      {"has", BinaryOp::Has},
      {"!has", BinaryOp::NotHas},
      {"has_cs", BinaryOp::HasCs},
      {"!has_cs", BinaryOp::NotHasCs},
      {"hasprefix", BinaryOp::HasPrefix},
      {"hassuffix", BinaryOp::HasSuffix},
      {"contains", BinaryOp::Contains},
      {"!contains", BinaryOp::NotContains},
      {"contains_cs", BinaryOp::ContainsCs},
      {"!contains_cs", BinaryOp::NotContainsCs},
      {"startswith", BinaryOp::StartsWith},
      {"!startswith", BinaryOp::NotStartsWith},
      {"startswith_cs", BinaryOp::StartsWithCs},
      {"endswith", BinaryOp::EndsWith},
      {"!endswith", BinaryOp::NotEndsWith},
      {"endswith_cs", BinaryOp::EndsWithCs},
      {"matches regex", BinaryOp::MatchesRegex}};
  for (const auto& [spelling, op] : cases) {
    const auto parsed = parse_ok("T | where a " + spelling + " \"x\"");
    const auto& where = node_of<WhereOperator>(first_query(parsed).pipeline[0]);
    const auto& binary = expr_of<BinaryExpr>(*where.predicate);
    EXPECT_EQ(binary.op, op) << spelling;
    EXPECT_EQ(binary.op_range.column, 13u) << spelling;
  }
}

TEST(Parser, MembershipAndRanges) {
  const auto parsed = parse_ok(
      "T | where a in (\"x\", \"y\") and b !in~ (\"z\") and c has_any (dynamic([\"p\", \"q\"])) "
      "and d has_all (\"u\", \"v\") and e between (1 .. 10) and f !between (ago(2d) .. ago(1d))"
      " and g in (U | project g)");
  const auto& where = node_of<WhereOperator>(first_query(parsed).pipeline[0]);
  std::vector<const Expr*> parts;
  const Expr* current = where.predicate.get();
  while (const auto* binary = std::get_if<BinaryExpr>(&current->node)) {
    if (binary->op != BinaryOp::And) break;
    parts.insert(parts.begin(), binary->right.get());
    current = binary->left.get();
  }
  parts.insert(parts.begin(), current);
  ASSERT_EQ(parts.size(), 7u);
  EXPECT_EQ(expr_of<InExpr>(*parts[0]).op, InOp::In);
  EXPECT_EQ(expr_of<InExpr>(*parts[0]).items.size(), 2u);
  EXPECT_EQ(expr_of<InExpr>(*parts[1]).op, InOp::NotInCi);
  const auto& any = expr_of<InExpr>(*parts[2]);
  EXPECT_EQ(any.op, InOp::HasAny);
  EXPECT_EQ(expr_of<Literal>(*any.items[0]).text, "[\"p\",\"q\"]");
  EXPECT_EQ(expr_of<InExpr>(*parts[3]).op, InOp::HasAll);
  EXPECT_FALSE(expr_of<BetweenExpr>(*parts[4]).negated);
  EXPECT_TRUE(expr_of<BetweenExpr>(*parts[5]).negated);
  const auto& sub = expr_of<InExpr>(*parts[6]);
  ASSERT_EQ(sub.items.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SubqueryExpr>(sub.items[0]->node));
}

TEST(Parser, MemberAndIndexAccess) {
  const auto parsed = parse_ok("T | extend a = Bag.key[\"inner\"][0], b = ['Odd Name']");
  const auto& extend = node_of<ExtendOperator>(first_query(parsed).pipeline[0]);
  const auto& outer = expr_of<IndexExpr>(*extend.columns[0].expr);
  EXPECT_EQ(expr_of<Literal>(*outer.index).integer, 0);
  const auto& inner = expr_of<IndexExpr>(*outer.object);
  EXPECT_EQ(expr_of<Literal>(*inner.index).text, "inner");
  const auto& member = expr_of<MemberExpr>(*inner.object);
  EXPECT_EQ(member.member, "key");
  EXPECT_EQ(expr_of<ColumnRef>(*member.object).name, "Bag");
  EXPECT_EQ(expr_of<ColumnRef>(*extend.columns[1].expr).name, "Odd Name");
}

TEST(Parser, LiteralsDecode) {
  const auto parsed = parse_ok(
      "print a = datetime(2024-01-31 10:00:00), b = timespan(1.02:00:00), c = 90s, "
      "d = dynamic({\"k\": [1, -2.5, true, null]}), e = guid(74BE27DE-1e4e-49d9-b579-fe0b331d3642),"
      " f = long(null), g = 1.5, h = true, i = \"a\" 'b', j = int(7), k = datetime(null)");
  const auto& print = std::get<PrintSource>(first_query(parsed).source);
  ASSERT_EQ(print.columns.size(), 11u);
  auto literal = [&](size_t i) { return expr_of<Literal>(*print.columns[i].expr); };
  EXPECT_EQ(literal(0).type, ScalarType::DateTime);
  EXPECT_EQ(format_datetime(literal(0).ticks), "2024-01-31T10:00:00Z");
  EXPECT_EQ(literal(1).ticks, (26 * 3600) * kTicksPerSecond);
  EXPECT_EQ(literal(2).ticks, 90 * kTicksPerSecond);
  EXPECT_EQ(literal(3).type, ScalarType::Dynamic);
  EXPECT_EQ(literal(3).text, "{\"k\":[1,-2.5,true,null]}");
  EXPECT_EQ(literal(4).type, ScalarType::Guid);
  EXPECT_EQ(literal(4).text, "74be27de-1e4e-49d9-b579-fe0b331d3642");
  EXPECT_EQ(literal(5).type, ScalarType::Long);
  EXPECT_TRUE(literal(5).is_null);
  EXPECT_DOUBLE_EQ(literal(6).real, 1.5);
  EXPECT_TRUE(literal(7).boolean);
  EXPECT_EQ(literal(8).text, "ab");
  EXPECT_EQ(literal(9).type, ScalarType::Int);
  EXPECT_EQ(literal(9).integer, 7);
  EXPECT_TRUE(literal(10).is_null);
}

TEST(Parser, LetStatementsAreScalarOrTabular) {
  const auto parsed = parse_ok(
      "let window = 1h;\n"
      "let Suspicious = DeviceProcessEvents | where Timestamp > ago(window);\n"
      "let Alias = Suspicious;\n"
      "let threshold = toscalar(Suspicious | count);\n"
      "let same = window;\n"
      "Alias | take 1");
  const auto& statements = parsed.ast.statements;
  ASSERT_EQ(statements.size(), 6u);
  auto let = [&](size_t i) { return &std::get<LetStatement>(statements[i].node); };
  EXPECT_FALSE(let(0)->is_tabular());
  EXPECT_EQ(let(0)->name, "window");
  EXPECT_EQ(let(0)->name_range.column, 5u);
  EXPECT_TRUE(let(1)->is_tabular());
  EXPECT_TRUE(let(2)->is_tabular());   // a bare name that is no scalar let is a table
  EXPECT_FALSE(let(3)->is_tabular());  // the pipe is inside toscalar(...)
  EXPECT_FALSE(let(4)->is_tabular());  // a bare name that is a scalar let
  EXPECT_EQ(statements[5].range.line, 6u);
}

TEST(Parser, ToscalarTakesATabularArgumentWithOrWithoutParentheses) {
  const auto parsed = parse_ok(
      "let a = toscalar(T | summarize n = count() by A, B | top 1 by n | project A);\n"
      "let b = toscalar((T | count));\n"
      "let c = toscalar(union T, U | count);\n"
      "let d = toscalar(range x from 1 to 3 step 1 | count);\n"
      "T | where x > toscalar(T | summarize max(x)) * 2");
  const auto& statements = parsed.ast.statements;
  ASSERT_EQ(statements.size(), 5u);
  for (size_t i = 0; i < 4; ++i) {
    const auto& let = std::get<LetStatement>(statements[i].node);
    ASSERT_FALSE(let.is_tabular()) << i;
    const auto& call = expr_of<CallExpr>(*let.scalar);
    EXPECT_EQ(call.name, "toscalar");
    ASSERT_EQ(call.args.size(), 1u) << i;
    const auto* sub = std::get_if<SubqueryExpr>(&call.args[0]->node);
    ASSERT_NE(sub, nullptr) << i;
    EXPECT_EQ(sub->query->pipeline.size(), i == 0 ? 3u : 1u) << i;
  }
  const auto& union_call = expr_of<CallExpr>(*std::get<LetStatement>(statements[2].node).scalar);
  const auto& union_query = *std::get<SubqueryExpr>(union_call.args[0]->node).query;
  EXPECT_EQ(std::get<UnionSource>(union_query.source).union_op.legs.size(), 2u);
}

TEST(Parser, SummarizeWithNamesAndBins) {
  const auto parsed = parse_ok(
      "T | summarize n = count(), dcount(RemoteIP), arg_max(Timestamp, *) by bin(Timestamp, 1h),"
      " Device = DeviceName");
  const auto& summarize = node_of<SummarizeOperator>(first_query(parsed).pipeline[0]);
  ASSERT_EQ(summarize.aggregates.size(), 3u);
  EXPECT_EQ(summarize.aggregates[0].name, "n");
  EXPECT_EQ(summarize.aggregates[1].name, "");
  EXPECT_TRUE(std::holds_alternative<StarExpr>(
      expr_of<CallExpr>(*summarize.aggregates[2].expr).args[1]->node));
  ASSERT_EQ(summarize.by.size(), 2u);
  EXPECT_EQ(expr_of<CallExpr>(*summarize.by[0].expr).name, "bin");
  EXPECT_EQ(summarize.by[1].name, "Device");
}

TEST(Parser, SortTopTakeAndTheirDefaults) {
  const auto parsed =
      parse_ok("T | sort by a, b asc, c desc nulls first | top 5 by d asc | order by e | limit 3");
  const auto& pipeline = first_query(parsed).pipeline;
  const auto& sort = node_of<SortOperator>(pipeline[0]);
  ASSERT_EQ(sort.keys.size(), 3u);
  EXPECT_EQ(sort.keys[0].order, SortOrder::Descending);  // KQL's default
  EXPECT_FALSE(sort.keys[0].order_explicit);
  EXPECT_EQ(sort.keys[0].nulls, NullsOrder::Last);
  EXPECT_EQ(sort.keys[1].order, SortOrder::Ascending);
  EXPECT_EQ(sort.keys[1].nulls, NullsOrder::First);
  EXPECT_EQ(sort.keys[2].nulls, NullsOrder::First);
  EXPECT_TRUE(sort.keys[2].nulls_explicit);
  const auto& top = node_of<TopOperator>(pipeline[1]);
  EXPECT_EQ(expr_of<Literal>(*top.count).integer, 5);
  EXPECT_EQ(top.by.order, SortOrder::Ascending);
  EXPECT_EQ(pipeline[2].name_range.length, std::string_view("order by").size());
  EXPECT_TRUE(std::holds_alternative<TakeOperator>(pipeline[3].node));
}

TEST(Parser, JoinKindsKeysAndRightSide) {
  const auto parsed = parse_ok(
      "A | join kind=leftouter hint.strategy=shuffle (B | where x > 1) on $left.Id == $right.Key,"
      " Name | join C on Id | lookup kind=inner D on $right.K == $left.K");
  const auto& pipeline = first_query(parsed).pipeline;
  const auto& join = node_of<JoinOperator>(pipeline[0]);
  EXPECT_EQ(join.kind, JoinKind::LeftOuter);
  EXPECT_TRUE(join.kind_explicit);
  ASSERT_EQ(join.params.size(), 2u);
  EXPECT_EQ(join.params[1].name, "hint.strategy");
  EXPECT_EQ(join.params[1].value, "shuffle");
  EXPECT_EQ(std::get<TableSource>(join.right->source).name, "B");
  ASSERT_EQ(join.on.size(), 2u);
  EXPECT_EQ(join.on[0].left, "Id");
  EXPECT_EQ(join.on[0].right, "Key");
  EXPECT_EQ(join.on[1].left, "Name");
  EXPECT_EQ(join.on[1].right, "Name");
  const auto& plain = node_of<JoinOperator>(pipeline[1]);
  EXPECT_EQ(plain.kind, JoinKind::InnerUnique);
  EXPECT_FALSE(plain.kind_explicit);
  const auto& lookup = node_of<LookupOperator>(pipeline[2]);
  EXPECT_EQ(lookup.kind, JoinKind::Inner);
  EXPECT_EQ(lookup.on[0].left, "K");
}

TEST(Parser, UnionAsSourceAndOperator) {
  const auto parsed = parse_ok(
      "union kind=inner withsource=Src isfuzzy=true A, (B | take 1), Dev*Events | union C");
  const Query& query = first_query(parsed);
  const auto& source = std::get<UnionSource>(query.source).union_op;
  EXPECT_FALSE(source.outer);
  EXPECT_EQ(source.with_source, "Src");
  EXPECT_TRUE(source.is_fuzzy);
  ASSERT_EQ(source.legs.size(), 3u);
  EXPECT_EQ(std::get<TableSource>(source.legs[2]->source).name, "Dev*Events");
  EXPECT_EQ(node_of<UnionOperator>(query.pipeline[0]).legs.size(), 1u);
}

TEST(Parser, ProjectFamily) {
  const auto parsed = parse_ok(
      "T | project a, b = c + 1 | project-away Init*, x | project-rename New = Old, N2 = O2 "
      "| project-keep a* | project-reorder b, a asc");
  const auto& pipeline = first_query(parsed).pipeline;
  EXPECT_EQ(node_of<ProjectOperator>(pipeline[0]).columns[1].name, "b");
  const auto& away = node_of<ProjectAwayOperator>(pipeline[1]);
  EXPECT_EQ(away.columns[0].pattern, "Init*");
  EXPECT_TRUE(away.columns[0].has_wildcard());
  EXPECT_EQ(away.columns[1].pattern, "x");
  const auto& rename = node_of<ProjectRenameOperator>(pipeline[2]);
  EXPECT_EQ(rename.renames[1].new_name, "N2");
  EXPECT_EQ(rename.renames[1].old_name, "O2");
  EXPECT_EQ(node_of<ProjectKeepOperator>(pipeline[3]).columns[0].pattern, "a*");
  EXPECT_EQ(node_of<ProjectReorderOperator>(pipeline[4]).columns.size(), 2u);
}

TEST(Parser, ParseMvExpandDistinctCount) {
  const auto parsed = parse_ok(
      "T | parse CommandLine with * \"-user \" User \" -port \" Port:int * "
      "| parse-where kind=regex Msg with \"id=\" Id:long "
      "| mv-expand with_itemindex=Index Item = parse_json(Items) to typeof(string), Other limit 100"
      " | distinct User, Port | count");
  const auto& pipeline = first_query(parsed).pipeline;
  const auto& parse_op = node_of<ParseOperator>(pipeline[0]);
  ASSERT_EQ(parse_op.pattern.size(), 6u);
  EXPECT_EQ(parse_op.pattern[0].kind, ParsePart::Kind::Wildcard);
  EXPECT_EQ(parse_op.pattern[1].text, "-user ");
  EXPECT_EQ(parse_op.pattern[2].kind, ParsePart::Kind::Column);
  EXPECT_EQ(parse_op.pattern[2].type, ScalarType::String);
  EXPECT_EQ(parse_op.pattern[4].text, "Port");
  EXPECT_EQ(parse_op.pattern[4].type, ScalarType::Int);
  const auto& parse_where = node_of<ParseOperator>(pipeline[1]);
  EXPECT_TRUE(parse_where.keep_only_matches);
  EXPECT_EQ(parse_where.kind, "regex");
  const auto& expand = node_of<MvExpandOperator>(pipeline[2]);
  EXPECT_EQ(expand.with_itemindex, "Index");
  ASSERT_EQ(expand.items.size(), 2u);
  EXPECT_EQ(expand.items[0].column.name, "Item");
  EXPECT_EQ(expand.items[0].to_type, ScalarType::String);
  EXPECT_FALSE(expand.items[1].to_type.has_value());
  EXPECT_EQ(expr_of<Literal>(*expand.limit).integer, 100);
  EXPECT_EQ(node_of<DistinctOperator>(pipeline[3]).columns.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<CountOperator>(pipeline[4].node));
}

TEST(Parser, SearchForms) {
  const auto star = parse_ok("search *");
  EXPECT_TRUE(std::holds_alternative<StarExpr>(
      std::get<SearchSource>(first_query(star).source).search.predicate->node));
  const auto scoped = parse_ok(
      "search kind=case_sensitive in (DeviceProcessEvents, Device*) FileName:\"evil.exe\" and "
      "\"beacon\"");
  const auto& search = std::get<SearchSource>(first_query(scoped).source).search;
  EXPECT_TRUE(search.case_sensitive);
  ASSERT_EQ(search.tables.size(), 2u);
  EXPECT_EQ(search.tables[1], "Device*");
  const auto& both = expr_of<BinaryExpr>(*search.predicate);
  EXPECT_EQ(expr_of<BinaryExpr>(*both.left).op, BinaryOp::Has);
  const auto operator_form = parse_ok("T | search \"x\" | where * has \"y\"");
  EXPECT_TRUE(std::holds_alternative<SearchOperator>(first_query(operator_form).pipeline[0].node));
}

TEST(Parser, OtherSourcesAndOperators) {
  const auto parsed = parse_ok(
      "let D = datatable(Name:string, Count:long) [\"a\", 1, \"b\", 2];\n"
      "let M = materialize(D | take 1);\n"
      "range x from 1 to 10 step 1\n"
      "| extend y = x * 2\n"
      "| make-series c = count() default=0 on Timestamp from ago(1d) to now() step 1h by y\n"
      "| evaluate bag_unpack(Props)\n"
      "| serialize r = row_number()\n"
      "| as Result\n"
      "| sample 5\n"
      "| getschema\n"
      "| render timechart with (title=\"x\")\n"
      "| invoke f()");
  ASSERT_EQ(parsed.ast.statements.size(), 3u);
  const auto& datatable = std::get<DatatableSource>(
      std::get<LetStatement>(parsed.ast.statements[0].node).tabular->source);
  EXPECT_EQ(datatable.columns.size(), 2u);
  EXPECT_EQ(datatable.columns[1].type, ScalarType::Long);
  EXPECT_EQ(datatable.values.size(), 4u);
  EXPECT_TRUE(std::get<SubquerySource>(
                  std::get<LetStatement>(parsed.ast.statements[1].node).tabular->source)
                  .materialized);
  const Query& query = first_query(parsed);
  EXPECT_EQ(std::get<RangeSource>(query.source).column, "x");
  const auto& pipeline = query.pipeline;
  ASSERT_EQ(pipeline.size(), 9u);
  const auto& series = node_of<MakeSeriesOperator>(pipeline[1]);
  EXPECT_EQ(series.aggregates[0].aggregate.name, "c");
  EXPECT_NE(series.aggregates[0].default_value, nullptr);
  EXPECT_NE(series.from, nullptr);
  EXPECT_EQ(series.by.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<EvaluateOperator>(pipeline[2].node));
  EXPECT_EQ(node_of<SerializeOperator>(pipeline[3]).columns[0].name, "r");
  EXPECT_EQ(node_of<AsOperator>(pipeline[4]).name, "Result");
  EXPECT_TRUE(std::holds_alternative<SampleOperator>(pipeline[5].node));
  EXPECT_TRUE(std::holds_alternative<GetSchemaOperator>(pipeline[6].node));
  const auto& render = node_of<RenderOperator>(pipeline[7]);
  EXPECT_EQ(render.chart, "timechart");
  EXPECT_EQ(render.properties, "with (title=\"x\")");
  EXPECT_TRUE(std::holds_alternative<InvokeOperator>(pipeline[8].node));
}

TEST(Parser, SeveralQueriesInOneScript) {
  const auto parsed = parse_ok("A | take 1;\nB | count;");
  ASSERT_EQ(parsed.ast.statements.size(), 2u);
  EXPECT_EQ(parsed.ast.statements[1].range.line, 2u);
}

TEST(Parser, PrinterRoundTripsExpressions) {
  const std::string text =
      "T | where (a or b) and c !in~ (\"x\", \"y\") and d between (1 .. 2) and e.f[0] > -1.5";
  const auto parsed = parse_ok(text);
  const auto& where = node_of<WhereOperator>(first_query(parsed).pipeline[0]);
  const std::string printed = to_kql(*where.predicate);
  EXPECT_EQ(printed, "(a or b) and c !in~ (\"x\", \"y\") and d between (1 .. 2) and e.f[0] > -1.5");
  const auto again = parse_ok("T | where " + printed);
  EXPECT_EQ(to_kql(*node_of<WhereOperator>(first_query(again).pipeline[0]).predicate), printed);
}

}  // namespace
}  // namespace kql

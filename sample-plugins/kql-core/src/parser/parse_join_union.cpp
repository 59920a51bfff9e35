// Operators that combine tables: join, lookup and union.
#include <array>
#include <utility>

#include "kql/suggest.hpp"
#include "parser/parser.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

std::optional<JoinKind> join_kind(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, JoinKind>, 13> kKinds{{
      {"innerunique", JoinKind::InnerUnique},
      {"inner", JoinKind::Inner},
      {"leftouter", JoinKind::LeftOuter},
      {"rightouter", JoinKind::RightOuter},
      {"fullouter", JoinKind::FullOuter},
      {"outer", JoinKind::FullOuter},
      {"leftanti", JoinKind::LeftAnti},
      {"anti", JoinKind::LeftAnti},
      {"leftantisemi", JoinKind::LeftAnti},
      {"rightanti", JoinKind::RightAnti},
      {"rightantisemi", JoinKind::RightAnti},
      {"leftsemi", JoinKind::LeftSemi},
      {"rightsemi", JoinKind::RightSemi},
  }};
  for (const auto& [spelling, kind] : kKinds)
    if (spelling == name) return kind;
  return std::nullopt;
}

const std::vector<std::string>& join_kind_names() {
  static const std::vector<std::string> kNames{
      "innerunique", "inner",        "leftouter", "rightouter",    "fullouter", "leftanti",
      "anti",        "leftantisemi", "rightanti", "rightantisemi", "leftsemi",  "rightsemi"};
  return kNames;
}

}  // namespace

JoinOperator Parser::parse_join() {
  JoinOperator join;
  join.params = parse_params();
  for (const auto& param : join.params) {
    if (param.name != "kind") continue;
    auto kind = join_kind(param.value);
    if (!kind) {
      auto match = closest_match(param.value, join_kind_names());
      report(param.range, "'" + param.value + "' is not a join kind",
             match ? "did you mean 'kind=" + *match + "'?"
                   : "use inner, innerunique, leftouter, rightouter, fullouter, leftanti, "
                     "rightanti, leftsemi or rightsemi");
    }
    join.kind = kind.value_or(JoinKind::InnerUnique);
    join.kind_explicit = true;
  }
  if (at(TokenKind::Identifier) && peek(1).kind == TokenKind::Assign && peek().text != "on")
    fail(peek().range, "'" + std::string(peek().text) + "' is not a join setting",
         "join takes kind=..., hint.strategy=..., hint.remote=... before its right side");
  join.right = parse_table_or_subquery(false);
  if (!at_word("on"))
    fail_expected("'on' and the join keys after the join's right side",
                  "write 'on DeviceId' or 'on $left.DeviceId == $right.DeviceId'");
  advance();
  join.on = parse_join_keys();
  return join;
}

LookupOperator Parser::parse_lookup() {
  LookupOperator lookup;
  lookup.params = parse_params();
  for (const auto& param : lookup.params) {
    if (param.name != "kind") continue;
    if (param.value == "leftouter") {
      lookup.kind = JoinKind::LeftOuter;
    } else if (param.value == "inner") {
      lookup.kind = JoinKind::Inner;
    } else {
      report(param.range, "'" + param.value + "' is not a lookup kind",
             "lookup takes kind=leftouter (the default) or kind=inner");
    }
    lookup.kind_explicit = true;
  }
  lookup.right = parse_table_or_subquery(false);
  expect_word("on", "and the keys after the lookup table",
              "write 'on DeviceId' or 'on $left.A == $right.B'");
  lookup.on = parse_join_keys();
  return lookup;
}

// `on A, B` or `on $left.A == $right.B and $left.C == $right.D` (also mixed, with ',').
std::vector<JoinKey> Parser::parse_join_keys() {
  std::vector<JoinKey> keys;
  const std::string hint = "write 'on Column' or 'on $left.Column == $right.OtherColumn'";
  auto side_column = [&](std::string& side, SourceRange& range) -> std::string {
    const Token& start = peek();
    side = std::string(advance().text);
    expect(TokenKind::Dot, "'.' and a column after '" + side + "'", hint);
    std::string column = parse_name("a column after '" + side + ".'", hint, nullptr);
    range = range_from(start);
    return column;
  };
  do {
    JoinKey key;
    if (at_word("$left") || at_word("$right")) {
      std::string first_side, second_side;
      SourceRange first_range, second_range;
      std::string first = side_column(first_side, first_range);
      expect(TokenKind::Equal, "'==' between the two sides of a join condition", hint);
      if (!at_word("$left") && !at_word("$right"))
        fail_expected("'$left.' or '$right.' after '=='", hint);
      std::string second = side_column(second_side, second_range);
      if (first_side == second_side)
        report(second_range, "both sides of the join condition are " + first_side,
               "compare a $left column with a $right column");
      if (first_side == "$left") {
        key = {first, first_range, second, second_range};
      } else {
        key = {second, second_range, first, first_range};
      }
    } else {
      SourceRange range;
      std::string name = parse_name("a join key", hint, &range);
      key = {name, range, name, range};
    }
    keys.push_back(std::move(key));
  } while (accept(TokenKind::Comma) || accept_word("and"));
  return keys;
}

UnionOperator Parser::parse_union_body() {
  UnionOperator union_op;
  union_op.params = parse_params();
  for (const auto& param : union_op.params) {
    if (param.name == "kind") {
      if (param.value != "inner" && param.value != "outer")
        report(param.range, "'" + param.value + "' is not a union kind",
               "union takes kind=outer (the default) or kind=inner");
      union_op.outer = param.value != "inner";
    } else if (param.name == "withsource" || param.name == "with_source") {
      union_op.with_source = param.value;
    } else if (param.name == "isfuzzy") {
      union_op.is_fuzzy = param.value == "true";
    }
  }
  do {
    union_op.legs.push_back(parse_table_or_subquery(true));
  } while (accept(TokenKind::Comma));
  return union_op;
}

}  // namespace kql::detail

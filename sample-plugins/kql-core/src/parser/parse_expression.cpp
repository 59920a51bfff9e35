// Scalar expressions, by KQL's precedence (loosest first): or, and, comparisons and string and
// set operators, + -, * / %, unary - +, then member and index access.
#include <array>
#include <utility>

#include "parser/parser.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

// String operators spelled as words, with their negated and case-sensitive forms.
std::optional<BinaryOp> word_operator(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, BinaryOp>, 24> kOps{{
      {"has", BinaryOp::Has},
      {"!has", BinaryOp::NotHas},
      {"has_cs", BinaryOp::HasCs},
      {"!has_cs", BinaryOp::NotHasCs},
      {"hasprefix", BinaryOp::HasPrefix},
      {"!hasprefix", BinaryOp::NotHasPrefix},
      {"hasprefix_cs", BinaryOp::HasPrefixCs},
      {"!hasprefix_cs", BinaryOp::NotHasPrefixCs},
      {"hassuffix", BinaryOp::HasSuffix},
      {"!hassuffix", BinaryOp::NotHasSuffix},
      {"hassuffix_cs", BinaryOp::HasSuffixCs},
      {"!hassuffix_cs", BinaryOp::NotHasSuffixCs},
      {"contains", BinaryOp::Contains},
      {"!contains", BinaryOp::NotContains},
      {"contains_cs", BinaryOp::ContainsCs},
      {"!contains_cs", BinaryOp::NotContainsCs},
      {"startswith", BinaryOp::StartsWith},
      {"!startswith", BinaryOp::NotStartsWith},
      {"startswith_cs", BinaryOp::StartsWithCs},
      {"!startswith_cs", BinaryOp::NotStartsWithCs},
      {"endswith", BinaryOp::EndsWith},
      {"!endswith", BinaryOp::NotEndsWith},
      {"endswith_cs", BinaryOp::EndsWithCs},
      {"!endswith_cs", BinaryOp::NotEndsWithCs},
  }};
  for (const auto& [spelling, op] : kOps)
    if (spelling == word) return op;
  return std::nullopt;
}

std::optional<BinaryOp> symbol_operator(TokenKind kind) {
  switch (kind) {
    case TokenKind::Equal:
      return BinaryOp::Equal;
    case TokenKind::NotEqual:
      return BinaryOp::NotEqual;
    case TokenKind::EqualTilde:
      return BinaryOp::EqualCi;
    case TokenKind::BangTilde:
      return BinaryOp::NotEqualCi;
    case TokenKind::Less:
      return BinaryOp::Less;
    case TokenKind::LessOrEqual:
      return BinaryOp::LessOrEqual;
    case TokenKind::Greater:
      return BinaryOp::Greater;
    case TokenKind::GreaterOrEqual:
      return BinaryOp::GreaterOrEqual;
    default:
      return std::nullopt;
  }
}

std::optional<InOp> in_operator(std::string_view word) {
  if (word == "in") return InOp::In;
  if (word == "!in") return InOp::NotIn;
  if (word == "in~") return InOp::InCi;
  if (word == "!in~") return InOp::NotInCi;
  if (word == "has_any") return InOp::HasAny;
  if (word == "has_all") return InOp::HasAll;
  return std::nullopt;
}

// Words that are operators, so they cannot stand for a column in an operand position.
bool is_operator_word(std::string_view word) {
  return word == "and" || word == "or" || word == "by" || word == "between" || word == "!between" ||
         word == "matches" || in_operator(word) || word_operator(word);
}

}  // namespace

ExprPtr Parser::parse_expression() {
  return parse_or();
}

ExprPtr Parser::parse_or() {
  ExprPtr left = parse_and();
  ChainDepth chain(*this);
  while (at_word("or")) {
    const Token& op = advance();
    chain.grow(op.range);
    ExprPtr right = parse_and();
    const SourceRange range = span(left->range, right->range);
    left = make_expr(range, BinaryExpr{BinaryOp::Or, op.range, std::move(left), std::move(right)});
  }
  return left;
}

ExprPtr Parser::parse_and() {
  ExprPtr left = parse_comparison();
  ChainDepth chain(*this);
  while (at_word("and")) {
    const Token& op = advance();
    chain.grow(op.range);
    ExprPtr right = parse_comparison();
    const SourceRange range = span(left->range, right->range);
    left = make_expr(range, BinaryExpr{BinaryOp::And, op.range, std::move(left), std::move(right)});
  }
  return left;
}

ExprPtr Parser::parse_comparison() {
  ExprPtr left = parse_additive();
  ChainDepth chain(*this);
  for (;;) {
    const Token& token = peek();
    std::optional<BinaryOp> op = symbol_operator(token.kind);
    if (!op && token.kind == TokenKind::Identifier) op = word_operator(token.text);
    if (op) {
      advance();
      chain.grow(token.range);
      ExprPtr right = parse_additive();
      const SourceRange range = span(left->range, right->range);
      left = make_expr(range, BinaryExpr{*op, token.range, std::move(left), std::move(right)});
      continue;
    }
    if (token.kind != TokenKind::Identifier) {
      if (token.kind == TokenKind::Bang)
        fail(token.range, "'!' alone is not an operator in KQL",
             "negate a condition with not(...), and write '!=' or '!has' without a space");
      return left;
    }
    if (token.text == "matches" && at_word("regex", 1)) {
      advance();
      advance();
      chain.grow(token.range);
      const SourceRange op_range = range_from(token);
      ExprPtr right = parse_additive();
      const SourceRange range = span(left->range, right->range);
      left = make_expr(
          range, BinaryExpr{BinaryOp::MatchesRegex, op_range, std::move(left), std::move(right)});
      continue;
    }
    if (auto in_op = in_operator(token.text)) {
      advance();
      chain.grow(token.range);
      InExpr in{*in_op, token.range, std::move(left), parse_in_list()};
      const SourceRange range = span(in.left->range, previous().range);
      left = make_expr(range, std::move(in));
      continue;
    }
    if (token.text == "between" || token.text == "!between") {
      advance();
      chain.grow(token.range);
      const std::string hint = "write: x between (low .. high)";
      expect(TokenKind::LeftParen, "'(' after '" + std::string(token.text) + "'", hint);
      BetweenExpr between{token.text == "!between", std::move(left), parse_additive(), nullptr};
      expect(TokenKind::DotDot, "'..' between the two bounds", hint);
      between.high = parse_additive();
      expect(TokenKind::RightParen, "')' after the upper bound", hint);
      const SourceRange range = span(between.left->range, previous().range);
      left = make_expr(range, std::move(between));
      continue;
    }
    if (token.text == "like" || token.text == "notlike" || token.text == "LIKE")
      fail(token.range, "KQL has no 'like' operator",
           "use has, contains, startswith, endswith or matches regex");
    const std::string lower = to_lower(token.text);
    if (lower != token.text &&
        (lower == "and" || lower == "or" || (lower.size() > 2 && word_operator(lower))))
      fail(token.range,
           "'" + std::string(token.text) + "' must be written '" + lower +
               "': KQL operators are case-sensitive",
           "write '" + lower + "'");
    return left;
  }
}

// The list after in / !in / in~ / has_any / has_all: `("a", "b")`, `(dynamic([...]))`,
// `(T | project x)` or `(LetName)`.
std::vector<ExprPtr> Parser::parse_in_list() {
  std::vector<ExprPtr> items;
  const std::string hint = "write x in (\"a\", \"b\") or x in (Table | project Column)";
  if (!at(TokenKind::LeftParen)) {
    // `x in dynamic([...])` and `x has_any (Names)` without parentheses: KQL accepts a single
    // dynamic value or let name here.
    if (at_word("dynamic") || at(TokenKind::Identifier)) {
      items.push_back(parse_postfix());
      return items;
    }
    fail_expected("'(' and a list of values", hint);
  }
  if (paren_holds_pipe()) {
    const Token& open = peek();
    QueryPtr query = parse_parenthesized_query();
    items.push_back(make_expr(range_from(open), SubqueryExpr{std::move(query)}));
    return items;
  }
  advance();
  if (at(TokenKind::RightParen))
    fail(peek().range, "the list is empty", "put at least one value in the parentheses");
  do {
    items.push_back(parse_expression());
  } while (accept(TokenKind::Comma));
  expect(TokenKind::RightParen, "')' or ',' in the list", hint);
  return items;
}

ExprPtr Parser::parse_additive() {
  ExprPtr left = parse_multiplicative();
  ChainDepth chain(*this);
  while (at(TokenKind::Plus) || at(TokenKind::Minus)) {
    const Token& op = advance();
    chain.grow(op.range);
    ExprPtr right = parse_multiplicative();
    const SourceRange range = span(left->range, right->range);
    left =
        make_expr(range, BinaryExpr{op.kind == TokenKind::Plus ? BinaryOp::Add : BinaryOp::Subtract,
                                    op.range, std::move(left), std::move(right)});
  }
  return left;
}

ExprPtr Parser::parse_multiplicative() {
  ExprPtr left = parse_unary();
  ChainDepth chain(*this);
  while (at(TokenKind::Star) || at(TokenKind::Slash) || at(TokenKind::Percent)) {
    const Token& op = advance();
    chain.grow(op.range);
    ExprPtr right = parse_unary();
    const BinaryOp binary = op.kind == TokenKind::Star    ? BinaryOp::Multiply
                            : op.kind == TokenKind::Slash ? BinaryOp::Divide
                                                          : BinaryOp::Modulo;
    const SourceRange range = span(left->range, right->range);
    left = make_expr(range, BinaryExpr{binary, op.range, std::move(left), std::move(right)});
  }
  return left;
}

ExprPtr Parser::parse_unary() {
  DepthGuard guard(*this);
  if (at(TokenKind::Minus) || at(TokenKind::Plus)) {
    const Token& op = advance();
    ExprPtr operand = parse_unary();
    const SourceRange range = span(op.range, operand->range);
    return make_expr(range, UnaryExpr{op.kind == TokenKind::Minus ? UnaryOp::Negate : UnaryOp::Plus,
                                      std::move(operand)});
  }
  return parse_postfix();
}

ExprPtr Parser::parse_postfix() {
  ExprPtr object = parse_primary();
  ChainDepth chain(*this);
  for (;;) {
    if (at(TokenKind::Dot) &&
        (peek(1).kind == TokenKind::Identifier ||
         (peek(1).kind == TokenKind::LeftBracket && peek(2).kind == TokenKind::String))) {
      chain.grow(peek().range);
      advance();
      MemberExpr member;
      member.member = parse_name("a property name after '.'", "", &member.member_range);
      const SourceRange range = span(object->range, member.member_range);
      member.object = std::move(object);
      object = make_expr(range, std::move(member));
    } else if (at(TokenKind::LeftBracket)) {
      chain.grow(peek().range);
      advance();
      IndexExpr index{std::move(object), parse_expression()};
      expect(TokenKind::RightBracket, "']' after the index", "write Column[\"key\"] or Column[0]");
      const SourceRange range = span(index.object->range, previous().range);
      object = make_expr(range, std::move(index));
    } else {
      return object;
    }
  }
}

ExprPtr Parser::parse_primary() {
  const Token& token = peek();
  switch (token.kind) {
    case TokenKind::String:
      return parse_string_literal();
    case TokenKind::Long: {
      advance();
      Literal literal;
      literal.type = ScalarType::Long;
      literal.integer = token.integer;
      return make_expr(token.range, std::move(literal));
    }
    case TokenKind::Real: {
      advance();
      Literal literal;
      literal.type = ScalarType::Real;
      literal.real = token.real;
      return make_expr(token.range, std::move(literal));
    }
    case TokenKind::TimeSpan: {
      advance();
      Literal literal;
      literal.type = ScalarType::TimeSpan;
      literal.ticks = token.ticks;
      return make_expr(token.range, std::move(literal));
    }
    case TokenKind::TypedLiteral:
      advance();
      return parse_typed_literal(token);
    case TokenKind::Star:
      advance();
      return make_expr(token.range, StarExpr{});
    case TokenKind::Invalid:  // reported by the lexer: stand in for the value it meant
      advance();
      return make_expr(token.range, Literal{});
    case TokenKind::LeftParen: {
      if (paren_holds_pipe()) {
        QueryPtr query = parse_parenthesized_query();
        return make_expr(range_from(token), SubqueryExpr{std::move(query)});
      }
      advance();
      ExprPtr inner = parse_expression();
      if (at(TokenKind::Comma))
        fail(peek().range, "a ',' inside parentheses is only valid in a list",
             "lists follow in, !in, has_any or a function name: f(a, b)");
      expect(TokenKind::RightParen, "')'",
             "close the parenthesis opened at line " + std::to_string(token.range.line) +
                 ", column " + std::to_string(token.range.column));
      inner->range = range_from(token);
      return inner;
    }
    case TokenKind::LeftBracket:
      if (at_name()) {
        SourceRange range;
        std::string name = parse_name("a column", "", &range);
        return make_expr(range, ColumnRef{std::move(name)});
      }
      fail(token.range, "'[' cannot start an expression here",
           "a bracketed column name is written ['name']; a dynamic array is dynamic([1, 2])");
    case TokenKind::Identifier:
      break;
    default:
      fail_expected("a value, a column or a function call",
                    token.kind == TokenKind::Pipe ? "the expression before '|' is incomplete"
                                                  : "write a column name, a literal such as "
                                                    "\"text\" or 10, or a function such as "
                                                    "ago(1d)");
  }

  // Identifiers: literals spelt as words, calls, columns.
  const std::string_view word = token.text;
  if (word == "true" || word == "false" || word == "True" || word == "False" || word == "TRUE" ||
      word == "FALSE") {
    advance();
    Literal literal;
    literal.type = ScalarType::Bool;
    literal.boolean = iequals(word, "true");
    return make_expr(token.range, std::move(literal));
  }
  if (word == "null") {
    advance();
    Literal literal;
    literal.is_null = true;
    return make_expr(token.range, std::move(literal));
  }
  if (word == "not" && peek(1).kind != TokenKind::LeftParen)
    fail(token.range, "'not' is a function in KQL", "write not(condition)");
  if (is_operator_word(word))
    fail(token.range,
         "expected a value or a column, found the operator '" + std::string(word) + "'",
         "an operand is missing before or after it");
  if (peek(1).kind == TokenKind::LeftParen) {
    if (word == "dynamic") {
      advance();
      return parse_dynamic_literal(token);
    }
    if (word == "long" || word == "int" || word == "real" || word == "double" || word == "bool" ||
        word == "boolean" || word == "decimal" || word == "string") {
      advance();
      return parse_typed_call_literal(token);
    }
    advance();
    return parse_call(token);
  }
  advance();
  if (search_mode_ && at(TokenKind::Colon)) {  // search Column:"term"
    const Token& colon = advance();
    ExprPtr column = make_expr(token.range, ColumnRef{std::string(word)});
    ExprPtr term = parse_postfix();
    const SourceRange range = span(token.range, term->range);
    return make_expr(range,
                     BinaryExpr{BinaryOp::Has, colon.range, std::move(column), std::move(term)});
  }
  return make_expr(token.range, ColumnRef{std::string(word)});
}

ExprPtr Parser::parse_call(const Token& name) {
  CallExpr call;
  call.name = std::string(name.text);
  call.name_range = name.range;
  expect(TokenKind::LeftParen, "'('", "");
  if (!at(TokenKind::RightParen)) {
    do {
      if (at(TokenKind::RightParen))
        fail(peek().range, "an argument is missing after ','", "remove the trailing ','");
      // toscalar(T | summarize ...), and toscalar(union A, B ...) / toscalar(datatable(...) [...])
      // whose source needs no pipe to be a table.
      const bool tabular_source = call.name == "toscalar" && call.args.empty() &&
                                  (at_word("union") || at_word("print") ||
                                   (at_word("datatable") && peek(1).kind == TokenKind::LeftParen) ||
                                   (at_word("range") && peek(1).kind == TokenKind::Identifier));
      if (tabular_source || argument_holds_pipe()) {
        const Token& first = peek();
        ++enclosing_parens_;
        QueryPtr query;
        try {
          query = parse_query();
        } catch (...) {
          --enclosing_parens_;
          throw;
        }
        --enclosing_parens_;
        call.args.push_back(make_expr(range_from(first), SubqueryExpr{std::move(query)}));
      } else {
        call.args.push_back(parse_expression());
      }
    } while (accept(TokenKind::Comma));
  }
  expect(TokenKind::RightParen, "')' to close the call to " + call.name,
         "close the argument list of " + call.name + "(...) with ')'");
  return make_expr(range_from(name), std::move(call));
}

}  // namespace kql::detail

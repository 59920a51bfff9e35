// Robustness: random bytes, truncated and mutated real queries, and hostile nesting must never
// crash, hang or overflow the stack; the front end answers with diagnostics instead.
#include <chrono>
#include <fstream>
#include <random>

#include "kql/print.hpp"
#include "test_support.hpp"

namespace kql {
namespace {

std::vector<std::string> corpus() {
  std::ifstream file(std::string(KQL_CORE_SOURCE_DIR) + "/tests/data/hunting_queries.kql");
  std::vector<std::string> queries;
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("// ==== ", 0) == 0) {
      queries.emplace_back();
    } else if (!queries.empty()) {
      queries.back() += line + "\n";
    }
  }
  return queries;
}

// Parses and checks; the only requirement is coming back with a consistent result.
void survive(std::string_view text) {
  const ParseResult parsed = parse(text);
  for (const auto& d : parsed.diagnostics) {
    ASSERT_LE(d.range.offset, text.size());
    ASSERT_FALSE(d.message.empty());
  }
  if (!parsed.ast.statements.empty()) {
    const CheckResult checked = check(parsed.ast, testing::shipped_catalogue());
    for (const auto& d : checked.diagnostics)
      ASSERT_FALSE(d.message.empty());
  }
}

TEST(Fuzz, RandomBytes) {
  std::mt19937 random(20240131);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> length(0, 300);
  for (int i = 0; i < 2000; ++i) {
    std::string text(length(random), '\0');
    for (char& c : text)
      c = static_cast<char>(byte(random));
    survive(text);
  }
}

TEST(Fuzz, RandomKqlTokens) {
  static const std::vector<std::string> kPieces{
      "T",        "|",     "where", "(",         ")",       "[",         "]",     "{",
      "}",        ",",     ";",     "let",       "=",       "==",        "\"s\"", "1",
      "1h",       "and",   "or",    "not(",      "project", "summarize", "by",    "join",
      "on",       "$left", ".",     "..",        "between", "in",        "has",   "datetime(",
      "dynamic(", "*",     "-",     "mv-expand", "parse",   "with",      "union", "search",
      "@\"x",     "'",     "```",   "kind=",     "in~",     "!",         "top"};
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> piece(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> count(1, 60);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = count(random); n > 0; --n)
      text += kPieces[piece(random)] + " ";
    survive(text);
  }
}

TEST(Fuzz, EveryPrefixOfRealQueries) {
  for (const auto& query : corpus())
    for (size_t length = 0; length <= query.size(); length += 3)
      survive(std::string_view(query).substr(0, length));
}

TEST(Fuzz, MutatedRealQueries) {
  std::mt19937 random(42);
  const auto queries = corpus();
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20; ++round) {
    for (const auto& query : queries) {
      std::string text = query;
      std::uniform_int_distribution<size_t> where(0, text.size() - 1);
      for (int edits = 1 + round % 4; edits > 0; --edits) {
        const size_t at = where(random);
        switch (byte(random) % 3) {
          case 0:
            text[at] = static_cast<char>(byte(random));
            break;
          case 1:
            text.insert(at, 1, "|()\"'[],.=*"[byte(random) % 11]);
            break;
          default:
            text.erase(at, 1);
        }
      }
      survive(text);
    }
  }
}

TEST(Fuzz, DeepNestingIsAnErrorNotACrash) {
  const std::vector<std::string> hostile{
      "T | where " + std::string(100000, '(') + "1" + std::string(100000, ')'),
      "T | where " + std::string(100000, '-') + "1",
      "T | where " +
          [] {
            std::string text;
            for (int i = 0; i < 100000; ++i)
              text += "a + ";
            return text + "a";
          }(),
      "T | where x in (" +
          [] {
            std::string text;
            for (int i = 0; i < 20000; ++i)
              text += "(T | where x in (";
            return text;
          }(),
      "print d = dynamic(" + std::string(100000, '[') + std::string(100000, ']') + ")",
      "T | extend x = " +
          [] {
            std::string text;
            for (int i = 0; i < 50000; ++i)
              text += "f(";
            return text;
          }(),
      "T | extend x = a" +
          [] {
            std::string text;
            for (int i = 0; i < 100000; ++i)
              text += ".b[0]";
            return text;
          }(),
  };
  for (const auto& text : hostile) {
    const auto start = std::chrono::steady_clock::now();
    const ParseResult parsed = parse(text);
    ASSERT_FALSE(parsed.ok()) << text.substr(0, 40);
    bool depth_error = false;
    for (const auto& d : parsed.diagnostics)
      depth_error = depth_error || d.message.find("too deeply") != std::string::npos;
    EXPECT_TRUE(depth_error) << text.substr(0, 40) << "\n" << testing::describe(parsed.diagnostics);
    survive(text);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
        << text.substr(0, 40);
  }
}

TEST(Fuzz, NestingWithinTheLimitStillParses) {
  const std::string text = "T | where " + std::string(60, '(') + "a == 1" + std::string(60, ')');
  EXPECT_TRUE(parse(text).ok());
}

// A tree built by hand (not by the parser) can be deeper than the parser allows; the checker
// still answers instead of recursing without bound.
TEST(Fuzz, CheckerBoundsItsOwnRecursion) {
  auto column = [] {
    auto expr = std::make_unique<Expr>();
    expr->node = ColumnRef{"DeviceName"};
    return expr;
  };
  ExprPtr deep = column();
  for (int i = 0; i < 5000; ++i) {
    auto call = std::make_unique<Expr>();
    CallExpr tolower{"tolower", {}, {}};
    tolower.args.push_back(std::move(deep));
    call->node = std::move(tolower);
    deep = std::move(call);
  }
  Script script;
  auto query = std::make_unique<Query>();
  query->source = TableSource{"DeviceInfo"};
  Operator extend;
  ExtendOperator node;
  node.columns.push_back(NamedExpr{"x", {}, std::move(deep), {}});
  extend.node = std::move(node);
  query->pipeline.push_back(std::move(extend));
  Statement statement;
  statement.node = QueryStatement{std::move(query)};
  script.statements.push_back(std::move(statement));
  const CheckResult result = check(script, testing::shipped_catalogue());
  EXPECT_NE(testing::find_code(result.diagnostics, "too-deep"), nullptr);
  // Tearing the hand-built tree down must not overflow either: unwind it iteratively.
  auto& ops = std::get<QueryStatement>(script.statements[0].node).query->pipeline;
  ExprPtr chain = std::move(std::get<ExtendOperator>(ops[0].node).columns[0].expr);
  while (chain) {
    auto* call = std::get_if<CallExpr>(&chain->node);
    ExprPtr next = call && !call->args.empty() ? std::move(call->args[0]) : nullptr;
    chain = std::move(next);
  }
}

}  // namespace
}  // namespace kql

// A corpus of real-world style hunting queries (tests/data/hunting_queries.kql): every one
// must parse and pass the checker with no error, and the corpus must stay large.
#include <cctype>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

namespace kql {
namespace {

struct NamedQuery {
  std::string name;
  std::string text;
};

std::vector<NamedQuery> load_corpus() {
  std::ifstream file(std::string(KQL_CORE_SOURCE_DIR) + "/tests/data/hunting_queries.kql");
  std::vector<NamedQuery> queries;
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("// ==== ", 0) == 0) {
      queries.push_back({line.substr(8), ""});
    } else if (!queries.empty()) {
      queries.back().text += line + "\n";
    }
  }
  return queries;
}

TEST(HuntingQueries, CorpusHasAtLeastSixtyQueries) {
  EXPECT_GE(load_corpus().size(), 60u);
}

TEST(HuntingQueries, EveryQueryParsesWithoutError) {
  for (const auto& query : load_corpus()) {
    const ParseResult parsed = parse(query.text);
    EXPECT_TRUE(parsed.ok()) << query.name << "\n"
                             << query.text << testing::describe(parsed.diagnostics);
    EXPECT_FALSE(parsed.ast.statements.empty()) << query.name;
  }
}

TEST(HuntingQueries, EveryQueryChecksWithoutErrorAgainstTheCatalogue) {
  for (const auto& query : load_corpus()) {
    const ParseResult parsed = parse(query.text);
    if (!parsed.ok()) continue;  // reported by the test above
    const CheckResult checked = check(parsed.ast, testing::shipped_catalogue());
    EXPECT_TRUE(checked.ok()) << query.name << "\n"
                              << query.text << testing::describe(checked.diagnostics);
    EXPECT_FALSE(checked.tables.empty()) << query.name << " reads no catalogue table";
  }
}

// Positions survive multi-line queries: every operator starts on its own line at column 3
// (after "| ") in the corpus's layout.
TEST(HuntingQueries, OperatorPositionsPointAtTheOperatorKeyword) {
  for (const auto& query : load_corpus()) {
    const ParseResult parsed = parse(query.text);
    if (!parsed.ok()) continue;
    for (const auto& statement : parsed.ast.statements) {
      const auto* run = std::get_if<QueryStatement>(&statement.node);
      if (!run) continue;
      for (const auto& op : run->query->pipeline) {
        const std::string_view at = std::string_view(query.text).substr(op.name_range.offset);
        const std::string keyword = [&] {
          std::string text;
          for (char c : at) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) break;
            text += c;
          }
          return text;
        }();
        EXPECT_FALSE(keyword.empty()) << query.name;
        EXPECT_EQ(query.text[op.name_range.offset - 2], '|') << query.name << ": " << keyword;
      }
    }
  }
}

}  // namespace
}  // namespace kql

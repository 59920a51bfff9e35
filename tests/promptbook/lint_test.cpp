// Lint rules the corpus does not pin down on its own: what depends on having a catalog, and that
// every finding points at a line and column.
#include <gtest/gtest.h>

#include <filesystem>

#include "promptbook/test_catalog.hpp"
#include "secpilot/promptbook/promptbook.hpp"

namespace secpilot::promptbook {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lint_text(std::string_view text, const skills::Catalog* catalog) {
  ParseResult parsed = parse_promptbook(text, "pb.yaml");
  std::vector<std::string> lines;
  for (const Diagnostic& d : parsed.diagnostics)
    lines.push_back(manifest::format_diagnostic(d));
  if (parsed.promptbook)
    for (const Diagnostic& d : lint(*parsed.promptbook, catalog))
      lines.push_back(manifest::format_diagnostic(d));
  return lines;
}

using Lines = std::vector<std::string>;

constexpr std::string_view kCallsUnknownSkill = R"(Name: X
Description: Calls a skill that no plugin provides.
Steps:
  - Skill: Intel.Lookupp
    Inputs: {indicator: 192.0.2.1, flavour: x}
)";

TEST(PromptbookLint, WithoutACatalogSkillsAreNotChecked) {
  EXPECT_EQ(lint_text(kCallsUnknownSkill, nullptr), Lines{});
}

TEST(PromptbookLint, WithACatalogAnUnknownSkillIsAnErrorWithTheClosestName) {
  const skills::Catalog catalog = testing::promptbook_test_catalog();
  EXPECT_EQ(lint_text(kCallsUnknownSkill, &catalog),
            (Lines{"pb.yaml:4:12: error: step 1 calls 'Intel.Lookupp', which is not in the "
                   "catalog \u2014 did you mean Intel.Lookup?"}))
      << "its inputs cannot be checked against a skill that is not there";
}

TEST(PromptbookLint, SkillNamesMatchTheCatalogCaseInsensitively) {
  const skills::Catalog catalog = testing::promptbook_test_catalog();
  EXPECT_EQ(lint_text("Name: X\nDescription: d\nSteps:\n  - Skill: intel.lookup\n    Inputs: "
                      "{indicator: a}\n",
                      &catalog),
            Lines{});
}

TEST(PromptbookLint, EveryFindingOfTheCorpusPointsAtALineAndColumn) {
  const fs::path dir = fs::path(SECPILOT_SOURCE_DIR) / "tests" / "promptbook" / "corpus";
  const skills::Catalog catalog = testing::promptbook_test_catalog();
  std::size_t checked = 0;
  for (const char* kind : {"good", "bad"}) {
    for (const auto& entry : fs::directory_iterator(dir / kind)) {
      if (entry.path().extension() == ".expected") continue;
      for (const Diagnostic& d : lint_file(entry.path(), &catalog)) {
        ++checked;
        EXPECT_GT(d.where.line, 0) << manifest::format_diagnostic(d);
        EXPECT_GT(d.where.column, 0) << manifest::format_diagnostic(d);
        EXPECT_EQ(d.where.file, entry.path().string());
        EXPECT_FALSE(d.fix.empty()) << manifest::format_diagnostic(d) << " says no fix";
      }
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST(PromptbookLint, FindingsAreInFileOrder) {
  const skills::Catalog catalog = testing::promptbook_test_catalog();
  const fs::path file = fs::path(SECPILOT_SOURCE_DIR) / "tests" / "promptbook" / "corpus" / "bad" /
                        "broken-steps.yaml";
  const auto diagnostics = lint_file(file, &catalog);
  ASSERT_GT(diagnostics.size(), 3u);
  for (std::size_t i = 1; i < diagnostics.size(); ++i)
    EXPECT_LE(std::tie(diagnostics[i - 1].where.line, diagnostics[i - 1].where.column),
              std::tie(diagnostics[i].where.line, diagnostics[i].where.column));
}

}  // namespace
}  // namespace secpilot::promptbook

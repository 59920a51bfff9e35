// Lints every promptbook under corpus/good and corpus/bad against the test catalog and compares
// the diagnostics, line for line, with its sibling <name>.expected. Good promptbooks must have no
// errors (and no diagnostics at all unless their .expected lists warnings); bad ones must have an
// .expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "corpus_at_configure.hpp"
#include "promptbook/test_catalog.hpp"
#include "secpilot/promptbook/promptbook.hpp"

namespace secpilot::promptbook {
namespace {

namespace fs = std::filesystem;

const fs::path kTestDir = fs::path(SECPILOT_SOURCE_DIR) / "tests" / "promptbook";

bool is_promptbook_file(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Paths relative to tests/promptbook, as the diagnostics print them: "corpus/bad/x.yaml".
std::vector<std::string> corpus() {
  std::vector<std::string> names;
  for (const char* kind : {"good", "bad"}) {
    for (const fs::directory_entry& entry : fs::directory_iterator(kTestDir / "corpus" / kind))
      if (entry.is_regular_file() && is_promptbook_file(entry.path()))
        names.push_back((fs::path("corpus") / kind / entry.path().filename()).generic_string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(std::string("corpus/").size()))
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

class PromptbookCorpus : public ::testing::TestWithParam<std::string> {
 protected:
  // Diagnostics name the file as given; run from tests/promptbook so that it reads corpus/...
  void SetUp() override { fs::current_path(kTestDir); }
};

TEST_P(PromptbookCorpus, ProducesExactlyTheExpectedDiagnostics) {
  const fs::path file = GetParam();
  const fs::path expected_file = fs::path(file).replace_extension(".expected");
  const bool good = GetParam().starts_with("corpus/good/");
  const skills::Catalog catalog = testing::promptbook_test_catalog();

  const std::vector<Diagnostic> diagnostics = lint_file(file, &catalog);
  std::vector<std::string> actual;
  for (const Diagnostic& d : diagnostics)
    actual.push_back(manifest::format_diagnostic(d));

  std::vector<std::string> expected;
  if (fs::exists(expected_file)) {
    expected = read_lines(expected_file);
  } else {
    ASSERT_TRUE(good) << "a bad promptbook needs " << expected_file << " with its diagnostics";
  }
  EXPECT_EQ(actual, expected) << "diagnostics of " << file.string() << " differ from "
                              << expected_file.string();
  if (good) {
    EXPECT_FALSE(manifest::has_errors(diagnostics)) << file.string() << " is in corpus/good";
  } else {
    EXPECT_TRUE(manifest::has_errors(diagnostics)) << file.string() << " is in corpus/bad";
  }
}

INSTANTIATE_TEST_SUITE_P(Promptbooks, PromptbookCorpus, ::testing::ValuesIn(corpus()), test_name);

TEST(PromptbookCorpusLayout, HasPromptbooksOfBothKinds) {
  const std::vector<std::string> names = corpus();
  EXPECT_GE(std::count_if(names.begin(), names.end(),
                          [](const std::string& n) { return n.starts_with("corpus/good/"); }),
            5);
  EXPECT_GE(std::count_if(names.begin(), names.end(),
                          [](const std::string& n) { return n.starts_with("corpus/bad/"); }),
            10);
}

TEST(PromptbookCorpusLayout, EveryExpectedFileBelongsToAPromptbook) {
  for (const char* kind : {"good", "bad"}) {
    for (const fs::directory_entry& entry : fs::directory_iterator(kTestDir / "corpus" / kind)) {
      if (entry.path().extension() != ".expected") continue;
      bool owned = false;
      for (const char* ext : {".yaml", ".yml", ".json"})
        owned = owned || fs::exists(fs::path(entry.path()).replace_extension(ext));
      EXPECT_TRUE(owned) << entry.path() << " has no promptbook beside it";
    }
  }
}

TEST(PromptbookCorpusLayout, TestListIsCurrent) {
  std::vector<std::string> configured(std::begin(kCorpusAtConfigure), std::end(kCorpusAtConfigure));
  EXPECT_EQ(configured, corpus()) << "re-run CMake so that CTest sees every corpus promptbook";
}

}  // namespace
}  // namespace secpilot::promptbook

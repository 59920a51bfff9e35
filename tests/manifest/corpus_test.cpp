// Lints every manifest under corpus/good and corpus/bad and compares the diagnostics, line for
// line, with the manifest's sibling <name>.expected. Good manifests must have no errors (and no
// diagnostics at all unless their .expected lists warnings); bad ones must have an .expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "corpus_at_configure.hpp"
#include "secpilot/manifest/parser.hpp"

namespace secpilot::manifest {
namespace {

namespace fs = std::filesystem;

const fs::path kTestDir = fs::path(SECPILOT_SOURCE_DIR) / "tests" / "manifest";

bool is_manifest(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Paths relative to tests/manifest, as the diagnostics print them: "corpus/bad/x.yaml".
std::vector<std::string> corpus() {
  std::vector<std::string> names;
  for (const char* kind : {"good", "bad"}) {
    const fs::path dir = kTestDir / "corpus" / kind;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file() && is_manifest(entry.path()))
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

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(std::string("corpus/").size()))
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

class ManifestCorpus : public testing::TestWithParam<std::string> {
 protected:
  // Diagnostics name the file as given; run from tests/manifest so that it reads corpus/...
  void SetUp() override { fs::current_path(kTestDir); }
};

TEST_P(ManifestCorpus, ProducesExactlyTheExpectedDiagnostics) {
  const fs::path manifest = GetParam();
  const fs::path expected_file = fs::path(manifest).replace_extension(".expected");
  const bool good = GetParam().starts_with("corpus/good/");

  std::vector<Diagnostic> diagnostics = lint_file(manifest);
  std::vector<std::string> actual;
  for (const Diagnostic& d : diagnostics)
    actual.push_back(format_diagnostic(d));

  std::vector<std::string> expected;
  if (fs::exists(expected_file)) {
    expected = read_lines(expected_file);
  } else {
    ASSERT_TRUE(good) << "a bad manifest needs " << expected_file << " with its diagnostics";
  }
  EXPECT_EQ(actual, expected) << "diagnostics of " << manifest.string() << " differ from "
                              << expected_file.string();
  if (good) {
    EXPECT_FALSE(has_errors(diagnostics)) << manifest.string() << " is in corpus/good";
  } else {
    EXPECT_TRUE(has_errors(diagnostics)) << manifest.string() << " is in corpus/bad";
  }
}

INSTANTIATE_TEST_SUITE_P(Manifests, ManifestCorpus, testing::ValuesIn(corpus()), test_name);

TEST(ManifestCorpusLayout, HasAtLeastThirtyManifestsOfBothKinds) {
  const std::vector<std::string> names = corpus();
  EXPECT_GE(names.size(), 30u);
  EXPECT_GE(std::count_if(names.begin(), names.end(),
                          [](const std::string& n) { return n.starts_with("corpus/good/"); }),
            10);
  EXPECT_GE(std::count_if(names.begin(), names.end(),
                          [](const std::string& n) { return n.starts_with("corpus/bad/"); }),
            10);
}

TEST(ManifestCorpusLayout, EveryExpectedFileBelongsToAManifest) {
  for (const char* kind : {"good", "bad"}) {
    for (const fs::directory_entry& entry : fs::directory_iterator(kTestDir / "corpus" / kind)) {
      if (entry.path().extension() != ".expected") continue;
      bool owned = false;
      for (const char* ext : {".yaml", ".yml", ".json"})
        owned = owned || fs::exists(fs::path(entry.path()).replace_extension(ext));
      EXPECT_TRUE(owned) << entry.path() << " has no manifest beside it";
    }
  }
}

TEST(ManifestCorpusLayout, TestListIsCurrent) {
  std::vector<std::string> configured(std::begin(kCorpusAtConfigure), std::end(kCorpusAtConfigure));
  EXPECT_EQ(configured, corpus()) << "re-run CMake so that CTest sees every corpus manifest";
}

}  // namespace
}  // namespace secpilot::manifest

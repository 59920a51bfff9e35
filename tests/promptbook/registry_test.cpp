// Discovery: promptbooks among manifests and data files in a folder tree, broken files reported
// and skipped, lookups by name.
#include <gtest/gtest.h>

#include <map>

#include "promptbook/test_catalog.hpp"
#include "secpilot/promptbook/registry.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::promptbook {
namespace {

constexpr std::string_view kGood = R"(Name: IpTriage
Description: Triage of an IP address.
Parameters:
  - Name: ip
    Type: ip
Steps:
  - Skill: Intel.Lookup
    Inputs: {indicator: <ip>}
  - Prompt: Is <ip> malicious?
)";

class PromptbookRegistry : public ::testing::Test {
 protected:
  void SetUp() override {
    write("triage.yaml", kGood);
    write("nested/deeper/report.yml",
          "name: incidentReport\ndescription: d\nsteps: [Summarise this session.]\n");
    write("json/lookup.json",
          R"({"Name": "Lookup", "Description": "d", "Steps": ["Look up 192.0.2.1"]})");
    write("broken/undeclared.yaml", "Name: Undeclared\nDescription: d\nSteps: [Look up <ip>]\n");
    write("broken/syntax.yaml", "Name: Syntax\nSteps:\n  - Prompt: [unclosed\n");
    write("z-later/duplicate.yaml", "Name: IPTRIAGE\nDescription: d\nSteps: [Again]\n");
    // Not promptbooks: a plugin manifest, a data file, a YAML file that does not parse and does
    // not look like a promptbook, and a text file.
    write("plugin/manifest.yaml",
          "Descriptor: {Name: P, Description: d}\nSkillGroups:\n  - Format: GPT\n    Skills: []\n");
    write("data/feed.json", R"([{"indicator": "192.0.2.1"}])");
    write("data/broken.yaml", "a: [unclosed\n");
    write("notes.txt", "Name: NotYaml\nSteps: [x]\n");
  }

  void write(const std::string& relative, std::string_view text) {
    testing::write_file(dir_ / relative, std::string(text));
  }

  std::vector<std::string> names(const Registry& registry) {
    std::vector<std::string> out;
    for (const auto& book : registry.list())
      out.push_back(book->name);
    return out;
  }

  testing::TempDir dir_;
};

TEST_F(PromptbookRegistry, FindsPromptbooksInTheFolderTreeSortedByName) {
  const Registry registry({dir_.path()});
  EXPECT_EQ(names(registry), (std::vector<std::string>{"incidentReport", "IpTriage", "Lookup"}));
}

TEST_F(PromptbookRegistry, FindsByNameCaseInsensitivelyAndSuggestsCloseNames) {
  const Registry registry({dir_.path()});
  ASSERT_TRUE(registry.find("iptriage"));
  EXPECT_EQ(registry.find("iptriage")->name, "IpTriage");
  EXPECT_EQ(registry.find("iptriage")->path, dir_.path() / "triage.yaml");
  EXPECT_FALSE(registry.find("IpTriag"));
  EXPECT_EQ(registry.suggest("IpTriag"), "IpTriage");
  EXPECT_EQ(registry.suggest("Completely different"), "");
}

TEST_F(PromptbookRegistry, ReportsBrokenFilesWithoutLoadingThem) {
  const Registry registry({dir_.path()});
  std::map<std::string, const PromptbookFile*> broken;
  for (const auto& file : registry.files())
    if (file.broken()) broken[file.path.filename().string()] = &file;
  ASSERT_EQ(broken.size(), 3u) << "undeclared.yaml, syntax.yaml and duplicate.yaml";

  const PromptbookFile& undeclared = *broken.at("undeclared.yaml");
  EXPECT_EQ(undeclared.name, "Undeclared");
  EXPECT_EQ(
      undeclared.error,
      "promptbook has 1 error(s); first: " + (dir_.path() / "broken/undeclared.yaml").string() +
          ":3:9: error: step 1 uses <ip>, which is not a parameter \u2014 declare it under "
          "Parameters, or write \\< for a literal '<' (run `secpilot promptbook lint " +
          (dir_.path() / "broken/undeclared.yaml").string() + "` for all)");
  EXPECT_FALSE(registry.find("Undeclared"));

  EXPECT_EQ(broken.at("syntax.yaml")->name, "syntax") << "no Name could be read: the file's stem";
  EXPECT_NE(broken.at("syntax.yaml")->error.find("YAML syntax error"), std::string::npos);

  EXPECT_NE(broken.at("duplicate.yaml")->error.find("already defines promptbook IPTRIAGE"),
            std::string::npos)
      << broken.at("duplicate.yaml")->error;
  EXPECT_EQ(registry.find("IPTRIAGE")->path, dir_.path() / "triage.yaml") << "the first one stays";
}

TEST_F(PromptbookRegistry, WithACatalogACallOfAMissingSkillBreaksThePromptbook) {
  write("calls-missing.yaml",
        "Name: CallsMissing\nDescription: d\nSteps:\n  - Skill: Intel.Missing\n");
  const skills::Catalog catalog = testing::promptbook_test_catalog();
  const Registry with_catalog({dir_.path()}, &catalog);
  EXPECT_FALSE(with_catalog.find("CallsMissing"));
  EXPECT_TRUE(with_catalog.find("IpTriage")) << "its calls are all in the catalog";
  const Registry without({dir_.path()});
  EXPECT_TRUE(without.find("CallsMissing"));
}

TEST(PromptbookRegistryFolders, AMissingFolderIsNotFatal) {
  const Registry registry({"/nonexistent/secpilot/promptbooks"});
  EXPECT_TRUE(registry.list().empty());
  EXPECT_TRUE(registry.files().empty());
}

}  // namespace
}  // namespace secpilot::promptbook

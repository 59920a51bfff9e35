// The labelled corpus (tests/grounding/corpus/*.yaml): realistic defender prompts, each with the
// exact entities it names. Prints precision and recall per type and overall, and requires 100%:
// when a prompt fails, fix the scanner, or the expectation if it is wrong.
//
// A case:
//   - id: ioc-03
//     prompt: "..."
//     expect:                      # every entity, as "type value" (value canonical)
//       - ip 203.0.113.7
//       - script $c = New-Object ...…Start-Process $p   # '…' joins the first and last line
//     defanged: [evil.com]         # values that must carry the defanged flag (the rest must not)
//     not: [report.pdf, 1.2.3]     # values that must not be extracted as anything
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // '…'

struct Expected {
  std::string type;
  std::string value;  // exact, or first…last for scripts and KQL
  bool matches(const Entity& entity) const {
    if (entity.type != type) return false;
    const auto cut = value.find(kEllipsis);
    if (cut == std::string::npos) return entity.value == value;
    const std::string first = value.substr(0, cut);
    const std::string last = value.substr(cut + kEllipsis.size());
    const auto first_line = entity.value.substr(0, entity.value.find('\n'));
    const auto last_newline = entity.value.rfind('\n');
    const auto last_line =
        last_newline == std::string::npos ? entity.value : entity.value.substr(last_newline + 1);
    return first_line == first && last_line == last;
  }
};

struct Case {
  std::string file;
  std::string id;
  std::string prompt;
  std::vector<Expected> expect;
  std::set<std::string> defanged;
  std::vector<std::string> absent;
};

std::vector<Case> load_corpus() {
  std::vector<Case> cases;
  const std::filesystem::path dir =
      std::filesystem::path(SECPILOT_SOURCE_DIR) / "tests" / "grounding" / "corpus";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    for (const YAML::Node& node : YAML::LoadFile(file.string())) {
      Case c;
      c.file = file.filename().string();
      c.id = node["id"].as<std::string>();
      c.prompt = node["prompt"].as<std::string>();
      for (const YAML::Node& line : node["expect"]) {
        const auto text = line.as<std::string>();
        const auto space = text.find(' ');
        if (space == std::string::npos || space + 1 == text.size())
          ADD_FAILURE() << c.id << ": expectation '" << text << "' is not \"type value\"";
        c.expect.push_back({text.substr(0, space), text.substr(space + 1)});
      }
      if (node["defanged"])
        for (const YAML::Node& value : node["defanged"])
          c.defanged.insert(value.as<std::string>());
      if (node["not"])
        for (const YAML::Node& value : node["not"])
          c.absent.push_back(value.as<std::string>());
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

struct Tally {
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;
};

double ratio(int part, int whole) {
  return whole == 0 ? 1.0 : double(part) / double(whole);
}

TEST(EntityCorpus, ExtractsExactlyTheLabelledEntities) {
  const auto cases = load_corpus();
  ASSERT_GE(cases.size(), 80u) << "the corpus should hold at least 80 prompts";
  std::map<std::string, Tally> by_type;
  Tally total;
  std::set<std::string> ids;
  for (const Case& c : cases) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
    const auto entities = extract_entities(c.prompt);
    std::vector<bool> used(entities.size(), false);
    for (const Expected& expected : c.expect) {
      bool found = false;
      for (std::size_t i = 0; i < entities.size() && !found; ++i)
        if (!used[i] && expected.matches(entities[i])) used[i] = found = true;
      Tally& tally = by_type[expected.type];
      (found ? tally.true_positives : tally.false_negatives)++;
      (found ? total.true_positives : total.false_negatives)++;
      EXPECT_TRUE(found) << c.file << " " << c.id << ": missed " << expected.type << " '"
                         << expected.value << "'";
    }
    for (std::size_t i = 0; i < entities.size(); ++i) {
      const Entity& entity = entities[i];
      EXPECT_EQ(c.prompt.substr(entity.offset, entity.length), entity.text) << c.id;
      if (!used[i]) {
        ++by_type[entity.type].false_positives;
        ++total.false_positives;
        ADD_FAILURE() << c.file << " " << c.id << ": unexpected " << entity.type << " '"
                      << entity.value << "' from '" << entity.text << "'";
      }
      EXPECT_EQ(entity.defanged, c.defanged.count(entity.value) > 0)
          << c.id << ": defanged flag of '" << entity.value << "'";
      for (const std::string& absent : c.absent)
        EXPECT_NE(entity.value, absent) << c.id << ": '" << absent << "' must not be extracted";
    }
  }
  std::printf("entity corpus: %zu prompts\n%-16s %9s %9s %5s %5s %5s\n", cases.size(), "type",
              "precision", "recall", "tp", "fp", "fn");
  for (const auto& [type, t] : by_type)
    std::printf("%-16s %8.1f%% %8.1f%% %5d %5d %5d\n", type.c_str(),
                100 * ratio(t.true_positives, t.true_positives + t.false_positives),
                100 * ratio(t.true_positives, t.true_positives + t.false_negatives),
                t.true_positives, t.false_positives, t.false_negatives);
  std::printf("%-16s %8.1f%% %8.1f%% %5d %5d %5d\n", "all",
              100 * ratio(total.true_positives, total.true_positives + total.false_positives),
              100 * ratio(total.true_positives, total.true_positives + total.false_negatives),
              total.true_positives, total.false_positives, total.false_negatives);
  EXPECT_EQ(total.false_positives, 0);
  EXPECT_EQ(total.false_negatives, 0);
}

}  // namespace
}  // namespace secpilot::grounding

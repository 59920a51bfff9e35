// The corpus (tests/corpus/): scripts written for these tests, benign and malicious-looking, each
// beside NAME.expect.json saying what an analyst must get from it: the language, the verdict,
// indicators (with the layer they come from), ATT&CK techniques, behaviours, the techniques
// undone, and text the final layer must contain. Add a script and its expectations to cover a
// new trick; the format is in tests/corpus/README.md.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "script_analysis/analysis.hpp"
#include "script_analysis/result_json.hpp"

namespace script_analysis {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kCorpus = fs::path(SCRIPT_ANALYSIS_SOURCE_DIR) / "tests" / "corpus";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Case {
  std::string name;
  fs::path script;
  json::object expect;
};

std::vector<Case> corpus() {
  std::vector<Case> cases;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    const fs::path& path = entry.path();
    const std::string file = path.filename().string();
    if (file.ends_with(".expect.json") || file == "README.md") continue;
    fs::path expect = path;
    expect.replace_extension(".expect.json");
    cases.push_back({path.stem().string(), path, json::parse(read(expect)).as_object()});
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

std::vector<std::string> strings_of(const json::value& value) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.emplace_back(value.as_string());
  } else {
    for (const auto& item : value.as_array())
      out.emplace_back(item.as_string());
  }
  return out;
}

// What the analysis found, for failure messages.
std::string describe(const json::object& result) {
  std::string out = "language " + std::string(result.at("language").as_string()) + ", verdict " +
                    std::string(result.at("verdict").as_string()) + " (" +
                    std::to_string(result.at("score").to_number<int64_t>()) + ")\nreasons:";
  for (const auto& reason : result.at("reasons").as_array())
    out += "\n  " + std::string(reason.as_string());
  out += "\nlayers:";
  for (const auto& layer : result.at("layers").as_array())
    out += "\n  " + std::to_string(layer.at("index").to_number<int64_t>()) + " " +
           std::string(layer.at("technique").as_string()) + " [" +
           std::string(layer.at("language").as_string()) + "]";
  out += "\nindicators:";
  for (const auto& indicator : result.at("indicators").as_array())
    out += "\n  " + std::string(indicator.at("type").as_string()) + " " +
           std::string(indicator.at("value").as_string()) + " (layer " +
           std::to_string(indicator.at("layer").to_number<int64_t>()) + ")";
  out += "\ntechniques:";
  for (const auto& technique : result.at("techniques").as_array())
    out += " " + std::string(technique.at("id").as_string());
  out += "\nfinal text:\n" + std::string(result.at("final_text").as_string());
  return out;
}

bool has_indicator(const json::object& result, const json::object& want) {
  for (const auto& item : result.at("indicators").as_array()) {
    const auto& have = item.as_object();
    if (have.at("type") != want.at("type") || have.at("value") != want.at("value")) continue;
    if (const auto* layer = want.if_contains("layer"); layer && have.at("layer") != *layer)
      continue;
    if (const auto* defanged = want.if_contains("defanged");
        defanged && have.at("defanged") != *defanged)
      continue;
    return true;
  }
  return false;
}

bool has_id(const json::array& items, std::string_view id) {
  return std::any_of(items.begin(), items.end(),
                     [&](const json::value& item) { return item.at("id").as_string() == id; });
}

TEST(Corpus, HasAtLeastTwentyFiveScriptsOfEveryLanguage) {
  auto cases = corpus();
  EXPECT_GE(cases.size(), 25u);
  std::set<std::string> languages;
  size_t benign = 0;
  for (const auto& test : cases) {
    languages.insert(std::string(test.expect.at("language").as_string()));
    benign += test.expect.at("verdict") == "benign-looking";
  }
  EXPECT_EQ(languages.size(), 5u) << "powershell, shell, batch, javascript and vbscript";
  EXPECT_GE(benign, 5u) << "benign scripts keep the rules honest";
}

TEST(Corpus, EveryScriptMeetsItsExpectations) {
  for (const auto& test : corpus()) {
    const json::object& want = test.expect;
    Analysis analysis = analyze(read(test.script));
    const json::object result = analysis_json(analysis, Limits{});
    SCOPED_TRACE("corpus script " + test.script.filename().string() + "\n" + describe(result));

    EXPECT_EQ(result.at("language"), want.at("language"));
    EXPECT_EQ(result.at("verdict"), want.at("verdict"));
    EXPECT_TRUE(result.at("limits_hit").as_array().empty());
    if (const auto* max = want.if_contains("max_score")) {
      EXPECT_LE(result.at("score").to_number<int64_t>(), max->as_int64());
    }
    if (const auto* min_layers = want.if_contains("min_layers")) {
      EXPECT_GE(result.at("layers").as_array().size(), static_cast<size_t>(min_layers->as_int64()));
    }
    if (const auto* max_layers = want.if_contains("max_layers")) {
      EXPECT_LE(result.at("layers").as_array().size(), static_cast<size_t>(max_layers->as_int64()));
    }
    if (const auto* indicators = want.if_contains("indicators")) {
      for (const auto& indicator : indicators->as_array())
        EXPECT_TRUE(has_indicator(result, indicator.as_object()))
            << "missing indicator " << json::serialize(indicator);
    }
    for (const char* key : {"techniques", "behaviours"}) {
      const auto* ids = want.if_contains(key);
      if (!ids) continue;
      for (const std::string& id : strings_of(*ids))
        EXPECT_TRUE(has_id(result.at(key).as_array(), id)) << "missing " << key << " " << id;
    }
    if (const auto* steps = want.if_contains("deobfuscation")) {
      const auto& undone = result.at("deobfuscation").as_array();
      for (const std::string& step : strings_of(*steps))
        EXPECT_NE(std::find(undone.begin(), undone.end(), json::value(step)), undone.end())
            << "technique not undone: " << step;
    }
    const std::string final_text(result.at("final_text").as_string());
    for (const std::string& fragment : strings_of(want.at("final_contains")))
      EXPECT_NE(final_text.find(fragment), std::string::npos)
          << "the final layer lacks: " << fragment;
  }
}

}  // namespace
}  // namespace script_analysis

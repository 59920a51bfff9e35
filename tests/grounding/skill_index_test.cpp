// SkillIndex on a small catalog written for the test: ranking, the caller's filter, unavailable
// skills, options, explanations, the entity types of inputs, and prompts with nothing to match.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/manifest/parser.hpp"

namespace secpilot::grounding {
namespace {

constexpr const char* kIntel = R"(Descriptor:
  Name: Intel
  DisplayName: Threat intel
  Description: Reputation of indicators from local feeds.
SkillGroups:
  - Format: GPT
    Skills:
      - Name: LookupIndicator
        DisplayName: Look up an indicator
        Description: Reputation of an IP address, domain or file hash from the feeds.
        ExamplePrompts:
          - Is this IP address malicious?
          - Has this file hash been seen in malware feeds?
        Inputs:
          - Name: indicator
            Description: The IP address, domain or hash to look up.
            Type: string
      - Name: ExtractIndicators
        DisplayName: Extract indicators
        Description: Finds the indicators of compromise in free text and lists them.
        ExamplePrompts:
          - Pull the indicators out of this report
        Inputs:
          - Name: text
            Description: The text to scan.
            Type: string
)";

constexpr const char* kHunting = R"(Descriptor:
  Name: Hunting
  DisplayName: Log hunting
  Description: Hunting over local logs.
SkillGroups:
  - Format: GPT
    Skills:
      - Name: RunKql
        DisplayName: Run a KQL query
        Description: Runs a KQL hunting query over the local logs and returns the rows.
        Inputs:
          - Name: query
            Description: The query.
            Type: kql
          - Name: now
            Description: The time ago() counts from.
            Type: string
            Required: false
      - Name: ListHosts
        DisplayName: List hosts
        Description: Lists the hosts a user has signed in to.
        Inputs:
          - Name: owner
            Description: The user.
            Type: user
          - Name: name
            Description: Only hosts with this name.
            Type: host
            Required: false
          - Name: also
            Description: Another user.
            Type: user
            Required: false
      - Name: EmailsFromSender
        DisplayName: E-mails from a sender
        Description: E-mails received from one sender address.
        Inputs:
          - Name: sender
            Description: The sender's address.
            Type: email
)";

// A catalog built from manifest texts, as PluginHost would, without loading anything.
class TestCatalog {
 public:
  explicit TestCatalog(std::vector<std::string> unavailable = {}) {
    for (const char* text : {kIntel, kHunting}) {
      auto parsed = manifest::parse_manifest(text, "test.yaml");
      if (!parsed.manifest) throw std::runtime_error("test manifest does not parse");
      auto manifest = std::make_shared<const manifest::Manifest>(std::move(*parsed.manifest));
      for (const auto& group : manifest->groups)
        for (const auto& skill : group.skills) {
          skills::SkillEntry entry;
          entry.plugin = manifest->descriptor.name;
          entry.name = skill.name;
          entry.full_name = entry.plugin + "." + skill.name;
          entry.manifest = manifest;
          entry.spec = &skill;
          entry.format = group.format;
          if (std::find(unavailable.begin(), unavailable.end(), entry.full_name) !=
              unavailable.end())
            entry.unavailable_reason = "plugin failed to load";
          if (!catalog.add(std::move(entry))) throw std::runtime_error("duplicate skill");
        }
    }
  }
  skills::Catalog catalog;
};

SearchOptions top(std::size_t k) {
  SearchOptions options;
  options.top_k = k;
  return options;
}

std::vector<std::string> names(const std::vector<Match>& matches) {
  std::vector<std::string> out;
  for (const auto& match : matches)
    out.push_back(match.full_name());
  return out;
}

class SkillIndexTest : public ::testing::Test {
 protected:
  TestCatalog skills_;
  SkillIndex index_ = SkillIndex::build(skills_.catalog);
};

TEST_F(SkillIndexTest, RanksTheSkillThatSaysWhatThePromptAsksFirst) {
  EXPECT_EQ(index_.search("is this IP malicious").at(0).full_name(), "Intel.LookupIndicator");
  EXPECT_EQ(index_.search("extract the indicators from this text").at(0).full_name(),
            "Intel.ExtractIndicators");
  EXPECT_EQ(index_.search("run this KQL query").at(0).full_name(), "Hunting.RunKql");
  EXPECT_EQ(index_.search("who received e-mails from this sender").at(0).full_name(),
            "Hunting.EmailsFromSender");
}

TEST_F(SkillIndexTest, ScoresDescendAndEveryMatchSharesATermWithThePrompt) {
  const auto matches =
      index_.search("look up the reputation of this indicator in the logs", top(10));
  ASSERT_GE(matches.size(), 3u);
  EXPECT_EQ(matches.front().full_name(), "Intel.LookupIndicator");
  for (std::size_t i = 1; i < matches.size(); ++i)
    EXPECT_GE(matches[i - 1].score, matches[i].score) << i;
  for (const auto& match : matches) {
    EXPECT_GT(match.score, 0) << match.full_name();
    EXPECT_FALSE(match.terms.empty()) << match.full_name();
  }
}

TEST_F(SkillIndexTest, ASkillTheCallerMayNotUseNeverComesBack) {
  SearchOptions options = top(10);
  options.filter = [](const skills::SkillEntry& entry) {
    return entry.full_name != "Intel.LookupIndicator";
  };
  for (const char* prompt : {"LookupIndicator", "look up this indicator", "is this IP malicious"})
    for (const auto& name : names(index_.search(prompt, options)))
      EXPECT_NE(name, "Intel.LookupIndicator") << prompt;
  EXPECT_EQ(index_.search("look up this indicator", options).at(0).full_name(),
            "Intel.ExtractIndicators");
}

TEST(SkillIndexAvailability, UnavailableSkillsAreFlaggedAndComeBackOnlyWhenAskedFor) {
  TestCatalog skills({"Hunting.RunKql"});
  const auto index = SkillIndex::build(skills.catalog);
  ASSERT_NE(index.find("Hunting.RunKql"), nullptr);
  EXPECT_FALSE(index.find("Hunting.RunKql")->available);
  EXPECT_TRUE(index.find("Intel.LookupIndicator")->available);

  for (const auto& name : names(index.search("run a KQL query", top(10))))
    EXPECT_NE(name, "Hunting.RunKql");
  SearchOptions with_unavailable = top(10);
  with_unavailable.include_unavailable = true;
  const auto all = index.search("run a KQL query", with_unavailable);
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().full_name(), "Hunting.RunKql");
  EXPECT_FALSE(all.front().skill->available);
}

TEST_F(SkillIndexTest, EmptyOrMeaninglessPromptsMatchNothing) {
  for (const char* prompt :
       {"", "   ", "?!", "the of and to", "203.0.113.45", "zzqx blorf", "\xff\xfe\x80"})
    EXPECT_TRUE(index_.search(prompt).empty()) << prompt;
}

TEST_F(SkillIndexTest, KeepsAtMostTopKAboveTheMinimumScore) {
  const auto all = index_.search("indicator hash host user query", top(10));
  ASSERT_GE(all.size(), 4u);
  EXPECT_EQ(index_.search("indicator hash host user query", top(2)).size(), 2u);
  EXPECT_TRUE(index_.search("indicator hash host user query", top(0)).empty());

  const double threshold = all[1].score;
  SearchOptions above_threshold = top(10);
  above_threshold.min_score = threshold;
  const auto above = index_.search("indicator hash host user query", above_threshold);
  for (const auto& match : above)
    EXPECT_GT(match.score, threshold);
  EXPECT_LT(above.size(), all.size());
}

TEST_F(SkillIndexTest, ExplainsWhichTermsMatchedInWhichFields) {
  const auto matches = index_.search("Look up this SHA-256");
  ASSERT_FALSE(matches.empty());
  const Match& best = matches.front();
  ASSERT_EQ(best.full_name(), "Intel.LookupIndicator");

  const auto look = std::find_if(best.terms.begin(), best.terms.end(),
                                 [](const MatchedTerm& term) { return term.term == "look"; });
  ASSERT_NE(look, best.terms.end());
  EXPECT_EQ(look->source, "");  // the prompt said it
  EXPECT_TRUE(look->fields.contains(Field::name));
  EXPECT_TRUE(look->fields.contains(Field::display_name));
  EXPECT_FALSE(look->fields.contains(Field::plugin_name));

  // "SHA-256" is not in the skill's text; "hash" is, and the prompt reached it through it.
  const auto hash = std::find_if(best.terms.begin(), best.terms.end(),
                                 [](const MatchedTerm& term) { return term.term == "hash"; });
  ASSERT_NE(hash, best.terms.end());
  EXPECT_EQ(hash->source, "sha256");
  EXPECT_LT(hash->contribution, look->contribution);

  const auto in_name = best.terms_in(Field::name);
  EXPECT_NE(std::find(in_name.begin(), in_name.end(), "look"), in_name.end());
  EXPECT_EQ(std::find(in_name.begin(), in_name.end(), "hash"), in_name.end());
  const auto in_description = best.terms_in(Field::description);
  EXPECT_NE(std::find(in_description.begin(), in_description.end(), "hash"), in_description.end());
  EXPECT_TRUE(best.terms_in(Field::plugin_name).empty());

  const std::string why = explain(best);
  EXPECT_NE(why.find("look (name, display_name"), std::string::npos) << why;
  EXPECT_NE(why.find("hash via sha256"), std::string::npos) << why;
}

TEST_F(SkillIndexTest, EntityTypesInThePromptLeanTowardsSkillsAboutThem) {
  // Nothing but the value says what the prompt is about; the extracted entity type does.
  const std::string prompt = "who is 'ceo@example.org'";
  Entity email;
  email.type = "email";
  email.value = email.text = "ceo@example.org";
  email.offset = prompt.find(email.text);
  email.length = email.text.size();
  SearchOptions options;
  options.entities = std::span<const Entity>(&email, 1);
  const auto matches = index_.search(prompt, options);
  ASSERT_FALSE(matches.empty());
  EXPECT_EQ(matches.front().full_name(), "Hunting.EmailsFromSender");
  EXPECT_EQ(matches.front().terms.front().source, "entity:email");
}

TEST_F(SkillIndexTest, TheTextOfEntitiesIsNotReadAsWords) {
  // A pasted query says nothing about what to do with it.
  const std::string prompt = "extract the indicators: RunKql query over the hunting logs rows";
  Entity pasted;
  pasted.type = "script";
  pasted.text = "RunKql query over the hunting logs rows";
  pasted.offset = prompt.find(pasted.text);
  pasted.length = pasted.text.size();
  EXPECT_EQ(index_.search(prompt).at(0).full_name(), "Hunting.RunKql");

  SearchOptions options = top(10);
  options.entities = std::span<const Entity>(&pasted, 1);
  const auto matches = index_.search(prompt, options);
  ASSERT_FALSE(matches.empty());
  EXPECT_EQ(matches.front().full_name(), "Intel.ExtractIndicators");
  for (const auto& match : matches)
    for (const auto& term : match.terms)
      for (const char* pasted_word : {"run", "kql", "runkql", "query", "hunt", "log", "row"})
        EXPECT_NE(term.term, pasted_word) << match.full_name() << ": " << explain(match);
}

TEST_F(SkillIndexTest, KnowsTheEntityTypesEachSkillsInputsNeed) {
  const IndexedSkill* hosts = index_.find("hunting.listhosts");
  ASSERT_NE(hosts, nullptr);
  EXPECT_EQ(hosts->entry->full_name, "Hunting.ListHosts");
  EXPECT_EQ(hosts->required_entity_types, std::vector<std::string>{"user"});
  EXPECT_EQ(hosts->optional_entity_types, (std::vector<std::string>{"host", "user"}));

  const IndexedSkill* run = index_.find("Hunting.RunKql");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->required_entity_types, std::vector<std::string>{"kql"});
  EXPECT_TRUE(run->optional_entity_types.empty());  // `now` is a plain string

  EXPECT_TRUE(index_.find("Intel.LookupIndicator")->required_entity_types.empty());
  EXPECT_EQ(index_.find("Nope.Nothing"), nullptr);
  EXPECT_EQ(index_.skills().size(), skills_.catalog.size());
}

TEST_F(SkillIndexTest, ConcurrentSearchesSeeTheSameIndex) {
  const auto expected = names(index_.search("look up the reputation of this hash", top(5)));
  ASSERT_FALSE(expected.empty());
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> threads;
  for (auto& result : seen)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        result = names(index_.search("look up the reputation of this hash", top(5)));
    });
  for (auto& thread : threads)
    thread.join();
  for (const auto& result : seen)
    EXPECT_EQ(result, expected);
}

TEST(SkillIndexRebuild, ANewIndexReflectsTheRebuiltCatalog) {
  TestCatalog before({"Hunting.RunKql"});
  const auto old_index = SkillIndex::build(before.catalog);
  TestCatalog after;  // the plugin was fixed and reloaded
  const auto new_index = SkillIndex::build(after.catalog);
  EXPECT_FALSE(old_index.find("Hunting.RunKql")->available);
  EXPECT_TRUE(new_index.find("Hunting.RunKql")->available);
  EXPECT_EQ(new_index.find("Hunting.RunKql")->entry, after.catalog.find("Hunting.RunKql"));
  EXPECT_EQ(new_index.search("run a KQL query").at(0).full_name(), "Hunting.RunKql");
}

}  // namespace
}  // namespace secpilot::grounding

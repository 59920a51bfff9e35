// Session history and back-references: "the second IP", "that host", "those hashes", "it".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> values(const Reference& reference) {
  std::vector<std::string> out;
  for (const SessionEntity& entity : reference.entities)
    out.push_back(entity.entity.value);
  return out;
}

class References : public ::testing::Test {
 protected:
  void SetUp() override {
    turns_ = {
        {TurnRole::prompt, "Triage incident 4127 on host WS-FIN-07 for user jchen@contoso.com"},
        {TurnRole::answer,
         "WS-FIN-07 beaconed to 203.0.113.7, 198.51.100.23 and 192.0.2.44. The dropper "
         "(SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855) came from "
         "hxxps://evil-cdn[.]net/a. Device srv-db-02 was also contacted."},
    };
    history_ = extract_session_entities(turns_);
  }

  std::vector<Reference> resolve(std::string_view prompt) {
    return resolve_references(prompt, history_);
  }

  std::vector<Turn> turns_;
  std::vector<SessionEntity> history_;
};

TEST_F(References, HistoryMarksTheTurnEachEntityCameFrom) {
  ASSERT_FALSE(history_.empty());
  EXPECT_EQ(history_.front().entity.value, "4127");
  EXPECT_EQ(history_.front().turn, 0u);
  EXPECT_EQ(history_.front().role, TurnRole::prompt);
  EXPECT_EQ(history_.back().entity.value, "srv-db-02");
  EXPECT_EQ(history_.back().turn, 1u);
  EXPECT_EQ(history_.back().role, TurnRole::answer);
}

TEST_F(References, OrdinalsCountWithinTheLatestTurnOfTheType) {
  auto refs = resolve("Look up the second IP");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].phrase, "the second IP");
  EXPECT_THAT(refs[0].types, ElementsAre("ip"));
  EXPECT_THAT(values(refs[0]), ElementsAre("198.51.100.23"));
  EXPECT_FALSE(refs[0].ambiguous);
  EXPECT_THAT(values(resolve("and the 3rd ip address?")[0]), ElementsAre("192.0.2.44"));
  EXPECT_THAT(values(resolve("block the last IP")[0]), ElementsAre("192.0.2.44"));
  EXPECT_THAT(values(resolve("check the first two IPs")[0]),
              ElementsAre("203.0.113.7", "198.51.100.23"));
  EXPECT_THAT(values(resolve("first domain please")[0]), IsEmpty());  // none were domains
  EXPECT_THAT(values(resolve("the fourth IP")[0]), IsEmpty());        // only three
}

// Found by fuzzing (tests/fuzz, entities): an ordinal as the prompt's last word made the
// count after it read past the end and throw inside a noexcept function.
TEST_F(References, OrdinalAsTheLastWordIsNoReference) {
  EXPECT_THAT(resolve("what about the first"), IsEmpty());
  EXPECT_THAT(resolve("and the last"), IsEmpty());
}

TEST_F(References, DemonstrativesAndDefinitesPointAtTheLatestMention) {
  auto refs = resolve("Is that user an admin, and what about the hash?");
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_THAT(values(refs[0]), ElementsAre("jchen@contoso.com"));
  EXPECT_THAT(refs[1].types, ElementsAre("md5", "sha1", "sha256"));
  EXPECT_THAT(values(refs[1]),
              ElementsAre("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_THAT(values(resolve("open the URL")[0]), ElementsAre("https://evil-cdn.net/a"));
  EXPECT_THAT(values(resolve("what about that incident")[0]), ElementsAre("4127"));
}

TEST_F(References, SingularPhrasesWithSeveralCandidatesAreAmbiguous) {
  auto refs = resolve("isolate that host");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_TRUE(refs[0].ambiguous);
  EXPECT_THAT(values(refs[0]), ElementsAre("ws-fin-07", "srv-db-02"));
}

TEST_F(References, PluralsTakeAllOfTheLatestTurn) {
  EXPECT_THAT(values(resolve("block those IPs")[0]),
              ElementsAre("203.0.113.7", "198.51.100.23", "192.0.2.44"));
  EXPECT_THAT(values(resolve("isolate both machines")[0]), ElementsAre("ws-fin-07", "srv-db-02"));
  auto indicators = resolve("enrich all the indicators");
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_THAT(values(indicators[0]),
              ElementsAre("203.0.113.7", "198.51.100.23", "192.0.2.44",
                          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                          "https://evil-cdn.net/a"));
  EXPECT_FALSE(indicators[0].ambiguous);
}

TEST_F(References, DescriptionsAndAppositionsAreNotReferences) {
  EXPECT_THAT(resolve("What is the IP of ws-fin-07?"), IsEmpty());
  EXPECT_THAT(resolve("List the users with MFA disabled"), IsEmpty());
  EXPECT_THAT(resolve("Look up the IP 8.8.8.8"), IsEmpty());
  EXPECT_THAT(resolve("check that host WS-FIN-09 is patched"), IsEmpty());
  EXPECT_THAT(resolve("summarise this session"), IsEmpty());
}

TEST_F(References, PronounsOnlyWhenThePromptNamesNothing) {
  auto refs = resolve("Is it malicious?");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].phrase, "it");
  EXPECT_TRUE(refs[0].ambiguous);  // the last answer named several entities
  EXPECT_EQ(refs[0].entities.size(), 7u);
  EXPECT_THAT(resolve("Is it related to 8.8.8.8?"), IsEmpty());
  EXPECT_THAT(resolve("The IT team asked"), IsEmpty());
  std::vector<Turn> one = {{TurnRole::prompt, "Look up 203.0.113.9"}};
  const auto history = extract_session_entities(one);
  auto single = resolve_references("block it", history);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_FALSE(single[0].ambiguous);
  EXPECT_THAT(values(single[0]), ElementsAre("203.0.113.9"));
}

TEST(ReferencesWithoutHistory, DemonstrativesStillShowUpEmpty) {
  auto refs = resolve_references("isolate that host", {});
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_THAT(refs[0].entities, IsEmpty());
  EXPECT_THAT(resolve_references("check the hash", {}), IsEmpty());
}

}  // namespace
}  // namespace secpilot::grounding

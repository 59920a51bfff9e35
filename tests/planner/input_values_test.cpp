// Reading an input's value out of a prompt: look-backs, dates, "name value" pairs, acceptable
// values with their synonyms, and which kinds of value an input takes.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "planner/input_values.hpp"

namespace secpilot::planner {
namespace {

using Kinds = std::vector<std::string>;

manifest::Input input(std::string name, std::string type = "string",
                      std::vector<std::string> accepts = {}) {
  manifest::Input in;
  in.name = std::move(name);
  in.type = std::move(type);
  in.accepts = std::move(accepts);
  return in;
}

TEST(FindTimespan, LookBacksWithANumber) {
  EXPECT_EQ(find_timespan("which hosts talked to it over the last 7 days?"), "7d");
  EXPECT_EQ(find_timespan("sign-ins in the past 24h"), "24h");
  EXPECT_EQ(find_timespan("same for over the last 30d"), "30d");
  EXPECT_EQ(find_timespan("failed logons in the previous 12 hours"), "12h");
  EXPECT_EQ(find_timespan("alerts within 90 minutes of the logon"), "90m");
  EXPECT_EQ(find_timespan("run it for the last 2 weeks"), "14d");
  EXPECT_EQ(find_timespan("over the last 3 months"), "90d");
}

TEST(FindTimespan, NumbersInWords) {
  EXPECT_EQ(find_timespan("connections over the past two weeks"), "14d");
  EXPECT_EQ(find_timespan("run it for two weeks"), "14d");
  EXPECT_EQ(find_timespan("in the last thirty days"), "30d");
}

TEST(FindTimespan, UnitAloneMeansOne) {
  EXPECT_EQ(find_timespan("anything in the last day?"), "1d");
  EXPECT_EQ(find_timespan("logons over the past hour"), "1h");
  EXPECT_EQ(find_timespan("what changed last week"), "7d");
}

TEST(FindTimespan, NamedPeriods) {
  EXPECT_EQ(find_timespan("any new detections today?"), "1d");
  EXPECT_EQ(find_timespan("what did ws-fin-07 do this week"), "7d");
  EXPECT_EQ(find_timespan("sign-ins since yesterday"), "2d");
  EXPECT_EQ(find_timespan("failed logons this month"), "30d");
}

TEST(FindTimespan, SpanStandingAlone) {
  EXPECT_EQ(find_timespan("rerun with 48h"), "48h");
  EXPECT_EQ(find_timespan("lookback=3d"), "3d");
}

TEST(FindTimespan, NoWindow) {
  EXPECT_EQ(find_timespan("look up the last ip"), std::nullopt);
  EXPECT_EQ(find_timespan("is ws-fin-07 in 10.0.0.0/8?"), std::nullopt);
  EXPECT_EQ(find_timespan("look for 3 hosts"), std::nullopt);
  EXPECT_EQ(
      find_timespan("sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
      std::nullopt);
  EXPECT_EQ(find_timespan(""), std::nullopt);
}

TEST(FindTimespan, LeadWordAtTheVeryEnd) {
  EXPECT_EQ(find_timespan("show me the last"), std::nullopt);
  EXPECT_EQ(find_timespan("what happened in"), std::nullopt);
  EXPECT_EQ(find_timespan("for the last"), std::nullopt);
  EXPECT_EQ(find_timespan("last"), std::nullopt);
  EXPECT_EQ(find_timespan("in the past a"), std::nullopt);
}

TEST(FindTimespan, NumberTooLargeForAWindowIsNoWindow) {
  EXPECT_EQ(find_timespan("ticket 99999999999999999999h"), std::nullopt);
  EXPECT_EQ(find_timespan("over the last 99999999999999999999 days"), std::nullopt);
}

TEST(FindDatetime, DatesAndTimes) {
  EXPECT_EQ(find_datetime("Macs silent since 2026-11-19"), "2026-11-19");
  EXPECT_EQ(find_datetime("now=2026-11-20T12:00:00Z"), "2026-11-20T12:00:00Z");
  EXPECT_EQ(find_datetime("from 2026-11-20T12:00:00.250+01:00 on"),
            "2026-11-20T12:00:00.250+01:00");
}

TEST(FindDatetime, SentenceEndIsNotPartOfTheTime) {
  EXPECT_EQ(find_datetime("Run it as of 2026-11-20T12:00:00Z."), "2026-11-20T12:00:00Z");
  EXPECT_EQ(find_datetime("Since 2026-11-19."), "2026-11-19");
}

TEST(FindDatetime, NoDate) {
  EXPECT_EQ(find_datetime("ticket 12026-11-19"), std::nullopt);
  EXPECT_EQ(find_datetime("serial C02-11-1912"), std::nullopt);
  EXPECT_EQ(find_datetime("2026-11"), std::nullopt);
  EXPECT_EQ(find_datetime(""), std::nullopt);
}

TEST(FindNamedValue, NameThenValue) {
  EXPECT_EQ(find_named_value("lock mbp-fin-12, PIN 482913", "pin", false), "482913");
  EXPECT_EQ(find_named_value("lock it with pin: 482913", "pin", false), "482913");
  EXPECT_EQ(find_named_value("the PIN is 482913.", "pin", false), "482913");
  EXPECT_EQ(find_named_value("run it with now=2026-11-20T12:00:00Z please", "now", false),
            "2026-11-20T12:00:00Z");
}

TEST(FindNamedValue, QuotedValueKeepsItsApostrophe) {
  EXPECT_EQ(
      find_named_value("close it with comment 'approved by IT's change board'", "comment", false),
      "approved by IT's change board");
  EXPECT_EQ(find_named_value("comment: \"false positive, test VM\"", "comment", false),
            "false positive, test VM");
}

TEST(FindNamedValue, AfterAColonTheRestOfTheLine) {
  EXPECT_EQ(find_named_value("lock it. message: Locked by IT Security, call the SOC on x0100.\n"
                             "thanks",
                             "message", false),
            "Locked by IT Security, call the SOC on x0100");
}

TEST(FindNamedValue, ProseWordAfterTheNameIsNoValue) {
  EXPECT_EQ(find_named_value("what is the pin of the Mac?", "pin", false), std::nullopt);
  EXPECT_EQ(find_named_value("set a new pin", "pin", false), std::nullopt);
  EXPECT_EQ(find_named_value("spinning wheel 482913", "pin", false), std::nullopt);
}

TEST(FindNamedValue, NumberTakesOnlyDigits) {
  EXPECT_EQ(find_named_value("lock computer id 42 now", "id", true), "42");
  EXPECT_EQ(find_named_value("id: 42", "id", true), "42");
  EXPECT_EQ(find_named_value("id: abc", "id", true), std::nullopt);
  EXPECT_EQ(find_named_value("the id is unknown", "id", true), std::nullopt);
}

TEST(FindNamedValue, LaterMentionWhenTheFirstHasNoValue) {
  EXPECT_EQ(find_named_value("the pin of the Mac: pin 482913", "pin", false), "482913");
}

TEST(FindNamedValue, NameAtTheEndOfATextThatGoesOn) {
  // A clause is a view into a longer prompt: nothing past its end may be read.
  const std::string_view prompt = "lock it, the pin is 'x' 482913";
  EXPECT_EQ(find_named_value(prompt.substr(0, 20), "pin", false), std::nullopt);
  EXPECT_EQ(find_named_value("set the pin", "pin", false), std::nullopt);
}

manifest::Input audience() {
  auto in = input("audience");
  in.required = false;
  in.acceptable_values = {"ciso", "soc_analyst", "it_admin"};
  in.synonyms = {{"ciso", {"board", "executive"}}, {"soc_analyst", {"handover"}}};
  return in;
}

TEST(FindAcceptableValue, ValueAsWrittenOrSpokenWithSpaces) {
  EXPECT_EQ(find_acceptable_value("a summary for the ciso", audience()), "ciso");
  EXPECT_EQ(find_acceptable_value("write it for the soc analyst", audience()), "soc_analyst");
  EXPECT_EQ(find_acceptable_value("now the it_admin version", audience()), "it_admin");
}

TEST(FindAcceptableValue, Synonyms) {
  EXPECT_EQ(find_acceptable_value("brief the board on 4127", audience()), "ciso");
  EXPECT_EQ(find_acceptable_value("a shift handover note", audience()), "soc_analyst");
}

TEST(FindAcceptableValue, EarliestMentionWins) {
  EXPECT_EQ(find_acceptable_value("an it admin version, not the board one", audience()),
            "it_admin");
  EXPECT_EQ(find_acceptable_value("the board, not the soc analyst", audience()), "ciso");
}

TEST(FindAcceptableValue, WholeWordsOnly) {
  EXPECT_EQ(find_acceptable_value("it administration", audience()), std::nullopt);
  EXPECT_EQ(find_acceptable_value("the onboarding report", audience()), std::nullopt);
  EXPECT_EQ(find_acceptable_value("", audience()), std::nullopt);
}

TEST(AcceptedKinds, AcceptsIsTakenAsWritten) {
  EXPECT_EQ(accepted_kinds(input("indicator", "string", {"ip", "domain", "url", "hash"})),
            (Kinds{"ip", "domain", "url", "hash"}));
  EXPECT_EQ(accepted_kinds(input("lookback", "string", {"timespan"})), (Kinds{"timespan"}));
}

TEST(AcceptedKinds, EntityType) {
  EXPECT_EQ(accepted_kinds(input("name", "host")), (Kinds{"host"}));
  EXPECT_EQ(accepted_kinds(input("detection_id", "incident_id")), (Kinds{"incident_id"}));
}

TEST(AcceptedKinds, HashTakesEveryHashType) {
  const auto kinds = accepted_kinds(input("file", "hash"));
  EXPECT_EQ(kinds, (Kinds{"hash", "md5", "sha1", "sha256"}));
  EXPECT_TRUE(accepts(kinds, "sha256"));
  EXPECT_TRUE(accepts({"hash"}, "md5"));
  EXPECT_EQ(accepted_kinds(input("digest", "sha256")), (Kinds{"sha256"}));
  EXPECT_FALSE(accepts({"sha256"}, "md5"));
}

TEST(AcceptedKinds, StringInputNamedAfterAnEntityType) {
  EXPECT_EQ(accepted_kinds(input("ip")), (Kinds{"ip"}));
  EXPECT_EQ(accepted_kinds(input("hostname")), (Kinds{"host"}));
  EXPECT_EQ(accepted_kinds(input("IPAddress")), (Kinds{"ip"}));
}

TEST(AcceptedKinds, OtherInputsTakeNoKind) {
  EXPECT_TRUE(accepted_kinds(input("comment")).empty());
  EXPECT_TRUE(accepted_kinds(input("id", "integer")).empty());
  EXPECT_TRUE(accepted_kinds(input("limit", "integer")).empty());
}

TEST(Accepts, UserTakesAnEmailAddressOnlyWhenAcceptsSaysSo) {
  // Extraction types jchen@contoso.com an email unless a cue word says "user" (docs/grounding.md);
  // the manifests that want it in a user input say so (Accepts: [user, email]).
  EXPECT_FALSE(accepts(accepted_kinds(input("owner", "user")), "email"));
  EXPECT_TRUE(accepts(accepted_kinds(input("owner", "user", {"user", "email"})), "email"));
}

TEST(Accepts, ExactKindsOnly) {
  EXPECT_TRUE(accepts({"ip", "domain"}, "domain"));
  EXPECT_FALSE(accepts({"ip"}, "domain"));
  EXPECT_FALSE(accepts({}, "ip"));
}

}  // namespace
}  // namespace secpilot::planner

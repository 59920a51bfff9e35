// `/Plugin.Skill name=value` prompts, as an analyst types them.
#include <gtest/gtest.h>

#include "secpilot/orchestrator/direct_invocation.hpp"

namespace secpilot::orchestrator {
namespace {

DirectInvocation parse_ok(std::string_view prompt) {
  auto parsed = parse_direct_invocation(prompt);
  EXPECT_TRUE(parsed.has_value()) << prompt;
  EXPECT_TRUE(*parsed) << (*parsed ? "" : parsed->error().message);
  return **parsed;
}

std::string parse_error(std::string_view prompt) {
  auto parsed = parse_direct_invocation(prompt);
  EXPECT_TRUE(parsed.has_value()) << prompt;
  EXPECT_FALSE(*parsed) << prompt;
  return *parsed ? "" : parsed->error().message;
}

TEST(DirectInvocation, OrdinaryPromptsAreNotDirect) {
  EXPECT_FALSE(parse_direct_invocation("is 198.51.100.7 malicious?").has_value());
  EXPECT_FALSE(parse_direct_invocation("").has_value());
  EXPECT_FALSE(parse_direct_invocation("path /etc/passwd").has_value());
}

TEST(DirectInvocation, SkillAndBareValues) {
  auto call = parse_ok("  /ThreatIntel.LookupIndicator indicator=198.51.100[.]7");
  EXPECT_EQ(call.skill, "ThreatIntel.LookupIndicator");
  EXPECT_EQ(call.inputs.at("indicator"), "198.51.100[.]7");
  EXPECT_TRUE(parse_ok("/Kql.ExplainKql").inputs.empty());
}

TEST(DirectInvocation, QuotedValues) {
  auto call = parse_ok(
      R"(/ThreatIntel.ExtractIndicators text="beacon to \"evil\" at 1.2.3[.]4" mode='a b' x=)");
  EXPECT_EQ(call.inputs.at("text"), R"(beacon to "evil" at 1.2.3[.]4)");
  EXPECT_EQ(call.inputs.at("mode"), "a b");
  EXPECT_EQ(call.inputs.at("x"), "");
  EXPECT_EQ(parse_ok(R"(/S.K path="C:\\Temp\\a.ps1")").inputs.at("path"), R"(C:\Temp\a.ps1)");
}

TEST(DirectInvocation, MalformedPromptsSayWhatIsWrong) {
  EXPECT_NE(parse_error("/").find("no skill after '/'"), std::string::npos);
  EXPECT_NE(parse_error("/S.K indicator").find("'indicator' is not a name=value pair"),
            std::string::npos);
  EXPECT_NE(parse_error("/S.K =x").find("is not a name=value pair"), std::string::npos);
  EXPECT_NE(parse_error(R"(/S.K text="unterminated)").find("unterminated quoted value"),
            std::string::npos);
  EXPECT_NE(parse_error(R"(/S.K a="x"b=1)").find("followed by a space"), std::string::npos);
}

// What MCP calls that need an approval submit: any text reads back as written.
TEST(DirectInvocation, FormattedCallsReadBackAsTheyWere) {
  const DirectInvocation call{
      .skill = "RedCanary.UpdateDetectionState",
      .inputs = {{"id", "4127"},
                 {"note", "say \"hi\" to C:\\temp\\x\nnext line, 'single' = fine"},
                 {"empty", ""}}};
  const auto prompt = format_direct_invocation(call);
  ASSERT_TRUE(prompt) << prompt.error().message;
  const auto back = parse_ok(*prompt);
  EXPECT_EQ(back.skill, call.skill);
  EXPECT_EQ(back.inputs, call.inputs);

  // A value that is not a string travels as its JSON text.
  const auto typed = format_direct_invocation({.skill = "A.B", .inputs = {{"n", 5}, {"on", true}}});
  ASSERT_TRUE(typed);
  EXPECT_EQ(parse_ok(*typed).inputs, (boost::json::object{{"n", "5"}, {"on", "true"}}));
  EXPECT_EQ(as_direct_inputs({{"n", 5}, {"s", "x"}, {"o", {{"k", 1}}}}),
            (boost::json::object{{"n", "5"}, {"s", "x"}, {"o", R"({"k":1})"}}));

  for (const char* name : {"", "a=b", "two words", "quo\"te"})
    EXPECT_EQ(format_direct_invocation({.skill = "A.B", .inputs = {{name, "x"}}}).error().status,
              Status::invalid_input)
        << name;
}

}  // namespace
}  // namespace secpilot::orchestrator

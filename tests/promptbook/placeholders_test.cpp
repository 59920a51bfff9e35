// `<name>` placeholders: what is one and what is not, substitution, and the `\<` escape.
#include <gtest/gtest.h>

#include "promptbook/placeholders.hpp"

namespace secpilot::promptbook::detail {
namespace {

std::vector<std::string> names(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& placeholder : find_placeholders(text))
    out.emplace_back(placeholder.name);
  return out;
}

using Names = std::vector<std::string>;

TEST(Placeholders, FindsNamesBetweenAngleBrackets) {
  EXPECT_EQ(names("Is <ip> part of <Threat_Actor-2>'s infrastructure?"),
            (Names{"ip", "Threat_Actor-2"}));
  EXPECT_EQ(names("<a><b>"), (Names{"a", "b"}));
  EXPECT_EQ(names("<<a>>"), (Names{"a"}));
  EXPECT_EQ(find_placeholders("x <ip> y").at(0).offset, 2u);
}

TEST(Placeholders, IgnoresWhatIsNotAName) {
  EXPECT_EQ(names("Count <5 and <> and < a> and <a b> and <a.b> and <-a> and <a"), Names{});
  EXPECT_EQ(names("DeviceEvents | where RiskScore<10 and x > 3"), Names{});
}

TEST(Placeholders, ABackslashKeepsABracketLiteral) {
  EXPECT_EQ(names(R"(a \<script> tag near <host>)"), (Names{"host"}));
  EXPECT_EQ(substitute(R"(a \<script> tag near <host>)", [](std::string_view) { return "ws-1"; }),
            "a <script> tag near ws-1");
}

TEST(Placeholders, SubstitutesEachOnceWithoutRescanning) {
  const auto value = [](std::string_view name) {
    return name == "a" ? std::string("<b>") : std::string("B");
  };
  EXPECT_EQ(substitute("<a> then <b>", value), "<b> then B")
      << "a value that looks like a placeholder is not substituted again";
  EXPECT_EQ(substitute("no placeholders, a < b > c", value), "no placeholders, a < b > c");
}

TEST(Placeholders, TellsAValueThatIsOnlyOnePlaceholder) {
  EXPECT_TRUE(is_single_placeholder("<language>"));
  EXPECT_FALSE(is_single_placeholder(" <language>"));
  EXPECT_FALSE(is_single_placeholder("<a><b>"));
  EXPECT_FALSE(is_single_placeholder("<a> and more"));
  EXPECT_FALSE(is_single_placeholder(""));
}

TEST(Placeholders, ParameterNamesStartWithALetterOrUnderscore) {
  EXPECT_TRUE(is_parameter_name("ThreatActor"));
  EXPECT_TRUE(is_parameter_name("_x-1"));
  EXPECT_FALSE(is_parameter_name("2fa"));
  EXPECT_FALSE(is_parameter_name("threat actor"));
  EXPECT_FALSE(is_parameter_name(""));
}

}  // namespace
}  // namespace secpilot::promptbook::detail

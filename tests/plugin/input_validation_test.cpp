// Entity shapes the host checks before a plugin sees an input.
#include <gtest/gtest.h>

#include "secpilot/skills/input_validation.hpp"
#include "skills/input_scan.hpp"

namespace secpilot::skills {
namespace {

TEST(EntityShapes, AcceptsWhatAnalystsPaste) {
  EXPECT_TRUE(matches_entity_type("ip", "192.0.2.10"));
  EXPECT_TRUE(matches_entity_type("ip", "2001:db8::1"));
  EXPECT_TRUE(matches_entity_type("ip", "198.51.100.0/24"));
  EXPECT_TRUE(matches_entity_type("ip", "203.0.113[.]9"));
  EXPECT_TRUE(matches_entity_type("domain", "login.example.com"));
  EXPECT_TRUE(matches_entity_type("domain", "evil[.]example"));
  EXPECT_TRUE(matches_entity_type("url", "hxxps://evil.example/a?b=c"));
  EXPECT_TRUE(matches_entity_type("email", "soc@example.org"));
  EXPECT_TRUE(matches_entity_type("md5", "d41d8cd98f00b204e9800998ecf8427e"));
  EXPECT_TRUE(matches_entity_type("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
  EXPECT_TRUE(matches_entity_type(
      "sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_TRUE(matches_entity_type("hash", "D41D8CD98F00B204E9800998ECF8427E"));
  EXPECT_TRUE(matches_entity_type("cve", "CVE-2024-3094"));
  EXPECT_TRUE(matches_entity_type("cve", "cve-2021-44228"));
  EXPECT_TRUE(matches_entity_type("mitre_technique", "T1059.001"));
  EXPECT_TRUE(matches_entity_type("mitre_technique", "T1566"));
  EXPECT_TRUE(matches_entity_type("user", "CONTOSO\\alice"));
}

TEST(EntityShapes, RejectsWhatIsNot) {
  EXPECT_FALSE(matches_entity_type("ip", "999.1.1.1"));
  EXPECT_FALSE(matches_entity_type("ip", "example.com"));
  EXPECT_FALSE(matches_entity_type("domain", "localhost"));
  EXPECT_FALSE(matches_entity_type("domain", "-bad-.example"));
  EXPECT_FALSE(matches_entity_type("url", "example.com/path"));
  EXPECT_FALSE(matches_entity_type("email", "not-an-email"));
  EXPECT_FALSE(matches_entity_type("md5", "xyz"));
  EXPECT_FALSE(matches_entity_type("sha256", "d41d8cd98f00b204e9800998ecf8427e"));
  EXPECT_FALSE(matches_entity_type("cve", "CVE-24-1"));
  EXPECT_FALSE(matches_entity_type("mitre_technique", "T15"));
  EXPECT_FALSE(matches_entity_type("host", ""));
}

TEST(PrepareInput, LeavesUnchangedInputsByteForByte) {
  manifest::Skill skill;
  skill.name = "S";
  manifest::Input input;
  input.name = "indicator";
  skill.inputs.push_back(input);
  auto prepared = prepare_input(skill, R"({"indicator":"x"})");
  ASSERT_TRUE(prepared);
  EXPECT_EQ(*prepared, R"({"indicator":"x"})");
}

}  // namespace
}  // namespace secpilot::skills

namespace secpilot::skills {
namespace {

manifest::Input input(std::string name, std::string type, bool required,
                      std::optional<std::string> default_value = std::nullopt) {
  manifest::Input in;
  in.name = std::move(name);
  in.type = std::move(type);
  in.required = required;
  in.default_value = std::move(default_value);
  return in;
}

manifest::Skill typed_skill() {
  manifest::Skill skill;
  skill.name = "Lookup";
  skill.inputs = {input("indicator", "ip", true),    input("limit", "integer", false),
                  input("tags", "array", false),     input("context", "string", false),
                  input("options", "object", false), input("verbose", "boolean", false)};
  return skill;
}

// The streaming fast path and the document-building slow path must agree: whatever the fast path
// accepts is passed byte for byte, and the slow path would have accepted it unchanged.
TEST(InputScan, AcceptsOnlyWhatNeedsNoChange) {
  const auto skill = typed_skill();
  const std::vector<std::pair<std::string, bool>> cases = {
      {R"({"indicator":"192.0.2.1"})", true},
      {R"({"indicator":"192.0.2[.]1","limit":5,"tags":["a",{"b":[1]}],"verbose":false})", true},
      {R"({"indicator":"192.0.2.1","options":{"deep":{"x":null}},"context":"c"})", true},
      {R"({"indicator":"192.0.2.1","context":null})", true},
      {R"({"indicator":"192.0.2.1","limit":"5"})", false},  // needs converting
      {R"({"indicator":"not-an-ip"})", false},
      {R"({"limit":5})", false},                               // required input missing
      {R"({"indicator":"192.0.2.1","colour":"red"})", false},  // unknown input
      {R"({"indicator":"192.0.2.1","limit":1.5})", false},
      {R"({"indicator":"192.0.2.1","tags":"a"})", false},
      {R"({"indicator":"192.0.2.1","indicator":"192.0.2.2"})", false},
      {R"(["indicator"])", false},
      {R"("192.0.2.1")", false},
      {R"({"indicator":"192.0.2.1"} trailing)", false},
      {R"({"indicator":"192.0.2.1")", false},
  };
  for (const auto& [text, fast] : cases) {
    EXPECT_EQ(inputs_already_valid(skill, text), fast) << text;
    auto prepared = prepare_input(skill, text);
    if (fast) {
      ASSERT_TRUE(prepared) << text;
      EXPECT_EQ(*prepared, text);
    }
  }
}

TEST(InputScan, DefaultsAlwaysTakeTheSlowPath) {
  auto skill = typed_skill();
  skill.inputs.push_back(input("mode", "string", false, "quick"));
  const std::string text = R"({"indicator":"192.0.2.1"})";
  EXPECT_FALSE(inputs_already_valid(skill, text));
  auto prepared = prepare_input(skill, text);
  ASSERT_TRUE(prepared);
  EXPECT_NE(prepared->find("\"mode\":\"quick\""), std::string::npos) << *prepared;
}

TEST(InputScan, EscapedStringsAreCheckedAfterUnescaping) {
  const auto skill = typed_skill();
  EXPECT_TRUE(inputs_already_valid(skill, R"({"indicator":"192.0.2\u002e1"})"));
  EXPECT_FALSE(inputs_already_valid(skill, R"({"indicator":"192.0.2\u002e999"})"));
}

}  // namespace
}  // namespace secpilot::skills

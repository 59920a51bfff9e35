// Entity shapes the host checks before a plugin sees an input.
#include <gtest/gtest.h>

#include "secpilot/skills/input_validation.hpp"

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

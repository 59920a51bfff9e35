// Arbitrary bytes and adversarial shapes: extraction never crashes, every span lies inside the
// text and matches the entity's text, and the output stays bounded. Time is linear by
// construction (every look-around is bounded; see entity_scan.hpp); bench/ measures it.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding {
namespace {

void expect_well_formed(const std::string& text, const ExtractOptions& options = {}) {
  const auto entities = extract_entities(text, options);
  EXPECT_LE(entities.size(), options.max_entities);
  std::size_t previous = 0;
  for (const Entity& entity : entities) {
    ASSERT_LE(entity.offset + entity.length, text.size());
    ASSERT_EQ(text.substr(entity.offset, entity.length), entity.text);
    ASSERT_GE(entity.offset, previous);
    ASSERT_FALSE(entity.value.empty());
    ASSERT_GE(entity.count, 1u);
    previous = entity.offset;
  }
}

TEST(EntityRobustness, RandomBytes) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 300; ++round) {
    std::string text(static_cast<std::size_t>(byte(rng)) * 16, '\0');
    for (char& c : text)
      c = static_cast<char>(byte(rng));
    expect_well_formed(text);
  }
}

TEST(EntityRobustness, RandomEntityShapedSoup) {
  // Bytes that the scanners care about, so that every branch gets random input.
  static constexpr std::string_view kAlphabet =
      "0123456789abcdefABCDEF.:/\\@[](){}-_ \n\t`'\"$%~|;=#hxtpsTCVEINwD";
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  for (int round = 0; round < 300; ++round) {
    std::string text(2048, ' ');
    for (char& c : text)
      c = kAlphabet[pick(rng)];
    expect_well_formed(text);
  }
}

TEST(EntityRobustness, HugeAndRepetitiveInputs) {
  const std::size_t mib = 1 << 20;
  for (const std::string& unit :
       {std::string("@"), std::string("["), std::string("[.]"), std::string("a\\"),
        std::string("."), std::string("1.2."), std::string(":"), std::string("`"),
        std::string("```\n"), std::string("hxxp[:]//"), std::string("a@b.com "),
        std::string("C:\\a "), std::string("/etc/"), std::string("user "), std::string("host x1 "),
        std::string("$x = 1;\n"), std::string("T | where x\n"), std::string("10.0.0.1 "),
        // shapes that would make a careless scanner quadratic
        std::string("let x = 1;\n"), std::string("cmd /c the a "), std::string("http://-x/"),
        std::string("a | "), std::string("http://x.example/("), std::string(")"),
        std::string("C:\\x)"), std::string("user "), std::string("incident ")}) {
    std::string text;
    while (text.size() < mib)
      text += unit;
    expect_well_formed(text);
  }
  // One huge token of each shape the word scanner looks into.
  for (const std::string& unit : {std::string("a.Bc"), std::string("x:"), std::string("ws-"),
                                  std::string("1."), std::string("ab12")}) {
    std::string text;
    while (text.size() < mib)
      text += unit;
    expect_well_formed(text);
  }
  expect_well_formed(std::string(mib, 'a'));
  expect_well_formed(std::string(mib, '\n'));
}

TEST(EntityRobustness, ManyDistinctEntitiesAreCappedKeepingTheFirst) {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "10." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) + "." +
            std::to_string(i % 256) + " ";
  ExtractOptions options;
  options.max_entities = 100;
  const auto entities = extract_entities(text, options);
  ASSERT_EQ(entities.size(), 100u);
  EXPECT_EQ(entities.front().value, "10.0.0.0");
  EXPECT_EQ(entities.back().value, "10.0.0.99");
}

}  // namespace
}  // namespace secpilot::grounding

// Skill names as function names, and back.
#include <gtest/gtest.h>

#include "secpilot/model/function_names.hpp"

namespace secpilot::model {
namespace {

TEST(FunctionNames, MapsDotsToDoubleUnderscoresAndBack) {
  EXPECT_EQ(to_function_name("ti.ip_reputation"), "ti__ip_reputation");
  EXPECT_EQ(from_function_name("ti__ip_reputation"), "ti.ip_reputation");
  EXPECT_EQ(to_function_name("RedCanary.Get-Detection"), "RedCanary__Get-Detection");
  EXPECT_TRUE(is_valid_function_name(to_function_name("RedCanary.Get-Detection")));
}

TEST(FunctionNames, ReplacesOtherCharactersAndKeepsLongNamesDistinct) {
  EXPECT_EQ(to_function_name("Threat Intel.Look up (IP)"), "Threat_Intel__Look_up__IP_");
  const std::string prefix(70, 'a');
  const std::string first = to_function_name(prefix + ".One");
  const std::string second = to_function_name(prefix + ".Two");
  EXPECT_EQ(first.size(), 64u);
  EXPECT_TRUE(is_valid_function_name(first));
  EXPECT_NE(first, second);
  EXPECT_FALSE(is_valid_function_name(""));
  EXPECT_FALSE(is_valid_function_name("a.b"));
  EXPECT_FALSE(is_valid_function_name(std::string(65, 'a')));
}

TEST(FunctionNames, KeepsToolsThatMapToTheSameNameApartAndFindsThemEitherWay) {
  FunctionNames names;
  EXPECT_EQ(names.add("a.b"), "a__b");
  const std::string clash = names.add("a__b");
  EXPECT_NE(clash, "a__b");
  EXPECT_TRUE(is_valid_function_name(clash));
  EXPECT_EQ(names.find("a__b"), 0u);
  EXPECT_EQ(names.find(clash), 1u);
  EXPECT_EQ(names.find("a.b"), 0u);  // a model that ignored the mapping
  EXPECT_FALSE(names.find("c__d"));
}

}  // namespace
}  // namespace secpilot::model

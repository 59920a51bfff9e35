// RefangedText: defanged markers restored, spans mapped back to the text as written.
#include <gtest/gtest.h>

#include "grounding/entity_refang.hpp"

namespace secpilot::grounding::detail {
namespace {

TEST(Refang, RestoresMarkersAndMapsSpansBack) {
  const std::string original = "go to hxxps[:]//evil [.] com/x now";
  const RefangedText refanged(original);
  EXPECT_EQ(refanged.text(), "go to https://evil.com/x now");
  const std::size_t start = refanged.text().find("https");
  const std::size_t end = refanged.text().find(" now");
  const auto [from, to] = refanged.to_original(start, end);
  EXPECT_EQ(original.substr(from, to - from), "hxxps[:]//evil [.] com/x");
  EXPECT_TRUE(refanged.defanged_in(start, end));
  EXPECT_FALSE(refanged.defanged_in(0, 5));
  EXPECT_FALSE(refanged.defanged_in(end, refanged.text().size()));
}

TEST(Refang, SpansInsideAMarkerCoverTheWholeMarker) {
  const std::string original = "a[.]b";
  const RefangedText refanged(original);
  ASSERT_EQ(refanged.text(), "a.b");
  EXPECT_EQ(refanged.to_original(1, 2), (std::pair<std::size_t, std::size_t>{1, 4}));
  EXPECT_EQ(refanged.to_original(2, 3), (std::pair<std::size_t, std::size_t>{4, 5}));
}

TEST(Refang, LeavesOrdinaryTextUntouchedAndUncopied) {
  const std::string original = "plain text (with) [brackets] and http://x.example/ [at] end";
  const RefangedText refanged(original);
  EXPECT_EQ(refanged.text().data(), original.data());
  EXPECT_EQ(refanged.to_original(3, 9), (std::pair<std::size_t, std::size_t>{3, 9}));
}

}  // namespace
}  // namespace secpilot::grounding::detail

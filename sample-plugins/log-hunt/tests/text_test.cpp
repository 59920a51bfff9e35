// KQL's string operators: the term semantics of has, and case folding.
#include <gtest/gtest.h>

#include "log_hunt/text.hpp"

namespace log_hunt {
namespace {

TEST(TermMatcher, HasMatchesWholeTermsIgnoringCase) {
  TermMatcher enc("enc", false);
  EXPECT_TRUE(enc.has("powershell -enc AAA"));
  EXPECT_TRUE(enc.has("powershell -ENC AAA"));
  EXPECT_TRUE(enc.has("enc"));
  EXPECT_FALSE(enc.has("powershell -EncodedCommand AAA"));
  EXPECT_FALSE(enc.has("fence"));
  EXPECT_FALSE(enc.has(""));
}

TEST(TermMatcher, NeedlesWithPunctuationAnchorOnlyTheirTermEnds) {
  TermMatcher dotted("powershell.exe", false);
  EXPECT_TRUE(dotted.has("C:\\Windows\\powershell.exe -nop"));
  EXPECT_FALSE(dotted.has("mypowershell.exe"));
  TermMatcher dash("-enc", false);
  EXPECT_TRUE(dash.has("x -enc y"));
  EXPECT_TRUE(dash.has("x--enc"));
  EXPECT_FALSE(dash.has("x -encoded"));
}

TEST(TermMatcher, CaseSensitiveVariants) {
  TermMatcher cs("PowerShell", true);
  EXPECT_TRUE(cs.has("PowerShell -c x"));
  EXPECT_FALSE(cs.has("powershell -c x"));
  EXPECT_TRUE(cs.contains("xxPowerShellxx"));
  EXPECT_FALSE(cs.contains("xxpowershellxx"));
}

TEST(TermMatcher, PrefixSuffixStartsEnds) {
  TermMatcher shell("shell", false);
  EXPECT_TRUE(TermMatcher("power", false).has_prefix("a powershell b"));
  EXPECT_FALSE(shell.has_prefix("a powershell b"));
  EXPECT_TRUE(shell.has_suffix("a powershell b"));
  EXPECT_TRUE(TermMatcher("POWER", false).starts_with("powershell.exe"));
  EXPECT_TRUE(TermMatcher(".EXE", false).ends_with("powershell.exe"));
  EXPECT_FALSE(TermMatcher(".exe", false).ends_with("exe"));
}

TEST(Ifind, FindsTheFirstOccurrenceOfEitherCase) {
  EXPECT_EQ(ifind("abcABCabc", "cab"), 2u);
  EXPECT_EQ(ifind("xxxxX", "x", 4), 4u);
  EXPECT_EQ(ifind("short", "longer needle"), std::string_view::npos);
  EXPECT_EQ(ifind("a-b", "-"), 1u);
}

}  // namespace
}  // namespace log_hunt

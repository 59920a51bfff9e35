// The batch decoders: carets, and variables expanded as cmd.exe expands them.
#include <gtest/gtest.h>

#include "peel.hpp"

namespace script_analysis {
namespace {

using testing::peel;
constexpr Language kBat = Language::Batch;

TEST(Carets, RemovedInsideWordsKeptAsEscapes) {
  auto peeled = peel("p^o^w^e^r^s^h^e^l^l -File x.ps1 & echo a^&b ^^ c^|d", kBat);
  EXPECT_EQ(peeled.final_text, "powershell -File x.ps1 & echo a^&b ^^ c^|d");
  EXPECT_TRUE(peeled.undid("caret_escapes"));
}

TEST(BatchVariables, SplicedSetsExpandInOrder) {
  auto peeled = peel("set a=pow\r\nset \"b=ersh\"\r\nset c=ell\r\n%a%%b%%c% -nop", kBat);
  EXPECT_EQ(peeled.final_text, "set a=pow\r\nset \"b=ersh\"\r\nset c=ell\r\npowershell -nop");
  ASSERT_EQ(peeled.layers.size(), 2u);
  EXPECT_EQ(peeled.layers[1].obfuscation, ObfuscationClass::CommandObfuscation);
}

TEST(BatchVariables, SubstringsAndReplacements) {
  EXPECT_EQ(peel("set x=abcdef\n%x:~1,3% %x:~-2% %x:~2% %x:~0,-2%", kBat).final_text,
            "set x=abcdef\nbcd ef cdef abcd");
  EXPECT_EQ(peel("set x=cXmXd\n%x:X=%", kBat).final_text, "set x=cXmXd\ncmd");
  // Well-known values, only when cut: %COMSPEC% alone stays as written.
  EXPECT_EQ(peel("%COMSPEC:~-7,3% /c %COMSPEC%", kBat).final_text, "cmd /c %COMSPEC%");
}

TEST(BatchVariables, ALineSeesOnlyEarlierSets) {
  // cmd expands a whole line before running any of it.
  EXPECT_EQ(peel("set a=one& echo %a%\necho %a%", kBat).final_text,
            "set a=one& echo %a%\necho one");
}

TEST(BatchVariables, ArgumentsLoopsAndUnknownsStay) {
  const std::string script = "for %%i in (*.txt) do echo %%i %1 %~dp0 %UNKNOWN%";
  EXPECT_EQ(peel(script, kBat).final_text, script);
}

TEST(BatchVariables, DelayedExpansion) {
  EXPECT_EQ(peel("setlocal enabledelayedexpansion\nset v=cal\nset w=c\n!v!!w!", kBat).final_text,
            "setlocal enabledelayedexpansion\nset v=cal\nset w=c\ncalc");
}

TEST(BatchVariables, PlainExpansionIsNotObfuscation) {
  auto peeled = peel("set OUT=C:\\build\nxcopy src %OUT%", kBat);
  ASSERT_EQ(peeled.layers.size(), 2u);
  EXPECT_EQ(peeled.layers[1].obfuscation, ObfuscationClass::None);
}

}  // namespace
}  // namespace script_analysis

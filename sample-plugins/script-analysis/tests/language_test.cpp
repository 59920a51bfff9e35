// Language detection: the clue that decides, a confidence, and the names a user may give.
#include <gtest/gtest.h>

#include "script_analysis/language.hpp"

namespace script_analysis {
namespace {

TEST(Language, DetectsEachLanguageFromItsClues) {
  EXPECT_EQ(detect_language("$x = New-Object Net.WebClient; Write-Host $x").language,
            Language::PowerShell);
  EXPECT_EQ(detect_language("if [ -f /tmp/x ]; then rm -rf /tmp/x; fi").language, Language::Shell);
  EXPECT_EQ(detect_language("@echo off\r\nset x=1\r\ngoto :end").language, Language::Batch);
  EXPECT_EQ(detect_language("var s = new ActiveXObject('WScript.Shell'); eval(x);").language,
            Language::JavaScript);
  EXPECT_EQ(detect_language("Dim o\nSet o = CreateObject(\"WScript.Shell\")\nEnd If").language,
            Language::VBScript);
}

TEST(Language, AShebangDecides) {
  LanguageGuess guess = detect_language("#!/usr/bin/env bash\necho hi\n");
  EXPECT_EQ(guess.language, Language::Shell);
  ASSERT_FALSE(guess.reasons.empty());
  EXPECT_EQ(guess.reasons.front(), "shebang #!/usr/bin/env bash");
  EXPECT_EQ(detect_language("#!/usr/bin/env pwsh\n$x = 1").language, Language::PowerShell);
}

TEST(Language, ACommandLineStartingPowerShellIsPowerShell) {
  EXPECT_EQ(detect_language("powershell.exe -nop -w hidden -enc SQBFAFgA").language,
            Language::PowerShell);
}

TEST(Language, ConfidenceReflectsTheMargin) {
  double clear = detect_language("@echo off\nsetlocal\nset /a n=1\nexit /b 0").confidence;
  double thin = detect_language("curl x").confidence;
  EXPECT_GT(clear, 0.9);
  EXPECT_LT(thin, 0.3);
  LanguageGuess none = detect_language("just some words");
  EXPECT_EQ(none.language, Language::Unknown);
  EXPECT_EQ(none.confidence, 0.0);
}

TEST(Language, ParsesNamesAndAliases) {
  EXPECT_EQ(parse_language("PowerShell"), Language::PowerShell);
  EXPECT_EQ(parse_language("pwsh"), Language::PowerShell);
  EXPECT_EQ(parse_language("bash"), Language::Shell);
  EXPECT_EQ(parse_language("cmd"), Language::Batch);
  EXPECT_EQ(parse_language("JS"), Language::JavaScript);
  EXPECT_EQ(parse_language("vbs"), Language::VBScript);
  EXPECT_EQ(parse_language("auto"), Language::Unknown);
  EXPECT_FALSE(parse_language("cobol"));
}

}  // namespace
}  // namespace script_analysis

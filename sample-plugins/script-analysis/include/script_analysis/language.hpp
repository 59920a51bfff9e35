// Which scripting language a text is written in, with a confidence and the clues that decided it.
// The decoders and the behaviour rules take it as a hint; the user may override it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace script_analysis {

enum class Language { Unknown, PowerShell, Shell, Batch, JavaScript, VBScript };

// "powershell", "shell", "batch", "javascript", "vbscript", "unknown".
std::string_view language_name(Language language) noexcept;

// A user's name for a language: the names above and common aliases (ps, ps1, pwsh, bash, sh, zsh,
// cmd, bat, js, jscript, vbs, ...), case-insensitive. "auto" and "" read as Unknown (detect);
// nullopt when the name means nothing.
std::optional<Language> parse_language(std::string_view name) noexcept;

// The accepted names, for error messages.
inline constexpr std::string_view kLanguageNames =
    "powershell, bash (or sh, shell), batch (or cmd), javascript (or js), vbscript (or vbs), auto";

struct LanguageGuess {
  Language language = Language::Unknown;
  double confidence = 0.0;           // 0..1: how clearly the winner beat the others
  std::vector<std::string> reasons;  // the strongest clues, e.g. "shebang #!/bin/bash"
};

// Scores clue patterns (a shebang, `@echo off`, cmdlet names, `Dim`, `function(`, ...) over the
// first 48 KiB and the last 16 KiB of the text.
LanguageGuess detect_language(std::string_view text);

}  // namespace script_analysis

#include "script_analysis/language.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "pattern.hpp"
#include "text_util.hpp"

namespace script_analysis {
namespace {

struct Clue {
  std::string_view pattern;
  Language language;
  int weight;
  std::string_view reason;
};

using L = Language;

// A clue counts once, and half again when it occurs three times or more: a long script of one
// language still beats a short quote of another.
constexpr Clue kClues[] = {
    // PowerShell
    {"~invoke-expression~", L::PowerShell, 3, "Invoke-Expression"},
    {"~iex~", L::PowerShell, 1, "iex"},
    {"~iex(", L::PowerShell, 2, "iex( )"},
    {"}\" -f", L::PowerShell, 3, "-f format strings"},
    {"}' -f", L::PowerShell, 3, "-f format strings"},
    {"~new-object~", L::PowerShell, 3, "New-Object"},
    {"~write-host~", L::PowerShell, 3, "Write-Host"},
    {"~write-output~", L::PowerShell, 3, "Write-Output"},
    {"~foreach-object~", L::PowerShell, 3, "ForEach-Object"},
    {"~start-process~", L::PowerShell, 3, "Start-Process"},
    {"~invoke-webrequest~", L::PowerShell, 3, "Invoke-WebRequest"},
    {"~get-", L::PowerShell, 2, "Get-* cmdlets"},
    {"~set-", L::PowerShell, 1, "Set-* cmdlets"},
    {"$env:", L::PowerShell, 3, "$env: variables"},
    {"]::", L::PowerShell, 2, ".NET static members ([Type]::Member)"},
    {"[char]", L::PowerShell, 2, "[char] casts"},
    {"$_", L::PowerShell, 2, "$_ pipeline variable"},
    {"~-join~", L::PowerShell, 2, "-join operator"},
    {"~-split~", L::PowerShell, 2, "-split operator"},
    {"~-replace~", L::PowerShell, 2, "-replace operator"},
    {" -eq ", L::PowerShell, 1, "-eq comparison"},
    {" -ne ", L::PowerShell, 1, "-ne comparison"},
    {"~param(", L::PowerShell, 2, "param() block"},
    {"$null", L::PowerShell, 2, "$null"},
    {"$true", L::PowerShell, 2, "$true"},
    {"$false", L::PowerShell, 2, "$false"},
    {"$psversiontable", L::PowerShell, 3, "$PSVersionTable"},
    {"%{", L::PowerShell, 1, "%{ } blocks"},
    {"~powershell", L::PowerShell, 3, "powershell invocation"},
    {"~pwsh~", L::PowerShell, 3, "pwsh invocation"},
    {"~-nop~", L::PowerShell, 2, "-nop"},
    {"~-noprofile~", L::PowerShell, 2, "-NoProfile"},
    {"~-windowstyle~", L::PowerShell, 2, "-WindowStyle"},
    {"~-executionpolicy~", L::PowerShell, 2, "-ExecutionPolicy"},
    {"~-encodedcommand~", L::PowerShell, 2, "-EncodedCommand"},
    {"~invoke-command~", L::PowerShell, 3, "Invoke-Command"},
    {"-scriptblock", L::PowerShell, 3, "-ScriptBlock"},
    {"-computername", L::PowerShell, 2, "-ComputerName"},
    {"foreach ($", L::PowerShell, 3, "foreach ($x in ...)"},
    {"@(", L::PowerShell, 2, "@( ) arrays"},
    {"[ref]", L::PowerShell, 2, "[ref]"},
    {"~new-itemproperty~", L::PowerShell, 3, "New-ItemProperty"},
    {"mppreference", L::PowerShell, 3, "Set-/Add-MpPreference"},
    {"scheduledtask", L::PowerShell, 3, "ScheduledTask cmdlets"},
    {"\n$", L::PowerShell, 2, "lines starting with a $variable"},
    // Bash / sh
    {"~fi~", L::Shell, 2, "fi"},
    {"~esac~", L::Shell, 3, "esac"},
    {"~elif~", L::Shell, 2, "elif"},
    {"; then", L::Shell, 2, "; then"},
    {"; do~", L::Shell, 2, "; do"},
    {"$(", L::Shell, 2, "$( ) command substitution"},
    {"~export ", L::Shell, 2, "export"},
    {"~chmod ", L::Shell, 2, "chmod"},
    {"/dev/null", L::Shell, 2, "/dev/null"},
    {"/tmp/", L::Shell, 1, "/tmp/"},
    {"| sh~", L::Shell, 2, "piped into sh"},
    {"|sh~", L::Shell, 2, "piped into sh"},
    {"| bash~", L::Shell, 3, "piped into bash"},
    {"|bash~", L::Shell, 3, "piped into bash"},
    {"~wget ", L::Shell, 2, "wget"},
    {"~curl ", L::Shell, 1, "curl"},
    {"~sudo ", L::Shell, 2, "sudo"},
    {"~apt-get ", L::Shell, 2, "apt-get"},
    {"~base64 -d", L::Shell, 2, "base64 -d"},
    {"~base64 --decode", L::Shell, 2, "base64 --decode"},
    {"~nohup ", L::Shell, 2, "nohup"},
    {"~crontab", L::Shell, 2, "crontab"},
    {"~systemctl ", L::Shell, 2, "systemctl"},
    {"[ -", L::Shell, 2, "[ -x ] tests"},
    {"~uname", L::Shell, 2, "uname"},
    {"~rm -rf", L::Shell, 2, "rm -rf"},
    {"/bin/", L::Shell, 1, "/bin/ paths"},
    // Windows batch
    {"@echo off", L::Batch, 8, "@echo off"},
    {"~setlocal", L::Batch, 3, "setlocal"},
    {"~endlocal", L::Batch, 3, "endlocal"},
    {"%~dp0", L::Batch, 4, "%~dp0"},
    {"~set /a ", L::Batch, 3, "set /a"},
    {"~set /p ", L::Batch, 3, "set /p"},
    {"~set \"", L::Batch, 2, "set \"name=value\""},
    {"%%", L::Batch, 2, "%% loop variables"},
    {"~goto ", L::Batch, 2, "goto"},
    {"~rem ", L::Batch, 2, "rem comments"},
    {"~if exist", L::Batch, 2, "if exist"},
    {"~errorlevel", L::Batch, 3, "errorlevel"},
    {"~exit /b", L::Batch, 3, "exit /b"},
    {"cmd /c", L::Batch, 2, "cmd /c"},
    {"cmd.exe /c", L::Batch, 2, "cmd.exe /c"},
    {"start \"\"", L::Batch, 2, "start \"\""},
    {">nul", L::Batch, 2, ">nul"},
    {"> nul", L::Batch, 2, "> nul"},
    {"%comspec", L::Batch, 2, "%COMSPEC%"},
    {"%temp%", L::Batch, 1, "%TEMP%"},
    {"%appdata%", L::Batch, 1, "%APPDATA%"},
    {":~", L::Batch, 1, "%var:~x,y% substrings"},
    // JavaScript (JScript droppers included)
    {"~var ", L::JavaScript, 2, "var declarations"},
    {"~const ", L::JavaScript, 2, "const declarations"},
    {"~let ", L::JavaScript, 1, "let declarations"},
    {"function(", L::JavaScript, 2, "function( )"},
    {"=>", L::JavaScript, 2, "arrow functions"},
    {"activexobject", L::JavaScript, 4, "ActiveXObject"},
    {"string.fromcharcode", L::JavaScript, 4, "String.fromCharCode"},
    {"~eval(", L::JavaScript, 2, "eval( )"},
    {"~document.", L::JavaScript, 2, "document."},
    {"~window.", L::JavaScript, 2, "window."},
    {"console.log", L::JavaScript, 3, "console.log"},
    {"===", L::JavaScript, 3, "==="},
    {"!==", L::JavaScript, 3, "!=="},
    {".charcodeat(", L::JavaScript, 3, "charCodeAt"},
    {".prototype.", L::JavaScript, 3, ".prototype."},
    {"\"use strict\"", L::JavaScript, 3, "\"use strict\""},
    {"~try {", L::JavaScript, 2, "try {"},
    {"){", L::JavaScript, 1, "){"},
    // VBScript
    {"~dim ", L::VBScript, 3, "Dim"},
    {"= createobject(", L::VBScript, 3, "Set x = CreateObject( )"},
    {"~createobject(", L::VBScript, 1, "CreateObject( )"},
    {"~end sub~", L::VBScript, 4, "End Sub"},
    {"~end function~", L::VBScript, 4, "End Function"},
    {"~end if~", L::VBScript, 3, "End If"},
    {"~on error resume next", L::VBScript, 5, "On Error Resume Next"},
    {"~msgbox", L::VBScript, 3, "MsgBox"},
    {"~vbcrlf~", L::VBScript, 3, "vbCrLf"},
    {"~chr(", L::VBScript, 2, "Chr( )"},
    {"~chrw(", L::VBScript, 3, "ChrW( )"},
    {"~executeglobal", L::VBScript, 4, "ExecuteGlobal"},
    {"~execute ", L::VBScript, 2, "Execute"},
    {"~wend~", L::VBScript, 3, "Wend"},
    {"\" & ", L::VBScript, 2, "\" & \" concatenation"},
    {"~strreverse(", L::VBScript, 3, "StrReverse( )"},
};

constexpr size_t kLanguageCount = 6;
constexpr size_t kScanBytes = 64 * 1024;
constexpr size_t kTailBytes = 16 * 1024;

size_t index_of(Language language) {
  return static_cast<size_t>(language);
}

struct Score {
  double points = 0;
  std::vector<std::pair<double, std::string>> reasons;
};

void add(Score& score, double points, std::string reason) {
  score.points += points;
  score.reasons.emplace_back(points, std::move(reason));
}

// "#!/bin/bash", "#!/usr/bin/env pwsh": decisive when present.
void score_shebang(std::string_view lowered, std::array<Score, kLanguageCount>& scores) {
  if (lowered.substr(0, 2) != "#!") return;
  std::string_view line = lowered.substr(0, lowered.find('\n'));
  std::string reason = "shebang " + std::string(trim(line));
  if (line.find("pwsh") != std::string_view::npos ||
      line.find("powershell") != std::string_view::npos)
    add(scores[index_of(L::PowerShell)], 10, reason);
  else if (line.find("node") != std::string_view::npos)
    add(scores[index_of(L::JavaScript)], 10, reason);
  else if (line.find("sh") != std::string_view::npos)
    add(scores[index_of(L::Shell)], 10, reason);
}

// I`E`X, N`ew-Obj`ect: PowerShell's escape character inside words.
void score_ticks(std::string_view text, std::array<Score, kLanguageCount>& scores) {
  size_t ticks = 0;
  for (size_t i = 1; i + 1 < text.size() && ticks < 3; ++i)
    if (text[i] == '`' && is_alpha(text[i - 1]) && is_alpha(text[i + 1])) ++ticks;
  if (ticks > 0)
    add(scores[index_of(L::PowerShell)], 3.0 * static_cast<double>(ticks),
        "backticks inside words");
}

}  // namespace

std::string_view language_name(Language language) noexcept {
  switch (language) {
    case Language::PowerShell:
      return "powershell";
    case Language::Shell:
      return "shell";
    case Language::Batch:
      return "batch";
    case Language::JavaScript:
      return "javascript";
    case Language::VBScript:
      return "vbscript";
    case Language::Unknown:
      break;
  }
  return "unknown";
}

std::optional<Language> parse_language(std::string_view name) noexcept {
  struct Alias {
    std::string_view name;
    Language language;
  };
  static constexpr Alias kAliases[] = {
      {"", L::Unknown},          {"auto", L::Unknown},
      {"unknown", L::Unknown},   {"powershell", L::PowerShell},
      {"ps", L::PowerShell},     {"ps1", L::PowerShell},
      {"pwsh", L::PowerShell},   {"shell", L::Shell},
      {"bash", L::Shell},        {"sh", L::Shell},
      {"zsh", L::Shell},         {"dash", L::Shell},
      {"batch", L::Batch},       {"bat", L::Batch},
      {"cmd", L::Batch},         {"javascript", L::JavaScript},
      {"js", L::JavaScript},     {"jscript", L::JavaScript},
      {"vbscript", L::VBScript}, {"vbs", L::VBScript},
      {"vb", L::VBScript},
  };
  std::string_view trimmed = trim(name);
  for (const auto& alias : kAliases)
    if (iequals(trimmed, alias.name)) return alias.language;
  return std::nullopt;
}

LanguageGuess detect_language(std::string_view text) {
  // The start and the end: a dropper's tell-tale pipeline often follows a long blob.
  std::string lowered;
  if (text.size() <= kScanBytes) {
    lowered = to_lower(text);
  } else {
    lowered = to_lower(text.substr(0, kScanBytes - kTailBytes));
    lowered += '\n';
    lowered += to_lower(text.substr(text.size() - kTailBytes));
  }
  std::array<Score, kLanguageCount> scores;
  score_shebang(lowered, scores);
  score_ticks(lowered, scores);
  for (const Clue& clue : kClues) {
    const Pattern pattern = make_pattern(clue.pattern);
    size_t at = find_pattern(lowered, pattern);
    if (at == std::string_view::npos) continue;
    size_t occurrences = 1;
    while (occurrences < 3 &&
           (at = find_pattern(lowered, pattern, at + 1)) != std::string_view::npos)
      ++occurrences;
    double points = clue.weight * (occurrences >= 3 ? 1.5 : 1.0);
    add(scores[index_of(clue.language)], points, std::string(clue.reason));
  }

  LanguageGuess guess;
  size_t best = 0;
  double runner_up = 0;
  for (size_t i = 1; i < kLanguageCount; ++i)
    if (scores[i].points > scores[best].points) best = i;
  for (size_t i = 1; i < kLanguageCount; ++i)
    if (i != best) runner_up = std::max(runner_up, scores[i].points);
  if (best == 0 || scores[best].points <= 0) return guess;

  const double top = scores[best].points;
  guess.language = static_cast<Language>(best);
  // How clearly it won, damped for thin evidence (a single weak clue is a guess).
  double confidence = top / (top + runner_up) * std::min(1.0, top / 8.0);
  guess.confidence = std::round(confidence * 100.0) / 100.0;
  auto& reasons = scores[best].reasons;
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < reasons.size() && i < 5; ++i)
    guess.reasons.push_back(std::move(reasons[i].second));
  return guess;
}

}  // namespace script_analysis

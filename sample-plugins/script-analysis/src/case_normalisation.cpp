// Random capitalisation ("iNvOkE-eXpReSsIoN", "NeW-oBjEcT nEt.WeBcLiEnT") defeats naive
// signatures because PowerShell ignores case in names. Well-known command, type and member names
// written with such mixed case are restored to their usual spelling. A name written in one case
// throughout (IEX, iex, new-object) or already spelled normally is left as it is.
#include <array>

#include "rewriter.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

// Names droppers use, in their usual spelling.
constexpr std::array<std::string_view, 58> kNames{"Invoke-Expression",
                                                  "Invoke-Command",
                                                  "Invoke-WebRequest",
                                                  "Invoke-RestMethod",
                                                  "Invoke-Item",
                                                  "New-Object",
                                                  "Start-Process",
                                                  "Start-BitsTransfer",
                                                  "Set-MpPreference",
                                                  "Add-MpPreference",
                                                  "Get-Content",
                                                  "Set-Content",
                                                  "Add-Content",
                                                  "Out-File",
                                                  "Set-ItemProperty",
                                                  "New-ItemProperty",
                                                  "Get-ItemProperty",
                                                  "Register-ScheduledTask",
                                                  "New-ScheduledTaskAction",
                                                  "New-Service",
                                                  "Write-Host",
                                                  "Write-Output",
                                                  "Get-WmiObject",
                                                  "Invoke-WmiMethod",
                                                  "Get-Process",
                                                  "Stop-Process",
                                                  "Remove-Item",
                                                  "Copy-Item",
                                                  "Net.WebClient",
                                                  "System.Net.WebClient",
                                                  "WebClient",
                                                  "DownloadString",
                                                  "DownloadFile",
                                                  "DownloadData",
                                                  "UploadString",
                                                  "FromBase64String",
                                                  "ToBase64String",
                                                  "GetString",
                                                  "Text.Encoding",
                                                  "Unicode",
                                                  "MemoryStream",
                                                  "StreamReader",
                                                  "GzipStream",
                                                  "DeflateStream",
                                                  "ReadToEnd",
                                                  "CompressionMode",
                                                  "Decompress",
                                                  "Reflection.Assembly",
                                                  "Load",
                                                  "EntryPoint",
                                                  "Invoke",
                                                  "ScriptBlock",
                                                  "Create",
                                                  "AmsiUtils",
                                                  "amsiInitFailed",
                                                  "Hidden",
                                                  "Bypass",
                                                  "WindowStyle"};

bool is_name_char(char c) noexcept {
  return is_alnum(c) || c == '-' || c == '.' || c == '_';
}

// Mixed case that no one types: at least three switches between upper and lower case.
bool randomly_cased(std::string_view word) noexcept {
  int switches = 0;
  int previous = 0;  // 1 upper, -1 lower
  for (char c : word) {
    int kind = (c >= 'A' && c <= 'Z') ? 1 : (c >= 'a' && c <= 'z') ? -1 : 0;
    if (kind == 0) continue;
    if (previous != 0 && kind != previous) ++switches;
    previous = kind;
  }
  return switches >= 3;
}

}  // namespace

std::optional<Rewrite> normalise_case(const TransformInput& input) {
  const std::string_view text = input.text;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (!is_name_char(text[i]) || (i > 0 && is_name_char(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && is_name_char(text[end]))
      ++end;
    std::string_view word = text.substr(i, end - i);
    // Whole words first; then each dotted part (System.Net.WeBcLiEnT).
    size_t part = 0;
    while (part < word.size()) {
      size_t best_length = 0;
      std::string_view best;
      for (std::string_view name : kNames) {
        if (name.size() > best_length && iequals(word.substr(part, name.size()), name) &&
            (part + name.size() == word.size() || word[part + name.size()] == '.' ||
             word[part + name.size()] == '(')) {
          best = name;
          best_length = name.size();
        }
      }
      if (best_length > 0) {
        std::string_view written = word.substr(part, best_length);
        if (written != best && randomly_cased(written))
          out.replace(i + part, i + part + best_length, best);
        part += best_length;
      } else {
        size_t dot = word.find('.', part);
        part = dot == std::string_view::npos ? word.size() : dot;
      }
      if (part < word.size() && word[part] == '.') ++part;
    }
    i = end;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis

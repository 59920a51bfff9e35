#include "grounding/entity_code_lines.hpp"

#include <algorithm>

#include "grounding/entity_chars.hpp"

namespace secpilot::grounding::detail {
namespace {

// English function words: many of them and no code punctuation make a line prose.
constexpr std::string_view kFunctionWords[] = {
    "a",     "about",  "after", "all",    "also",  "an",    "and",   "any", "are",   "as",   "at",
    "be",    "been",   "but",   "by",     "can",   "could", "did",   "do",  "does",  "for",  "from",
    "had",   "has",    "have",  "he",     "her",   "his",   "how",   "i",   "if",    "in",   "into",
    "is",    "it",     "its",   "just",   "me",    "my",    "no",    "not", "of",    "on",   "or",
    "our",   "please", "she",   "should", "so",    "than",  "that",  "the", "their", "them", "then",
    "there", "these",  "they",  "this",   "those", "to",    "was",   "we",  "were",  "what", "when",
    "where", "which",  "who",   "why",    "will",  "with",  "would", "you", "your"};
constexpr WordIndex kFunctionWordsIndex{kFunctionWords};

// PowerShell's approved verbs (plus Where, ForEach, Sort, Tee): "Verb-Noun" opens a cmdlet line.
constexpr std::string_view kVerbs[] = {
    "add",         "approve",    "assert",    "backup",    "block",      "checkpoint", "clear",
    "close",       "compare",    "complete",  "compress",  "confirm",    "connect",    "convert",
    "convertfrom", "convertto",  "copy",      "debug",     "deny",       "disable",    "disconnect",
    "dismount",    "edit",       "enable",    "enter",     "exit",       "expand",     "export",
    "find",        "foreach",    "format",    "get",       "grant",      "group",      "hide",
    "import",      "initialize", "install",   "invoke",    "join",       "limit",      "lock",
    "measure",     "merge",      "mount",     "move",      "new",        "open",       "optimize",
    "out",         "ping",       "pop",       "protect",   "publish",    "push",       "read",
    "receive",     "redo",       "register",  "remove",    "rename",     "repair",     "request",
    "reset",       "resize",     "resolve",   "restart",   "restore",    "resume",     "revoke",
    "save",        "search",     "select",    "send",      "set",        "show",       "skip",
    "sort",        "split",      "start",     "step",      "stop",       "submit",     "suspend",
    "switch",      "sync",       "tee",       "test",      "trace",      "unblock",    "undo",
    "uninstall",   "unlock",     "unprotect", "unpublish", "unregister", "update",     "use",
    "wait",        "watch",      "where",     "write"};
constexpr WordIndex kVerbsIndex{kVerbs};

// First words that make a line code on their own.
constexpr std::string_view kStrongFirstWords[] = {
    "base64",       "bcdedit",    "bitsadmin", "catch",    "certutil", "chmod",    "chown", "const",
    "createobject", "crontab",    "cscript",   "curl",     "dim",      "done",     "elif",  "esac",
    "eval",         "fi",         "finally",   "foreach",  "function", "iex",      "mshta", "nohup",
    "param",        "powershell", "pwsh",      "regsvr32", "rundll32", "schtasks", "sudo",  "var",
    "vssadmin",     "wevtutil",   "wget",      "wmic"};
constexpr WordIndex kStrongFirstWordsIndex{kStrongFirstWords};

// First words that may be code: they count only beside a strong line.
constexpr std::string_view kWeakFirstWords[] = {
    "attrib",   "call",     "cat",      "cd",       "cls",      "copy",  "def",     "del",
    "dir",      "do",       "echo",     "else",     "endlocal", "exit",  "export",  "from",
    "goto",     "icacls",   "import",   "ipconfig", "let",      "ls",    "mkdir",   "move",
    "net",      "nslookup", "pause",    "ping",     "popd",     "print", "pushd",   "reg",
    "return",   "rm",       "robocopy", "sc",       "setlocal", "start", "takeown", "taskkill",
    "tasklist", "then",     "timeout",  "whoami",   "xcopy"};
constexpr WordIndex kWeakFirstWordsIndex{kWeakFirstWords};

constexpr std::string_view kKqlOperators[] = {"as",
                                              "count",
                                              "distinct",
                                              "evaluate",
                                              "extend",
                                              "find",
                                              "getschema",
                                              "invoke",
                                              "join",
                                              "limit",
                                              "lookup",
                                              "make-series",
                                              "mv-apply",
                                              "mv-expand",
                                              "order",
                                              "parse",
                                              "parse-where",
                                              "project",
                                              "project-away",
                                              "project-keep",
                                              "project-rename",
                                              "project-reorder",
                                              "render",
                                              "sample",
                                              "search",
                                              "serialize",
                                              "sort",
                                              "summarize",
                                              "take",
                                              "top",
                                              "union",
                                              "where"};
constexpr WordIndex kKqlOperatorsIndex{kKqlOperators};

// Programs whose command lines are worth analysing as scripts.
constexpr std::string_view kLaunchers[] = {
    "bash",           "bitsadmin", "certutil", "cmd",     "cscript", "curl",    "installutil",
    "msbuild",        "mshta",     "msiexec",  "nc",      "ncat",    "perl",    "powershell",
    "powershell_ise", "pwsh",      "python",   "python3", "regasm",  "regsvcs", "regsvr32",
    "rundll32",       "schtasks",  "sh",       "wget",    "wmic",    "wscript", "zsh"};
constexpr WordIndex kLaunchersIndex{kLaunchers};

constexpr std::string_view kScriptTags[] = {
    "applescript",  "bash", "bat",     "batch",  "cmd",      "console", "dos",        "hta",
    "javascript",   "js",   "jscript", "perl",   "php",      "posh",    "powershell", "ps",
    "ps1",          "pwsh", "py",      "python", "rb",       "ruby",    "sh",         "shell",
    "shellsession", "vb",   "vba",     "vbs",    "vbscript", "wsf",     "zsh"};
constexpr WordIndex kScriptTagsIndex{kScriptTags};

constexpr std::string_view kKqlTags[] = {"csl", "kql", "kusto"};
constexpr WordIndex kKqlTagsIndex{kKqlTags};

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

bool istarts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() && iequals_ascii(text.substr(0, prefix.size()), prefix);
}

bool is_identifier_char(char c) noexcept {
  return is_alnum(c) || c == '_';
}

// The words of a line outside quotes, and how many of them are English function words.
struct WordCounts {
  std::size_t words = 0;
  std::size_t function_words = 0;
};
WordCounts count_words(std::string_view text) noexcept {
  WordCounts counts;
  char quote = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      ++i;
      continue;
    }
    const bool word_start = i == 0 || is_space(text[i - 1]) || text[i - 1] == '(';
    if ((c == '"' || c == '\'') && word_start) {
      quote = c;
      ++i;
      continue;
    }
    if (is_space(c)) {
      ++i;
      continue;
    }
    // A whitespace-separated word without its punctuation ("(why?)", "it,") counts when it is
    // letters only: "a.txt", "C:\a.exe", "-enc" and base64 blobs count for nothing.
    const std::size_t start = i++;
    while (i < text.size() && !is_space(text[i]) && text[i] != '"')
      ++i;
    std::string_view word = text.substr(start, i - start);
    while (!word.empty() && (word.front() == '(' || word.front() == '\''))
      word.remove_prefix(1);
    while (!word.empty() &&
           std::string_view(".,;:!?)'").find(word.back()) != std::string_view::npos)
      word.remove_suffix(1);
    const bool letters = !word.empty() && std::all_of(word.begin(), word.end(), [](char ch) {
      return is_alpha(ch) || ch == '\'';
    });
    if (!letters) continue;
    ++counts.words;
    if (kFunctionWordsIndex.contains(word)) ++counts.function_words;
  }
  return counts;
}

bool has_code_punctuation(std::string_view t) noexcept {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (!has_byte_class(c, kCodeMarkByte)) continue;
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    if (c == '$' && (is_alpha(next) || next == '_' || next == '{' || next == '(')) return true;
    if (c == '{' || c == '}') return true;
    if (c == '&' && next == '&') return true;
    if (c == ':' && next == ':') return true;
    if (c == '(' && next == ')') return true;
    if (c == '|' && i > 0 && t[i - 1] == ' ' && next == ' ') return true;
  }
  return !t.empty() && t.back() == ';';
}

// "Get-Process", "Invoke-WebRequest": an approved verb, a hyphen, a capitalised noun.
bool is_cmdlet(std::string_view word) noexcept {
  const auto dash = word.find('-');
  if (dash == std::string_view::npos || dash + 1 >= word.size() || !is_upper(word[dash + 1]))
    return false;
  for (std::size_t i = dash + 1; i < word.size(); ++i)
    if (!is_alnum(word[i])) return false;
  return kVerbsIndex.contains(word.substr(0, dash));
}

// "sh.Run", "obj.Method": an identifier, a dot, a capitalised member (a method call in
// VBScript, JScript, PowerShell) rather than a file name ("report.pdf").
bool is_member_call(std::string_view word) noexcept {
  const auto dot = word.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 >= word.size() ||
      !is_upper(word[dot + 1]) || !is_alpha(word[0]))
    return false;
  return std::all_of(word.begin(), word.end(),
                     [](char c) { return is_identifier_char(c) || c == '.'; });
}

char first_after_spaces(std::string_view t, std::size_t from) noexcept {
  while (from < t.size() && t[from] == ' ')
    ++from;
  return from < t.size() ? t[from] : '\0';
}

LineKind classify_by_first_word(std::string_view t) noexcept {
  std::size_t end = 0;
  while (end < t.size() && !is_space(t[end]) && t[end] != '(' && t[end] != '{' && t[end] != '[')
    ++end;
  const std::string_view word = t.substr(0, end);
  if (is_cmdlet(word)) return LineKind::strong_code;
  const ShortLower lower(word);
  const std::string_view w = lower.view();
  std::string_view base = w;
  if (base.size() > 4 && base.substr(base.size() - 4) == ".exe") base.remove_suffix(4);
  if (kStrongFirstWordsIndex.contains(base)) return LineKind::strong_code;
  if (w.rfind("wscript.", 0) == 0 || w.rfind("document.", 0) == 0 || w.rfind("window.", 0) == 0)
    return LineKind::strong_code;
  const char next = first_after_spaces(t, end);
  if (w == "if" || w == "while" || w == "for" || w == "elseif") {
    if (next == '(' || next == '[' || next == '/' || next == '%') return LineKind::strong_code;
    if (istarts_with(t, "if exist ") || istarts_with(t, "if not ") ||
        istarts_with(t, "if errorlevel ") || istarts_with(t, "if defined "))
      return LineKind::strong_code;
    return LineKind::other;
  }
  if (w == "cmd" || w == "bash" || w == "sh" || w == "python" || w == "python3" || w == "perl")
    return next == '-' || next == '/' ? LineKind::strong_code : LineKind::other;
  if (w == "set") {  // VBScript "Set x = ..." or batch "set x=..."
    const auto equals = t.find('=');
    return equals != std::string_view::npos && equals < 40 ? LineKind::strong_code
                                                           : LineKind::other;
  }
  if (w == "end") {
    const ShortLower second(trim(t.substr(end)).substr(0, 8));
    const std::string_view s = second.view();
    if (s.rfind("sub", 0) == 0 || s.rfind("function", 0) == 0 || s.rfind("if", 0) == 0 ||
        s.rfind("with", 0) == 0 || s.rfind("select", 0) == 0)
      return LineKind::strong_code;
    return LineKind::other;
  }
  if (w == "sub")
    return t.find('(') != std::string_view::npos ? LineKind::strong_code : LineKind::other;
  if (istarts_with(t, "on error ")) return LineKind::strong_code;
  if (kWeakFirstWordsIndex.contains(w) || is_member_call(word)) return LineKind::weak_code;
  return LineKind::other;
}

LineKind classify_code(std::string_view t, bool punctuation) noexcept {
  const char first = t[0];
  const char second = t.size() > 1 ? t[1] : '\0';
  if (first == '$' && (is_alpha(second) || second == '_' || second == '{' || second == '('))
    return LineKind::strong_code;
  if (first == '#' && second == '!') return LineKind::strong_code;
  if (first == '{' || first == '}') return LineKind::strong_code;
  if (istarts_with(t, "@echo") || istarts_with(t, "<script") || istarts_with(t, "</script") ||
      istarts_with(t, "<?php"))
    return LineKind::strong_code;
  if (t.rfind("PS ", 0) == 0 && t.find("> ") < 80) return LineKind::strong_code;  // prompt
  if (first == '#' || first == ')' || t.rfind("//", 0) == 0 || t.rfind("::", 0) == 0 ||
      istarts_with(t, "rem "))
    return LineKind::weak_code;
  const LineKind by_word = classify_by_first_word(t);
  if (by_word != LineKind::other) return by_word;
  const char last = t.back();
  if (last == ';' || last == '{' || last == '}') return LineKind::strong_code;
  return punctuation ? LineKind::weak_code : LineKind::other;
}

// Where the prose sentence holding a command ends: ". Next", "? Next", "! Next" (a capital
// letter after the space), or the end of the line.
std::size_t sentence_end(std::string_view line, std::size_t from) noexcept {
  for (std::size_t i = from; i + 2 < line.size(); ++i)
    if ((line[i] == '.' || line[i] == '?' || line[i] == '!') && line[i + 1] == ' ' &&
        is_upper(line[i + 2]))
      return line[i] == '.' ? i : i + 1;
  return line.size();
}

// "| where": the '|' at `bar` is followed by a KQL operator (and is not "||").
bool kql_operator_after(std::string_view line, std::size_t bar) noexcept {
  std::size_t i = bar + 1;
  if (i < line.size() && line[i] == '|') return false;
  while (i < line.size() && line[i] == ' ')
    ++i;
  const std::size_t start = i;
  while (i < line.size() && (is_lower(line[i]) || line[i] == '-') && i - start < 20)
    ++i;
  if (i < line.size() && (is_alnum(line[i]) || line[i] == '_')) return false;
  return kKqlOperatorsIndex.contains(line.substr(start, i - start));
}

}  // namespace

bool is_prose(std::string_view line) noexcept {
  const WordCounts counts = count_words(line);
  return counts.words >= 4 && counts.function_words * 10 >= counts.words * 3;
}

LineKind classify_line(std::string_view line) noexcept {
  const std::string_view t = trim(line);
  if (t.empty()) return LineKind::blank;
  const bool punctuation = has_code_punctuation(t);
  const LineKind kind = classify_code(t, punctuation);
  // Prose that happens to start like code ("Curl is used to ...") is prose; code punctuation
  // ("$x", "{", a trailing ";") overrules.
  return kind != LineKind::other && !punctuation && is_prose(t) ? LineKind::other : kind;
}

std::optional<std::size_t> kql_query_start(std::string_view line) noexcept {
  std::size_t lead = 0;
  while (lead < line.size() && is_space(line[lead]))
    ++lead;
  if (lead < line.size() && line[lead] == '|') return std::nullopt;  // a table row or a pipe line
  for (auto bar = line.find('|'); bar != std::string_view::npos; bar = line.find('|', bar + 1)) {
    if ((bar + 1 < line.size() && line[bar + 1] == '|') || (bar > 0 && line[bar - 1] == '|'))
      continue;
    if (!kql_operator_after(line, bar)) continue;
    std::size_t end = bar;
    while (end > 0 && line[end - 1] == ' ')
      --end;
    std::size_t start = end;
    while (start > 0 && is_identifier_char(line[start - 1]))
      --start;
    if (start == end || !is_upper(line[start])) continue;
    const char before = start > 0 ? line[start - 1] : ' ';
    if (before == ' ' || before == '\t' || before == '`' || before == '(' || before == ':' ||
        before == '"' || before == '\'')
      return start;
  }
  return std::nullopt;
}

bool is_kql_pipe_line(std::string_view line) noexcept {
  std::size_t i = 0;
  while (i < line.size() && is_space(line[i]))
    ++i;
  return i < line.size() && line[i] == '|' && kql_operator_after(line, i);
}

bool is_kql_table_line(std::string_view line) noexcept {
  const std::string_view t = trim(line);
  if (t.size() < 3 || !is_upper(t[0])) return false;
  for (char c : t)
    if (!is_identifier_char(c)) return false;
  return true;
}

bool is_kql_let_line(std::string_view line) noexcept {
  const std::string_view t = trim(line);
  return t.rfind("let ", 0) == 0 && t.find('=') != std::string_view::npos && t.back() == ';';
}

std::optional<std::pair<std::size_t, std::size_t>> find_command(std::string_view line) noexcept {
  const std::size_t n = line.size();
  std::size_t i = 0;
  while (i < n) {
    while (i < n && has_byte_class(line[i], kBreakByte))
      ++i;
    // A word, and where its program name starts: "C:\...\cmd.exe" -> "cmd.exe"; "(pwsh" -> "pwsh".
    std::size_t word_start = i;
    std::size_t base_start = i;
    for (; i < n && !has_byte_class(line[i], kBreakByte); ++i) {
      const char c = line[i];
      if (!has_byte_class(c, kPathSepByte)) continue;
      if (c == '\\' || c == '/') {
        base_start = i + 1;
      } else if (c == '(' || c == '=' ||
                 (c == ':' && i + 1 < n && line[i + 1] != '\\' && line[i + 1] != '/')) {
        word_start = base_start = i + 1;
      }
    }
    const std::size_t word_end = i;
    if (base_start >= word_end ||
        !kLaunchersIndex.may_contain(line.substr(base_start, word_end - base_start)))
      continue;
    std::size_t k = word_end;
    if (k < line.size() && (line[k] == '"' || line[k] == '\'')) ++k;  // "C:\...\cmd.exe" /c
    while (k < line.size() && line[k] == ' ')
      ++k;
    std::size_t arg_end = k;
    while (arg_end < line.size() && !is_space(line[arg_end]))
      ++arg_end;
    const std::string_view arg = line.substr(k, arg_end - k);
    // The cheap test first: a launcher takes a switch, or (rundll32, mshta, curl) a target.
    if (arg.empty() ||
        (arg[0] != '-' && arg[0] != '/' && arg.find_first_of(".,:\\") == std::string_view::npos))
      continue;
    const ShortLower lower(line.substr(base_start, word_end - base_start));
    std::string_view base = lower.view();
    if (base.size() > 4 && base.substr(base.size() - 4) == ".exe") base.remove_suffix(4);
    if (!kLaunchersIndex.contains(base)) continue;
    bool takes = arg[0] == '-' || arg[0] == '/';
    if (base == "rundll32" || base == "regsvr32" || base == "mshta")
      takes = arg.find_first_of(".,:\\") != std::string_view::npos;
    else if (base == "curl" || base == "wget")
      takes = arg[0] == '-' || arg.find("://") != std::string_view::npos;
    if (!takes) continue;
    std::size_t start = word_start;
    const bool quoted_path = start > 0 && (line[start - 1] == '"' || line[start - 1] == '\'');
    if (quoted_path) --start;
    const bool backticked = start > 0 && line[start - 1] == '`';
    std::size_t end = line.size();
    if (backticked) {
      const auto close = line.find('`', word_end);
      if (close != std::string_view::npos) end = close;
    } else {
      end = sentence_end(line, word_end);
    }
    while (end > start && is_space(line[end - 1]))
      --end;
    if (!backticked && end > start && line[end - 1] == '?') return std::nullopt;  // a question
    if (!backticked && end > start && line[end - 1] == '.') --end;
    const std::string_view command = line.substr(start, end - start);
    if (command.size() >= 16 && count_words(command).function_words < 2)
      return std::pair{start, end};
    i = std::max(i, end);  // one candidate per sentence: later ones would span the same words
  }
  return std::nullopt;
}

FenceTag fence_tag(std::string_view info) noexcept {
  std::size_t end = 0;
  while (end < info.size() && !is_space(info[end]) && info[end] != '{')
    ++end;
  const std::string_view tag = info.substr(0, end);
  if (tag.empty()) return FenceTag::untagged;
  if (kKqlTagsIndex.contains(tag)) return FenceTag::kql;
  if (kScriptTagsIndex.contains(tag)) return FenceTag::script;
  return FenceTag::data;
}

}  // namespace secpilot::grounding::detail

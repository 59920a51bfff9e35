#include "grounding/entity_names.hpp"

#include <algorithm>

#include "grounding/entity_chars.hpp"
#include "grounding/entity_cues.hpp"
#include "grounding/entity_tlds.hpp"

namespace secpilot::grounding::detail {
namespace {

// Lower-case, sorted for the reader.
constexpr std::string_view kFileExtensions[] = {
    "7z",   "apk",  "appx", "asp",  "aspx", "bak",  "bat",  "bin",  "cab",  "cer", "cfg", "chm",
    "cmd",  "conf", "cpl",  "crt",  "csv",  "dat",  "db",   "deb",  "dll",  "dmg", "doc", "docm",
    "docx", "drv",  "eml",  "evtx", "exe",  "gz",   "hta",  "htm",  "html", "img", "inf", "ini",
    "iso",  "jar",  "jpeg", "jpg",  "js",   "jse",  "json", "key",  "lnk",  "log", "md",  "msg",
    "msi",  "msix", "ocx",  "one",  "pcap", "pdf",  "pem",  "pfx",  "php",  "pif", "pl",  "png",
    "ppt",  "pptm", "pptx", "ps1",  "psd1", "psm1", "pst",  "py",   "rar",  "reg", "rpm", "rtf",
    "scr",  "sh",   "so",   "sys",  "tar",  "tgz",  "tmp",  "txt",  "url",  "vbe", "vbs", "vhd",
    "vhdx", "wsf",  "xls",  "xlsb", "xlsm", "xlsx", "xml",  "yaml", "yml",  "zip"};
constexpr WordIndex kFileExtensionsIndex{kFileExtensions};

// First parts of hyphenated ids that are not machine names ("CVE-2024-1", "KB-5034-441").
constexpr std::string_view kIdPrefixes[] = {"cve", "cwe", "dsa",  "ghsa", "iso",
                                            "kb",  "rfc", "rhsa", "usn"};
constexpr WordIndex kIdPrefixesIndex{kIdPrefixes};

bool has_digit(std::string_view text) noexcept {
  return std::any_of(text.begin(), text.end(), [](char c) { return is_digit(c); });
}

}  // namespace

NameClass classify_dotted_name(std::string_view name) noexcept {
  if (!entity_syntax::is_dns_name(name, false)) return NameClass::none;
  if (name.back() == '.') name.remove_suffix(1);
  const std::string_view last = name.substr(name.rfind('.') + 1);
  if (is_public_tld(last)) return NameClass::public_domain;
  if (is_internal_tld(last)) return NameClass::internal;
  return NameClass::none;
}

bool has_file_extension(std::string_view name) noexcept {
  const auto dot = name.rfind('.');
  return dot != std::string_view::npos && dot > 0 &&
         kFileExtensionsIndex.contains(name.substr(dot + 1));
}

bool is_host_name(std::string_view label) noexcept {
  if (!entity_syntax::is_dns_label(label, false) || label.size() < 2) return false;
  if (std::all_of(label.begin(), label.end(), [](char c) { return is_digit(c); })) return false;
  if (has_digit(label)) return true;
  const bool upper =
      std::all_of(label.begin(), label.end(), [](char c) { return is_upper(c) || c == '-'; });
  return upper && label.size() >= 5 && !is_stop_word(label);
}

bool is_asset_tag_host(std::string_view label) noexcept {
  if (label.size() > 63 || !entity_syntax::is_dns_label(label, false)) return false;
  const bool lower = std::none_of(label.begin(), label.end(), is_upper);
  const bool upper = std::none_of(label.begin(), label.end(), is_lower);
  if (!lower && !upper) return false;
  std::size_t parts = 0;
  std::size_t start = 0;
  std::string_view last;
  while (start <= label.size()) {
    auto dash = label.find('-', start);
    if (dash == std::string_view::npos) dash = label.size();
    const std::string_view part = label.substr(start, dash - start);
    if (part.empty()) return false;
    if (parts == 0 &&
        (!std::all_of(part.begin(), part.end(), is_alpha) || kIdPrefixesIndex.contains(part)))
      return false;
    last = part;
    ++parts;
    start = dash + 1;
  }
  return parts >= 3 && has_digit(last);
}

bool is_default_windows_host(std::string_view label) noexcept {
  for (std::string_view prefix :
       {std::string_view("DESKTOP-"), std::string_view("LAPTOP-"), std::string_view("WIN-")}) {
    if (label.size() < prefix.size() + 4 || label.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = label.substr(prefix.size());
    return std::all_of(rest.begin(), rest.end(), [](char c) { return is_alnum(c); });
  }
  return false;
}

bool is_user_name(std::string_view word, bool quoted) noexcept {
  if (word.size() < 2 || word.size() > 64 || !is_alnum(word.front())) return false;
  bool alphabetic = true;
  bool hyphen = false;
  for (char c : word) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-' && c != '$') return false;
    alphabetic = alphabetic && is_alpha(c);
    hyphen = hyphen || c == '-';
  }
  if (quoted) return true;
  if (is_stop_word(word)) return false;
  if (hyphen && !has_digit(word) && word.find('_') == std::string_view::npos &&
      word.find('.') == std::string_view::npos)
    return false;  // "built-in", "end-user": words, not names
  if (!alphabetic) return true;
  const ShortLower lower(word);
  const std::string_view w = lower.view();
  const auto ends_with = [&](std::string_view suffix) {
    return w.size() >= suffix.size() + 4 && w.substr(w.size() - suffix.size()) == suffix;
  };
  return !(ends_with("ed") || ends_with("ing"));
}

}  // namespace secpilot::grounding::detail

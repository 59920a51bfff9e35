// Finding indicators and names in a request: each whitespace-separated token is classified by
// its shape (URL, e-mail, IP, hash, file, domain, host), with the word before it as context.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "generate/request.hpp"

namespace kql_skills {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_of(std::string_view text, int (*predicate)(int)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return predicate(static_cast<unsigned char>(c)) != 0;
  });
}

void add(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool is_ipv4(std::string_view text) {
  const auto parts = split(text, '.');
  if (parts.size() != 4) return false;
  for (auto part : parts) {
    if (part.empty() || part.size() > 3 || !all_of(part, ::isdigit)) return false;
    if (std::stoi(std::string(part)) > 255) return false;
  }
  return true;
}

bool is_ipv6(std::string_view text) {
  if (std::count(text.begin(), text.end(), ':') < 2 || text.size() < 3) return false;
  bool hex_letter = false;
  for (char c : text) {
    if (c == ':' || c == '.') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    hex_letter = hex_letter || std::isalpha(static_cast<unsigned char>(c));
  }
  return hex_letter || text.find("::") != std::string_view::npos;
}

bool is_cidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view bits = text.substr(slash + 1);
  return is_ipv4(text.substr(0, slash)) && !bits.empty() && bits.size() <= 2 &&
         all_of(bits, ::isdigit) && std::stoi(std::string(bits)) <= 32;
}

bool is_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

// Not "com": evil.example.com is a domain far more often than a DOS program.
constexpr std::array<std::string_view, 3> kProcessExtensions{"exe", "scr", "cpl"};
constexpr std::array<std::string_view, 31> kFileExtensions{
    "ps1", "psm1", "bat",  "cmd", "vbs",  "vbe", "js",   "jse", "hta", "dll", "msi",
    "lnk", "docm", "xlsm", "doc", "docx", "xls", "xlsx", "pdf", "zip", "rar", "7z",
    "iso", "img",  "one",  "txt", "csv",  "sys", "wsf",  "jar", "py"};

template <size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string extension(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? "" : lower(name.substr(dot + 1));
}

bool is_domain(std::string_view text) {
  const auto labels = split(text, '.');
  if (labels.size() < 2) return false;
  for (auto label : labels)
    if (!is_label(label)) return false;
  const std::string_view tld = labels.back();
  return tld.size() >= 2 && all_of(tld, ::isalpha);
}

bool is_email(std::string_view text) {
  const size_t at = text.find('@');
  if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view local = text.substr(0, at);
  const bool local_ok = std::all_of(local.begin(), local.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
           c == '+' || c == '\'';
  });
  return local_ok && is_domain(text.substr(at + 1));
}

// Words that look like host names but are not: hashes, protocols, products, ATT&CK ids.
bool is_non_host_word(std::string_view word) {
  static constexpr std::array<std::string_view, 20> kWords{
      "sha1",  "sha256", "md5",   "ipv4",  "ipv6",      "base64",   "o365",
      "m365",  "win32",  "x64",   "x86",   "utf8",      "utf-8",    "utf16",
      "win10", "win11",  "log4j", "smbv1", "office365", "log4shell"};
  const std::string low = lower(word);
  if (in(kWords, low)) return true;
  if (low.size() >= 5 && low[0] == 't' && all_of(low.substr(1, 4), ::isdigit)) return true;
  return low.starts_with("cve-") || low.starts_with("kb");
}

// WS-042, DC01, SRV_FILES_01, LAPTOP-7QK2: letters and digits with - or _, at least one of each.
bool looks_like_host(std::string_view word, bool after_host_word) {
  if (word.size() < 3 || word.size() > 63 || !std::isalpha(static_cast<unsigned char>(word[0])))
    return false;
  bool digit = false, upper = false, all_upper = true, separator = false;
  for (char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isdigit(u)) digit = true;
    if (std::isupper(u)) upper = true;
    if (std::islower(u)) all_upper = false;
    if (c == '-' || c == '_') separator = true;
    if (!std::isalnum(u) && c != '-' && c != '_') return false;
  }
  if (is_non_host_word(word)) return false;
  // After "on", "host", "device": a name with a digit, a dash or all capitals (DC01, FILESRV,
  // lisa-pc) is a host, "Monday" is not. Elsewhere it takes a digit and a capital or a dash.
  if (after_host_word) return digit || separator || all_upper;
  return digit && (upper || separator);
}

bool is_host_word(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kWords{
      "host",        "hostname", "device", "machine", "computer",   "server",
      "workstation", "endpoint", "laptop", "on",      "devicename", "hosts"};
  return in(kWords, lower(word));
}

bool is_user_word(std::string_view word) {
  static constexpr std::array<std::string_view, 5> kWords{"user", "account", "username", "upn",
                                                          "accountname"};
  return in(kWords, lower(word));
}

// Common words a user-word may be followed by that are not names.
bool is_filler(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kWords{
      "the", "a",    "an",   "any",   "all",      "of",   "for",
      "on",  "from", "with", "named", "accounts", "that", "which"};
  return in(kWords, lower(word));
}

// After "by" or "for", alice.smith is an account but evil.com a domain: only a well-known
// top-level domain makes it a domain there.
bool has_common_tld(std::string_view name) {
  static constexpr std::array<std::string_view, 28> kTlds{
      "com", "net", "org", "io", "ru",      "cn",    "info", "biz",    "xyz", "top",
      "co",  "uk",  "de",  "fr", "nl",      "eu",    "us",   "gov",    "edu", "mil",
      "me",  "app", "dev", "ly", "example", "local", "test", "invalid"};
  const size_t dot = name.rfind('.');
  return dot != std::string_view::npos && in(kTlds, lower(name.substr(dot + 1)));
}

// "by"/"for" introduce an account in requests like "processes run by jdoe".
bool is_account_lead(std::string_view word) {
  const std::string low = lower(word);
  return low == "by" || low == "for";
}

// A lower-case account name (jdoe, alice.smith, svc_backup), not one of the words that
// commonly follow "by" or "for" in a hunting request.
bool looks_like_account(std::string_view word) {
  static constexpr std::array<std::string_view, 44> kWords{
      "the",       "a",         "an",       "any",     "all",     "each",    "every", "user",
      "users",     "account",   "accounts", "device",  "devices", "host",    "hosts", "process",
      "processes", "ip",        "ips",      "address", "domain",  "domains", "url",   "urls",
      "hash",      "file",      "files",    "name",    "count",   "number",  "day",   "hour",
      "week",      "month",     "time",     "country", "me",      "us",      "them",  "now",
      "today",     "yesterday", "example",  "instance"};
  if (word.size() < 3 || word.size() > 32 || !std::islower(static_cast<unsigned char>(word[0])))
    return false;
  for (char c : word)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return false;
  return !in(kWords, word);
}

std::string_view trim_token(std::string_view token) {
  constexpr std::string_view kLeading = "\"'`([{<*";
  constexpr std::string_view kTrailing = "\"'`)]}>.,;:!?*";
  while (!token.empty() && kLeading.find(token.front()) != std::string_view::npos)
    token.remove_prefix(1);
  while (!token.empty() && kTrailing.find(token.back()) != std::string_view::npos)
    token.remove_suffix(1);
  return token;
}

}  // namespace

void extract_entities(const std::string& refanged, Entities& entities) {
  std::vector<std::string_view> tokens;
  size_t start = std::string::npos;
  for (size_t i = 0; i <= refanged.size(); ++i) {
    const bool separator = i == refanged.size() ||
                           std::isspace(static_cast<unsigned char>(refanged[i])) ||
                           refanged[i] == ',' || refanged[i] == ';';
    if (!separator && start == std::string::npos) start = i;
    if (separator && start != std::string::npos) {
      std::string_view token = trim_token(std::string_view(refanged).substr(start, i - start));
      if (!token.empty()) tokens.push_back(token);
      start = std::string::npos;
    }
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view token = tokens[i];
    const std::string low = lower(token);
    const std::string_view previous = i > 0 ? tokens[i - 1] : std::string_view();
    if (low.starts_with("http://") || low.starts_with("https://")) {
      add(entities.urls, std::string(token));
    } else if (is_email(token)) {
      add(entities.emails, low);
    } else if (is_cidr(token)) {
      add(entities.cidrs, std::string(token));
    } else if (is_ipv4(token) || is_ipv6(token)) {
      add(entities.ips, low);
    } else if (all_of(token, ::isxdigit) &&
               (token.size() == 32 || token.size() == 40 || token.size() == 64)) {
      add(token.size() == 32   ? entities.md5s
          : token.size() == 40 ? entities.sha1s
                               : entities.sha256s,
          low);
    } else if (token.find('\\') != std::string_view::npos && token.find('\\') > 0 &&
               token.find('\\') + 1 < token.size() &&
               std::count(token.begin(), token.end(), '\\') == 1) {
      add(entities.users, std::string(token));  // DOMAIN\user
    } else if (in(kProcessExtensions, extension(token)) &&
               token.find('/') == std::string_view::npos) {
      add(entities.processes, low);
    } else if (in(kFileExtensions, extension(token)) && token.find('/') == std::string_view::npos) {
      add(entities.files, low);
    } else if (is_account_lead(previous) && looks_like_account(token) && !has_common_tld(token)) {
      add(entities.users, std::string(token));  // "run by alice.smith"
    } else if (is_domain(token)) {
      if (is_host_word(previous)) {
        add(entities.hosts, low);
      } else {
        add(entities.domains, low);
      }
    } else if (is_user_word(previous) && !is_filler(token) && all_of(token, [](int c) {
                 return std::isalnum(c) || c == '.' || c == '_' || c == '-' ? 1 : 0;
               })) {
      add(entities.users, std::string(token));
    } else if (looks_like_host(token, is_host_word(previous))) {
      add(entities.hosts, std::string(token));
    } else if (is_account_lead(previous) && looks_like_account(token)) {
      add(entities.users, std::string(token));  // "run by jdoe", "sign-ins for alice.smith"
    }
    // "top 20", "20 most", "top-20"
    if ((low == "top" || low == "first") && i + 1 < tokens.size() &&
        all_of(tokens[i + 1], ::isdigit) && tokens[i + 1].size() <= 4)
      entities.count = std::stoi(std::string(tokens[i + 1]));
    if (low.starts_with("top-") && low.size() > 4 && low.size() <= 8 &&
        all_of(std::string_view(low).substr(4), ::isdigit))
      entities.count = std::stoi(low.substr(4));
  }
}

}  // namespace kql_skills

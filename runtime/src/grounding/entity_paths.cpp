// File paths and DOMAIN\user names: both are backslash-shaped, so one scanner decides.
//   Windows: "C:\..." or "C:/...", UNC "\\server\share\...", "%APPDATA%\...", and relative
//            "Windows\System32\x.dll" (two or more backslashes, or a file extension at the end).
//            A space continues a path when the last part has no extension and a backslash
//            follows within two words ("C:\Program Files (x86)\..."). Value: lower-cased, '/'
//            as '\', doubled backslashes (JSON-escaped) as one.
//   POSIX:   "/etc/...", "/tmp/...", "~/..." (the first directory must be a well-known root, so
//            API routes like "/v1/sessions" and "and/or" stay out). Value: as written.
//   Users:   "CORP\jchen", "CONTOSO\svc_sql$", "NT AUTHORITY\SYSTEM" (exactly one backslash, a
//            NetBIOS-style domain of at most 15 characters). Value: lower-cased.
// Registry keys ("HKLM\Software\...") are neither.
#include <algorithm>
#include <string>

#include "grounding/entity_chars.hpp"
#include "grounding/entity_names.hpp"
#include "grounding/entity_scan.hpp"

namespace secpilot::grounding::detail {
namespace {

constexpr std::size_t kMaxSegment = 255;
constexpr std::size_t kMaxDomain = 15;

constexpr std::string_view kPosixRoots[] = {
    "Applications", "Library", "System", "Users", "Volumes", "bin", "boot",    "dev",  "etc",
    "home",         "lib",     "lib64",  "media", "mnt",     "opt", "private", "proc", "root",
    "run",          "sbin",    "snap",   "srv",   "sys",     "tmp", "usr",     "var"};
static_assert(std::is_sorted(std::begin(kPosixRoots), std::end(kPosixRoots)));

constexpr std::string_view kRegistryHives[] = {"hkcc",
                                               "hkcr",
                                               "hkcu",
                                               "hkey_classes_root",
                                               "hkey_current_config",
                                               "hkey_current_user",
                                               "hkey_local_machine",
                                               "hkey_users",
                                               "hklm",
                                               "hku"};
constexpr WordIndex kRegistryHivesIndex{kRegistryHives};

bool is_boundary(char c) noexcept {
  return is_space(c) || c == '"' || c == '\'' || c == '`' || c == '(' || c == '[' || c == '<' ||
         c == '=' || c == ',' || c == ';' || c == '*' || c == '|' || c == '>';
}

bool is_windows_path_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || c == ' ' || c == 0x7f) return false;
  switch (c) {
    case '<':
    case '>':
    case '"':
    case '|':
    case '?':
    case '`':
    case '\'':
    case ',':
    case ';':
      return false;
    default:
      return true;
  }
}

bool is_posix_path_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == '~' || c == '+' ||
         c == '@' || c == '%' || c == '$' || c == '=' || c == '*';
}

bool is_name_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '$';
}

// Sentence punctuation after a path; a trailing separator too, except in "C:\".
bool path_punctuation(char c, std::size_t length) noexcept {
  if (c == '\\' || c == '/') return length > 3;
  return c == '.' || c == ':' || c == '!' || c == '*';
}

std::string windows_value(std::string_view path) {
  std::string value;
  value.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i] == '/' ? '\\' : to_lower_ascii(path[i]);
    // Doubled (JSON-escaped) separators read as one, except the UNC prefix.
    if (c == '\\' && !value.empty() && value.back() == '\\' && i > 1) continue;
    value += c;
  }
  return value;
}

class PathScanner {
 public:
  explicit PathScanner(ScanState& state) : state_(state), text_(state.text) {}

  void run() {
    const std::size_t n = text_.size();
    std::size_t i = 0;
    while (i < n) {
      const char c = text_[i];
      if (!has_byte_class(c, kPathStartByte) || state_.consumed(i)) {
        ++i;
        continue;
      }
      const std::size_t next = at(i);
      i = next > i ? next : i + 1;
    }
  }

 private:
  bool boundary_before(std::size_t pos) const {
    return pos == 0 || is_boundary(text_[pos - 1]) || (text_[pos - 1] == ':' && pos >= 2);
  }

  // Tries a path or user name around `i`; returns where scanning resumes.
  std::size_t at(std::size_t i) {
    const char c = text_[i];
    const std::size_t n = text_.size();
    const char next = i + 1 < n ? text_[i + 1] : '\0';
    switch (c) {
      case ':':  // "C:\" or "C:/"
        if (i >= 1 && is_alpha(text_[i - 1]) && (i == 1 || is_boundary(text_[i - 2])) &&
            (next == '\\' || next == '/') && !state_.consumed(i - 1))
          return windows_path(i - 1, i + 2);
        return i + 1;
      case '\\':
        if (next == '\\' && boundary_before(i) && i + 2 < n && is_alnum(text_[i + 2]))
          return unc_path(i);
        if (i > 0 && is_name_char(text_[i - 1]) && is_alnum(next)) return relative(i);
        return i + 1;
      case '%': {  // "%APPDATA%\..."
        if (!boundary_before(i)) return i + 1;
        std::size_t j = i + 1;
        while (j < n && j - i < 32 && (is_alnum(text_[j]) || text_[j] == '_'))
          ++j;
        if (j > i + 1 && j + 1 < n && text_[j] == '%' && text_[j + 1] == '\\')
          return windows_path(i, j + 2);
        return i + 1;
      }
      case '/':
      case '~':
        if (boundary_before(i)) return posix_path(i);
        return i + 1;
      default:
        return i + 1;
    }
  }

  // The end of a Windows path whose parts start at `body`.
  std::size_t windows_end(std::size_t body) const {
    const std::size_t n = text_.size();
    std::size_t end = body;
    while (true) {
      while (end < n && is_windows_path_char(text_[end]) && !state_.consumed(end) &&
             end - body < 4 * kMaxSegment)
        ++end;
      if (end >= n || text_[end] != ' ' || !continues_after_space(body, end)) break;
      ++end;
    }
    return end;
  }

  // "C:\Program Files (x86)\...": a space inside a path when the part before it has no
  // extension and a backslash follows within two words that are not another path.
  bool continues_after_space(std::size_t body, std::size_t space) const {
    const auto part_start = text_.substr(body, space - body).find_last_of("\\/");
    const std::string_view part = text_.substr(
        part_start == std::string_view::npos ? body : body + part_start + 1,
        part_start == std::string_view::npos ? space - body : space - body - part_start - 1);
    if (part.empty() || part.find('.') != std::string_view::npos) return false;
    std::size_t pos = space + 1;
    for (int word = 0; word < 2; ++word) {
      const std::size_t start = pos;
      while (pos < text_.size() && is_windows_path_char(text_[pos]) && pos - start < 64) {
        if (text_[pos] == ':' || text_[pos] == '%') return false;
        if (text_[pos] == '\\') return pos > start;
        ++pos;
      }
      if (pos == start || pos >= text_.size() || text_[pos] != ' ') return false;
      ++pos;
    }
    return false;
  }

  // "\\server\share...": a server name, then a share.
  std::size_t unc_path(std::size_t start) {
    std::size_t server_end = start + 2;
    while (server_end < text_.size() &&
           (is_alnum(text_[server_end]) || text_[server_end] == '-' || text_[server_end] == '.' ||
            text_[server_end] == '_') &&
           server_end - start < kMaxSegment)
      ++server_end;
    if (server_end + 1 >= text_.size() || text_[server_end] != '\\' ||
        !is_windows_path_char(text_[server_end + 1]) || text_[server_end + 1] == '\\')
      return server_end;
    return windows_path(start, start + 2);
  }

  std::size_t windows_path(std::size_t start, std::size_t body) {
    std::size_t end = trim_trailing(text_, start, windows_end(body), path_punctuation);
    if (end <= body) return body;
    state_.sink.add(Kind::file_path, windows_value(text_.substr(start, end - start)), start, end);
    state_.consume(start, end);
    return end;
  }

  // A backslash inside a word: a relative path, a DOMAIN\user, or a registry key.
  std::size_t relative(std::size_t slash) {
    std::size_t start = slash;
    while (start > 0 && slash - start < kMaxSegment && is_name_char(text_[start - 1]) &&
           !state_.consumed(start - 1))
      --start;
    if (!boundary_before(start) || (start > 0 && text_[start - 1] == ':')) return slash + 1;
    const std::string_view first = text_.substr(start, slash - start);
    if (kRegistryHivesIndex.contains(first)) return skip_word(slash);
    // "NT AUTHORITY\SYSTEM", "NT AUTHORITY\LOCAL SERVICE": the one domain with a space.
    if (iequals_ascii(first, "authority") && start >= 3 &&
        iequals_ascii(text_.substr(start - 3, 3), "nt "))
      return nt_authority(start - 3, slash);
    std::size_t end = slash + 1;
    std::size_t slashes = 1;
    while (end < text_.size() && !state_.consumed(end) &&
           (is_name_char(text_[end]) || text_[end] == '\\') && end - slash < 4 * kMaxSegment) {
      if (text_[end] == '\\' && text_[end - 1] != '\\') ++slashes;
      ++end;
    }
    end = trim_trailing(text_, start, end, path_punctuation);
    const std::string_view whole = text_.substr(start, end - start);
    const std::string_view last = whole.substr(whole.find_last_of('\\') + 1);
    if (slashes >= 2 || has_file_extension(last)) {
      if (last.empty()) return end;
      state_.sink.add(Kind::file_path, windows_value(whole), start, end);
      state_.consume(start, end);
      return end;
    }
    if (!is_domain_user(first, last, start)) return end;
    state_.sink.add(Kind::user, to_lower_ascii(whole), start, end);
    state_.consume(start, end);
    return end;
  }

  bool is_domain_user(std::string_view domain, std::string_view user, std::size_t start) const {
    if (domain.empty() || domain.size() > kMaxDomain || user.empty() || user.size() > 64 ||
        user.back() == '.' || !is_alnum(user.front()))
      return false;
    for (char c : domain)
      if (!is_alnum(c) && c != '-') return false;
    // In code, "\n" and "\t" make "word\nword": only an upper-case DOMAIN counts there.
    if (state_.in_code(start))
      return std::all_of(domain.begin(), domain.end(), [](char c) { return !is_lower(c); });
    return true;
  }

  std::size_t nt_authority(std::size_t start, std::size_t slash) {
    std::size_t end = slash + 1;
    while (end < text_.size() && is_alpha(text_[end]))
      ++end;
    const std::string_view account = text_.substr(slash + 1, end - slash - 1);
    if ((iequals_ascii(account, "local") || iequals_ascii(account, "network")) &&
        end + 8 <= text_.size() && iequals_ascii(text_.substr(end, 8), " service"))
      end += 8;
    if (end == slash + 1) return end;
    state_.sink.add(Kind::user, to_lower_ascii(text_.substr(start, end - start)), start, end);
    state_.consume(start, end);
    return end;
  }

  std::size_t skip_word(std::size_t pos) const {
    while (pos < text_.size() && is_windows_path_char(text_[pos]))
      ++pos;
    return pos;
  }

  std::size_t posix_path(std::size_t start) {
    std::size_t slash = start;
    if (text_[start] == '~') {
      if (start + 1 >= text_.size() || text_[start + 1] != '/') return start + 1;
      slash = start + 1;
    }
    std::size_t end = slash + 1;
    while (end < text_.size() &&
           (is_alnum(text_[end]) || text_[end] == '.' || text_[end] == '_' || text_[end] == '-'))
      ++end;
    if (text_[start] == '/' && !in_exact_table(text_.substr(slash + 1, end - slash - 1)))
      return slash + 1;
    while (end < text_.size() && is_posix_path_char(text_[end]) && !state_.consumed(end) &&
           end - start < 16 * kMaxSegment)
      ++end;
    end = trim_trailing(text_, start, end, path_punctuation);
    if (end <= slash + 1) return end;
    state_.sink.add(Kind::file_path, std::string(text_.substr(start, end - start)), start, end);
    state_.consume(start, end);
    return end;
  }

  // POSIX names are case-sensitive: "/etc" is a root, "/ETC" is not.
  static bool in_exact_table(std::string_view segment) {
    return std::binary_search(std::begin(kPosixRoots), std::end(kPosixRoots), segment);
  }

  ScanState& state_;
  std::string_view text_;
};

}  // namespace

void scan_paths(ScanState& state) {
  PathScanner(state).run();
}

}  // namespace secpilot::grounding::detail

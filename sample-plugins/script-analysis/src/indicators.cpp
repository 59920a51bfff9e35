#include "script_analysis/indicators.hpp"

#include <algorithm>

#include "domain_name.hpp"
#include "refang.hpp"
#include "text_util.hpp"

namespace script_analysis {
namespace {

constexpr std::string_view kSchemes[] = {"https", "http", "sftp", "ftps", "ftp", "wss", "ws"};
constexpr size_t kMaxPath = 260;

bool is_url_char(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return std::string_view("<>\"'`{}|\\^").find(c) == std::string_view::npos;
}

bool is_path_char(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u == 0x7f) return false;
  return std::string_view("\"'<>|*?`;,()[]{}").find(c) == std::string_view::npos;
}

bool is_word_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '-' || c == '_';
}

// Unix roots worth reporting a path under; /dev/null, /bin/sh and the like are noise.
constexpr std::string_view kUnixRoots[] = {
    "/tmp/", "/etc/",  "/var/", "/usr/",     "/dev/shm/", "/home/",    "/root/", "/opt/",
    "/bin/", "/sbin/", "/lib/", "/Library/", "/Users/",   "/private/", "/srv/"};
constexpr std::string_view kUnixNoise[] = {"/bin/sh",       "/bin/bash", "/usr/bin/env",
                                           "/usr/bin/bash", "/bin/zsh",  "/usr/bin/python3"};

constexpr std::string_view kRegistryRoots[] = {"hkey_local_machine",
                                               "hkey_current_user",
                                               "hkey_classes_root",
                                               "hkey_users",
                                               "hkey_current_config",
                                               "hklm",
                                               "hkcu",
                                               "hkcr",
                                               "hkcc",
                                               "hku"};

// Paths written inside escaped strings ("C:\\\\Users\\\\x") mean single backslashes; a UNC
// path keeps its leading pair, and trailing separators go.
std::string normalize_backslashes(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  size_t i = 0;
  if (path.starts_with("\\\\")) {
    out = "\\\\";
    i = 2;
    while (i < path.size() && path[i] == '\\')
      ++i;
  }
  for (; i < path.size(); ++i)
    if (path[i] != '\\' || out.empty() || out.back() != '\\') out.push_back(path[i]);
  while (out.size() > 3 && out.back() == '\\')
    out.pop_back();
  return out;
}

}  // namespace

// One layer's scan: the passes run in an order where the more specific claim text first (a URL's
// host is not a domain of its own, a path's file name is not a domain).
class IndicatorScanner {
 public:
  IndicatorScanner(IndicatorCollector& collector, std::string_view text, size_t layer)
      : collector_(collector),
        refanged_(refang(text)),
        text_(refanged_.text),
        consumed_(text_.size(), 0),
        layer_(layer) {}

  void run() {
    urls();
    registry_keys();
    paths();
    emails();
    words();
    // Reported in the order they appear, whichever pass found them.
    std::stable_sort(found_.begin(), found_.end(),
                     [](const Found& a, const Found& b) { return a.begin < b.begin; });
    for (auto& found : found_)
      collector_.add(found.type, std::move(found.value), layer_, found.defanged);
  }

 private:
  void emit(IndicatorType type, std::string value, size_t begin, size_t end) {
    bool defanged = refanged_.any_changed &&
                    std::any_of(refanged_.changed.begin() + static_cast<std::ptrdiff_t>(begin),
                                refanged_.changed.begin() + static_cast<std::ptrdiff_t>(end),
                                [](uint8_t c) { return c != 0; });
    found_.push_back({type, std::move(value), begin, defanged});
  }

  struct Found {
    IndicatorType type;
    std::string value;
    size_t begin;
    bool defanged;
  };

  void consume(size_t begin, size_t end) {
    std::fill(consumed_.begin() + static_cast<std::ptrdiff_t>(begin),
              consumed_.begin() + static_cast<std::ptrdiff_t>(end), 1);
  }

  // Drops trailing punctuation, and closing brackets that close nothing inside.
  size_t trim_end(size_t begin, size_t end) const {
    while (end > begin) {
      char last = text_[end - 1];
      if (std::string_view(".,;:!?*_'\"").find(last) != std::string_view::npos) {
        --end;
      } else if (last == ')' || last == ']') {
        char open = last == ')' ? '(' : '[';
        auto span = std::string_view(text_).substr(begin, end - begin);
        if (std::count(span.begin(), span.end(), open) >=
            std::count(span.begin(), span.end(), last))
          break;
        --end;
      } else {
        break;
      }
    }
    return end;
  }

  void urls() {
    const size_t n = text_.size();
    for (size_t p = text_.find("://"); p != std::string::npos; p = text_.find("://", p + 3)) {
      size_t start = std::string::npos;
      for (std::string_view scheme : kSchemes) {
        if (p >= scheme.size() &&
            iequals(std::string_view(text_).substr(p - scheme.size(), scheme.size()), scheme) &&
            (p == scheme.size() || !is_alpha(text_[p - scheme.size() - 1]))) {
          start = p - scheme.size();
          break;
        }
      }
      if (start == std::string::npos || consumed_[start]) continue;
      size_t end = p + 3;
      while (end < n && is_url_char(text_[end]))
        ++end;
      end = trim_end(start, end);
      std::string_view url(text_.data() + start, end - start);
      size_t host_begin = p + 3 - start;
      size_t host_end = url.find_first_of("/?#", host_begin);
      if (host_end == std::string_view::npos) host_end = url.size();
      std::string_view authority = url.substr(host_begin, host_end - host_begin);
      if (size_t at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
      std::string_view host = authority.substr(0, authority.find(':'));
      if (host.empty()) continue;
      if (!is_ipv4(host) && !domain_name(host, false) && !iequals(host, "localhost")) continue;
      std::string normalized = to_lower(url.substr(0, host_end));
      normalized.append(url.substr(host_end));
      emit(IndicatorType::Url, std::move(normalized), start, end);
      consume(start, end);
    }
  }

  void registry_keys() {
    const size_t n = text_.size();
    for (size_t i = 0; i < n; ++i) {
      const char c = lower(text_[i]);
      if (c != 'h' && c != 'r') continue;
      if (consumed_[i] || (i > 0 && (is_word_char(text_[i - 1]) || text_[i - 1] == ':'))) continue;
      size_t at = i;
      if (imatch_at(text_, at, "registry::")) at += 10;
      size_t root_end = std::string::npos;
      for (std::string_view root : kRegistryRoots) {
        if (!imatch_at(text_, at, root)) continue;
        size_t end = at + root.size();
        if (end < n && text_[end] == ':') ++end;
        if (end < n && text_[end] == '\\') {
          root_end = end;
          break;
        }
      }
      if (root_end == std::string::npos) continue;
      const bool quoted = i > 0 && (text_[i - 1] == '"' || text_[i - 1] == '\'');
      size_t end = root_end;
      while (end < n && end - i < kMaxPath &&
             (is_path_char(text_[end]) || (quoted && text_[end] == ' ')))
        ++end;
      end = trim_end(i, end);
      while (end > root_end + 1 && (text_[end - 1] == '\\' || text_[end - 1] == ' '))
        --end;
      if (end <= root_end + 1) continue;
      emit(IndicatorType::RegistryKey,
           normalize_backslashes(std::string_view(text_).substr(i, end - i)), i, end);
      consume(i, end);
      i = end;
    }
  }

  // Start of a path at i, with the length of its fixed prefix, or 0 when none starts there.
  size_t path_prefix(size_t i) const {
    const size_t n = text_.size();
    const char c = text_[i];
    if (is_alpha(c) && i + 2 < n && text_[i + 1] == ':' && text_[i + 2] == '\\' &&
        (i == 0 || !is_word_char(text_[i - 1])))
      return 3;  // C:\ ...
    if (c == '\\' && i + 2 < n && text_[i + 1] == '\\' && is_alnum(text_[i + 2]) &&
        (i == 0 || text_[i - 1] != '\\'))
      return 2;  // \\host\share
    if (c == '%' && (i == 0 || !is_word_char(text_[i - 1]))) {
      size_t close = text_.find('%', i + 1);
      if (close != std::string::npos && close - i <= 32 && close + 1 < n &&
          text_[close + 1] == '\\')
        return close + 2 - i;  // %APPDATA%\ ...
    }
    if (c == '$' && imatch_at(text_, i, "$env:")) {
      size_t end = i + 5;
      while (end < n && is_word(text_[end]))
        ++end;
      if (end > i + 5 && end < n && text_[end] == '\\') return end + 1 - i;
    }
    if (c == '/' && (i == 0 || !(is_word_char(text_[i - 1]) || text_[i - 1] == '/' ||
                                 text_[i - 1] == ':' || text_[i - 1] == '~'))) {
      for (std::string_view root : kUnixRoots)
        if (text_.compare(i, root.size(), root) == 0) return root.size();
    }
    if (c == '~' && i + 1 < n && text_[i + 1] == '/' && (i == 0 || !is_word_char(text_[i - 1])))
      return 2;
    return 0;
  }

  void paths() {
    const size_t n = text_.size();
    for (size_t i = 0; i < n; ++i) {
      if (consumed_[i]) continue;
      size_t prefix = path_prefix(i);
      if (prefix == 0) continue;
      const bool quoted = i > 0 && (text_[i - 1] == '"' || text_[i - 1] == '\'');
      size_t end = i + prefix;
      while (end < n && end - i < kMaxPath && !consumed_[end] &&
             (is_path_char(text_[end]) || (quoted && text_[end] == ' ')))
        ++end;
      end = trim_end(i, end);
      while (end > i + prefix && text_[end - 1] == ' ')
        --end;
      if (end <= i + prefix) {
        i = end;
        continue;
      }
      std::string path = normalize_backslashes(std::string_view(text_).substr(i, end - i));
      bool noise = false;
      for (std::string_view skip : kUnixNoise)
        noise |= path == skip;
      // /dev/tcp/<ip>/<port> is a network address: leave it to the address scan.
      if (noise || path.starts_with("/dev/tcp/") || path.starts_with("/dev/udp/")) {
        i = end;
        continue;
      }
      size_t claimed = i;
      if (prefix == 2 && text_[i] == '\\') {
        // \\host\share: the host is an indicator of its own; a bare \\host is not a path.
        size_t share = text_.find('\\', i + 2);
        if (share == std::string::npos || share >= end) {
          i = end;
          continue;
        }
        claimed = share;
      }
      emit(IndicatorType::FilePath, std::move(path), i, end);
      consume(claimed, end);
      i = end;
    }
  }

  void emails() {
    const size_t n = text_.size();
    for (size_t p = text_.find('@'); p != std::string::npos; p = text_.find('@', p + 1)) {
      if (consumed_[p]) continue;
      size_t start = p;
      while (start > 0 && !consumed_[start - 1] &&
             (is_alnum(text_[start - 1]) ||
              std::string_view("._%+-").find(text_[start - 1]) != std::string_view::npos))
        --start;
      size_t end = p + 1;
      while (end < n && !consumed_[end] &&
             (is_alnum(text_[end]) || text_[end] == '.' || text_[end] == '-'))
        ++end;
      while (start < p && text_[start] == '.')
        ++start;
      while (end > p + 1 && (text_[end - 1] == '.' || text_[end - 1] == '-'))
        --end;
      std::string_view local(text_.data() + start, p - start);
      if (local.empty() || local.size() > 64 || local.back() == '.') continue;
      auto domain = domain_name(std::string_view(text_.data() + p + 1, end - p - 1));
      if (!domain) continue;
      emit(IndicatorType::Email, to_lower(local) + "@" + *domain, start, end);
      consume(start, end);
    }
  }

  void words() {
    const size_t n = text_.size();
    size_t i = 0;
    while (i < n) {
      if (consumed_[i] || !is_word_char(text_[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < n && !consumed_[end] && is_word_char(text_[end]))
        ++end;
      word(i, end);
      i = end;
    }
  }

  void word(size_t begin, size_t end) {
    while (begin < end && (text_[begin] == '.' || text_[begin] == '-' || text_[begin] == '_'))
      ++begin;
    while (end > begin && (text_[end - 1] == '.' || text_[end - 1] == '-' || text_[end - 1] == '_'))
      --end;
    if (begin == end) return;
    std::string_view token(text_.data() + begin, end - begin);
    if (token.size() == 32 || token.size() == 40 || token.size() == 64) {
      bool hex = true, letters = false, digits = false;
      for (char c : token) {
        hex &= is_hex(c);
        letters |= is_alpha(c);
        digits |= is_digit(c);
      }
      if (hex && letters && digits) {
        IndicatorType type = token.size() == 32   ? IndicatorType::Md5
                             : token.size() == 40 ? IndicatorType::Sha1
                                                  : IndicatorType::Sha256;
        return emit(type, to_lower(token), begin, end);
      }
    }
    if (token.find('.') == std::string_view::npos) return;
    if (is_digit(token.front()) && is_ipv4(token)) {
      if (token == "0.0.0.0" || token == "255.255.255.255") return;
      // Version=4.0.0.0 and v1.2.3.4 are versions, not addresses.
      size_t look = begin >= 8 ? begin - 8 : 0;
      std::string before = to_lower(text_.substr(look, begin - look));
      if (before.find("version") != std::string::npos ||
          (begin > 0 && lower(text_[begin - 1]) == 'v'))
        return;
      return emit(IndicatorType::Ipv4, std::string(token), begin, end);
    }
    if (end < text_.size() && text_[end] == '(') return;  // obj.method( is a call
    if (begin > 0 && text_[begin - 1] == '$') return;     // $var.member
    if (begin > 0 && (text_[begin - 1] == '\\' || text_[begin - 1] == '/') &&
        !(begin > 1 && text_[begin - 2] == text_[begin - 1]))
      return;  // path\file.ext and dir/file.ext, but \\host and //host are hosts
    if (auto domain = domain_name(token))
      emit(IndicatorType::Domain, std::move(*domain), begin, end);
  }

  IndicatorCollector& collector_;
  Refanged refanged_;
  const std::string& text_;
  std::vector<uint8_t> consumed_;
  size_t layer_;
  std::vector<Found> found_;
};

std::string_view indicator_type_name(IndicatorType type) noexcept {
  switch (type) {
    case IndicatorType::Ipv4:
      return "ipv4";
    case IndicatorType::Domain:
      return "domain";
    case IndicatorType::Url:
      return "url";
    case IndicatorType::Email:
      return "email";
    case IndicatorType::Md5:
      return "md5";
    case IndicatorType::Sha1:
      return "sha1";
    case IndicatorType::Sha256:
      return "sha256";
    case IndicatorType::FilePath:
      return "file_path";
    case IndicatorType::RegistryKey:
      return "registry_key";
  }
  return "unknown";
}

void IndicatorCollector::scan(std::string_view text, size_t layer) {
  IndicatorScanner(*this, text, layer).run();
}

void IndicatorCollector::add(IndicatorType type, std::string value, size_t layer, bool defanged) {
  std::string key(1, static_cast<char>('a' + static_cast<int>(type)));
  // Paths and registry keys are case-insensitive on Windows: one entry per spelling is noise.
  key += (type == IndicatorType::FilePath || type == IndicatorType::RegistryKey) ? to_lower(value)
                                                                                 : value;
  if (auto it = index_.find(key); it != index_.end()) {
    Indicator& indicator = indicators_[it->second];
    indicator.defanged |= defanged;
    if (indicator.layers.back() != layer) indicator.layers.push_back(layer);
    return;
  }
  if (indicators_.size() >= max_) {
    truncated_ = true;
    return;
  }
  index_.emplace(std::move(key), indicators_.size());
  indicators_.push_back({type, std::move(value), layer, {layer}, defanged});
}

std::vector<Indicator> extract_indicators(std::string_view text) {
  IndicatorCollector collector;
  collector.scan(text, 0);
  return collector.indicators();
}

}  // namespace script_analysis

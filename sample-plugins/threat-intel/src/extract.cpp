#include "threat_intel/extract.hpp"

#include <algorithm>
#include <unordered_map>

#include "text_util.hpp"
#include "threat_intel/refang.hpp"

namespace threat_intel {
namespace {

constexpr std::string_view kSchemes[] = {"https", "http", "sftp", "ftps", "ftp", "wss", "ws"};

bool is_scheme_char(char c) noexcept {
  return is_alnum(c) || c == '+' || c == '-' || c == '.';
}

bool is_url_char(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  switch (c) {
    case '<':
    case '>':
    case '"':
    case '\'':
    case '`':
    case '{':
    case '}':
    case '|':
    case '\\':
    case '^':
      return false;
    default:
      return true;
  }
}

bool is_local_part_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool is_domain_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '-';
}

bool is_word_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '-' || c == '_' || c == ':';
}

bool is_edge_junk(char c) noexcept {
  return c == '.' || c == '-' || c == '_';
}

DomainRules text_domain_rules() {
  DomainRules rules;
  rules.reject_file_extensions = true;
  rules.allow_underscore = false;
  return rules;
}

class Extractor {
 public:
  Extractor(std::string_view text, const ExtractOptions& options)
      : refanged_(refang(text)),
        text_(refanged_.text),
        consumed_(text_.size(), 0),
        options_(options) {}

  Extraction run() && {
    find_urls();
    find_emails();
    find_words();
    std::stable_sort(found_.begin(), found_.end(), [](const Found& a, const Found& b) {
      return a.first_position < b.first_position;
    });
    if (found_.size() > options_.max_indicators) {
      found_.resize(options_.max_indicators);
      result_.truncated = true;
    }
    result_.indicators.reserve(found_.size());
    for (auto& found : found_) {
      ++result_.counts[static_cast<size_t>(found.indicator.type)];
      result_.occurrences += found.indicator.count;
      result_.indicators.push_back(std::move(found.indicator));
    }
    return std::move(result_);
  }

 private:
  struct Found {
    ExtractedIndicator indicator;
    size_t first_position;
  };

  void emit(IndicatorType type, std::string value, size_t start, size_t end) {
    bool defanged = false;
    if (refanged_.any_changed)
      defanged = std::any_of(refanged_.changed.begin() + static_cast<std::ptrdiff_t>(start),
                             refanged_.changed.begin() + static_cast<std::ptrdiff_t>(end),
                             [](uint8_t c) { return c != 0; });
    std::string key(1, static_cast<char>('0' + static_cast<int>(type)));
    key += value;
    auto it = seen_.find(key);
    if (it != seen_.end()) {
      auto& indicator = found_[it->second].indicator;
      ++indicator.count;
      indicator.defanged |= defanged;
      return;
    }
    // Collect well past the limit so that the indicators kept are the first to appear in the
    // text, whichever pass found them; the bound only stops pathological inputs.
    if (found_.size() >= collect_limit()) {
      result_.truncated = true;
      return;
    }
    seen_.emplace(std::move(key), found_.size());
    found_.push_back({{type, std::move(value), 1, defanged}, start});
  }

  size_t collect_limit() const noexcept {
    return std::max<size_t>(options_.max_indicators * 10, 100000);
  }

  void consume(size_t start, size_t end) {
    std::fill(consumed_.begin() + static_cast<std::ptrdiff_t>(start),
              consumed_.begin() + static_cast<std::ptrdiff_t>(end), 1);
  }

  // Pass 1: "scheme://..." wherever "://" appears.
  void find_urls() {
    const size_t n = text_.size();
    for (size_t p = text_.find("://"); p != std::string::npos; p = text_.find("://", p + 3)) {
      size_t run = p;
      while (run > 0 && is_scheme_char(text_[run - 1]))
        --run;
      std::string_view letters(text_.data() + run, p - run);
      size_t start = std::string::npos;
      for (std::string_view scheme : kSchemes)
        if (letters.size() >= scheme.size() &&
            iequals(letters.substr(letters.size() - scheme.size()), scheme)) {
          start = p - scheme.size();
          break;
        }
      if (start == std::string::npos || consumed_[start]) continue;
      size_t end = p + 3;
      while (end < n && is_url_char(text_[end]))
        ++end;
      end = trim_url_end(start, end);
      if (end <= p + 3) continue;
      auto url = parse_url(std::string_view(text_).substr(start, end - start));
      if (!url) continue;
      emit(IndicatorType::Url, std::move(url->normalized), start, end);
      consume(start, end);
    }
  }

  // Drops trailing punctuation and closing brackets that do not close anything in the URL.
  size_t trim_url_end(size_t start, size_t end) const {
    while (end > start) {
      char last = text_[end - 1];
      if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?' ||
          last == '*' || last == '_') {
        --end;
      } else if (last == ')' || last == ']') {
        char open = last == ')' ? '(' : '[';
        auto span = std::string_view(text_).substr(start, end - start);
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

  // Pass 2: local@domain around every '@' not inside a URL.
  void find_emails() {
    const size_t n = text_.size();
    for (size_t p = text_.find('@'); p != std::string::npos; p = text_.find('@', p + 1)) {
      if (consumed_[p]) continue;
      size_t start = p;
      while (start > 0 && is_local_part_char(text_[start - 1]) && !consumed_[start - 1])
        --start;
      size_t end = p + 1;
      while (end < n && is_domain_char(text_[end]) && !consumed_[end])
        ++end;
      while (start < p && text_[start] == '.')
        ++start;
      while (end > p + 1 && (text_[end - 1] == '.' || text_[end - 1] == '-'))
        --end;
      std::string_view local(text_.data() + start, p - start);
      std::string_view domain(text_.data() + p + 1, end - p - 1);
      if (local.empty() || local.size() > 64 || local.back() == '.' ||
          local.find("..") != std::string_view::npos)
        continue;
      auto name = normalize_domain(domain, text_domain_rules());
      if (!name) continue;
      emit(IndicatorType::Email, to_lower(local) + "@" + *name, start, end);
      consume(start, end);
    }
  }

  // Pass 3: every remaining run of [A-Za-z0-9._:-].
  void find_words() {
    const size_t n = text_.size();
    size_t i = 0;
    while (i < n) {
      if (consumed_[i] || !is_word_char(text_[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < n && is_word_char(text_[end]) && !consumed_[end])
        ++end;
      word(i, end);
      i = end;
    }
  }

  void word(size_t start, size_t end) {
    while (start < end && is_edge_junk(text_[start]))
      ++start;
    while (end > start && is_edge_junk(text_[end - 1]))
      --end;
    if (start == end) return;
    std::string_view token(text_.data() + start, end - start);
    size_t colons = static_cast<size_t>(std::count(token.begin(), token.end(), ':'));
    if (colons == 0) return simple(start, end);
    if (colons >= 2 && ipv6(token, start, end)) return;
    // "198.51.100.7:8080", "example.com:443", "sha256:<hash>": each side on its own.
    size_t piece = start;
    for (size_t k = start; k <= end; ++k) {
      if (k == end || text_[k] == ':') {
        size_t a = piece, b = k;
        while (a < b && is_edge_junk(text_[a]))
          ++a;
        while (b > a && is_edge_junk(text_[b - 1]))
          --b;
        if (a < b) simple(a, b);
        piece = k + 1;
      }
    }
  }

  bool ipv6(std::string_view token, size_t start, size_t end) {
    // At least two groups of hex digits, so "::" and "a::" (and C++'s std::x) stay out.
    size_t groups = 0;
    for (size_t k = 0; k < token.size(); ++k)
      if (is_hex(token[k]) && (k == 0 || token[k - 1] == ':')) ++groups;
    if (groups < 2) return false;
    auto ip = parse_ipv6(token);
    if (!ip) return false;
    emit(IndicatorType::Ipv6, ip->to_string(), start, end);
    return true;
  }

  void simple(size_t start, size_t end) {
    std::string_view token(text_.data() + start, end - start);
    if (token.size() >= 13 && (token[0] == 'c' || token[0] == 'C')) {
      if (auto cve = normalize_cve(token))
        return emit(IndicatorType::Cve, std::move(*cve), start, end);
    }
    if (auto type = hash_type(token)) return emit(*type, to_lower(token), start, end);
    if (token.find('.') == std::string_view::npos) return;
    if (is_digit(token.front()) || is_digit(token.back())) {
      if (auto ip = parse_ipv4(token))
        return emit(IndicatorType::Ipv4, ip->to_string(), start, end);
    }
    // "ended.The", "Mr.Smith", "evil.example.Then": a capitalised last label is a sentence
    // running on after a missing space, so it is dropped and the rest is tried again.
    size_t last_dot = token.rfind('.');
    std::string_view last = token.substr(last_dot + 1);
    bool has_lower =
        std::any_of(last.begin(), last.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!last.empty() && last.front() >= 'A' && last.front() <= 'Z' && has_lower)
      return simple(start, start + last_dot);
    // "requests.get(" and "obj.method(" are calls in code, not hosts.
    if (end < text_.size() && text_[end] == '(') return;
    if (auto name = normalize_domain(token, text_domain_rules()))
      emit(IndicatorType::Domain, std::move(*name), start, end);
  }

  Refanged refanged_;
  const std::string& text_;
  std::vector<uint8_t> consumed_;
  const ExtractOptions& options_;
  std::vector<Found> found_;
  std::unordered_map<std::string, size_t> seen_;
  Extraction result_;
};

}  // namespace

Extraction extract_indicators(std::string_view text, const ExtractOptions& options) {
  return Extractor(text, options).run();
}

}  // namespace threat_intel

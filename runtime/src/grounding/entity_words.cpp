// Token-shaped entities: runs of letters, digits and . - _ : outside what earlier scanners took.
//   typed by shape wherever they stand: IPv4/IPv6 (and "/prefix" CIDRs; a port after ':' is
//   dropped), MD5/SHA-1/SHA-256 (exact hex length, not all digits), CVE-YYYY-N..., ATT&CK
//   T1234 / T1234.001 (a capital T; tactics TA0001 are typed mitre_tactic), INC-1234 / INC0012345,
//   DESKTOP-/LAPTOP-/WIN- machine names, dotted names with a public TLD (domains) or an internal
//   one (hosts);
//   typed by the cue word before them (outside code only): host names after host/device/...,
//   user names after user/account/..., incident numbers and GUIDs after "incident". A cue
//   carries over a list: "hosts DC01, DC02 and DC03".
#include <arpa/inet.h>

#include <algorithm>
#include <string>

#include "grounding/entity_chars.hpp"
#include "grounding/entity_cues.hpp"
#include "grounding/entity_names.hpp"
#include "grounding/entity_scan.hpp"
#include "util/entity_syntax.hpp"

namespace secpilot::grounding::detail {
namespace {

// Product names that have the shape of public domains.
constexpr std::string_view kNotDomains[] = {"ado.net", "asp.net", "vb.net"};

bool all_digits(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c); });
}

bool is_edge_junk(char c) noexcept {
  return c == '.' || c == '-' || c == '_' || c == ':';
}

std::string to_upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (is_lower(c)) c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// 8-4-4-4-12 hex digits.
bool is_guid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !is_hex_digit(text[i])) return false;
  }
  return true;
}

// "INC-2031", "INC0012345": the prefix ticketing tools give incident numbers.
bool is_inc_id(std::string_view text) noexcept {
  if (text.size() < 6 || text.substr(0, 3) != "INC") return false;
  std::string_view digits = text.substr(text[3] == '-' ? 4 : 3);
  return digits.size() >= 3 && digits.size() <= 12 && all_digits(digits);
}

std::string ipv6_text(const entity_syntax::Ipv6& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, address.data(), buffer, sizeof buffer);
  return buffer;
}

// Two or more groups, a decimal digit and four or more hex digits: "fe80::1" and "2001:db8::7"
// are in, "::1", "a::b" and "dead::beef" (code, more often than not) are out.
bool looks_like_ipv6(std::string_view token) noexcept {
  std::size_t groups = 0;
  std::size_t hex = 0;
  bool digit = false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (!is_hex_digit(token[i])) continue;
    ++hex;
    digit = digit || is_digit(token[i]);
    if (i == 0 || token[i - 1] == ':') ++groups;
  }
  return groups >= 2 && hex >= 4 && digit;
}

class WordScanner {
 public:
  explicit WordScanner(ScanState& state) : state_(state), text_(state.text) {}

  void run() {
    const std::size_t n = text_.size();
    const std::vector<Span> taken = state_.consumed_spans();
    std::size_t next_taken = 0;
    std::size_t limit =
        taken.empty() ? n : taken.front().start;  // where the next taken span starts
    std::size_t i = 0;
    while (i < n) {
      if (i >= limit) {  // a span an earlier scanner took: jump over it, forget the cue
        reset();
        i = std::max(i, taken[next_taken].end);
        ++next_taken;
        limit = next_taken < taken.size() ? taken[next_taken].start : n;
        continue;
      }
      if (!is_token_char(text_[i])) {
        gap(text_[i]);
        ++i;
        continue;
      }
      std::size_t end = i;
      bool letters_only = true;  // most words: nothing but a cue or a cued name can they be
      for (; end < limit; ++end) {
        const std::uint8_t classes = kByteClasses[static_cast<unsigned char>(text_[end])];
        if (!(classes & kTokenByte)) break;
        letters_only = letters_only && (classes & kLetterByte);
      }
      if (letters_only)
        piece(i, end, false);
      else
        token(i, end);
      i = end;
    }
  }

 private:
  void reset() noexcept {
    pending_ = Cue::none;
    list_ = false;
    copula_ = false;
  }

  static bool is_copula(std::string_view word) noexcept {
    return iequals_ascii(word, "is") || iequals_ascii(word, "was") || iequals_ascii(word, "are") ||
           iequals_ascii(word, "were");
  }

  // Between a cue and its name only spaces, quotes and a little punctuation may stand; between
  // names of a list, commas and slashes too.
  void gap(char c) noexcept {
    if (pending_ == Cue::none) return;
    switch (c) {
      case ' ':
      case '\t':
      case '"':
      case '\'':
      case '`':
      case '#':
      case '=':
      case '(':
      case '*':
        return;
      case ',':
      case '/':
      case '&':
        if (!list_) reset();
        return;
      default:
        reset();
    }
  }

  void token(std::size_t start, std::size_t end) {
    while (start < end && is_edge_junk(text_[start]) && text_[start] != ':')
      ++start;
    while (end > start && is_edge_junk(text_[end - 1]) && text_[end - 1] != ':')
      --end;
    const std::string_view raw = text_.substr(start, end - start);
    const auto colons = static_cast<std::size_t>(std::count(raw.begin(), raw.end(), ':'));
    if (colons >= 2 && looks_like_ipv6(raw) && ipv6(start, end)) return;
    while (start < end && is_edge_junk(text_[start]))
      ++start;
    while (end > start && is_edge_junk(text_[end - 1]))
      --end;
    if (start == end) return reset();
    if (colons == 0) return piece(start, end, true);
    // "198.51.100.7:8080", "host:ws-fin-07", "sha256:<hash>": each side on its own.
    std::size_t part = start;
    for (std::size_t k = start; k <= end; ++k) {
      if (k != end && text_[k] != ':') continue;
      std::size_t a = part;
      std::size_t b = k;
      while (a < b && is_edge_junk(text_[a]))
        ++a;
      while (b > a && is_edge_junk(text_[b - 1]))
        --b;
      if (a < b) piece(a, b, true);
      part = k + 1;
    }
  }

  // One word; `shaped` when it has more than letters, so that a typed entity may be one.
  void piece(std::size_t start, std::size_t end, bool shaped) {
    if ((shaped && typed(start, end)) || (pending_ != Cue::none && by_cue(start, end))) {
      after_entity();
      return;
    }
    const std::string_view word = text_.substr(start, end - start);
    if (pending_ != Cue::none && !list_ && is_copula(word)) {
      copula_ = true;  // "the device is ws-hr-03": the cue waits, but asks for a clearer name
      return;
    }
    const Cue cue = cue_of(word);
    switch (cue) {
      case Cue::filler:
        return;  // "incident id 4127", "host named X": the cue waits
      case Cue::joiner:
        if (!list_) reset();
        return;
      case Cue::host:
      case Cue::asset:
      case Cue::user:
      case Cue::incident:
      case Cue::version:
        reset();
        pending_ = cue;
        return;
      default:
        reset();
    }
  }

  void after_entity() noexcept {
    if (pending_ == Cue::version || pending_ == Cue::none) {
      reset();
      return;
    }
    list_ = true;
  }

  void add(Kind kind, std::string value, std::size_t start, std::size_t end) {
    state_.sink.add(kind, std::move(value), start, end);
  }

  // Entities recognised by their shape; true when `[start, end)` was one.
  bool typed(std::size_t start, std::size_t end) {
    const std::string_view t = text_.substr(start, end - start);
    const char first = t[0];
    if ((first == 'C' || first == 'c') && entity_syntax::is_cve(t)) {
      add(Kind::cve, to_upper_ascii(t), start, end);
      return true;
    }
    if (first == 'T') {
      if (t.size() == 6 && t[1] == 'A' && all_digits(t.substr(2))) {
        add(Kind::mitre_tactic, std::string(t), start, end);
        return true;
      }
      if (entity_syntax::is_mitre_technique(t) && (t[1] == '0' || t[1] == '1')) {
        add(Kind::mitre_technique, std::string(t), start, end);
        return true;
      }
    }
    if (first == 'I' && is_inc_id(t)) {
      add(Kind::incident_id, std::string(t), start, end);
      return true;
    }
    if ((t.size() == 32 || t.size() == 40 || t.size() == 64) && !all_digits(t)) {
      const std::string_view digest = entity_syntax::digest_type(t);
      if (!digest.empty()) {
        const Kind kind = digest == "md5"    ? Kind::md5
                          : digest == "sha1" ? Kind::sha1
                                             : Kind::sha256;
        add(kind, to_lower_ascii(t), start, end);
        return true;
      }
    }
    if (pending_ == Cue::incident && !state_.in_code(start) &&
        ((all_digits(t) && t.size() <= 12) || is_guid(t))) {
      add(Kind::incident_id, to_lower_ascii(t), start, end);
      return true;
    }
    if (is_digit(first) && entity_syntax::parse_ipv4(t)) return ipv4(start, end);
    if (((first == 'D' || first == 'L' || first == 'W') && is_default_windows_host(t)) ||
        (is_alpha(first) && t.find('-') != std::string_view::npos && is_asset_tag_host(t) &&
         !state_.in_code(start))) {
      add(Kind::host, to_lower_ascii(t), start, end);
      return true;
    }
    // "user a.kim": after a user cue, a first.last name is the user, whatever its last label.
    const bool first_last = pending_ == Cue::user && std::count(t.begin(), t.end(), '.') == 1;
    if (!first_last && t.find('.') != std::string_view::npos) return dotted(start, end);
    return false;
  }

  // A "/prefix" right after an address makes it a CIDR; returns the prefix end, or `end`.
  std::size_t prefix_end(std::size_t end, int max_bits) const {
    if (end >= text_.size() || text_[end] != '/') return end;
    std::size_t digits = end + 1;
    while (digits < text_.size() && digits - end <= 4 && is_digit(text_[digits]))
      ++digits;
    if (digits < text_.size() && is_alnum(text_[digits])) return end;
    return entity_syntax::parse_prefix_length(text_.substr(end + 1, digits - end - 1), max_bits)
               ? digits
               : end;
  }

  bool ipv4(std::size_t start, std::size_t end) {
    if (pending_ == Cue::version) return true;  // "version 10.0.0.1" is a version
    const std::size_t cidr_end = prefix_end(end, 32);
    if (cidr_end != end)
      add(Kind::cidr, std::string(text_.substr(start, cidr_end - start)), start, cidr_end);
    else
      add(Kind::ip, std::string(text_.substr(start, end - start)), start, end);
    return true;
  }

  bool ipv6(std::size_t start, std::size_t end) {
    auto address = entity_syntax::parse_ipv6(text_.substr(start, end - start));
    if (!address) return false;
    const std::size_t cidr_end = prefix_end(end, 128);
    if (cidr_end != end)
      add(Kind::cidr, ipv6_text(*address) + std::string(text_.substr(end, cidr_end - end)), start,
          cidr_end);
    else
      add(Kind::ip, ipv6_text(*address), start, end);
    after_entity();
    return true;
  }

  // Dotted names: public domains, internal hosts. `retry` is false for the one retry below.
  bool dotted(std::size_t start, std::size_t end, bool retry = true) {
    const std::string_view t = text_.substr(start, end - start);
    if (t.size() > 254) return false;                           // longer than any DNS name
    if (end < text_.size() && text_[end] == '(') return false;  // "obj.method(": code
    if (start > 0 && text_[start - 1] == '$') return false;     // "$wc.DownloadString"
    const std::string_view last = t.substr(t.rfind('.') + 1);
    const bool last_upper = std::any_of(last.begin(), last.end(), is_upper);
    const bool all_upper = !std::any_of(t.begin(), t.end(), is_lower);
    if (last_upper && !all_upper) {
      // "evil.example.Then", "Mr.Smith": a sentence running on; try once without the last word.
      if (std::any_of(last.begin(), last.end(), is_lower)) {
        if (retry && t.find('.') != t.rfind('.')) return dotted(start, start + t.rfind('.'), false);
        return false;
      }
      // "Support-Desk.COM" is a domain written loudly; "System.IO" is code.
      if (last.size() < 3) return false;
    }
    const bool defanged = state_.refanged.defanged_in(start, end);
    switch (classify_dotted_name(t)) {
      case NameClass::public_domain: {
        std::string value = to_lower_ascii(t);
        if (value.back() == '.') value.pop_back();
        if (std::find(std::begin(kNotDomains), std::end(kNotDomains), value) !=
            std::end(kNotDomains))
          return false;
        const bool asset = pending_ == Cue::asset && !defanged && !state_.in_code(start);
        add(asset ? Kind::host : Kind::domain, std::move(value), start, end);
        return true;
      }
      case NameClass::internal:
        add(defanged ? Kind::domain : Kind::host, to_lower_ascii(t), start, end);
        return true;
      case NameClass::none:
        return false;
    }
    return false;
  }

  // Names typed by the cue before them.
  bool by_cue(std::size_t start, std::size_t end) {
    if (state_.in_code(start)) return false;
    const std::string_view t = text_.substr(start, end - start);
    switch (pending_) {
      case Cue::host:
      case Cue::asset: {
        const bool name = t.find('.') == std::string_view::npos
                              ? is_host_name(t)
                              : entity_syntax::is_dns_name(t, false) && is_alpha(t.back()) &&
                                    is_host_name(t.substr(0, t.find('.')));
        if (!name || (copula_ && std::none_of(t.begin(), t.end(), is_digit))) return false;
        add(Kind::host, to_lower_ascii(t), start, end);
        return true;
      }
      case Cue::user: {
        if (end < text_.size() && text_[end] == '$') ++end;  // machine accounts: "svc_sql$"
        const std::string_view name = text_.substr(start, end - start);
        const bool quoted =
            start > 0 && end < text_.size() &&
            (text_[start - 1] == '\'' || text_[start - 1] == '"' || text_[start - 1] == '`') &&
            text_[end] == text_[start - 1];
        const bool plain_word =
            std::all_of(name.begin(), name.end(), [](char c) { return is_alpha(c); });
        if (!is_user_name(name, quoted) || (copula_ && plain_word && !quoted)) return false;
        add(Kind::user, to_lower_ascii(name), start, end);
        return true;
      }
      default:
        return false;
    }
  }

  ScanState& state_;
  std::string_view text_;
  Cue pending_ = Cue::none;
  bool list_ = false;    // the cue has named one entity already: a list may follow
  bool copula_ = false;  // "is" stood between the cue and the name
};

}  // namespace

void scan_words(ScanState& state) {
  WordScanner(state).run();
}

}  // namespace secpilot::grounding::detail

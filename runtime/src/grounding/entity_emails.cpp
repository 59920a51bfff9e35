// Addresses "local@domain" with a known public or internal TLD. An address is a user (a UPN)
// when the nearest cue word among the three before it is a user cue ("user", "account", "UPN",
// "sign-ins", "password", "logon", ...) and not an e-mail cue ("email", "sender", "mailbox",
// "phishing", ...); otherwise, and always inside code, it is an e-mail address.
#include <string>

#include "grounding/entity_chars.hpp"
#include "grounding/entity_cues.hpp"
#include "grounding/entity_names.hpp"
#include "grounding/entity_scan.hpp"

namespace secpilot::grounding::detail {
namespace {

constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 253;
constexpr std::size_t kCueWindow = 3;

bool is_local_part_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool is_domain_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '-';
}

bool user_by_context(const ScanState& state, std::size_t start) {
  if (state.in_code(start)) return false;
  WordSpan words[kCueWindow];
  const std::size_t found = previous_words(state.text, start, words, kCueWindow);
  for (std::size_t i = 0; i < found; ++i) {
    const Cue cue = cue_of(state.text.substr(words[i].start, words[i].end - words[i].start));
    if (cue == Cue::user || cue == Cue::user_context) return true;
    if (cue == Cue::email) return false;
  }
  return false;
}

}  // namespace

void scan_emails(ScanState& state) {
  const std::string_view text = state.text;
  for (auto at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (state.consumed(at)) continue;
    std::size_t start = at;
    while (start > 0 && at - start < kMaxLocalPart && is_local_part_char(text[start - 1]) &&
           !state.consumed(start - 1))
      --start;
    while (start < at && text[start] == '.')
      ++start;
    std::size_t end = at + 1;
    while (end < text.size() && end - at <= kMaxDomain && is_domain_char(text[end]) &&
           !state.consumed(end))
      ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-'))
      --end;
    const std::string_view local = text.substr(start, at - start);
    const std::string_view domain = text.substr(at + 1, end - at - 1);
    if (local.empty() || local.back() == '.' || local.find("..") != std::string_view::npos)
      continue;
    if (start > 0 && is_local_part_char(text[start - 1])) continue;  // local part too long
    if (classify_dotted_name(domain) == NameClass::none) continue;
    const Kind kind = user_by_context(state, start) ? Kind::user : Kind::email;
    state.sink.add(kind, to_lower_ascii(text.substr(start, end - start)), start, end);
    state.consume(start, end);
  }
}

}  // namespace secpilot::grounding::detail

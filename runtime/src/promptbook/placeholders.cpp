#include "promptbook/placeholders.hpp"

namespace secpilot::promptbook::detail {
namespace {

constexpr bool is_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_name_char(char c) noexcept {
  return is_letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// The length of the placeholder starting at text[at] == '<', or 0 when there is none.
std::size_t placeholder_length(std::string_view text, std::size_t at) noexcept {
  std::size_t end = at + 1;
  while (end < text.size() && is_name_char(text[end]))
    ++end;
  if (end >= text.size() || text[end] != '>') return 0;
  return is_parameter_name(text.substr(at + 1, end - at - 1)) ? end + 1 - at : 0;
}

// Calls visit(offset, length) for each placeholder and escape(offset) for each `\<`.
template <class Visit, class Escape>
void scan(std::string_view text, Visit&& visit, Escape&& escape) {
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '\\' && at + 1 < text.size() && text[at + 1] == '<') {
      escape(at);
      ++at;  // the escaped '<'
    } else if (text[at] == '<') {
      if (const std::size_t length = placeholder_length(text, at)) {
        visit(at, length);
        at += length - 1;
      }
    }
  }
}

}  // namespace

bool is_parameter_name(std::string_view name) noexcept {
  if (name.empty() || !(is_letter(name.front()) || name.front() == '_')) return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

std::vector<Placeholder> find_placeholders(std::string_view text) {
  std::vector<Placeholder> found;
  scan(
      text,
      [&](std::size_t at, std::size_t length) {
        found.push_back({text.substr(at + 1, length - 2), at});
      },
      [](std::size_t) {});
  return found;
}

std::string substitute(std::string_view text,
                       const std::function<std::string(std::string_view name)>& value) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  scan(
      text,
      [&](std::size_t at, std::size_t length) {
        out.append(text.substr(copied, at - copied));
        out += value(text.substr(at + 1, length - 2));
        copied = at + length;
      },
      [&](std::size_t at) {
        out.append(text.substr(copied, at - copied));
        copied = at + 1;  // drop the backslash, keep the '<'
      });
  out.append(text.substr(copied));
  return out;
}

bool is_single_placeholder(std::string_view text) noexcept {
  return !text.empty() && text.front() == '<' && placeholder_length(text, 0) == text.size();
}

}  // namespace secpilot::promptbook::detail

#include "manifest/text.hpp"

#include "secpilot/util/ascii.hpp"

#include <algorithm>
#include <charconv>

namespace secpilot::manifest::detail {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return iequals_ascii(a, b);
}

std::string lower(std::string_view text) {
  return to_lower_ascii(text);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of neighbours ("Fromat") is one edit, like a typo is.
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * width);
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i * width] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      std::size_t best = std::min({d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1,
                                   d[(i - 1) * width + j - 1] + cost});
      if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
          ascii_lower(a[i - 2]) == ascii_lower(b[j - 1]))
        best = std::min(best, d[(i - 2) * width + j - 2] + 1);
      d[i * width + j] = best;
    }
  }
  return d[a.size() * width + b.size()];
}

std::string_view nearest(std::string_view word, std::span<const std::string_view> candidates) {
  // One edit per four characters, at most three: "Descripton" -> Description, "Nmae" -> Name.
  const std::size_t allowed = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 4));
  std::string_view best;
  std::size_t best_distance = allowed + 1;
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t count = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

std::string name_problem(std::string_view name) {
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return "contains whitespace";
    if (c == '.' || c == '/' || c == '\\' || c == '?' || c == '#' || c == '@')
      return "contains '" + std::string(1, c) + "'";
  }
  return {};
}

std::string join(std::span<const std::string_view> items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::vector<Placeholder> placeholders(std::string_view text) {
  std::vector<Placeholder> names;
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    std::size_t end = text.find("}}", at + 2);
    if (end == std::string_view::npos) break;
    std::string_view name = text.substr(at + 2, end - at - 2);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
      name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
      name.remove_suffix(1);
    if (!name.empty() && name.find_first_of("{}\n") == std::string_view::npos)
      names.push_back({std::string(name), at});
    at = end + 2;
  }
  return names;
}

bool parse_int(std::string_view text, long long& out) noexcept {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace secpilot::manifest::detail

#include "threat_intel/refang.hpp"

#include <array>

#include "text_util.hpp"

namespace threat_intel {
namespace {

// What a bracketed token's inside (lower-cased, spaces trimmed) stands for, or empty.
std::string_view bracket_replacement(std::string_view inside) noexcept {
  if (inside == "." || inside == "dot") return ".";
  if (inside == "@" || inside == "at") return "@";
  if (inside == ":") return ":";
  if (inside == "://") return "://";
  if (inside == "/") return "/";
  if (inside == "//") return "//";
  return {};
}

std::string_view scheme_replacement(std::string_view word) noexcept {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kSchemes{{
      {"hxxp", "http"},
      {"hxxps", "https"},
      {"hxtp", "http"},
      {"hxtps", "https"},
      {"hxxxp", "http"},
      {"hxxxps", "https"},
      {"hxp", "http"},
      {"fxp", "ftp"},
      {"fxps", "ftps"},
  }};
  for (const auto& [defanged, scheme] : kSchemes)
    if (word == defanged) return scheme;
  return {};
}

}  // namespace

Refanged refang(std::string_view in) {
  Refanged out;
  out.text.reserve(in.size());
  out.changed.reserve(in.size());
  auto emit = [&](std::string_view piece, bool changed) {
    out.text.append(piece);
    out.changed.insert(out.changed.end(), piece.size(), changed ? 1 : 0);
    out.any_changed |= changed;
  };
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    const char c = in[i];
    if (c == '[' || c == '(' || c == '{') {
      const char close = c == '[' ? ']' : c == '(' ? ')' : '}';
      size_t j = i + 1;
      while (j < n && j - i <= 6 && in[j] != close)
        ++j;
      if (j < n && in[j] == close) {
        std::string inside = to_lower(trim(in.substr(i + 1, j - i - 1)));
        std::string_view replacement = bracket_replacement(inside);
        if (!replacement.empty()) {
          if (replacement == "." || replacement == "@") {
            // "example [dot] com": drop the spaces on both sides when words stand on both sides.
            size_t next = j + 1;
            while (next < n && in[next] == ' ')
              ++next;
            size_t spaces = 0;
            while (spaces < out.text.size() && out.text[out.text.size() - 1 - spaces] == ' ')
              ++spaces;
            bool word_before =
                spaces < out.text.size() && is_alnum(out.text[out.text.size() - 1 - spaces]);
            bool word_after = next < n && is_alnum(in[next]);
            if (word_before && word_after && (spaces > 0 || next > j + 1)) {
              out.text.resize(out.text.size() - spaces);
              out.changed.resize(out.text.size());
              emit(replacement, true);
              i = next;
              continue;
            }
          }
          emit(replacement, true);
          i = j + 1;
          continue;
        }
      }
    } else if ((c == 'h' || c == 'H' || c == 'f' || c == 'F') && (i == 0 || !is_alnum(in[i - 1]))) {
      size_t j = i;
      while (j < n && j - i < 7 && is_alpha(in[j]))
        ++j;
      std::string_view scheme = scheme_replacement(to_lower(in.substr(i, j - i)));
      if (!scheme.empty() && j < n && (in[j] == ':' || in[j] == '[' || in[j] == '(')) {
        emit(scheme, true);
        i = j;
        continue;
      }
    } else if (c == '\\' && i + 2 < n && in[i + 1] == '.' && i > 0 && is_alnum(in[i - 1]) &&
               is_alnum(in[i + 2])) {
      emit(".", true);
      i += 2;
      continue;
    }
    emit(std::string_view(&in[i], 1), false);
    ++i;
  }
  return out;
}

}  // namespace threat_intel

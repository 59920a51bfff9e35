#include "refang.hpp"

#include <array>

#include "text_util.hpp"

namespace script_analysis {
namespace {

std::string_view bracket_replacement(std::string_view inside) noexcept {
  if (inside == "." || inside == "dot") return ".";
  if (inside == "@" || inside == "at") return "@";
  if (inside == ":") return ":";
  if (inside == "://") return "://";
  if (inside == "/") return "/";
  return {};
}

std::string_view scheme_replacement(std::string_view word) noexcept {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSchemes{{
      {"hxxp", "http"},
      {"hxxps", "https"},
      {"hxtp", "http"},
      {"hxtps", "https"},
      {"hxxxp", "http"},
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
      while (j < n && j - i <= 5 && in[j] != close)
        ++j;
      if (j < n && in[j] == close) {
        std::string inside = to_lower(in.substr(i + 1, j - i - 1));
        std::string_view replacement = bracket_replacement(inside);
        bool words_around = i > 0 && is_alnum(in[i - 1]) && j + 1 < n && is_alnum(in[j + 1]);
        // "(at)" and "[dot]" only between words: "(at)" in code is not an address.
        bool needs_words = inside == "at" || inside == "dot";
        bool is_code_brace = c == '{' && inside == "@";
        if (!replacement.empty() && (!needs_words || words_around) && !is_code_brace) {
          emit(replacement, true);
          i = j + 1;
          continue;
        }
      }
    } else if ((c == 'h' || c == 'H' || c == 'f' || c == 'F') && (i == 0 || !is_alnum(in[i - 1]))) {
      size_t j = i;
      while (j < n && j - i < 6 && is_alpha(in[j]))
        ++j;
      std::string_view scheme = scheme_replacement(to_lower(in.substr(i, j - i)));
      if (!scheme.empty() && j < n && (in[j] == ':' || in[j] == '[')) {
        emit(scheme, true);
        i = j;
        continue;
      }
    }
    emit(in.substr(i, 1), false);
    ++i;
  }
  return out;
}

}  // namespace script_analysis

// Three-valued answers for questions the policies alone cannot always settle ("do these two
// policies apply to the same people?" depends on group membership the export does not hold).
#pragma once

#include <algorithm>
#include <string_view>

namespace policy {

// Ordered: No < Maybe < Yes, so that "and" is min and "or" is max.
enum class Tri { No = 0, Maybe = 1, Yes = 2 };

constexpr Tri tri_and(Tri a, Tri b) noexcept {
  return std::min(a, b);
}
constexpr Tri tri_or(Tri a, Tri b) noexcept {
  return std::max(a, b);
}
constexpr Tri tri_not(Tri a) noexcept {
  return a == Tri::Yes ? Tri::No : a == Tri::No ? Tri::Yes : Tri::Maybe;
}
// Yes becomes Maybe: for answers that rest on a condition the analysis does not model.
constexpr Tri at_most_maybe(Tri a) noexcept {
  return std::min(a, Tri::Maybe);
}

// "certain" for Yes, "possible" for Maybe: how findings state their certainty.
constexpr std::string_view certainty_name(Tri a) noexcept {
  return a == Tri::Yes ? "certain" : "possible";
}

}  // namespace policy

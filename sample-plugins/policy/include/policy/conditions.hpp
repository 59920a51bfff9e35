// Comparing two policies' conditions. A policy applies to a sign-in when every condition holds,
// so the sign-ins it applies to form a product of one set per dimension (users x apps x client
// app types x platforms x locations x risk levels): two products overlap when every dimension
// does, and one contains the other when it does in every dimension.
#pragma once

#include <array>
#include <string_view>

#include "policy/directory.hpp"
#include "policy/model.hpp"
#include "policy/tri.hpp"

namespace policy {

enum class Dimension { Users, Apps, ClientApps, Platforms, Locations, SignInRisk, UserRisk };
inline constexpr size_t kDimensions = 7;
inline constexpr std::array<Dimension, kDimensions> kAllDimensions{
    Dimension::Users,     Dimension::Apps,       Dimension::ClientApps, Dimension::Platforms,
    Dimension::Locations, Dimension::SignInRisk, Dimension::UserRisk};

std::string_view dimension_name(Dimension dimension) noexcept;

struct Universes {
  Universe users;
  Universe apps;
  Universe locations;
  static Universes of(const Directory& directory);
};

struct Comparison {
  std::array<Tri, kDimensions> by_dimension{};
  Tri overall = Tri::No;
  bool unmodelled = false;  // a condition not reasoned about kept "certain" from being said
  Tri at(Dimension dimension) const { return by_dimension[static_cast<size_t>(dimension)]; }
};

// Could one sign-in meet both policies' conditions?
Comparison overlap(const Conditions& a, const Conditions& b, const Universes& universes);
// Does every sign-in `inner` applies to also meet `outer`'s conditions?
Comparison coverage(const Conditions& outer, const Conditions& inner, const Universes& universes);

// The dimension is narrower than "everything" (an exclusion counts).
bool restricts(const Conditions& conditions, Dimension dimension);
// The dimension names what it includes rather than including everything.
bool targets(const Conditions& conditions, Dimension dimension);

// The policy applies to no sign-in at all (includeUsers None, no app, ...).
bool applies_to_nothing(const Conditions& conditions);

}  // namespace policy

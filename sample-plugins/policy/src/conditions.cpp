#include "policy/conditions.hpp"

#include <algorithm>

namespace policy {
namespace {

Tri flags_overlap(Flags a, Flags b) {
  return (a & b) != 0 ? Tri::Yes : Tri::No;
}
Tri flags_cover(Flags outer, Flags inner) {
  return (inner & ~outer) == 0 ? Tri::Yes : Tri::No;
}

Tri apps_overlap(const AppTarget& a, const AppTarget& b, const Universe& universe) {
  if (a.kind != b.kind) return Tri::No;
  return overlaps(a.selection, b.selection, universe);
}

Tri apps_cover(const AppTarget& outer, const AppTarget& inner, const Universe& universe) {
  if (inner.selection.includes_nothing()) return Tri::Yes;
  if (outer.kind != inner.kind) return Tri::No;
  return covers(outer.selection, inner.selection, universe);
}

Tri overall(const std::array<Tri, kDimensions>& dimensions) {
  return *std::min_element(dimensions.begin(), dimensions.end());
}

}  // namespace

std::string_view dimension_name(Dimension dimension) noexcept {
  switch (dimension) {
    case Dimension::Users:
      return "users";
    case Dimension::Apps:
      return "apps";
    case Dimension::ClientApps:
      return "client app types";
    case Dimension::Platforms:
      return "platforms";
    case Dimension::Locations:
      return "locations";
    case Dimension::SignInRisk:
      return "sign-in risk";
    case Dimension::UserRisk:
      return "user risk";
  }
  return "conditions";
}

Universes Universes::of(const Directory& directory) {
  return {directory.users_universe(), directory.apps_universe(), directory.locations_universe()};
}

Comparison overlap(const Conditions& a, const Conditions& b, const Universes& universes) {
  Comparison result;
  result.by_dimension = {overlaps(a.users, b.users, universes.users),
                         apps_overlap(a.apps, b.apps, universes.apps),
                         flags_overlap(a.client_apps, b.client_apps),
                         flags_overlap(a.platforms, b.platforms),
                         overlaps(a.locations, b.locations, universes.locations),
                         flags_overlap(a.sign_in_risk, b.sign_in_risk),
                         flags_overlap(a.user_risk, b.user_risk)};
  result.overall = overall(result.by_dimension);
  if (result.overall == Tri::Yes && (!a.unmodelled.empty() || !b.unmodelled.empty())) {
    result.overall = Tri::Maybe;
    result.unmodelled = true;
  }
  return result;
}

Comparison coverage(const Conditions& outer, const Conditions& inner, const Universes& universes) {
  Comparison result;
  result.by_dimension = {covers(outer.users, inner.users, universes.users),
                         apps_cover(outer.apps, inner.apps, universes.apps),
                         flags_cover(outer.client_apps, inner.client_apps),
                         flags_cover(outer.platforms, inner.platforms),
                         covers(outer.locations, inner.locations, universes.locations),
                         flags_cover(outer.sign_in_risk, inner.sign_in_risk),
                         flags_cover(outer.user_risk, inner.user_risk)};
  result.overall = applies_to_nothing(inner) ? Tri::Yes : overall(result.by_dimension);
  if (result.overall == Tri::Yes && !outer.unmodelled.empty() && !applies_to_nothing(inner)) {
    result.overall = Tri::Maybe;
    result.unmodelled = true;
  }
  return result;
}

bool restricts(const Conditions& c, Dimension dimension) {
  switch (dimension) {
    case Dimension::Users:
      return !c.users.unrestricted();
    case Dimension::Apps:
      return c.apps.kind != AppTarget::Kind::Apps || !c.apps.selection.unrestricted();
    case Dimension::ClientApps:
      return c.client_apps != kAllClientApps;
    case Dimension::Platforms:
      return c.platforms != kAllPlatforms;
    case Dimension::Locations:
      return !c.locations.unrestricted();
    case Dimension::SignInRisk:
      return c.sign_in_risk != kAllRiskLevels;
    case Dimension::UserRisk:
      return c.user_risk != kAllRiskLevels;
  }
  return false;
}

bool targets(const Conditions& c, Dimension dimension) {
  switch (dimension) {
    case Dimension::Users:
      return !c.users.all;
    case Dimension::Apps:
      return c.apps.kind != AppTarget::Kind::Apps || !c.apps.selection.all;
    case Dimension::Locations:
      return !c.locations.all;
    default:
      return restricts(c, dimension);
  }
}

bool applies_to_nothing(const Conditions& c) {
  return c.users.includes_nothing() || c.apps.selection.includes_nothing() || c.client_apps == 0 ||
         c.platforms == 0 || c.locations.includes_nothing();
}

}  // namespace policy

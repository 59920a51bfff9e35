// Set reasoning over one condition of a policy: who (users, groups, roles, guests), which apps
// (app ids and suites such as Office365) or where (named locations, AllTrusted).
//
// A selection is "everything" or some named members and collections, minus excluded members and
// collections. Membership of a named member in a collection is usually unknown (the policies
// name a group, not its members), so questions are answered Yes, No or Maybe:
//
//   overlaps(a, b)       could one principal be selected by both?
//   covers(outer, inner) is everything inner selects also selected by outer?
//
// Yes is certain under the universe's assumptions, No is certain whatever the membership, and
// Maybe depends on membership. The assumptions (see Universe) are what make "certain" possible
// at all: without them a named group could be empty, or inside the group another policy excludes.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "policy/tri.hpp"

namespace policy {

// What is known about a named member and a named collection.
enum class Membership { Unknown, Member, NotMember };

struct Universe {
  // Known facts, e.g. Exchange Online is in the Office365 suite; empty means all unknown.
  std::function<Membership(std::string_view member, std::string_view collection)> membership;
  // True when every named collection may be assumed to have members outside every other named
  // collection and distinct from every named member (groups and roles of a tenant; app suites).
  // False when collections may nest (named locations: one country list can contain another's
  // IP ranges).
  bool collections_in_general_position = true;
};

// Whatever the universe, it is assumed to have members outside every named collection and
// distinct from every named member (a tenant has users no policy names; the Internet has
// addresses no named location holds).
struct Selection {
  bool all = false;
  std::set<std::string> members;
  std::set<std::string> collections;
  std::set<std::string> excluded_members;
  std::set<std::string> excluded_collections;

  // Selects nothing because it includes nothing (e.g. includeUsers: ["None"]).
  bool includes_nothing() const noexcept { return !all && members.empty() && collections.empty(); }
  // Everything, with no exclusion.
  bool unrestricted() const noexcept {
    return all && excluded_members.empty() && excluded_collections.empty();
  }
  bool has_exclusions() const noexcept {
    return !excluded_members.empty() || !excluded_collections.empty();
  }
  static Selection everything() {
    Selection selection;
    selection.all = true;
    return selection;
  }
  bool operator==(const Selection&) const = default;
};

Tri overlaps(const Selection& a, const Selection& b, const Universe& universe);
Tri covers(const Selection& outer, const Selection& inner, const Universe& universe);

}  // namespace policy

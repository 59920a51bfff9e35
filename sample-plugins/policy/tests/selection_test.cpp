// The set reasoning under every finding: overlap and coverage of user, app and location
// selections, with the three-valued answers that unknown group membership forces.
#include <gtest/gtest.h>

#include "policy/directory.hpp"
#include "policy/model.hpp"
#include "policy/selection.hpp"

namespace policy {
namespace {

const Directory kDirectory;
const Universe kUsers = kDirectory.users_universe();
const Universe kApps = kDirectory.apps_universe();
const Universe kLocations = kDirectory.locations_universe();

constexpr const char* kExchange = "00000002-0000-0ff1-ce00-000000000000";
constexpr const char* kSharePoint = "00000003-0000-0ff1-ce00-000000000000";
constexpr const char* kTeams = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe";
constexpr const char* kAzure = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

struct Builder {
  Selection s;
  Builder& all() {
    s.all = true;
    return *this;
  }
  Builder& member(const std::string& m) {
    s.members.insert(m);
    return *this;
  }
  Builder& in(const std::string& c) {
    s.collections.insert(c);
    return *this;
  }
  Builder& except_member(const std::string& m) {
    s.excluded_members.insert(m);
    return *this;
  }
  Builder& except(const std::string& c) {
    s.excluded_collections.insert(c);
    return *this;
  }
  operator Selection() const { return s; }  // NOLINT: builder
};
Builder sel() {
  return {};
}

TEST(Selection, AllUsersCertainlyOverlapAnyGroup) {
  EXPECT_EQ(overlaps(sel().all(), sel().in("group:finance"), kUsers), Tri::Yes);
}

TEST(Selection, TwoDifferentGroupsMayShareMembers) {
  EXPECT_EQ(overlaps(sel().in("group:finance"), sel().in("group:contractors"), kUsers), Tri::Maybe);
}

TEST(Selection, AGroupExcludedFromOneIsDisjointFromTheOther) {
  EXPECT_EQ(overlaps(sel().all().except("group:finance"), sel().in("group:finance"), kUsers),
            Tri::No);
}

TEST(Selection, ExcludingGuestsLeavesNoGuest) {
  EXPECT_EQ(overlaps(sel().all().except("guests"), sel().in("guests"), kUsers), Tri::No);
  EXPECT_EQ(covers(sel().all().except("guests"), sel().in("guests"), kUsers), Tri::No);
}

TEST(Selection, NamedUsersAreDistinctPeople) {
  EXPECT_EQ(overlaps(sel().member("alice"), sel().member("bob"), kUsers), Tri::No);
  EXPECT_EQ(overlaps(sel().member("alice"), sel().member("alice"), kUsers), Tri::Yes);
  EXPECT_EQ(overlaps(sel().member("alice"), sel().in("group:finance"), kUsers), Tri::Maybe);
}

TEST(Selection, AnExcludedUserMayHoldTheRoleSoCoverageIsUncertain) {
  EXPECT_EQ(covers(sel().all().except_member("alice"), sel().in("role:ga"), kUsers), Tri::Maybe);
  // Once the target leaves her out too, nothing can escape.
  EXPECT_EQ(covers(sel().all().except_member("alice"), sel().in("role:ga").except_member("alice"),
                   kUsers),
            Tri::Yes);
}

TEST(Selection, AnExcludedGroupMakesRoleCoverageUncertainButNotRoleOverlap) {
  EXPECT_EQ(covers(sel().all().except("group:exclusions"), sel().in("role:ga"), kUsers),
            Tri::Maybe);
  EXPECT_EQ(overlaps(sel().all().except("group:exclusions"), sel().in("role:ga"), kUsers),
            Tri::Yes);
}

TEST(Selection, CoverageFollowsTheSameGroupThroughExclusions) {
  EXPECT_EQ(covers(sel().in("group:g"), sel().in("group:g").except_member("u"), kUsers), Tri::Yes);
  // u may or may not be in g: if he is, the outer selection misses him.
  EXPECT_EQ(covers(sel().in("group:g").except_member("u"), sel().in("group:g"), kUsers),
            Tri::Maybe);
  EXPECT_EQ(covers(sel().in("group:g"), sel().all(), kUsers), Tri::No);
}

TEST(Selection, Office365HoldsExchangeButNotAzureManagement) {
  EXPECT_EQ(covers(sel().in(kOffice365), sel().member(kExchange), kApps), Tri::Yes);
  EXPECT_EQ(overlaps(sel().in(kOffice365), sel().member(kAzure), kApps), Tri::No);
  EXPECT_EQ(covers(sel().all().except(kOffice365), sel().member(kExchange), kApps), Tri::No);
  EXPECT_EQ(
      covers(sel().in(kOffice365), sel().member("11111111-2222-3333-4444-555555555555"), kApps),
      Tri::Maybe);
}

TEST(Selection, AllAppsExceptTeamsCoversSharePoint) {
  EXPECT_EQ(covers(sel().all().except_member(kTeams), sel().member(kSharePoint), kApps), Tri::Yes);
  EXPECT_EQ(covers(sel().all().except_member(kTeams), sel().in(kOffice365), kApps), Tri::No);
}

TEST(Selection, NamedLocationsMayNestSoTheirRelationIsUncertain) {
  const Selection outside_trusted = sel().all().except(kAllTrusted);
  const Selection partner = sel().in("location:partner");
  EXPECT_EQ(overlaps(outside_trusted, partner, kLocations), Tri::Maybe);
  EXPECT_EQ(covers(outside_trusted, partner, kLocations), Tri::Maybe);
  EXPECT_EQ(covers(sel().all().except("location:partner"), partner, kLocations), Tri::No);
  // Somewhere outside every named location always exists.
  EXPECT_EQ(overlaps(outside_trusted, sel().all().except("location:partner"), kLocations),
            Tri::Yes);
}

TEST(Selection, ASelectionOfNobodyOverlapsNothingAndIsCoveredByAnything) {
  const Selection nobody;
  EXPECT_TRUE(nobody.includes_nothing());
  EXPECT_EQ(overlaps(nobody, sel().all(), kUsers), Tri::No);
  EXPECT_EQ(covers(sel().member("alice"), nobody, kUsers), Tri::Yes);
}

// Properties over every pair of a varied set of selections.
TEST(Selection, OverlapIsSymmetricAndCoverageReflexiveAndConsistent) {
  const std::vector<Selection> selections{
      sel().all(),
      sel().all().except("guests"),
      sel().all().except_member("bg1").except_member("bg2"),
      sel().all().except("group:x").except("role:ga"),
      sel().in("guests"),
      sel().in("group:x"),
      sel().in("group:y").except_member("bg1"),
      sel().in("role:ga").in("role:sa"),
      sel().member("bg1"),
      sel().member("alice").in("group:x"),
      sel().in("group:x").except("group:x"),
  };
  for (const auto& a : selections) {
    EXPECT_NE(covers(a, a, kUsers), Tri::No);
    for (const auto& b : selections) {
      EXPECT_EQ(overlaps(a, b, kUsers), overlaps(b, a, kUsers));
      // What a covers and certainly exists, a certainly overlaps.
      if (covers(a, b, kUsers) == Tri::Yes && overlaps(b, b, kUsers) == Tri::Yes) {
        EXPECT_EQ(overlaps(a, b, kUsers), Tri::Yes);
      }
      // Disjoint non-empty selections cannot cover one another.
      if (overlaps(a, b, kUsers) == Tri::No && overlaps(b, b, kUsers) == Tri::Yes) {
        EXPECT_EQ(covers(a, b, kUsers), Tri::No);
      }
    }
  }
}

}  // namespace
}  // namespace policy

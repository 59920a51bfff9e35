// Overlap and coverage between two selections, by searching for a witness: a principal (or app,
// or location) that one selection holds and the other does or does not.
//
// A witness is described by who it is (one of the named members, or an unnamed one) and which of
// the named collections it belongs to. Only the names that appear in the two selections matter,
// so each gets a bit. Inclusion and exclusion only grow as a witness joins more collections, so
// a witness for "in both" or "in one but not the other" never needs more than two collections
// beyond those it is known to be in: one to be included, one to be excluded. That keeps the
// search small and complete.
#include "policy/selection.hpp"

#include <bit>
#include <cstdint>
#include <vector>

namespace policy {
namespace {

using Bits = std::uint64_t;
constexpr size_t kMaxNames = 64;     // names per side of the search: one bit each
constexpr int kMaxUnknownBits = 12;  // a named member's unknown memberships tried exhaustively
constexpr int kUnnamed = -1;

Bits bit(size_t index) {
  return Bits{1} << index;
}

// A selection compiled against the pair's names.
struct Compiled {
  bool all = false;
  Bits members = 0;
  Bits collections = 0;
  Bits excluded_members = 0;
  Bits excluded_collections = 0;

  bool contains(int member, Bits in) const {
    const Bits me = member == kUnnamed ? 0 : bit(static_cast<size_t>(member));
    const bool included = all || (members & me) != 0 || (collections & in) != 0;
    const bool excluded = (excluded_members & me) != 0 || (excluded_collections & in) != 0;
    return included && !excluded;
  }
};

class WitnessSearch {
 public:
  WitnessSearch(const Selection& a, const Selection& b, const Universe& universe)
      : general_position_(universe.collections_in_general_position) {
    for (const auto* s : {&a, &b}) {
      for (const auto& m : s->members)
        add(members_, m);
      for (const auto& m : s->excluded_members)
        add(members_, m);
      for (const auto& c : s->collections)
        add(collections_, c);
      for (const auto& c : s->excluded_collections)
        add(collections_, c);
    }
    if (too_large()) return;
    a_ = compile(a);
    b_ = compile(b);
    all_collections_ = collections_.empty() ? 0 : (Bits{~Bits{0}} >> (64 - collections_.size()));
    known_in_.assign(members_.size(), 0);
    known_out_.assign(members_.size(), 0);
    if (!universe.membership) return;
    for (size_t m = 0; m < members_.size(); ++m)
      for (size_t c = 0; c < collections_.size(); ++c) {
        const Membership fact = universe.membership(members_[m], collections_[c]);
        if (fact == Membership::Member) known_in_[m] |= bit(c);
        if (fact == Membership::NotMember) known_out_[m] |= bit(c);
      }
  }

  bool too_large() const { return members_.size() > kMaxNames || collections_.size() > kMaxNames; }
  const Compiled& a() const { return a_; }
  const Compiled& b() const { return b_; }

  // Is there any membership under which some witness satisfies `holds`?
  template <class Holds>
  bool possible(const Holds& holds) const {
    for (int m = kUnnamed; m < static_cast<int>(members_.size()); ++m) {
      const Bits in = m == kUnnamed ? 0 : known_in_[static_cast<size_t>(m)];
      const Bits out = m == kUnnamed ? 0 : known_out_[static_cast<size_t>(m)];
      const Bits free = all_collections_ & ~in & ~out;
      if (holds(m, in)) return true;
      for (Bits first = free; first != 0; first &= first - 1) {
        const Bits one = first & (~first + 1);
        if (holds(m, in | one)) return true;
        for (Bits second = first & (first - 1); second != 0; second &= second - 1)
          if (holds(m, in | one | (second & (~second + 1)))) return true;
      }
    }
    return false;
  }

  // Is there a witness, assumed to exist, that satisfies `holds` whatever its unknown
  // memberships?
  template <class Holds>
  bool certain(const Holds& holds) const {
    if (holds(kUnnamed, 0)) return true;  // a member outside every named collection
    for (size_t c = 0; c < collections_.size(); ++c) {
      // A member of one named collection: outside the others in general position, else any.
      const Bits unknown = general_position_ ? 0 : all_collections_ & ~bit(c);
      if (for_every(unknown, bit(c), [&](Bits in) { return holds(kUnnamed, in); })) return true;
    }
    for (size_t m = 0; m < members_.size(); ++m) {
      const Bits unknown = all_collections_ & ~known_in_[m] & ~known_out_[m];
      if (std::popcount(unknown) > kMaxUnknownBits) continue;
      const int member = static_cast<int>(m);
      if (for_every(unknown, known_in_[m], [&](Bits in) { return holds(member, in); })) return true;
    }
    return false;
  }

 private:
  static void add(std::vector<std::string>& names, const std::string& name) {
    for (const auto& known : names)
      if (known == name) return;
    names.push_back(name);
  }
  static Bits mask(const std::vector<std::string>& names, const std::set<std::string>& chosen) {
    Bits bits = 0;
    for (size_t i = 0; i < names.size(); ++i)
      if (chosen.count(names[i])) bits |= bit(i);
    return bits;
  }
  Compiled compile(const Selection& s) const {
    return {s.all, mask(members_, s.members), mask(collections_, s.collections),
            mask(members_, s.excluded_members), mask(collections_, s.excluded_collections)};
  }
  // True when `test` holds for `fixed` joined with every subset of `unknown`.
  template <class Test>
  static bool for_every(Bits unknown, Bits fixed, const Test& test) {
    for (Bits subset = unknown;; subset = (subset - 1) & unknown) {
      if (!test(fixed | subset)) return false;
      if (subset == 0) return true;
    }
  }

  bool general_position_;
  std::vector<std::string> members_;
  std::vector<std::string> collections_;
  Compiled a_;
  Compiled b_;
  Bits all_collections_ = 0;
  std::vector<Bits> known_in_;
  std::vector<Bits> known_out_;
};

}  // namespace

Tri overlaps(const Selection& a, const Selection& b, const Universe& universe) {
  if (a.includes_nothing() || b.includes_nothing()) return Tri::No;
  const WitnessSearch search(a, b, universe);
  if (search.too_large()) return Tri::Maybe;
  const auto in_both = [&](int m, Bits in) {
    return search.a().contains(m, in) && search.b().contains(m, in);
  };
  if (search.certain(in_both)) return Tri::Yes;
  return search.possible(in_both) ? Tri::Maybe : Tri::No;
}

Tri covers(const Selection& outer, const Selection& inner, const Universe& universe) {
  if (inner.includes_nothing()) return Tri::Yes;
  const WitnessSearch search(outer, inner, universe);
  if (search.too_large()) return Tri::Maybe;
  const auto escapes = [&](int m, Bits in) {
    return search.b().contains(m, in) && !search.a().contains(m, in);
  };
  if (search.certain(escapes)) return Tri::No;
  return search.possible(escapes) ? Tri::Maybe : Tri::Yes;
}

}  // namespace policy

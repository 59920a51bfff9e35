// What a policy's grant controls demand, and whether one grant is at least as demanding as
// another. Every policy that applies to a sign-in must be satisfied, so a grant is a set of
// alternatives (OR: any one control; AND: all of them) and a stronger grant is one whose every
// alternative satisfies some alternative of the weaker.
#pragma once

#include <vector>

#include "policy/model.hpp"

namespace policy {

// One entry per way to satisfy the grant; each is the controls that way needs.
std::vector<std::vector<Control>> alternatives(const Grant& grant);

// Meeting `control` also meets `required` (phishing-resistant MFA meets "mfa").
bool satisfies(const Control& control, const Control& required);

// Every sign-in that satisfies `stronger` satisfies `weaker`. Blocks are equal only to blocks.
bool implies(const Grant& stronger, const Grant& weaker);

// The weakest authentication strength the grant can be satisfied with (None when some way to
// satisfy it needs no MFA at all, e.g. "MFA or a compliant device"). Block: None.
Strength guaranteed_strength(const Grant& grant);

// The grant can lock someone out whatever they authenticate with: it blocks, or every way to
// satisfy it needs a managed device.
bool can_lock_out(const Grant& grant);

// Session controls `stronger` holds every one of `weaker`'s.
bool session_at_least(const std::vector<std::string>& stronger,
                      const std::vector<std::string>& weaker);

}  // namespace policy

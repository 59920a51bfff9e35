// The policy gate for skill calls with side effects: a skill whose SideEffects is write or
// destructive runs only with an approval bound to its exact skill and inputs (by a hash of their
// canonical JSON); every other skill runs unasked.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "secpilot/skills/catalog.hpp"
#include "secpilot/store/records.hpp"

namespace secpilot::orchestrator {

// JSON with every object's members sorted by key (byte order), at every depth, and no white
// space: equal values give equal text, whatever order their members were written in.
std::string canonical_json(const boost::json::value& value);

// The hash an approval binds: SHA-256 hex of the canonical JSON of {"skill": ..., "inputs": ...}.
std::string call_hash(std::string_view skill, const boost::json::object& inputs);

// Whether calls of the skill need an approval: its SideEffects is write or destructive.
bool needs_approval(const skills::SkillEntry& entry) noexcept;

struct GateDecision {
  enum class Kind {
    run,   // no side effects, or approved for exactly these arguments
    deny,  // denied for exactly these arguments: the call fails with `reason`
    ask,   // needs an approval (a first one, or a new one because the arguments changed)
  };
  Kind kind = Kind::run;
  std::string args_hash;  // empty for a skill without side effects
  std::string reason;     // for deny: "denied by <user>" and the decider's reason
};

// What to do with a call of `entry` with `inputs`, given the decided approval for this call of
// the plan, if there is one (nullptr otherwise). The approval counts only if its hash matches.
GateDecision check_call(const skills::SkillEntry& entry, const boost::json::object& inputs,
                        const store::Approval* decided);

}  // namespace secpilot::orchestrator

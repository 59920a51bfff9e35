#include "orchestrator/approval_gate.hpp"

#include <algorithm>
#include <vector>

#include <boost/json/serialize.hpp>

#include "secpilot/util/sha256.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;

void append_canonical(const json::value& value, std::string& out) {
  if (const auto* object = value.if_object()) {
    std::vector<const json::key_value_pair*> members;
    members.reserve(object->size());
    for (const auto& member : *object)
      members.push_back(&member);
    std::sort(members.begin(), members.end(),
              [](const auto* a, const auto* b) { return a->key() < b->key(); });
    out += '{';
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i != 0) out += ',';
      out += json::serialize(members[i]->key());
      out += ':';
      append_canonical(members[i]->value(), out);
    }
    out += '}';
  } else if (const auto* array = value.if_array()) {
    out += '[';
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (i != 0) out += ',';
      append_canonical((*array)[i], out);
    }
    out += ']';
  } else {
    out += json::serialize(value);
  }
}

}  // namespace

std::string canonical_json(const json::value& value) {
  std::string out;
  append_canonical(value, out);
  return out;
}

std::string call_hash(std::string_view skill, const json::object& inputs) {
  return sha256_hex(canonical_json(json::object{{"skill", skill}, {"inputs", inputs}}));
}

bool needs_approval(const skills::SkillEntry& entry) noexcept {
  return entry.spec != nullptr && (entry.spec->side_effects == manifest::SideEffects::Write ||
                                   entry.spec->side_effects == manifest::SideEffects::Destructive);
}

GateDecision check_call(const skills::SkillEntry& entry, const json::object& inputs,
                        const store::Approval* decided) {
  if (!needs_approval(entry)) return {};
  GateDecision decision{GateDecision::Kind::ask, call_hash(entry.full_name, inputs), {}};
  if (!decided || decided->args_hash != decision.args_hash) return decision;
  if (decided->state == store::ApprovalState::approved) {
    decision.kind = GateDecision::Kind::run;
  } else if (decided->state == store::ApprovalState::denied) {
    decision.kind = GateDecision::Kind::deny;
    decision.reason = "denied by " + decided->decided_by +
                      (decided->reason.empty() ? std::string() : ": " + decided->reason);
  }
  return decision;
}

}  // namespace secpilot::orchestrator

// The local planner: plans a free-text prompt with no model. It reads the prompt's entities and
// pasted blocks, splits the request into clauses, picks for each clause the skill that retrieval
// and the entity types of its inputs favour, fills inputs from the prompt, the session and
// earlier steps (chaining a producer in front when an input needs one, depth <= 4), fans out over
// several entities, groups independent steps, and abstains with the closest skills and what
// they lack when nothing fits. docs/planner.md describes each rule.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/planner/plan.hpp"

namespace secpilot::planner {

struct SkillProfile;

struct PlanRequest {
  std::string_view prompt;
  // The session's earlier prompts, oldest first (what "it" and "the second IP" refer to, and what
  // "same for the last 30 days" repeats).
  std::span<const std::string> history;
  // The skills enabled for the caller; empty: all.
  std::function<bool(const skills::SkillEntry&)> enabled;
};

struct PlannerOptions {
  std::size_t max_depth = 4;     // steps in a chain
  std::size_t max_fan_out = 20;  // calls of one step over known values
  double min_score = 2.0;        // retrieval score (plus entity fit) a clause's skill needs
};

class LocalPlanner {
 public:
  // `index` must outlive the planner (rebuild both on reload).
  explicit LocalPlanner(const grounding::SkillIndex& index, PlannerOptions options = {});
  Plan plan(const PlanRequest& request) const;

 private:
  const grounding::SkillIndex& index_;
  PlannerOptions options_;
  std::shared_ptr<const std::vector<SkillProfile>> profiles_;
};

}  // namespace secpilot::planner

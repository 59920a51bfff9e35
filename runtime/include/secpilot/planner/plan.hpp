// A plan: the skill calls that answer a prompt, how their inputs are filled, which can run side by
// side, and why these and not others. Made by a planner (local_planner.hpp), run by the
// orchestrator, recorded with the evaluation and shown by `secpilot ask --explain`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace secpilot::planner {

// An input whose value is only known when the plan runs.
struct Binding {
  enum class Source {
    step_entities,  // the entities of `kinds` in an earlier step's output
    step_field,     // a top-level field of an earlier step's output, by the input's name
    session,        // the session so far, exported as JSON (a report's source)
  };
  std::string input;
  Source source = Source::step_entities;
  std::size_t from_step = 0;       // index into Plan::steps (not for session)
  std::vector<std::string> kinds;  // entity types taken (step_entities)
};

struct Step {
  std::string skill{};           // "Plugin.Skill"
  boost::json::object inputs{};  // the values known when planning
  std::vector<Binding> bindings{};
  // One call per value: `fan_out_values` when they are known, else per entity of the binding of
  // `fan_out_input`. Empty `fan_out_input`: one call.
  std::string fan_out_input{};
  std::vector<std::string> fan_out_values{};
  // Steps of one group do not depend on each other and may run side by side; groups run in order.
  std::size_t group = 0;
  std::string reason{};  // why this step: the clause it answers and what matched
};

// A skill the planner weighed, and what it decided.
struct Candidate {
  std::string skill;
  double score = 0;  // retrieval score plus entity fit
  bool chosen = false;
  std::string clause;  // the part of the prompt it was weighed for
  std::string why;     // chosen because ..., or left out because ...
};

struct Abstention {
  std::string message;            // for the user: why nothing runs and what would
  std::vector<std::string> near;  // the skills that come closest, best first
};

struct Plan {
  std::vector<Step> steps;
  std::vector<Candidate> candidates;
  std::optional<Abstention> abstention;  // set when no step runs
  double planning_ms = 0;

  bool abstained() const noexcept { return abstention.has_value(); }
  // {"steps": [...], "candidates": [...], "abstention": {...}}: what the process log records.
  boost::json::object to_json() const;
  // Reads what to_json wrote (extra keys are ignored); nullopt when it is not a plan.
  static std::optional<Plan> from_json(const boost::json::value& json);
};

// The plan as lines for a person: each step with its inputs, then the candidates with their
// scores and why each was chosen or not (`secpilot ask --explain`).
std::string explain(const Plan& plan);

}  // namespace secpilot::planner

// The evaluation set's labels and how a plan is judged against them (README.md, "Metrics" and
// "Input values").
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "secpilot/skills/catalog.hpp"

namespace secpilot::planner {

struct LabelStep {
  std::string skill;
  YAML::Node inputs;  // as labelled (scalars, lists, $pasted, {contains: [...]})
  bool fan_out = false, optional = false, parallel = false;
};
using LabelChain = std::vector<LabelStep>;

struct Label {
  bool abstain = false;
  std::vector<LabelChain> chains;  // the chain, then its alternatives
};
Label read_label(const YAML::Node& expect);

struct PlannedCall {
  std::string skill;
  boost::json::object inputs;
  bool session_source = false;  // an input is filled from the session export
};
using PlannedCalls = std::vector<PlannedCall>;

struct Verdict {
  bool top1 = false;
  bool exact = false;
  int labelled_inputs = 0;  // over the matched chain
  int inputs_right = 0;
  bool unasked_change = false;  // a write or destructive skill no label chain has
};
Verdict judge(const Label& label, const PlannedCalls& calls, const std::string& prompt,
              const skills::Catalog& catalog);

// Distinct skills in the order of their first call.
std::vector<std::string> reduce(const PlannedCalls& calls);
// Whether `skills` matches `chain`, dropping any of its optional steps, group by group.
bool chain_accepts(const LabelChain& chain, const std::vector<std::string>& skills);
// Whether `first` may come first in `chain`.
bool may_come_first(const LabelChain& chain, const std::string& first);
// Labelled value against a planned one, after the README's normalisation.
bool value_matches(const YAML::Node& label, const std::string& planned, const std::string& prompt);

}  // namespace secpilot::planner

// A run of a promptbook, rendered: its parameters checked and filled in, and each step turned
// into the prompt to submit, in order. Running them is the orchestrator's job.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "secpilot/promptbook/promptbook.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::promptbook {

struct RenderedStep {
  std::size_t number = 0;  // 1-based position in Steps
  std::string name;        // the step's Name, if it has one
  StepKind kind = StepKind::Prompt;
  // What to submit: the prompt's text, or for a direct call `/Plugin.Skill name=value ...`, which
  // orchestrator::parse_direct_invocation reads back as `skill` and `inputs`.
  std::string prompt;
  std::string skill;           // StepKind::Skill: "Plugin.Skill" as written
  boost::json::object inputs;  // StepKind::Skill: each input's rendered text, in order written
};

// The values of a run's parameters: `given` (exact names; values typed or as text, as from
// `--param name=value`) checked against each parameter's Type with the skills' input rules
// (an ip must be an IP address, "5" becomes 5 for an integer), defaults applied. Fails with
// Status::invalid_input naming an unknown parameter, every missing required one, or a value of
// the wrong type.
Expected<boost::json::object> resolve_parameters(const Promptbook& promptbook,
                                                 const boost::json::object& given);

// Every step with its `<param>`s replaced by the resolved values (`\<` becomes `<`). An optional
// parameter without a value renders as empty text, and a direct-call input that is only that
// placeholder is left out so that the skill's own default applies. Fails when the parameters do
// not resolve or lint finds an error in the promptbook.
Expected<std::vector<RenderedStep>> render(const Promptbook& promptbook,
                                           const boost::json::object& given);

}  // namespace secpilot::promptbook

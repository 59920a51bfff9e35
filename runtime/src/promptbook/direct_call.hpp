// Writes a direct skill call as the prompt text the orchestrator parses back
// (orchestrator::parse_direct_invocation): `/Plugin.Skill name=value name="quoted value"`.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secpilot::promptbook::detail {

// Whether `name` can stand before '=' in a direct call: not empty, no whitespace, no '='.
bool is_direct_input_name(std::string_view name) noexcept;

// A value as one token: bare when it can be (not empty, no whitespace, not starting with a
// quote), else in double quotes with `"` and `\` escaped by a backslash.
std::string quote_direct_value(std::string_view value);

// "/skill name=value ..." with the inputs in the order given. Names must pass
// is_direct_input_name.
std::string format_direct_call(std::string_view skill,
                               const std::vector<std::pair<std::string, std::string>>& inputs);

}  // namespace secpilot::promptbook::detail

// Promptbooks as MCP prompts: prompts/list names each usable promptbook with its parameters as
// arguments; prompts/get renders one with the client's arguments into the messages to send, one
// user message per step (a direct skill call as its `/Plugin.Skill name=value` prompt).
#pragma once

#include <boost/json/object.hpp>

#include "secpilot/promptbook/registry.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::mcp {

// The result of prompts/list.
boost::json::object list_prompts(const promptbook::Registry& registry);

// The result of prompts/get for `params` ({name, arguments}); invalid_input (a JSON-RPC -32602)
// for an unknown promptbook, arguments that are not strings, or arguments the promptbook refuses
// (a missing required one, a value of the wrong type).
Expected<boost::json::object> get_prompt(const promptbook::Registry& registry,
                                         const boost::json::object& params);

}  // namespace secpilot::mcp

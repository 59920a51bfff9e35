// Direct invocation: a prompt of the form `/Plugin.Skill name=value name="a quoted value"` calls
// one skill with those inputs, bypassing planning (as Security Copilot's `/` does).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "secpilot/util/expected.hpp"

namespace secpilot::orchestrator {

struct DirectInvocation {
  std::string skill;           // as written: "Plugin.Skill" (or an alias)
  boost::json::object inputs;  // values are strings; the host converts them to declared types
};

// nullopt when the prompt is not a direct invocation (does not start with '/'); an error when it
// starts with '/' but is malformed (no skill name, `name` without `=value`, unterminated quote).
// Values may be bare words or quoted with "..." or '...'; inside double quotes, \" and \\ escape.
// Text after the skill that is not name=value pairs is an error naming the offending word.
std::optional<Expected<DirectInvocation>> parse_direct_invocation(std::string_view prompt);

// The inputs a direct invocation carries for `arguments` (typed JSON, as an MCP client sends
// them): strings as they are, any other value as its JSON text. What the approval of such a call
// hashes.
boost::json::object as_direct_inputs(const boost::json::object& arguments);

// The prompt that parse_direct_invocation reads back as `call`: every value double-quoted (a
// value that is not a string as its JSON text, as as_direct_inputs gives it). invalid_input for an input name it cannot carry
// (empty, or holding '=', a quote or white space).
Expected<std::string> format_direct_invocation(const DirectInvocation& call);

}  // namespace secpilot::orchestrator

#include "secpilot/orchestrator/direct_invocation.hpp"

#include <cctype>

namespace secpilot::orchestrator {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

Error malformed(const std::string& what) {
  return make_error(Status::invalid_input,
                    what + " — write /Plugin.Skill name=value name=\"value with spaces\"");
}

// Reads one value starting at `at`: a quoted string or a bare word. Advances `at` past it.
Expected<std::string> read_value(std::string_view text, std::size_t& at) {
  std::string value;
  if (at < text.size() && (text[at] == '"' || text[at] == '\'')) {
    const char quote = text[at++];
    while (at < text.size() && text[at] != quote) {
      if (quote == '"' && text[at] == '\\' && at + 1 < text.size() &&
          (text[at + 1] == '"' || text[at + 1] == '\\'))
        ++at;
      value += text[at++];
    }
    if (at >= text.size()) return malformed("unterminated quoted value");
    ++at;  // the closing quote
    if (at < text.size() && !is_space(text[at]))
      return malformed("a quoted value must be followed by a space");
    return value;
  }
  while (at < text.size() && !is_space(text[at]))
    value += text[at++];
  return value;
}

}  // namespace

std::optional<Expected<DirectInvocation>> parse_direct_invocation(std::string_view prompt) {
  std::size_t at = 0;
  while (at < prompt.size() && is_space(prompt[at]))
    ++at;
  if (at >= prompt.size() || prompt[at] != '/') return std::nullopt;
  ++at;
  DirectInvocation call;
  while (at < prompt.size() && !is_space(prompt[at]))
    call.skill += prompt[at++];
  if (call.skill.empty()) return Expected<DirectInvocation>(malformed("no skill after '/'"));

  while (true) {
    while (at < prompt.size() && is_space(prompt[at]))
      ++at;
    if (at >= prompt.size()) break;
    std::string name;
    while (at < prompt.size() && prompt[at] != '=' && !is_space(prompt[at]))
      name += prompt[at++];
    if (at >= prompt.size() || prompt[at] != '=' || name.empty())
      return Expected<DirectInvocation>(
          malformed("'" + (name.empty() ? std::string("=") : name) + "' is not a name=value pair"));
    ++at;  // '='
    auto value = read_value(prompt, at);
    if (!value) return Expected<DirectInvocation>(value.error());
    call.inputs[name] = std::move(*value);
  }
  return Expected<DirectInvocation>(std::move(call));
}

}  // namespace secpilot::orchestrator

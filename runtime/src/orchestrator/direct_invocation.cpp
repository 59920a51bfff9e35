#include "secpilot/orchestrator/direct_invocation.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
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

namespace {

std::string as_text(const boost::json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : boost::json::serialize(value);
}

}  // namespace

boost::json::object as_direct_inputs(const boost::json::object& arguments) {
  boost::json::object inputs;
  for (const auto& [name, value] : arguments)
    inputs[name] = as_text(value);
  return inputs;
}

Expected<std::string> format_direct_invocation(const DirectInvocation& call) {
  std::string prompt = "/" + call.skill;
  for (const auto& [name, value] : call.inputs) {
    const bool plain = !name.empty() && std::none_of(name.begin(), name.end(), [](char c) {
      return c == '=' || c == '"' || c == '\'' || is_space(c);
    });
    if (!plain)
      return make_error(
          Status::invalid_input,
          "'" + std::string(name) + "' cannot be an input name of a direct invocation");
    const std::string text = as_text(value);
    prompt += " " + std::string(name) + "=\"";
    for (const char c : text) {
      if (c == '"' || c == '\\') prompt += '\\';
      prompt += c;
    }
    prompt += '"';
  }
  return prompt;
}

}  // namespace secpilot::orchestrator

#include "planner/prompt_parts.hpp"

#include <boost/json/parse.hpp>

#include "planner/text.hpp"
#include "secpilot/grounding/entities.hpp"

namespace secpilot::planner {
namespace {

using text::trim;

// Drops the fence line's language tag ("```kql").
std::string_view fenced_body(std::string_view inside) {
  const auto newline = inside.find('\n');
  if (newline != std::string_view::npos) {
    const auto tag = trim(inside.substr(0, newline));
    bool word = true;
    for (char c : tag)
      word = word && (text::is_word_char(c) || c == '-' || c == '+');
    if (word) inside.remove_prefix(newline + 1);
  }
  return trim(inside);
}

}  // namespace

BlockKind classify_block(std::string_view block) {
  const auto content = trim(block);
  if (content.empty()) return BlockKind::text;
  if (content.front() == '{' || content.front() == '[') {
    boost::system::error_code error;
    (void)boost::json::parse(content, error);
    if (!error) return BlockKind::json;
  }
  // A block is code when entity extraction finds a query or a script making up most of it.
  std::size_t kql = 0;
  std::size_t script = 0;
  for (const auto& entity : grounding::extract_entities(content)) {
    if (entity.type == grounding::entity_type::kql) kql += entity.length;
    if (entity.type == grounding::entity_type::script) script += entity.length;
  }
  if (kql * 2 >= content.size() && kql >= script) return BlockKind::kql;
  if (script * 2 >= content.size()) return BlockKind::script;
  if (kql > 0) return BlockKind::kql;
  if (script > 0) return BlockKind::script;
  return BlockKind::text;
}

PromptParts split_prompt(std::string_view prompt) {
  PromptParts parts;
  const auto fence = prompt.find("```");
  if (fence != std::string_view::npos) {
    parts.instruction = trim(prompt.substr(0, fence));
    std::size_t at = fence;
    while (at != std::string_view::npos) {
      const auto close = prompt.find("```", at + 3);
      const auto body = prompt.substr(
          at + 3, close == std::string_view::npos ? std::string_view::npos : close - at - 3);
      const auto content = fenced_body(body);
      if (!content.empty()) parts.blocks.push_back({content, classify_block(content)});
      if (close == std::string_view::npos) break;
      at = prompt.find("```", close + 3);
      if (at == std::string_view::npos) parts.rest = trim(prompt.substr(close + 3));
    }
    return parts;
  }
  const auto newline = trim(prompt).find('\n');
  const auto whole = trim(prompt);
  if (newline != std::string_view::npos) {
    parts.instruction = trim(whole.substr(0, newline));
    const auto content = trim(whole.substr(newline + 1));
    if (!content.empty()) parts.blocks.push_back({content, classify_block(content)});
    return parts;
  }
  parts.instruction = whole;
  // "extract the IOCs from this: beacon to 203.0.113[.]45 ..."
  const auto lower = to_lower_ascii(whole);
  for (std::string_view cue : {"this: ", "these: ", "below: ", "following: "}) {
    const auto at = lower.find(cue);
    if (at == std::string::npos) continue;
    const auto content = trim(whole.substr(at + cue.size()));
    if (content.size() < 12) continue;
    parts.instruction = trim(whole.substr(0, at + cue.size() - 2));
    parts.blocks.push_back({content, classify_block(content)});
    break;
  }
  return parts;
}

}  // namespace secpilot::planner

// A prompt's parts: the instruction a person wrote and the blocks they pasted after it (a fenced
// block, or the lines after the first), each with what it looks like.
#pragma once

#include <string_view>
#include <vector>

namespace secpilot::planner {

enum class BlockKind { text, json, kql, script };

struct PastedBlock {
  std::string_view text;  // trimmed, without the fence
  BlockKind kind = BlockKind::text;
};

struct PromptParts {
  std::string_view instruction;  // the prompt before its first block (its first line when unfenced)
  std::string_view rest;         // what follows a fenced block (more instruction), may be empty
  std::vector<PastedBlock> blocks;
};

// Fenced blocks (```) first; else, in a prompt of several lines, everything after the first line
// is one block; else an inline paste after "this:" ("extract the IOCs from this: ..."). The
// views point into `prompt`.
PromptParts split_prompt(std::string_view prompt);

BlockKind classify_block(std::string_view text);

}  // namespace secpilot::planner

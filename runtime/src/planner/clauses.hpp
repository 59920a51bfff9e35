// A request split into what it asks, in order: sentences, then the clauses joined by "then",
// "and <verb>" or ", <verb>", each read as a request, a question, a negation ("don't look
// anything up") or context ("Red Canary flagged 4127 on a finance Mac.").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace secpilot::planner {

enum class ClauseKind {
  request,   // starts with a verb: "look up the second IP"
  question,  // starts with a question word or ends with '?': "which devices talked to it?"
  negation,  // says what not to do: "don't look anything up yet"
  context,   // anything else: a statement or a bare noun phrase
};

struct Clause {
  std::string_view text;   // trimmed, into the instruction
  std::size_t offset = 0;  // of `text` in the instruction
  ClauseKind kind = ClauseKind::context;
  std::string verb;  // the leading verb of a request, lower-case
  std::size_t sentence = 0;
};

// The clauses of `instruction`, in order (views into it).
std::vector<Clause> split_clauses(std::string_view instruction);

std::string_view clause_kind_name(ClauseKind kind) noexcept;

}  // namespace secpilot::planner

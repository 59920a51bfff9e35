// The words the local planner reads a request by: the verbs that open a request, the words that
// open a question, filler, negation, actions that change something in another system, and
// products and platforms. Only the planner's reading of a prompt uses them; which skill fits is
// always decided by the skills' own manifests.
#pragma once

#include <string_view>

namespace secpilot::planner::lexicon {

// "show", "check", "lock", and every change action ("quarantine"): a sentence that starts with one
// asks for something to be done.
bool is_request_verb(std::string_view lower_word) noexcept;
// "is", "which", "who", "any": a sentence that starts with one asks a question.
bool is_question_word(std::string_view lower_word) noexcept;
// "please", "ok", "now", "also": skipped before the first real word.
bool is_filler(std::string_view lower_word) noexcept;
// "don't", "without", "no": a clause that starts with one says what not to do.
bool is_negation(std::string_view lower_word) noexcept;
// "block", "isolate", "wipe", "reset": a change in some system. A request led by one needs a skill
// that names the action itself (a skill that only reads would answer another question).
bool is_change_action(std::string_view lower_word) noexcept;
// A product, vendor or query language ("crowdstrike", "splunk", "yara") with the canonical name
// to quote; empty when the word is none.
std::string_view product_name(std::string_view lower_word) noexcept;
// An operating system family a skill may be limited to ("windows", "macos", "linux", "ios"),
// from a word of a prompt or a skill's description ("mac" -> macos, "iphone" -> ios); empty
// when the word names none.
std::string_view platform(std::string_view lower_word) noexcept;

}  // namespace secpilot::planner::lexicon

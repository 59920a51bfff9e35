// The security vocabulary skill retrieval relies on: stopwords, canonical spellings (e-mail and
// email are one term, so are IOC and indicator) and related terms (a SHA-256 is a hash). The
// tables are written as plain words in security_lexicon.cpp and stemmed once, so they mean what
// they say.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace secpilot::grounding {

// Whether a lower-case word carries no meaning for choosing a skill ("the", "please", "which").
// Words that do in security prompts are kept: not, off, open, new, first, before, after.
bool is_stopword(std::string_view word) noexcept;

// The canonical term for a stemmed word ("email" -> "mail", "maco" (macOS) -> "mac", "lookup" ->
// "look"), or the word itself.
std::string_view canonical_term(std::string_view stemmed) noexcept;

// A term a query word also stands for, with the share of the word's weight it gets.
struct RelatedTerm {
  std::string term;  // stemmed and canonical, like index terms
  float weight = 0;
};

// The terms a canonical query term also stands for ("sha256" -> hash; "edr" -> detection,
// endpoint); empty when none.
std::span<const RelatedTerm> related_terms(std::string_view term) noexcept;

}  // namespace secpilot::grounding

// Splits KQL text into tokens with positions; reports malformed literals and stray characters.
#ifndef KQL_LEXER_HPP
#define KQL_LEXER_HPP

#include <string_view>
#include <vector>

#include "kql/diagnostic.hpp"
#include "kql/token.hpp"

namespace kql {

struct LexResult {
  std::vector<Token> tokens;  // always ends with an End token
  Diagnostics diagnostics;
};

// Tokens view `text`, which must outlive them. Comments (`// ...`) and whitespace are skipped.
// A malformed token is reported and skipped (or kept as Invalid) so parsing can continue.
LexResult lex(std::string_view text);

}  // namespace kql

#endif  // KQL_LEXER_HPP

// The entry point of the front end: KQL text in, syntax tree and syntax errors out.
#ifndef KQL_PARSE_HPP
#define KQL_PARSE_HPP

#include <cstddef>
#include <string_view>

#include "kql/ast.hpp"
#include "kql/diagnostic.hpp"

namespace kql {

struct ParseOptions {
  // Deeper nesting of parentheses, operators or sub-queries is reported as an error instead of
  // risking the stack.
  size_t max_depth = 128;
  // At most this many diagnostics are kept; recovery stops after it.
  size_t max_diagnostics = 50;
};

// `ast` holds every statement that could be recovered, even when `diagnostics` has errors; a
// consumer that executes must check ok() first.
struct ParseResult {
  Script ast;
  Diagnostics diagnostics;
  bool ok() const { return !has_errors(diagnostics); }
};

// Never throws for bad input (only std::bad_alloc); never recurses deeper than max_depth.
ParseResult parse(std::string_view text, const ParseOptions& options = {});

}  // namespace kql

#endif  // KQL_PARSE_HPP

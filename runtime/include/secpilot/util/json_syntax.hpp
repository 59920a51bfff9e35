// Checks that text is exactly one well-formed JSON value without building a document: the cheap
// check the host makes on every plugin result.
#pragma once

#include <string_view>

#include "secpilot/util/expected.hpp"

namespace secpilot {

// Status::invalid_input with the parser's reason and byte offset when `text` is not JSON.
Outcome check_json_syntax(std::string_view text);

}  // namespace secpilot

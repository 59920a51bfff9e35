// JSON views of promptbooks, shared by the command line and (later) the API so both say the same.
#pragma once

#include <boost/json/object.hpp>

#include "secpilot/promptbook/promptbook.hpp"
#include "secpilot/promptbook/registry.hpp"

namespace secpilot::promptbook {

// Summary (list views: name, display name, description, tags, parameter names, step count, file)
// or full detail (show views: parameters with types and defaults, and every step).
boost::json::object describe(const Promptbook& promptbook, bool detailed);

// A broken file: path, name, error and every diagnostic.
boost::json::object describe_broken(const PromptbookFile& file);

// One diagnostic: file, line, column, severity, message, fix.
boost::json::object describe_diagnostic(const Diagnostic& diagnostic);

}  // namespace secpilot::promptbook

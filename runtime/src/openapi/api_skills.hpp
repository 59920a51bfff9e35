// Security Copilot's API format: a skill group whose skills are the GET and POST operations of an
// OpenAPI 3.0 spec. Expanding the group writes one Skill per operation into the manifest (name
// from operationId, descriptions from summary and description, inputs from parameters and the
// JSON body, Outputs from the 2xx response schema), so that the catalog, lint, the REST API and
// the planners see them as they see any skill. A Skills list written in the group refines the
// generated skills of the same Name (SideEffects, descriptions, input types, Outputs.Entities).
#pragma once

#include <string>
#include <vector>

#include "openapi/operation.hpp"
#include "secpilot/manifest/diagnostic.hpp"
#include "secpilot/manifest/manifest.hpp"

namespace secpilot::openapi {

// The key of a generated skill's Settings that holds its operation (see operation.hpp).
inline constexpr std::string_view kOperationSetting = "Operation";

// The skill an operation becomes (inputs named, so `operation`'s input names are set here).
manifest::Skill skill_from_operation(Operation& operation, const manifest::SourceLocation& where);

// Reads the spec of every Format: API group of `manifest` (OpenApiSpecFile, or an OpenApiSpecUrl
// that is a relative path) and fills the group's Skills. A spec at an http(s) URL is not
// downloaded: a warning says to save it next to the manifest.
void expand_api_groups(manifest::Manifest& manifest,
                       std::vector<manifest::Diagnostic>& diagnostics);

}  // namespace secpilot::openapi

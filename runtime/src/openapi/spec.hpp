// Reads an OpenAPI 3.0 document (YAML or JSON) into the operations that become skills: GET and
// POST operations with an operationId, as Security Copilot's API format takes them. Local $refs
// are inlined and OpenAPI's schema dialect (nullable, ...) is turned into plain JSON Schema.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "openapi/operation.hpp"
#include "secpilot/manifest/diagnostic.hpp"

namespace secpilot::openapi {

struct Spec {
  std::string title;
  std::string openapi_version;  // "3.0.1"
  std::vector<Operation> operations;
};

// Problems are appended to `diagnostics` (syntax errors with line and column; others name the
// operation): errors make the spec unusable, warnings skip one operation or parameter.
std::optional<Spec> read_spec_file(const std::filesystem::path& path,
                                   std::vector<manifest::Diagnostic>& diagnostics);
std::optional<Spec> read_spec(const boost::json::value& document, const std::string& file,
                              std::vector<manifest::Diagnostic>& diagnostics);

}  // namespace secpilot::openapi

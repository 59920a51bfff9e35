// Skill inputs from JSON Schema: how a property of an OpenAPI operation or an MCP tool's
// inputSchema becomes a manifest Input (name, type, description, default), and how a Skills list
// written in a manifest refines the skills generated from such a description.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "secpilot/manifest/manifest.hpp"

namespace secpilot::openapi {

// Input names may hold letters, digits, '_' and '-' (they appear as {{Name}} and key=value):
// anything else becomes '_'.
std::string input_name(std::string_view wire);

// The input type for a schema: JSON types, and entity types for the formats that name one
// (ipv4/ipv6 -> ip, email, uri -> url, hostname -> domain).
std::string input_type(const boost::json::value& schema);
// The schema's default as text (JSON for non-strings); its description.
std::optional<std::string> default_of(const boost::json::value& schema);
std::string description_of(const boost::json::value& schema);

// An input from a schema; `description` wins over the schema's when not empty. An input with a
// default is not required.
manifest::Input make_input(std::string name, std::string description,
                           const boost::json::value& schema, bool required,
                           const manifest::SourceLocation& where);

// Fields the manifest wrote for a generated skill replace the generated ones.
void refine(manifest::Skill& generated, const manifest::Skill& written);

}  // namespace secpilot::openapi

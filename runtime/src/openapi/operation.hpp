// An OpenAPI 3.0 operation reduced to what calling it takes: method, path, parameters, request
// body and response schema, with every local $ref already inlined. It travels as JSON in the
// generated skill's Settings (see to_json/from_json), so that `skills show` can display it and the
// executor reads it back without the spec.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "secpilot/util/expected.hpp"

namespace secpilot::openapi {

enum class ParameterIn { path, query, header };

struct Parameter {
  std::string name;   // as sent
  std::string input;  // the skill input that carries it (the name, made a valid input name)
  ParameterIn in = ParameterIn::query;
  bool required = false;
  std::string description;
  boost::json::value schema;  // JSON Schema (converted from OpenAPI's dialect)
  bool explode = true;        // arrays in the query: repeated (true) or comma-separated (false)
};

struct RequestBody {
  std::string content_type;  // application/json or application/x-www-form-urlencoded
  boost::json::value schema;
  bool required = false;
  // An object body's properties become inputs; empty: the whole body is the input `body`.
  struct Property {
    std::string name;   // as sent
    std::string input;  // the skill input that carries it
  };
  std::vector<Property> properties;
};

struct Operation {
  std::string method;  // GET or POST
  std::string path;    // as in the spec, with {placeholders}
  std::string id;      // operationId
  std::string summary;
  std::string description;
  std::vector<Parameter> parameters;
  std::optional<RequestBody> body;
  std::optional<boost::json::value> response_schema;  // of the first 2xx JSON response
  std::vector<std::string> servers;                   // the operation's, else the path's/spec's
};

std::string_view parameter_in_name(ParameterIn in) noexcept;  // "path", "query", "header"

boost::json::value to_json(const Operation& operation);
Expected<Operation> operation_from_json(const boost::json::value& json);

}  // namespace secpilot::openapi

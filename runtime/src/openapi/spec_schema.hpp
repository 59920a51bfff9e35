// OpenAPI 3.0 schemas to plain JSON Schema: local $refs inlined (a recursive reference becomes
// "any" rather than expanding forever), `nullable` turned into a "null" type, OpenAPI-only
// keywords dropped.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace secpilot::openapi {

class SchemaResolver {
 public:
  explicit SchemaResolver(const boost::json::value& document) : document_(document) {}

  // The schema (or parameter, request body, ...) `node` with its $ref followed, once, at the top
  // level only; nullptr when the reference does not resolve. `problem` says why.
  const boost::json::value* follow(const boost::json::value& node, std::string& problem) const;

  // `schema` as JSON Schema, every $ref inlined. Unresolvable references are reported in
  // `problems` and read as "any".
  boost::json::value json_schema(const boost::json::value& schema,
                                 std::vector<std::string>& problems) const;

 private:
  boost::json::value convert(const boost::json::value& schema, std::vector<std::string>& active,
                             std::vector<std::string>& problems) const;

  const boost::json::value& document_;
};

}  // namespace secpilot::openapi

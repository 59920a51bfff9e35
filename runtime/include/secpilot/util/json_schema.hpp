// A compiled JSON Schema (draft 4 or 7, through valijson): checks skill outputs and plugin
// configuration against the schemas manifests declare. Cheap to copy; validate() is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "secpilot/util/expected.hpp"

namespace valijson {
class Schema;
}

namespace secpilot {

class JsonSchema {
 public:
  // Accepts every document (no schema declared).
  JsonSchema() = default;

  // Status::invalid_input with a readable message when `schema` is not a JSON Schema valijson
  // can use: draft-07 by default, draft-04 (or draft-03) when "$schema" names it. Remote "$ref"s
  // are not fetched.
  static Expected<JsonSchema> compile(const boost::json::value& schema);

  // Empty when `document` is valid; otherwise one entry per problem, "path: reason", the path a
  // JSON Pointer into the document ("/" for the document itself), e.g. "/verdict: expected string".
  std::vector<std::string> validate(const boost::json::value& document) const;

 private:
  std::shared_ptr<const valijson::Schema> schema_;
  // The schema as written, to name expected types in messages (valijson's do not).
  std::shared_ptr<const boost::json::value> source_;
};

}  // namespace secpilot

// A compiled JSON Schema (draft 4 or 7, through valijson): checks skill outputs and plugin
// configuration against the schemas manifests declare. Cheap to copy; validate() is thread-safe.
//
// validate() is on the hot path of every skill call. For the keywords manifests use, compile()
// also builds a plain tree of checks (runtime/src/util/json_schema_fast.hpp) that decides as
// valijson would, without allocating; a valid document never reaches valijson. An invalid one,
// or any document under a schema using other keywords, is validated by valijson, so the
// messages are valijson's in every case.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "secpilot/util/expected.hpp"

namespace valijson {
class Schema;
}

namespace secpilot {

namespace detail {
class FastSchema;
}

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
  friend struct JsonSchemaTestPeer;  // tests/manifest/json_schema_test.cpp

  // For tests: the compiled checks' verdict, nullopt when the schema is left to valijson; and
  // valijson's own verdict and messages, the fast path bypassed.
  std::optional<bool> fast_verdict(const boost::json::value& document) const;
  bool valijson_verdict(const boost::json::value& document) const;
  std::vector<std::string> validate_with_valijson(const boost::json::value& document) const;

  std::shared_ptr<const valijson::Schema> schema_;
  // The compiled checks, when the schema stays within their subset.
  std::shared_ptr<const detail::FastSchema> fast_;
  // The schema as written, to name expected types in messages (valijson's do not).
  std::shared_ptr<const boost::json::value> source_;
};

}  // namespace secpilot

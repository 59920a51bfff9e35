// The fast path of JsonSchema::validate(): a JSON Schema compiled into a tree of plain checks for
// the subset manifests use, which decides, without allocating, what valijson would decide.
//
// The subset: "type" (a name or a list of names), "enum", "const", "required", "properties",
// "additionalProperties" (boolean or schema), "items" (one schema), "minItems", "maxItems",
// "uniqueItems", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
// "exclusiveMaximum" (draft-07's numbers, draft-04's booleans), "format", boolean schemas
// (draft-07), and keywords valijson does not read ("title", "description", "default", "examples",
// "$schema", "$comment", "$id", "definitions", ...). A schema with any other keyword anywhere, or
// a value valijson would read leniently (a string where a number belongs), gets no FastSchema.
//
// Each check mirrors valijson's validation visitor with strict types and its Boost.JSON adapter,
// quirks included, so that accepts() is true exactly when valijson's validation succeeds:
//   - "integer" is an int64 only: 1.0 is not an integer, as valijson's adapter sees it;
//   - a uint64 (an integer above INT64_MAX) is neither an integer nor a number, equals nothing,
//     and is skipped by the bounds;
//   - "enum", "const" and "uniqueItems" compare numbers as doubles (1 equals 1.0), and strings up
//     to their first NUL character, as valijson's adapter copies them through c_str();
//   - lengths count UTF-8 sequences up to the first NUL, as valijson's u8_strlen() does;
//   - "format" "date", "time" and "date-time" are checked with valijson's regular expressions
//     (hand-written here); any format makes a value valijson cannot turn into a string (a
//     non-empty array or object, a uint64) fail, as valijson throws there.
#pragma once

#include <memory>

#include <boost/json/value.hpp>

namespace secpilot::detail {

class FastSchema {
 public:
  // Nullptr when `schema` leaves the subset; `draft7` false for draft-04. Call it only with a
  // schema valijson compiled without error: it relies on valijson's checks of the schema.
  static std::shared_ptr<const FastSchema> compile(const boost::json::value& schema, bool draft7);

  // Whether valijson would find `document` valid (an exception in valijson counts as invalid).
  bool accepts(const boost::json::value& document) const noexcept;

  struct Node;
  explicit FastSchema(std::unique_ptr<const Node> root);
  ~FastSchema();
  FastSchema(const FastSchema&) = delete;
  FastSchema& operator=(const FastSchema&) = delete;

 private:
  std::unique_ptr<const Node> root_;
};

}  // namespace secpilot::detail

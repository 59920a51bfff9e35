#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "secpilot/util/json_schema.hpp"

namespace secpilot {

// Reaches JsonSchema's test hooks: the compiled checks' verdict and valijson's.
struct JsonSchemaTestPeer {
  static std::optional<bool> fast(const JsonSchema& schema, const boost::json::value& document) {
    return schema.fast_verdict(document);
  }
  static bool valijson(const JsonSchema& schema, const boost::json::value& document) {
    return schema.valijson_verdict(document);
  }
  static std::vector<std::string> valijson_problems(const JsonSchema& schema,
                                                    const boost::json::value& document) {
    return schema.validate_with_valijson(document);
  }
};

namespace {

namespace json = boost::json;

JsonSchema compile_ok(std::string_view schema) {
  auto compiled = JsonSchema::compile(json::parse(schema));
  EXPECT_TRUE(compiled.has_value()) << (compiled ? "" : compiled.error().message);
  return compiled ? *compiled : JsonSchema{};
}

std::vector<std::string> check(const JsonSchema& schema, std::string_view document) {
  return schema.validate(json::parse(document));
}

using Problems = std::vector<std::string>;

constexpr std::string_view kVerdictSchema = R"({
  "type": "object",
  "required": ["verdict"],
  "additionalProperties": false,
  "properties": {
    "verdict": {"type": "string", "enum": ["malicious", "clean"]},
    "score": {"type": "integer", "minimum": 0, "maximum": 100},
    "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
    "a/b": {"type": ["string", "null"]},
    "ref": {"$ref": "#/definitions/ip"}
  },
  "definitions": {"ip": {"type": "string", "maxLength": 45}}
})";

TEST(JsonSchema, AcceptsValidDocuments) {
  JsonSchema schema = compile_ok(kVerdictSchema);
  EXPECT_EQ(check(schema, R"({"verdict": "clean"})"), Problems{});
  EXPECT_EQ(check(schema, R"({"verdict": "malicious", "score": 90, "tags": ["apt"],
                              "a/b": null, "ref": "10.0.0.1"})"),
            Problems{});
}

TEST(JsonSchema, NamesPathAndReason) {
  JsonSchema schema = compile_ok(kVerdictSchema);
  EXPECT_EQ(check(schema, R"({"verdict": 3})"), (Problems{"/verdict: expected string"}));
  EXPECT_EQ(check(schema, R"({})"), (Problems{"/: missing required property 'verdict'"}));
  EXPECT_EQ(check(schema, R"({"verdict": "meh"})"),
            (Problems{"/verdict: expected one of \"malicious\", \"clean\""}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "score": -1})"),
            (Problems{"/score: expected number greater than or equal to 0"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "tags": ["ok", 5]})"),
            (Problems{"/tags/1: expected string"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "a/b": 1})"),
            (Problems{"/a~1b: expected string or null"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "ref": 1})"),
            (Problems{"/ref: expected string"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "other": 1})"),
            (Problems{"/: unexpected property 'other'"}));
  EXPECT_EQ(check(schema, R"([])"), (Problems{"/: expected object"}));
}

TEST(JsonSchema, ReportsEveryProblem) {
  JsonSchema schema = compile_ok(kVerdictSchema);
  Problems problems = check(schema, R"({"verdict": 1, "score": "high"})");
  // Sorted by path; a value of the wrong type gets that one problem only.
  EXPECT_EQ(problems, (Problems{"/score: expected integer", "/verdict: expected string"}));
}

TEST(JsonSchema, RejectsInvalidSchemas) {
  auto expect_invalid = [](std::string_view schema, std::string_view part) {
    auto compiled = JsonSchema::compile(json::parse(schema));
    ASSERT_FALSE(compiled.has_value()) << schema;
    EXPECT_EQ(compiled.error().status, Status::invalid_input);
    EXPECT_NE(compiled.error().message.find(part), std::string::npos) << compiled.error().message;
  };
  expect_invalid(R"([1, 2])", "must be an object");
  expect_invalid(R"("string")", "must be an object");
  expect_invalid(R"({"type": "strng"})", "'strng'");
  expect_invalid(R"({"properties": {"a": {"type": ["string", "numbr"]}}})", "'numbr'");
  expect_invalid(R"({"type": "integer", "minimum": "low"})", "minimum");
  expect_invalid(R"({"$ref": "https://example.org/schema.json"})", "remote");
  expect_invalid(R"({"$schema": "https://json-schema.org/draft-08/schema"})", "not supported");
  expect_invalid(R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
                     "properties": {"pair": {"prefixItems": [{"type": "string"}]}}})",
                 "with 'prefixItems'");
  expect_invalid(R"({"properties": 5})", "invalid JSON Schema");
}

// MCP tools' schemas are 2020-12 by default; those that keep to what draft-07 reads the same way
// (nearly all) are checked.
TEST(JsonSchema, AcceptsDraft2020SchemasThatDraft7ReadsTheSameWay) {
  JsonSchema tool = compile_ok(R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object", "required": ["ip"], "additionalProperties": false,
      "properties": {"ip": {"type": "string"}, "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}}},
      "$defs": {"tag": {"type": "string", "enum": ["a", "b"]}}})");
  EXPECT_EQ(check(tool, R"({"ip": "203.0.113.9", "tags": ["a"]})"), Problems{});
  EXPECT_FALSE(check(tool, R"({"ip": 1})").empty());
  EXPECT_FALSE(check(tool, R"({"ip": "x", "tags": ["c"]})").empty()) << "through $defs";
}

TEST(JsonSchema, AcceptsDraft4AndBooleanSchemas) {
  JsonSchema draft4 = compile_ok(R"({"$schema": "http://json-schema.org/draft-04/schema#",
                                     "type": "object", "properties": {"type": {"type": "string"}}})");
  EXPECT_EQ(check(draft4, R"({"type": "x"})"), Problems{});
  EXPECT_EQ(check(draft4, R"({"type": 1})"), (Problems{"/type: expected string"}));
  JsonSchema anything = compile_ok("true");
  EXPECT_EQ(check(anything, "[1, {}]"), Problems{});
}

TEST(JsonSchema, DefaultAcceptsEverything) {
  JsonSchema none;
  EXPECT_EQ(check(none, R"({"anything": [1]})"), Problems{});
}

TEST(JsonSchema, CopiesShareTheSchemaAndValidateConcurrently) {
  const JsonSchema original = compile_ok(kVerdictSchema);
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t, copy = original] {
      const json::value good = json::parse(R"({"verdict": "clean", "tags": ["abc", "def"]})");
      const json::value bad = json::parse(R"({"verdict": "clean", "tags": ["ABC"]})");
      for (int i = 0; i < 300; ++i) {
        if (!copy.validate(good).empty()) ++failures[t];
        if (copy.validate(bad).size() != 1) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(failures, (std::vector<int>{0, 0, 0, 0}));
}

// ---- the compiled checks against valijson ------------------------------------------------------

using Peer = JsonSchemaTestPeer;

struct Case {
  std::string_view schema;
  std::string_view document;
  bool valid;  // valijson's verdict, pinned
};

// Each pair: the compiled checks decide as valijson does, and validate() says what valijson says.
void expect_same_as_valijson(const Case& c) {
  SCOPED_TRACE(std::string("schema ") + std::string(c.schema) + "\ndocument " +
               std::string(c.document));
  JsonSchema schema = compile_ok(c.schema);
  const json::value document = json::parse(c.document);
  const std::optional<bool> fast = Peer::fast(schema, document);
  ASSERT_TRUE(fast.has_value()) << "the schema should be within the compiled subset";
  EXPECT_EQ(Peer::valijson(schema, document), c.valid);
  EXPECT_EQ(*fast, c.valid);
  const Problems expected = Peer::valijson_problems(schema, document);
  EXPECT_EQ(schema.validate(document), expected);
  if (c.valid) {
    EXPECT_EQ(expected, Problems{});
  }
}

constexpr Case kCases[] = {
    // type: one name, several, "integer" as valijson's Boost.JSON adapter sees it.
    {R"({"type": "string"})", R"("x")", true},
    {R"({"type": "string"})", R"(1)", false},
    {R"({"type": ["string", "null"]})", R"(null)", true},
    {R"({"type": ["string", "null"]})", R"(false)", false},
    {R"({"type": "integer"})", R"(-7)", true},
    {R"({"type": "integer"})", R"(1.5)", false},
    // An integral double is not an integer to valijson's adapter (it asks is_int64()).
    {R"({"type": "integer"})", R"(1.0)", false},
    {R"({"type": "number"})", R"(1.0)", true},
    {R"({"type": "number"})", R"(3)", true},
    // Above INT64_MAX Boost.JSON stores a uint64, which valijson's adapter takes for no number.
    {R"({"type": "number"})", R"(18446744073709551615)", false},
    {R"({"type": "integer"})", R"(9223372036854775807)", true},
    {R"({"type": "boolean"})", R"(true)", true},
    {R"({"type": "object"})", R"([])", false},
    {R"({"type": "array"})", R"([])", true},
    {R"({"type": "any"})", R"({"a": [1]})", true},
    // enum and const: mixed types, numbers compared as doubles, deep values.
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"("a")", true},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"(1.0)", true},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"(null)", true},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"([1, "x"])", true},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"({"k": 2.0})", true},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"({"k": 2, "j": 1})", false},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"(false)", false},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"("1")", false},
    {R"({"enum": ["a", 1, null, true, [1, "x"], {"k": 2}]})", R"(["x", 1])", false},
    {R"({"enum": []})", R"("a")", false},
    {R"({"enum": [18446744073709551615]})", R"(18446744073709551615)", false},
    {R"({"const": {"a": [1, {"b": null}]}})", R"({"a": [1.0, {"b": null}]})", true},
    {R"({"const": {"a": [1, {"b": null}]}})", R"({"a": [1, {"b": 0}]})", false},
    {R"({"const": "x"})", R"("x\u0000y")", true},  // valijson compares up to a NUL
    // required, properties, additionalProperties.
    {R"({"required": ["a", "b"]})", R"({"b": 1, "a": 2})", true},
    {R"({"required": ["a", "b"]})", R"({"a": 1})", false},
    {R"({"required": ["a"]})", R"("not an object")", true},
    {R"({"properties": {"a": {"type": "string"}}, "required": ["a", "c"]})",
     R"({"a": "x", "c": 1})", true},
    {R"({"properties": {"a": {"type": "string"}}, "required": ["a", "c"]})", R"({"c": 1})", false},
    {R"({"properties": {"a": {"type": "string"}}, "additionalProperties": false})", R"({"a": "x"})",
     true},
    {R"({"properties": {"a": {"type": "string"}}, "additionalProperties": false})",
     R"({"a": "x", "b": 1})", false},
    {R"({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}})",
     R"({"a": "x", "b": 1, "c": 2})", true},
    {R"({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}})",
     R"({"a": "x", "b": "y"})", false},
    {R"({"additionalProperties": false})", R"({})", true},
    {R"({"additionalProperties": false})", R"({"a": 1})", false},
    {R"({"properties": {"a": {"properties": {"b": {"type": "array", "items": {"type": "object",
        "required": ["c"], "properties": {"c": {"enum": [1, 2]}}}}}}}})",
     R"({"a": {"b": [{"c": 1}, {"c": 2.0, "d": 0}]}})", true},
    {R"({"properties": {"a": {"properties": {"b": {"type": "array", "items": {"type": "object",
        "required": ["c"], "properties": {"c": {"enum": [1, 2]}}}}}}}})",
     R"({"a": {"b": [{"c": 1}, {"c": 3}]}})", false},
    {R"({"properties": {"a": true, "b": false}})", R"({"a": 1})", true},
    // A property whose schema is false fails, but valijson reports it only by a summary line,
    // which validate() leaves out: the message list was empty before the compiled checks too.
    {R"({"properties": {"a": true, "b": false}})", R"({"b": 1})", false},
    // items, minItems, maxItems, uniqueItems.
    {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"(["a", "b"])", true},
    {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"([])", false},
    {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"(["a", "b", "c"])", false},
    {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"(["a", 1])", false},
    {R"({"items": {"type": "string"}, "minItems": 1, "maxItems": 2})", R"("abc")", true},
    {R"({"uniqueItems": true})", R"([1, "1", [1], {"a": 1}, null, false])", true},
    {R"({"uniqueItems": true})", R"([1, 2, 1.0])", false},
    {R"({"uniqueItems": true})", R"([{"a": [1]}, {"a": [1.0]}])", false},
    {R"({"uniqueItems": false})", R"([1, 1])", true},
    // minLength, maxLength: Unicode code points as valijson counts them.
    {R"({"minLength": 2, "maxLength": 3})", R"("ab")", true},
    {R"({"minLength": 2, "maxLength": 3})", R"("a")", false},
    {R"({"minLength": 2, "maxLength": 3})", R"("abcd")", false},
    {R"({"minLength": 2, "maxLength": 3})", R"("日本語")", true},  // 9 bytes, 3 code points
    {R"({"minLength": 2, "maxLength": 3})", R"("日本語!")", false},
    {R"({"maxLength": 1})", R"("\ud83d\ude00")", true},  // one code point in 4 bytes
    {R"({"minLength": 2})", R"("é")", false},
    {R"({"maxLength": 1})", R"("a\u0000bcd")", true},  // counted up to the NUL
    {R"({"minLength": 1})", R"("")", false},
    {R"({"maxLength": 0})", R"(12345)", true},
    // minimum, maximum, exclusive bounds (draft-07 numbers).
    {R"({"minimum": 0, "maximum": 1})", R"(0)", true},
    {R"({"minimum": 0, "maximum": 1})", R"(1.0)", true},
    {R"({"minimum": 0, "maximum": 1})", R"(-0.0001)", false},
    {R"({"minimum": 0, "maximum": 1})", R"(1.0001)", false},
    {R"({"minimum": 0, "maximum": 1})", R"("5")", true},
    {R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1.5})", R"(0)", false},
    {R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1.5})", R"(1.5)", false},
    {R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1.5})", R"(1)", true},
    {R"({"minimum": 2, "exclusiveMinimum": 1})", R"(1.5)", false},
    {R"({"maximum": 0})", R"(18446744073709551615)", true},  // a uint64 is no number to valijson
    {R"({"minimum": -9223372036854775808})", R"(-9223372036854775808)", true},
    // Draft-04: boolean exclusive bounds qualifying minimum and maximum.
    {R"({"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 0,
        "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": false})",
     R"(10)", true},
    {R"({"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 0,
        "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": false})",
     R"(0)", false},
    {R"({"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 0,
        "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})",
     R"(10)", false},
    // Annotations change nothing; "format" is checked by valijson for dates and times only, but
    // makes it throw on values it cannot turn into a string.
    {R"({"title": "t", "description": "d", "default": 1, "examples": [1], "$comment": "c",
        "$id": "http://example.org/s", "definitions": {"x": {"pattern": "^a"}},
        "readOnly": true, "type": "integer"})",
     R"(1)", true},
    {R"({"format": "email"})", R"("not an e-mail address")", true},
    {R"({"format": "email"})", R"(12)", true},
    {R"({"format": "email"})", R"([])", true},
    {R"({"format": "email"})", R"({"a": 1})", false},
    {R"({"format": "date"})", R"("2024-02-29")", true},
    {R"({"format": "date"})", R"("2024-02-30")", false},
    {R"({"format": "date"})", R"("2024-04-31")", false},
    {R"({"format": "date"})", R"("2024-13-01")", false},
    {R"({"format": "date"})", R"("24-1-01")", false},
    {R"({"format": "date"})", R"(20240101)", false},
    {R"({"format": "time"})", R"("23:59:60.123Z")", true},
    {R"({"format": "time"})", R"("23:59:59|01:00")", true},  // valijson's [\+|\-] allows '|'
    {R"({"format": "time"})", R"("24:00:00Z")", false},
    {R"({"format": "time"})", R"("12:00:00.Z")", false},
    {R"({"format": "date-time"})", R"("2024-08-31t12:30:00+02:00")", true},
    {R"({"format": "date-time"})", R"("2024-09-31T12:30:00Z")", false},
    {R"({"format": "date-time"})", R"("2024-09-30 12:30:00Z")", false},
    // Boolean schemas (draft-07).
    {R"({"items": false})", R"([])", true},
    {R"({"items": false})", R"([1])", false},
    {"true", R"([1, {}])", true},
};

TEST(JsonSchema, CompiledChecksDecideAsValijson) {
  for (const Case& c : kCases)
    expect_same_as_valijson(c);
}

TEST(JsonSchema, CompiledChecksHandleManyPropertiesInAnyOrder) {
  // Enough properties for the compiled checks to index them by name.
  std::string schema = R"({"type": "object", "additionalProperties": false,
                           "required": ["p0", "p13"], "properties": {)";
  for (int i = 0; i < 14; ++i)
    schema += (i ? ", " : "") + ("\"p" + std::to_string(i)) + R"(": {"type": "integer"})";
  schema += "}}";
  std::string reversed = "{";
  for (int i = 13; i >= 0; --i)
    reversed += (i < 13 ? ", " : "") + ("\"p" + std::to_string(i)) + "\": " + std::to_string(i);
  reversed += "}";
  for (const Case& c : {
           Case{schema, reversed, true},
           Case{schema, R"({"p13": 1, "p0": 2, "p7": 3})", true},
           Case{schema, R"({"p13": 1, "p0": 2, "p7": "x"})", false},
           Case{schema, R"({"p13": 1, "p0": 2, "p14": 3})", false},
           Case{schema, R"({"p0": 2, "p12": 3})", false},
       })
    expect_same_as_valijson(c);
}

TEST(JsonSchema, CompiledChecksKeepValijsonMessages) {
  // kVerdictSchema has "pattern" and "$ref", so valijson alone checks it. This cousin within the
  // subset gives the same messages.
  JsonSchema schema = compile_ok(R"({
    "type": "object",
    "required": ["verdict"],
    "additionalProperties": false,
    "properties": {
      "verdict": {"type": "string", "enum": ["malicious", "clean"]},
      "score": {"type": "integer", "minimum": 0, "maximum": 100},
      "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
      "a/b": {"type": ["string", "null"]}
    }
  })");
  ASSERT_TRUE(Peer::fast(schema, json::parse("{}")).has_value());
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "tags": ["a"], "a/b": null})"), Problems{});
  EXPECT_EQ(check(schema, R"({"verdict": 3})"), (Problems{"/verdict: expected string"}));
  EXPECT_EQ(check(schema, R"({})"), (Problems{"/: missing required property 'verdict'"}));
  EXPECT_EQ(check(schema, R"({"verdict": "meh"})"),
            (Problems{"/verdict: expected one of \"malicious\", \"clean\""}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "score": -1})"),
            (Problems{"/score: expected number greater than or equal to 0"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "tags": ["ok", 5]})"),
            (Problems{"/tags/1: expected string"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "a/b": 1})"),
            (Problems{"/a~1b: expected string or null"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "other": 1})"),
            (Problems{"/: unexpected property 'other'"}));
  EXPECT_EQ(check(schema, R"({"verdict": 1, "score": "high"})"),
            (Problems{"/score: expected integer", "/verdict: expected string"}));
  EXPECT_EQ(check(schema, R"({"verdict": "clean", "tags": ["a", "a"]})"),
            (Problems{"/tags: elements at indexes #0 and #1 violate uniqueness constraint"}));
}

TEST(JsonSchema, OtherKeywordsLeaveTheSchemaToValijson) {
  for (std::string_view text : {
           R"({"type": "string", "pattern": "^[a-z]+$"})",
           R"({"properties": {"a": {"pattern": "^x"}}})",
           R"({"allOf": [{"type": "string"}]})",
           R"({"anyOf": [{"type": "string"}, {"type": "null"}]})",
           R"({"oneOf": [{"type": "string"}]})",
           R"({"not": {"type": "string"}})",
           R"({"items": {"$ref": "#/definitions/x"}, "definitions": {"x": {}}})",
           R"({"dependencies": {"a": ["b"]}})",
           R"({"patternProperties": {"^a": {}}})",
           R"({"if": {"type": "string"}, "then": {"minLength": 1}})",
           R"({"propertyNames": {"maxLength": 3}})",
           R"({"contains": {"type": "string"}})",
           R"({"items": [{"type": "string"}]})",
           R"({"multipleOf": 2})",
           R"({"minProperties": 1})",
           R"({"x-vendor": 1})",
           R"({"minLength": "2"})",  // valijson reads the string; the compiled checks do not
           R"({"$schema": "http://json-schema.org/draft-03/schema#", "type": "string"})",
       }) {
    JsonSchema schema = compile_ok(text);
    EXPECT_FALSE(Peer::fast(schema, json::parse("1")).has_value()) << text;
  }
  // "pattern" still validates, through valijson.
  JsonSchema pattern = compile_ok(R"({"type": "object", "properties": {
                                       "id": {"type": "string", "pattern": "^[a-z]+$"}}})");
  EXPECT_EQ(check(pattern, R"({"id": "abc"})"), Problems{});
  EXPECT_EQ(check(pattern, R"({"id": "ABC"})"),
            (Problems{"/id: failed to match regex specified by 'pattern' constraint"}));
}

// Random schemas within the subset against random documents drawn from the same few names and
// values, so that both verdicts happen often. A fixed seed: the same pairs on every run.
class RandomPairs {
 public:
  RandomPairs(std::uint32_t seed, bool draft4) : rng_(seed), draft4_(draft4) {}

  json::value schema(int depth) {
    if (depth > 0 && !draft4_ && chance(8)) return json::value(chance(2));
    json::object s;
    if (depth == 0 && draft4_) s["$schema"] = "http://json-schema.org/draft-04/schema#";
    if (chance(2)) {
      static constexpr const char* kTypes[] = {"string", "integer", "number", "boolean",
                                               "object", "array",   "null"};
      if (chance(3)) {
        json::array types;
        for (int i = pick(3); i >= 0; --i)
          types.emplace_back(kTypes[pick(7)]);
        s["type"] = std::move(types);
      } else {
        s["type"] = kTypes[pick(7)];
      }
    }
    if (chance(6)) {
      json::array values;
      for (int i = pick(4); i >= 0; --i)
        values.push_back(document(1));
      s["enum"] = std::move(values);
    } else if (chance(6)) {
      json::array values;  // strings only, the usual enum
      for (int i = pick(4); i >= 0; --i)
        values.emplace_back(json::string(kStrings[pick(sizeof kStrings / sizeof kStrings[0])]));
      s["enum"] = std::move(values);
    }
    if (chance(12)) s["const"] = document(1);
    if (chance(4)) s["minimum"] = number();
    if (chance(4)) s["maximum"] = number();
    if (!draft4_) {
      if (chance(6)) s["exclusiveMinimum"] = number();
      if (chance(6)) s["exclusiveMaximum"] = number();
    } else {
      if (s.contains("minimum") && chance(2)) s["exclusiveMinimum"] = chance(2);
      if (s.contains("maximum") && chance(2)) s["exclusiveMaximum"] = chance(2);
    }
    if (chance(4)) s["minLength"] = pick(4);
    if (chance(4)) s["maxLength"] = pick(4);
    if (chance(8)) s["format"] = kFormats[pick(4)];
    if (chance(4)) s["minItems"] = pick(3);
    if (chance(4)) s["maxItems"] = pick(4);
    if (chance(5)) s["uniqueItems"] = chance(2);
    if (depth < 3 && chance(3)) s["items"] = schema(depth + 1);
    if (depth < 3 && chance(2)) {
      json::object properties;
      for (const char* name : kNames)
        if (chance(2)) properties[name] = schema(depth + 1);
      s["properties"] = std::move(properties);
    }
    if (chance(3)) {
      json::array required;
      for (const char* name : kNames)
        if (chance(3)) required.emplace_back(name);
      s["required"] = std::move(required);
    }
    if (depth < 3 && chance(3))
      s["additionalProperties"] = chance(2) ? json::value(chance(2)) : schema(depth + 1);
    if (chance(6)) s["description"] = "annotation";
    return s;
  }

  json::value document(int depth) {
    switch (pick(depth < 3 ? 9 : 6)) {
      case 0:
        return nullptr;
      case 1:
        return chance(2);
      case 2:
        return number();
      case 3:
        return json::string(kStrings[pick(sizeof kStrings / sizeof kStrings[0])]);
      case 4:
        return json::value(static_cast<std::uint64_t>(1) << 63);  // a uint64
      case 5:
        return static_cast<std::int64_t>(pick(3));
      case 6:
      case 7: {
        json::object object;
        for (const char* name : kNames)
          if (chance(2)) object[name] = document(depth + 1);
        return object;
      }
      default: {
        json::array array;
        for (int i = pick(4); i > 0; --i)
          array.push_back(document(depth + 1));
        return array;
      }
    }
  }

 private:
  static constexpr const char* kNames[] = {"a", "b", "c", "d"};
  static constexpr std::string_view kStrings[] = {"",           "a",
                                                  "ab",         "abc",
                                                  "日本",       "é",
                                                  "2024-02-29", "2024-04-31",
                                                  "12:00:00Z",  "2024-01-01T00:00:00.5+01:00",
                                                  "1",          std::string_view("a\0b", 3)};
  static constexpr const char* kFormats[] = {"date", "time", "date-time", "hostname"};

  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint32_t>(n)); }
  bool chance(int one_in) { return pick(one_in) == 0; }
  json::value number() {
    switch (pick(4)) {
      case 0:
        return static_cast<std::int64_t>(pick(5)) - 2;
      case 1:
        return (pick(9) - 4) / 2.0;
      case 2:
        return static_cast<double>(pick(3));
      default:
        return static_cast<std::int64_t>(pick(2));
    }
  }

  std::mt19937 rng_;
  bool draft4_;
};

TEST(JsonSchema, CompiledChecksMatchValijsonOnRandomPairs) {
  RandomPairs draft7(20261128, false), draft4(4, true);
  int compared = 0, valid = 0;
  for (int s = 0; s < 600; ++s) {
    RandomPairs& random = s % 3 == 2 ? draft4 : draft7;  // a third are draft-04 schemas
    const json::value text = random.schema(0);
    auto compiled = JsonSchema::compile(text);
    ASSERT_TRUE(compiled.has_value()) << json::serialize(text) << ": " << compiled.error().message;
    for (int d = 0; d < 25; ++d) {
      const json::value document = random.document(0);
      const std::optional<bool> fast = Peer::fast(*compiled, document);
      ASSERT_TRUE(fast.has_value()) << json::serialize(text);
      const bool expected = Peer::valijson(*compiled, document);
      ASSERT_EQ(*fast, expected) << "schema " << json::serialize(text) << "\ndocument "
                                 << json::serialize(document);
      ++compared;
      valid += expected;
    }
  }
  // Both verdicts were exercised.
  EXPECT_GT(valid, compared / 10);
  EXPECT_LT(valid, compared - compared / 10);
}

}  // namespace
}  // namespace secpilot

namespace secpilot {
namespace {

// valijson reports a value under a `false` subschema with only a summary line; it must still be
// rejected, at the right place.
TEST(JsonSchemaFalseSubschema, RejectsTheValueWhereItIsNotAllowed) {
  auto schema = JsonSchema::compile(boost::json::parse(R"({"properties": {"x": false}})"));
  ASSERT_TRUE(schema) << schema.error().message;
  EXPECT_TRUE(schema->validate(boost::json::parse(R"({"y": 1})")).empty());
  EXPECT_EQ(schema->validate(boost::json::parse(R"({"x": 1})")),
            std::vector<std::string>{"/x: no value is allowed here"});
  auto nothing = JsonSchema::compile(boost::json::parse("false"));
  ASSERT_TRUE(nothing) << nothing.error().message;
  EXPECT_FALSE(nothing->validate(boost::json::parse("{}")).empty());
}

}  // namespace
}  // namespace secpilot

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>

#include "secpilot/util/json_schema.hpp"

namespace secpilot {
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
  expect_invalid(R"({"$schema": "https://json-schema.org/draft/2020-12/schema"})", "not supported");
  expect_invalid(R"({"properties": 5})", "invalid JSON Schema");
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

}  // namespace
}  // namespace secpilot

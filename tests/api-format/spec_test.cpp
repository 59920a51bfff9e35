// OpenAPI 3.0 documents to operations and skills: what becomes a skill, what is skipped and why,
// $refs, OpenAPI's schema dialect, example prompts in descriptions, and broken documents.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "openapi/api_skills.hpp"
#include "openapi/spec.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

namespace json = boost::json;
using manifest::Diagnostic;
using manifest::Severity;

constexpr const char* kSpec = R"(openapi: 3.0.1
info: { title: Acme Intel, version: "2.1" }
servers:
  - url: https://{tenant}.acme.example/api/{version}
    variables:
      tenant: { default: demo }
      version: { default: v2 }
paths:
  /indicators/{value}:
    parameters:
      - $ref: '#/components/parameters/Value'
    get:
      operationId: GetIndicator
      summary: Look up one indicator in Acme's intelligence
      description: |-
        Returns Acme's verdict on an IP address, domain or hash.
        #ExamplePrompt What does Acme know about this IP?
        #ExamplePrompts Is this domain malicious according to Acme
      parameters:
        - name: include[]
          in: query
          explode: false
          schema: { type: array, items: { type: string } }
        - name: X-Request-Id
          in: header
          schema: { type: string }
      responses:
        "200":
          description: the verdict
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Verdict' }
    put:
      operationId: ReplaceIndicator
      responses: { "204": { description: done } }
  /indicators:
    post:
      operationId: SubmitIndicator
      summary: Submit an indicator for analysis
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [value]
              properties:
                value: { type: string, description: The indicator. }
                source: { type: string, format: uri }
                priority: { type: integer, default: 3 }
      responses:
        "201":
          description: accepted
          content: { application/json: { schema: { type: object } } }
    get:
      summary: no operationId, so not a skill
      responses: { "200": { description: ok } }
components:
  parameters:
    Value:
      name: value
      in: path
      description: The indicator (IP, domain or hash).
      schema: { type: string }
  schemas:
    Verdict:
      type: object
      required: [value, verdict]
      properties:
        value: { type: string }
        verdict: { type: string, enum: [malicious, suspicious, clean] }
        score: { type: integer, nullable: true }
        related: { type: array, items: { $ref: '#/components/schemas/Verdict' } }
)";

struct Read {
  std::optional<openapi::Spec> spec;
  std::vector<Diagnostic> diagnostics;
};

Read read(const std::string& text, const std::string& name = "spec.yaml") {
  testing::TempDir dir;
  testing::write_file(dir.path() / name, text);
  Read out;
  out.spec = openapi::read_spec_file(dir.path() / name, out.diagnostics);
  return out;
}

const openapi::Operation& operation(const openapi::Spec& spec, const std::string& id) {
  for (const auto& op : spec.operations)
    if (op.id == id) return op;
  throw std::runtime_error("no operation " + id);
}

bool mentions(const std::vector<Diagnostic>& diagnostics, Severity severity,
              const std::string& text) {
  for (const auto& d : diagnostics)
    if (d.severity == severity && d.message.find(text) != std::string::npos) return true;
  return false;
}

TEST(OpenApiSpec, GetAndPostOperationsWithAnIdBecomeSkillsOthersAreSkippedWithAReason) {
  auto result = read(kSpec);
  ASSERT_TRUE(result.spec);
  std::vector<std::string> ids;
  for (const auto& op : result.spec->operations)
    ids.push_back(op.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"GetIndicator", "SubmitIndicator"}));
  EXPECT_TRUE(mentions(result.diagnostics, Severity::Warning,
                       "PUT /indicators/{value} (ReplaceIndicator) is skipped: only GET and POST"));
  EXPECT_TRUE(mentions(result.diagnostics, Severity::Warning,
                       "GET /indicators is skipped: it has no operationId"));
  EXPECT_FALSE(manifest::has_errors(result.diagnostics));
}

TEST(OpenApiSpec, ReadsParametersServersAndTheResponseSchemaWithRefsInlined) {
  auto result = read(kSpec);
  ASSERT_TRUE(result.spec);
  const auto& get = operation(*result.spec, "GetIndicator");
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.servers, (std::vector<std::string>{"https://demo.acme.example/api/v2"}));
  ASSERT_EQ(get.parameters.size(), 3u);
  EXPECT_EQ(get.parameters[0].name, "value");  // from the path item, through its $ref
  EXPECT_EQ(get.parameters[0].in, openapi::ParameterIn::path);
  EXPECT_TRUE(get.parameters[0].required);
  EXPECT_FALSE(get.parameters[1].explode);
  ASSERT_TRUE(get.response_schema);
  const auto& verdict = get.response_schema->as_object();
  EXPECT_EQ(json::serialize(verdict.at("properties").at("score").at("type")),
            R"(["integer","null"])");  // nullable: true
  EXPECT_FALSE(verdict.at("properties").at("score").as_object().contains("nullable"));
  // A schema that contains itself reads as "any" where it recurs.
  EXPECT_EQ(json::serialize(verdict.at("properties").at("related").at("items")), "{}");
}

TEST(OpenApiSpec, AnOperationBecomesASkillWithInputsExamplePromptsAndOutputs) {
  auto result = read(kSpec);
  ASSERT_TRUE(result.spec);
  auto get = operation(*result.spec, "GetIndicator");
  auto skill = openapi::skill_from_operation(get, {});
  EXPECT_EQ(skill.name, "GetIndicator");
  EXPECT_EQ(skill.display_name, "Look up one indicator in Acme's");  // cut at a word, ≤ 40
  EXPECT_EQ(skill.description, "Returns Acme's verdict on an IP address, domain or hash.");
  EXPECT_EQ(skill.example_prompts,
            (std::vector<std::string>{"What does Acme know about this IP?",
                                      "Is this domain malicious according to Acme"}));
  EXPECT_EQ(skill.side_effects, manifest::SideEffects::Read);
  ASSERT_EQ(skill.inputs.size(), 3u);
  EXPECT_EQ(skill.inputs[0].name, "value");
  EXPECT_EQ(skill.inputs[1].name, "include__");  // made a valid input name; sent as include[]
  EXPECT_EQ(get.parameters[1].input, "include__");
  EXPECT_EQ(skill.inputs[1].type, "array");
  EXPECT_EQ(skill.inputs[2].name, "X-Request-Id");
  EXPECT_FALSE(skill.inputs[2].required);
  ASSERT_TRUE(skill.outputs);

  auto post = operation(*result.spec, "SubmitIndicator");
  auto submit = openapi::skill_from_operation(post, {});
  EXPECT_EQ(submit.side_effects, manifest::SideEffects::Write);  // a POST may change things
  ASSERT_EQ(submit.inputs.size(), 3u);
  EXPECT_EQ(submit.inputs[0].name, "value");
  EXPECT_TRUE(submit.inputs[0].required);
  EXPECT_EQ(submit.inputs[1].type, "url");  // format: uri
  EXPECT_FALSE(submit.inputs[2].required);
  EXPECT_EQ(submit.inputs[2].default_value, "3");
  // The operation travels in the skill's Settings and reads back the same.
  auto back = openapi::operation_from_json(submit.settings.at(openapi::kOperationSetting));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->path, "/indicators");
  ASSERT_TRUE(back->body);
  EXPECT_EQ(back->body->properties.size(), 3u);
}

TEST(OpenApiSpec, BrokenDocumentsSayWhatIsWrong) {
  auto syntax = read("openapi: 3.0.0\npaths:\n  /a: [unclosed\n");
  EXPECT_FALSE(syntax.spec);
  ASSERT_FALSE(syntax.diagnostics.empty());
  EXPECT_NE(syntax.diagnostics[0].message.find("syntax error in the OpenAPI spec"),
            std::string::npos);
  EXPECT_GT(syntax.diagnostics[0].where.line, 0);

  auto swagger = read("swagger: '2.0'\npaths: {}\n");
  EXPECT_FALSE(swagger.spec);
  EXPECT_TRUE(mentions(swagger.diagnostics, Severity::Error, "Swagger 2.0"));

  auto no_paths = read("openapi: 3.0.3\ninfo: {title: x}\n");
  EXPECT_TRUE(mentions(no_paths.diagnostics, Severity::Error, "has no paths"));

  auto twice = read(R"(openapi: 3.0.3
paths:
  /a: { get: { operationId: Same, responses: {} } }
  /b: { get: { operationId: Same, responses: {} } }
)");
  EXPECT_TRUE(mentions(twice.diagnostics, Severity::Error, "operationId Same is used twice"));

  auto dangling = read(R"(openapi: 3.0.3
paths:
  /a:
    get:
      operationId: A
      responses:
        "200": { description: x, content: { application/json: { schema: { $ref: '#/components/schemas/Nope' } } } }
)");
  ASSERT_TRUE(dangling.spec);
  EXPECT_TRUE(mentions(dangling.diagnostics, Severity::Warning,
                       "reference #/components/schemas/Nope does not resolve"));

  // Duplicate keys are told apart by case in OpenAPI (property names), unlike in manifests.
  auto cased = read(R"(openapi: 3.0.3
paths:
  /a:
    get:
      operationId: A
      parameters:
        - { name: id, in: query, schema: { type: object, properties: { Id: {}, id: {} } } }
      responses: {}
)");
  EXPECT_FALSE(manifest::has_errors(cased.diagnostics));

  auto json_spec = read(R"({"openapi": "3.0.0", "paths": {"/x": {"get": {"operationId": "X",
    "responses": {}}}}})",
                        "spec.json");
  ASSERT_TRUE(json_spec.spec);
  EXPECT_EQ(json_spec.spec->operations.size(), 1u);
}

}  // namespace
}  // namespace secpilot

// docs/openapi.json against the code: a well-formed OpenAPI 3.0 document whose operations are
// exactly the routes secpilotd registers, with the permission each route checks, and whose
// schemas describe what the JSON views (runtime/src/api/views.cpp, plugin/describe.cpp) return.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/openapi_document.hpp"
#include "api/views.hpp"
#include "secpilot/api/api.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/plugin/describe.hpp"
#include "secpilot/plugin/native_library.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/server/router.hpp"
#include "secpilot/skills/catalog.hpp"
#include "secpilot/store/records.hpp"

namespace secpilot {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kSourceDir = SECPILOT_SOURCE_DIR;

const std::set<std::string> kHttpMethods = {"get",  "put",     "post",  "delete",
                                            "head", "options", "patch", "trace"};
// The permissions of api::Permission, plus "none" for the routes that need no key.
const std::set<std::string> kPermissions = {
    "none", "read", "toggle_for_self", "prompt", "upload_manifest", "administer"};
const std::set<std::string> kPublicPaths = {"/healthz", "/readyz", "/metrics", "/v1/openapi.json"};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const json::value& document() {
  static const json::value parsed = [] {
    const auto text = read_text(kSourceDir / "docs" / "openapi.json");
    json::error_code error;
    auto value = json::parse(text, error);
    if (error) ADD_FAILURE() << "docs/openapi.json is not JSON: " << error.message();
    return value;
  }();
  return parsed;
}

std::string upper(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

struct Operation {
  std::string method;  // upper case, as the router spells it
  std::string path;    // the path template, "/v1/sessions/{id}"
  const json::object* item = nullptr;
  const json::object* operation = nullptr;
  std::string name() const { return method + " " + path; }
};

std::vector<Operation> documented_operations() {
  std::vector<Operation> operations;
  const auto* paths = document().as_object().if_contains("paths");
  if (!paths || !paths->is_object()) return operations;
  for (const auto& [path, item] : paths->as_object()) {
    if (!item.is_object()) continue;
    for (const auto& [key, operation] : item.as_object())
      if (kHttpMethods.contains(std::string(key)) && operation.is_object())
        operations.push_back({upper(std::string(key)), std::string(path), &item.as_object(),
                              &operation.as_object()});
  }
  return operations;
}

// A route as written in runtime/src/api/routes_*.cpp, with the permission its handler checks.
struct SourceRoute {
  std::string method;
  std::string path;
  std::string permission;  // "none" when the handler is not wrapped in with_auth
  std::string file;
};

std::vector<SourceRoute> routes_in_sources() {
  // router.get("/v1/x", with_auth(shared, Permission::read, ...)) and router.get("/healthz", ...)
  static const std::regex route(
      R"re(router\.(get|post|put|patch|del)\(\s*"([^"]+)"\s*,\s*(with_auth\(\s*shared\s*,\s*Permission::(\w+))?)re");
  std::vector<SourceRoute> routes;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kSourceDir / "runtime" / "src" / "api")) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("routes_") && name.ends_with(".cpp")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string text = read_text(file);
    for (std::sregex_iterator it(text.begin(), text.end(), route), end; it != end; ++it) {
      const std::string verb = (*it)[1];
      routes.push_back({verb == "del" ? "DELETE" : upper(verb), (*it)[2],
                        (*it)[4].matched ? std::string((*it)[4]) : "none",
                        file.filename().string()});
    }
  }
  return routes;
}

// The path with every {parameter} replaced by a sample value.
std::string concrete_path(const std::string& path_template) {
  static const std::regex parameter(R"(\{[^}/]+\})");
  return std::regex_replace(path_template, parameter, "Sample.Value-1");
}

server::Router registered_routes() {
  server::Router router;
  // Only matched, never called (but for /v1/openapi.json, which needs no context): an empty
  // context will do.
  api::add_routes(router, std::make_shared<api::ApiContext>());
  return router;
}

// RFC 6901 JSON pointer after "#".
const json::value* resolve(const json::value& root, std::string_view reference) {
  if (!reference.starts_with("#/")) return nullptr;
  const json::value* at = &root;
  std::string_view rest = reference.substr(2);
  while (true) {
    const auto slash = rest.find('/');
    std::string token(rest.substr(0, slash));
    for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      if (i + 1 >= token.size()) return nullptr;
      token.replace(i, 2, token[i + 1] == '1' ? "/" : token[i + 1] == '0' ? "~" : "?");
    }
    if (at->is_object()) {
      at = at->as_object().if_contains(token);
      if (!at) return nullptr;
    } else if (at->is_array()) {
      std::size_t index = 0;
      try {
        index = std::stoul(token);
      } catch (const std::exception&) {
        return nullptr;
      }
      if (index >= at->as_array().size()) return nullptr;
      at = &at->as_array()[index];
    } else {
      return nullptr;
    }
    if (slash == std::string_view::npos) return at;
    rest = rest.substr(slash + 1);
  }
}

void collect_refs(const json::value& value, const std::string& where,
                  std::vector<std::pair<std::string, std::string>>& refs) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.as_object()) {
      if (key == "$ref" && member.is_string())
        refs.emplace_back(where, std::string(member.as_string()));
      else
        collect_refs(member, where + "/" + std::string(key), refs);
    }
  } else if (value.is_array()) {
    std::size_t i = 0;
    for (const auto& item : value.as_array())
      collect_refs(item, where + "/" + std::to_string(i++), refs);
  }
}

// The object itself, or what its $ref points at (followed to the end).
const json::object& deref(const json::object& object) {
  const json::object* at = &object;
  for (int hops = 0; hops < 16; ++hops) {
    const auto* reference = at->if_contains("$ref");
    if (!reference || !reference->is_string()) return *at;
    const auto* target = resolve(document(), reference->as_string());
    if (!target || !target->is_object()) return *at;
    at = &target->as_object();
  }
  return *at;
}

std::string string_or(const json::object& object, std::string_view key, std::string fallback) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : fallback;
}

// ---------------------------------------------------------------------------------------------
// The document itself
// ---------------------------------------------------------------------------------------------

TEST(OpenApiDocument, IsOpenApi30WithInfoAndPaths) {
  ASSERT_TRUE(document().is_object());
  const auto& root = document().as_object();
  EXPECT_TRUE(string_or(root, "openapi", "").starts_with("3.0."));
  const auto* info = root.if_contains("info");
  ASSERT_TRUE(info && info->is_object());
  EXPECT_FALSE(string_or(info->as_object(), "title", "").empty());
  EXPECT_FALSE(string_or(info->as_object(), "version", "").empty());
  const auto* paths = root.if_contains("paths");
  ASSERT_TRUE(paths && paths->is_object());
  EXPECT_FALSE(paths->as_object().empty());
  for (const auto& [path, item] : paths->as_object())
    EXPECT_TRUE(path.starts_with("/")) << path;
}

TEST(OpenApiDocument, IsWhatTheDaemonServes) {
  const auto file = read_text(kSourceDir / "docs" / "openapi.json");
  EXPECT_EQ(api::openapi_document(), file)
      << "the embedded copy is stale: re-run cmake (docs/openapi.json is a configure dependency)";
  const auto router = registered_routes();
  server::Request request;
  request.method = "GET";
  request.target = request.path = "/v1/openapi.json";
  const auto reply = router.handle(request);
  ASSERT_TRUE(std::holds_alternative<server::Response>(reply));
  const auto& response = std::get<server::Response>(reply);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, file);
}

TEST(OpenApiDocument, EveryOperationHasResponsesAndAKnownPermission) {
  const auto operations = documented_operations();
  ASSERT_FALSE(operations.empty());
  std::set<std::string> operation_ids;
  for (const auto& op : operations) {
    const auto* responses = op.operation->if_contains("responses");
    ASSERT_TRUE(responses && responses->is_object()) << op.name();
    EXPECT_FALSE(responses->as_object().empty()) << op.name();
    bool success = false;
    for (const auto& [code, response] : responses->as_object()) {
      const std::string status(code);
      EXPECT_TRUE(status == "default" || std::regex_match(status, std::regex("[1-5][0-9][0-9]")))
          << op.name() << ": response " << status;
      EXPECT_TRUE(response.is_object()) << op.name() << ": response " << status;
      if (status.starts_with("2")) success = true;
    }
    EXPECT_TRUE(success) << op.name() << " documents no success response";
    const auto permission = string_or(*op.operation, "x-secpilot-permission", "(missing)");
    EXPECT_TRUE(kPermissions.contains(permission))
        << op.name() << ": x-secpilot-permission " << permission;
    const auto id = string_or(*op.operation, "operationId", "");
    EXPECT_FALSE(id.empty()) << op.name();
    EXPECT_TRUE(operation_ids.insert(id).second) << "operationId " << id << " is used twice";
  }
}

TEST(OpenApiDocument, EveryRefResolves) {
  std::vector<std::pair<std::string, std::string>> refs;
  collect_refs(document(), "#", refs);
  EXPECT_GT(refs.size(), 50u);
  for (const auto& [where, reference] : refs)
    EXPECT_NE(resolve(document(), reference), nullptr)
        << where << ": $ref " << reference << " does not resolve";
}

TEST(OpenApiDocument, BearerAuthEverywhereButThePublicRoutes) {
  const auto& root = document().as_object();
  const auto* scheme = resolve(document(), "#/components/securitySchemes/bearerAuth");
  ASSERT_TRUE(scheme && scheme->is_object());
  EXPECT_EQ(string_or(scheme->as_object(), "type", ""), "http");
  EXPECT_EQ(string_or(scheme->as_object(), "scheme", ""), "bearer");
  const auto* security = root.if_contains("security");
  ASSERT_TRUE(security && security->is_array());
  ASSERT_EQ(security->as_array().size(), 1u);
  EXPECT_TRUE(security->as_array()[0].as_object().contains("bearerAuth"));

  std::set<std::string> public_paths;
  for (const auto& op : documented_operations()) {
    const auto* own = op.operation->if_contains("security");
    const bool open = own && own->is_array() && own->as_array().empty();
    if (open) public_paths.insert(op.path);
    EXPECT_EQ(open, string_or(*op.operation, "x-secpilot-permission", "") == "none")
        << op.name() << ": `security: []` goes with x-secpilot-permission none, and only it";
    if (own && !open) ADD_FAILURE() << op.name() << " overrides the global security";
  }
  EXPECT_EQ(public_paths, kPublicPaths);
}

TEST(OpenApiDocument, PathParametersAreDeclared) {
  static const std::regex parameter(R"(\{([^}/]+)\})");
  for (const auto& op : documented_operations()) {
    std::set<std::string> in_template;
    for (std::sregex_iterator it(op.path.begin(), op.path.end(), parameter), end; it != end; ++it)
      in_template.insert((*it)[1]);
    std::set<std::string> declared;
    for (const json::object* holder : {op.item, op.operation}) {
      const auto* list = holder->if_contains("parameters");
      if (!list || !list->is_array()) continue;
      for (const auto& value : list->as_array()) {
        const auto& parameter_object = deref(value.as_object());
        if (string_or(parameter_object, "in", "") != "path") continue;
        declared.insert(string_or(parameter_object, "name", ""));
        const auto* required = parameter_object.if_contains("required");
        EXPECT_TRUE(required && required->is_bool() && required->as_bool())
            << op.name() << ": path parameters are required";
      }
    }
    EXPECT_EQ(declared, in_template) << op.name();
  }
}

// ---------------------------------------------------------------------------------------------
// The document against the routes
// ---------------------------------------------------------------------------------------------

TEST(OpenApiRoutes, EveryDocumentedOperationIsARegisteredRoute) {
  const auto router = registered_routes();
  for (const auto& op : documented_operations()) {
    const auto found = router.match(op.method, concrete_path(op.path));
    EXPECT_NE(found.handler, nullptr) << op.name() << " is documented but not registered";
    EXPECT_EQ(found.pattern, op.path) << op.name() << " reaches another route";
  }
}

TEST(OpenApiRoutes, EveryRouteInTheSourcesIsDocumented) {
  const auto routes = routes_in_sources();
  // A sanity check on the regular expression: every group of routes is seen.
  EXPECT_GE(routes.size(), 30u);
  std::set<std::string> files;
  for (const auto& route : routes)
    files.insert(route.file);
  EXPECT_GE(files.size(), 6u);

  std::map<std::string, const Operation*> documented;
  const auto operations = documented_operations();
  for (const auto& op : operations)
    documented[op.name()] = &op;
  const auto router = registered_routes();
  std::set<std::string> seen;
  for (const auto& route : routes) {
    const std::string name = route.method + " " + route.path;
    EXPECT_TRUE(seen.insert(name).second) << name << " appears twice in the sources";
    const auto found = router.match(route.method, concrete_path(route.path));
    EXPECT_EQ(found.pattern, route.path) << name << " (" << route.file << ") is not registered";
    const auto it = documented.find(name);
    if (it == documented.end()) {
      ADD_FAILURE() << name << " (" << route.file << ") is not in docs/openapi.json";
      continue;
    }
    EXPECT_EQ(string_or(*it->second->operation, "x-secpilot-permission", ""), route.permission)
        << name << ": the document's x-secpilot-permission differs from the code's";
  }
  EXPECT_EQ(seen.size(), operations.size());
}

// ---------------------------------------------------------------------------------------------
// The schemas against the JSON views
// ---------------------------------------------------------------------------------------------

// Checks a JSON value against a schema of the document: types, enums, nullability, required
// members, no undeclared members (unless additionalProperties allows them) and, when `complete`,
// every declared member present.
class SchemaCheck {
 public:
  std::vector<std::string> problems;

  void check(const json::value& value, const json::object& schema_in, const std::string& where,
             bool complete) {
    const json::object& schema = deref(schema_in);
    if (value.is_null()) {
      const auto* nullable = schema.if_contains("nullable");
      if (!(nullable && nullable->is_bool() && nullable->as_bool()))
        problems.push_back(where + ": null, but the schema is not nullable");
      return;
    }
    if (value.is_object() && (schema.contains("properties") || schema.contains("allOf") ||
                              string_or(schema, "type", "") == "object")) {
      check_object(value.as_object(), schema, where, complete);
      return;
    }
    if (const auto* all_of = schema.if_contains("allOf"))
      for (const auto& part : all_of->as_array())
        check(value, part.as_object(), where, complete);
    const auto type = string_or(schema, "type", "");
    const bool type_ok =
        type.empty() || (type == "string" && value.is_string()) ||
        (type == "integer" && (value.is_int64() || value.is_uint64())) ||
        (type == "number" && value.is_number()) || (type == "boolean" && value.is_bool()) ||
        (type == "array" && value.is_array()) || (type == "object" && value.is_object());
    if (!type_ok) {
      problems.push_back(where + ": " + json::serialize(value) + " is not of type " + type);
      return;
    }
    if (const auto* values = schema.if_contains("enum")) {
      const auto& list = values->as_array();
      if (std::find(list.begin(), list.end(), value) == list.end())
        problems.push_back(where + ": " + json::serialize(value) + " is not in the enum");
    }
    if (value.is_array())
      if (const auto* items = schema.if_contains("items")) {
        std::size_t i = 0;
        for (const auto& item : value.as_array())
          check(item, items->as_object(), where + "[" + std::to_string(i++) + "]", complete);
      }
  }

 private:
  struct Shape {
    std::map<std::string, const json::object*> properties;
    std::set<std::string> required;
    const json::value* additional = nullptr;  // additionalProperties, when given
  };

  static void collect(const json::object& schema_in, Shape& shape) {
    const json::object& schema = deref(schema_in);
    if (const auto* all_of = schema.if_contains("allOf"))
      for (const auto& part : all_of->as_array())
        collect(part.as_object(), shape);
    if (const auto* properties = schema.if_contains("properties"))
      for (const auto& [name, property] : properties->as_object())
        shape.properties[std::string(name)] = &property.as_object();
    if (const auto* required = schema.if_contains("required"))
      for (const auto& name : required->as_array())
        shape.required.insert(std::string(name.as_string()));
    if (const auto* additional = schema.if_contains("additionalProperties"))
      shape.additional = additional;
  }

  void check_object(const json::object& value, const json::object& schema, const std::string& where,
                    bool complete) {
    Shape shape;
    collect(schema, shape);
    for (const auto& [key, member] : value) {
      const std::string name(key);
      if (auto it = shape.properties.find(name); it != shape.properties.end()) {
        check(member, *it->second, where + "." + name, complete);
      } else if (!shape.additional ||
                 (shape.additional->is_bool() && !shape.additional->as_bool())) {
        if (!shape.properties.empty() || shape.additional)
          problems.push_back(where + ": member '" + name + "' is not in the schema");
      } else if (shape.additional->is_object()) {
        check(member, shape.additional->as_object(), where + "." + name, complete);
      }
    }
    for (const auto& name : shape.required)
      if (!value.contains(name))
        problems.push_back(where + ": required member '" + name + "' is missing");
    if (complete)
      for (const auto& [name, property] : shape.properties)
        if (!value.contains(name))
          problems.push_back(where + ": member '" + name + "' never appears");
  }
};

const json::object& schema(const std::string& name) {
  const auto* found = resolve(document(), "#/components/schemas/" + name);
  static const json::object empty;
  if (!found || !found->is_object()) {
    ADD_FAILURE() << "no schema " << name;
    return empty;
  }
  return found->as_object();
}

// A library that is never called: what the plugin views say about where code runs.
class StandInLibrary final : public plugin::NativeLibrary {
 public:
  StandInLibrary()
      : NativeLibrary(std::make_shared<plugin::PluginEnvironment>(),
                      {.library_path = "/plugins/libthreat-intel.so",
                       .version = "1.0.0",
                       .sdk_version = "1.0.0",
                       .abi_version = "1.0",
                       .warnings = {}}) {}
  plugin::Placement placement() const noexcept override { return plugin::Placement::runner; }
  std::string health() const override { return "unhealthy: a stand-in"; }
  Expected<std::string> invoke(const sp_skill&, const std::string&,
                               const plugin::CallControl&) const override {
    return make_error(Status::unsupported, "a stand-in");
  }
};

void expect_matches(const json::value& value, const std::string& schema_name, bool complete) {
  SchemaCheck check;
  check.check(value, schema(schema_name), schema_name, complete);
  for (const auto& problem : check.problems)
    ADD_FAILURE() << problem << "\n  in " << json::serialize(value);
}

// The enum of a schema, as strings.
std::set<std::string> enum_of(const std::string& pointer) {
  std::set<std::string> names;
  const auto* found = resolve(document(), pointer);
  if (!found || !found->is_object() || !found->as_object().contains("enum")) {
    ADD_FAILURE() << "no enum at " << pointer;
    return names;
  }
  for (const auto& value : found->as_object().at("enum").as_array())
    names.insert(std::string(value.as_string()));
  return names;
}

template <class Enum, class Name>
std::set<std::string> names_of(int count, Name name) {
  std::set<std::string> names;
  for (int i = 0; i < count; ++i)
    names.insert(std::string(name(static_cast<Enum>(i))));
  return names;
}

TEST(OpenApiSchemas, EnumsMatchTheWireNames) {
  using namespace store;
  auto to_text = [](auto value) { return store::to_string(value); };
  EXPECT_EQ(enum_of("#/components/schemas/EvaluationState"),
            (names_of<EvaluationState>(6, to_text)));
  EXPECT_EQ(enum_of("#/components/schemas/ResultType"), (names_of<ResultType>(5, to_text)));
  EXPECT_EQ(enum_of("#/components/schemas/StepState"), (names_of<StepState>(4, to_text)));
  EXPECT_EQ(enum_of("#/components/schemas/Role"), (names_of<Role>(3, to_text)));
  EXPECT_EQ(enum_of("#/components/schemas/AuditEntry/properties/outcome"),
            (names_of<AuditOutcome>(3, to_text)));
  EXPECT_EQ(enum_of("#/components/schemas/Prompt/properties/type"),
            (names_of<PromptType>(2, to_text)));
  EXPECT_EQ(enum_of("#/components/schemas/ToggleRequest/properties/scope"),
            (names_of<PluginScope>(2, to_text)));
  EXPECT_EQ(enum_of("#/components/schemas/PluginState"),
            (names_of<plugin::PluginState>(3, plugin::state_name)));
  EXPECT_EQ(enum_of("#/components/schemas/SkillFormat"),
            (names_of<manifest::Format>(9, manifest::format_name)));
  EXPECT_EQ(enum_of("#/components/schemas/SkillSummary/properties/sideEffects"),
            (names_of<manifest::SideEffects>(4, manifest::side_effects_name)));
  // StepError.status: every Status but ok. Problem.code: those, and the HTTP layer's own.
  auto status_names = names_of<Status>(12, status_name);
  status_names.erase("ok");
  EXPECT_EQ(enum_of("#/components/schemas/StatusName"), status_names);
  auto problem_codes = status_names;
  for (int http = 400; http < 600; ++http)
    problem_codes.insert(std::string(server::default_problem_code(http)));
  EXPECT_EQ(enum_of("#/components/schemas/Problem/properties/code"), problem_codes);
}

TEST(OpenApiSchemas, SessionPromptEvaluationAndStepViews) {
  const store::Session session{.id = "s1",
                               .owner = "alice",
                               .display_name = "triage",
                               .created_ms = 1'700'000'000'000,
                               .modified_ms = 1'700'000'000'500};
  expect_matches(api::session_view(session), "Session", true);

  const store::Prompt prompt{.id = "p1",
                             .session_id = "s1",
                             .seq = 1,
                             .type = store::PromptType::skill,
                             .content = "/ThreatIntel.LookupIndicator indicator=1.2.3.4",
                             .skill_name = "ThreatIntel.LookupIndicator",
                             .inputs = {{"indicator", "1.2.3.4"}},
                             .created_ms = 1'700'000'000'000};
  expect_matches(api::prompt_view(prompt), "Prompt", true);

  store::Evaluation evaluation{.id = "e1",
                               .prompt_id = "p1",
                               .session_id = "s1",
                               .state = store::EvaluationState::failed,
                               .result_type = store::ResultType::error,
                               .result_content = "### ...",
                               .result_json = json::value{{"verdict", "malicious"}},
                               .error = "it failed",
                               .created_ms = 1'700'000'000'000,
                               .started_ms = 1'700'000'000'001,
                               .completed_ms = 1'700'000'000'002};
  expect_matches(api::evaluation_view(evaluation), "Evaluation", true);
  // Just created: no result, no times, no error.
  expect_matches(
      api::evaluation_view(
          {.id = "e2", .prompt_id = "p1", .session_id = "s1", .created_ms = 1'700'000'000'000}),
      "Evaluation", false);

  const store::Step step{.evaluation_id = "e1",
                         .seq = 1,
                         .skill = "ThreatIntel.LookupIndicator",
                         .inputs = {{"indicator", "1.2.3.4"}},
                         .output = json::value{{"verdict", "malicious"}},
                         .error_status = Status::timeout,
                         .error_message = "too slow",
                         .state = store::StepState::failed,
                         .started_ms = 1'700'000'000'000,
                         .duration_ms = 12};
  expect_matches(api::step_view(step), "Step", true);
  expect_matches(
      api::step_view(
          {.evaluation_id = "e1", .seq = 2, .skill = "A.B", .started_ms = 1'700'000'000'000}),
      "Step", false);

  // The composites the routes build from these views.
  auto evaluation_detail = api::evaluation_view(evaluation);
  evaluation_detail["steps"] = json::array{api::step_view(step)};
  expect_matches(evaluation_detail, "EvaluationDetail", true);
  auto prompt_detail = api::prompt_view(prompt);
  prompt_detail["evaluations"] = json::array{api::evaluation_view(evaluation)};
  auto session_detail = api::session_view(session);
  session_detail["prompts"] = json::array{prompt_detail};
  expect_matches(session_detail, "SessionDetail", true);
  prompt_detail["evaluations"] = json::array{evaluation_detail};
  session_detail["prompts"] = json::array{prompt_detail};
  expect_matches(session_detail, "SessionExport", true);
}

TEST(OpenApiSchemas, KeyAndAuditViews) {
  const store::ApiKey key{.id = "k1",
                          .name = "ci",
                          .role = store::Role::contributor,
                          .user = "ci-bot",
                          .key_hash = "00",
                          .created_ms = 1'700'000'000'000,
                          .revoked_ms = 1'700'000'000'100,
                          .last_used_ms = 1'700'000'000'050};
  const auto view = api::key_view(key);
  EXPECT_FALSE(view.contains("key_hash") || view.contains("keyHash") || view.contains("hash"));
  expect_matches(view, "ApiKey", true);
  expect_matches(api::key_view({.id = "k2", .name = "new", .created_ms = 1'700'000'000'000}),
                 "ApiKey", false);
  auto created = api::key_view(key);
  created["secret"] = "sp_xxx";
  expect_matches(created, "CreatedApiKey", true);

  const store::AuditEntry entry{.seq = 7,
                                .time_ms = 1'700'000'000'000,
                                .actor = "alice",
                                .action = "plugin.enable",
                                .target = "ThreatIntel",
                                .outcome = store::AuditOutcome::denied,
                                .details = {{"scope", "organization"}}};
  expect_matches(api::audit_view(entry), "AuditEntry", true);
}

TEST(OpenApiSchemas, PluginAndSkillViews) {
  auto manifest = std::make_shared<manifest::Manifest>();
  manifest->descriptor.name = "ThreatIntel";
  manifest->descriptor.display_name = "Threat Intel";
  manifest->descriptor.description = "Looks up indicators";
  manifest->descriptor.version = "1.0.0";
  manifest::Setting setting;
  setting.name = "ApiToken";
  setting.label = "Token";
  setting.description = "d";
  setting.type = "secretString";
  manifest->descriptor.settings.push_back(setting);
  manifest::SkillGroup group;
  group.format = manifest::Format::GPT;
  manifest::Skill skill;
  skill.name = "LookupIndicator";
  skill.display_name = "Look up an indicator";
  skill.description = "d";
  skill.description_for_model = "d";
  skill.example_prompts = {"Is 1.2.3.4 bad?"};
  manifest::Input input;
  input.name = "indicator";
  input.description = "an IP";
  input.type = "ip";
  input.default_value = "1.2.3.4";
  input.placeholder = "198.51.100.7";
  skill.inputs.push_back(input);
  skill.outputs = json::value{{"type", "object"}};
  skill.output_entities = {"ip"};
  skill.timeout_seconds = 5;
  skill.aliases = {"Lookup"};
  group.skills.push_back(skill);
  manifest->groups.push_back(group);

  skills::SkillEntry entry;
  entry.plugin = "ThreatIntel";
  entry.name = "LookupIndicator";
  entry.full_name = "ThreatIntel.LookupIndicator";
  entry.manifest = manifest;
  entry.spec = &manifest->groups.front().skills.front();
  entry.format = manifest::Format::GPT;
  entry.unavailable_reason = "GPT skills are not executable in this build";

  // What the routes add to the shared views: whether the plugin is enabled for the caller.
  auto listed = plugin::describe_skill(entry, false);
  expect_matches(listed, "SkillSummary", true);
  listed["enabled"] = true;
  expect_matches(listed, "SkillListItem", true);
  auto detail = plugin::describe_skill(entry, true);
  detail["enabled"] = true;
  expect_matches(detail, "SkillDetail", false);
  // A KQL skill's view adds its query.
  skills::SkillEntry kql = entry;
  kql.format = manifest::Format::KQL;
  kql.unavailable_reason.clear();
  kql.query_target = "Defender";
  kql.query_template = "DeviceInfo | take 1";
  skills::SkillEntry backend = entry;
  backend.full_name = "LogHunt.RunKql";
  kql.query_backend = &backend;
  auto kql_detail = plugin::describe_skill(kql, true);
  kql_detail["enabled"] = true;
  expect_matches(kql_detail, "SkillDetail", true);

  skills::Catalog catalog;
  ASSERT_TRUE(catalog.add(entry));
  plugin::PluginRecord record;
  record.name = "ThreatIntel";
  record.manifest_path = "/plugins/threat-intel.yaml";
  record.manifest = manifest;
  record.state = plugin::PluginState::Declarative;
  record.warnings = {"a warning"};
  manifest::Diagnostic diagnostic;
  diagnostic.severity = manifest::Severity::Warning;
  diagnostic.message = "m";
  record.diagnostics.push_back(diagnostic);
  auto summary = plugin::describe_plugin(record, catalog, false);
  summary["enabled"] = false;
  expect_matches(summary, "PluginSummary", false);  // no health: it has no code
  auto plugin_detail = plugin::describe_plugin(record, catalog, true);
  plugin_detail["enabled"] = false;
  expect_matches(plugin_detail, "PluginDetail", false);  // no library to list here

  // A Native plugin: its health, and each library with where it runs.
  plugin::PluginRecord native = record;
  native.state = plugin::PluginState::Loaded;
  native.libraries.push_back(std::make_shared<StandInLibrary>());
  auto native_summary = plugin::describe_plugin(native, catalog, false);
  native_summary["enabled"] = true;
  expect_matches(native_summary, "PluginSummary", true);
  auto native_detail = plugin::describe_plugin(native, catalog, true);
  native_detail["enabled"] = true;
  expect_matches(native_detail, "PluginDetail", false);
  expect_matches(native_detail.at("libraries").as_array().at(0), "PluginLibrary", true);
  EXPECT_EQ(native_detail.at("libraries").as_array().at(0).at("placement"), "process");
  EXPECT_EQ(native_summary.at("health"), "unhealthy: a stand-in");

  // A manifest that did not parse: no displayName, description or version.
  plugin::PluginRecord failed;
  failed.name = "broken.yaml";
  failed.manifest_path = "/plugins/broken.yaml";
  failed.error = "it did not parse";
  auto failed_view = plugin::describe_plugin(failed, catalog, false);
  failed_view["enabled"] = true;
  expect_matches(failed_view, "PluginSummary", false);
}

// Approvals: the view, its states, and the evaluation that shows the approvals it asked for.
TEST(OpenApiSchemas, ApprovalViews) {
  EXPECT_EQ(
      enum_of("#/components/schemas/ApprovalState"),
      (names_of<store::ApprovalState>(4, [](auto value) { return store::to_string(value); })));
  const store::Approval approval{.id = "a1",
                                 .evaluation_id = "e1",
                                 .session_id = "s1",
                                 .requested_by = "alice",
                                 .call_index = 1,
                                 .skill = "RedCanary.UpdateDetectionState",
                                 .inputs = {{"id", "4127"}, {"state", "acknowledged"}},
                                 .side_effects = "write",
                                 .args_hash = std::string(64, 'a'),
                                 .state = store::ApprovalState::denied,
                                 .decided_by = "olivia",
                                 .reason = "not now",
                                 .created_ms = 1'700'000'000'000,
                                 .decided_ms = 1'700'000'000'100};
  expect_matches(api::approval_view(approval), "Approval", true);
  auto evaluation = api::evaluation_view({.id = "e1",
                                          .prompt_id = "p1",
                                          .session_id = "s1",
                                          .state = store::EvaluationState::waiting_for_input,
                                          .error = "x",
                                          .created_ms = 1'700'000'000'000,
                                          .started_ms = 1'700'000'000'001});
  evaluation["steps"] = json::array{};
  evaluation["approvals"] = json::array{api::approval_view(approval)};
  expect_matches(evaluation, "EvaluationWithApprovals", false);
}

}  // namespace
}  // namespace secpilot

// API-format skills through the host, against a loopback vendor: the request each skill sends
// (path, query, headers, body), each Authorization type, the base URL from a setting, and every
// way the vendor can answer badly.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/fake_http_service.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

namespace json = boost::json;
using fakes::Request;
using fakes::Response;

constexpr const char* kSpec = R"(openapi: 3.0.1
info: { title: Acme Intel, version: "2" }
servers: [ { url: "https://acme.example/api/v2" } ]
paths:
  /indicators/{value}:
    get:
      operationId: GetIndicator
      summary: Look up an indicator
      parameters:
        - { name: value, in: path, required: true, schema: { type: string } }
        - { name: fields, in: query, explode: false, schema: { type: array, items: { type: string } } }
        - { name: tag, in: query, schema: { type: array, items: { type: string } } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [value, verdict]
                properties:
                  value: { type: string }
                  verdict: { type: string, enum: [malicious, clean] }
  /submissions:
    post:
      operationId: SubmitIndicator
      summary: Submit an indicator
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [value]
              properties:
                value: { type: string }
                priority: { type: integer, default: 3 }
      responses:
        "201": { description: ok, content: { application/json: { schema: { type: object } } } }
)";

std::string manifest(const std::string& authorization, const std::string& settings = "") {
  return R"(Descriptor:
  Name: Acme
  Description: Acme threat intelligence over its REST API.
  Settings:
    - { Name: InstanceURL, SettingType: string, Required: true }
)" + settings +
         authorization +
         R"(
SkillGroups:
  - Format: API
    Settings:
      OpenApiSpecUrl: acme-openapi.yaml
      EndpointUrlSettingName: InstanceURL
)";
}

const std::string kApiKeyAuth = R"(
    - { Name: ApiToken, SettingType: secretString, Required: true }
  SupportedAuthTypes: [ ApiKey ]
  Authorization: { Type: APIKey, Key: X-Api-Key, Location: Header })";

class ApiSkill : public ::testing::Test {
 protected:
  void load(const std::string& manifest_text, const std::string& settings_yaml,
            const std::string& extra_manifest_yaml = "") {
    testing::write_file(plugins_.path() / "acme" / "acme.yaml",
                        manifest_text + extra_manifest_yaml);
    testing::write_file(plugins_.path() / "acme" / "acme-openapi.yaml", kSpec);
    plugin::HostOptions options;
    options.plugin_dirs = {plugins_.path()};
    auto settings = config::Settings::parse(settings_yaml, "test-settings.yaml");
    ASSERT_TRUE(settings) << settings.error().message;
    options.settings = std::move(*settings);
    host_ = std::make_unique<plugin::PluginHost>(std::move(options));
    const auto* record = host_->plugin("Acme");
    ASSERT_NE(record, nullptr);
    ASSERT_NE(record->state, plugin::PluginState::Failed) << record->error;
  }

  // Settings for the vendor on loopback, with extra settings/secrets lines.
  std::string settings(const std::string& secrets = "ApiToken: t0ken-acme",
                       const std::string& more_settings = "") const {
    return "plugins:\n  Acme:\n    settings: { InstanceURL: \"" + vendor_.base_url() + "\"" +
           more_settings + " }\n    secrets: { " + secrets +
           " }\n    egress: [ \"127.0.0.1:" + std::to_string(vendor_.port()) + "\" ]\n";
  }

  Expected<std::string> call(const std::string& skill, const std::string& input) {
    const auto* entry = host_->catalog().find(skill);
    if (!entry) return make_error(Status::not_found, "no skill " + skill);
    skills::InvokeOptions options;
    options.timeout = std::chrono::seconds(10);
    return skills::invoke_inline(*entry, input, options);
  }

  // A vendor that answers GetIndicator for X-Api-Key t0ken-acme.
  void serve_indicators() {
    vendor_.add_handler([](const Request& request) -> std::optional<Response> {
      if (!request.path.starts_with("/api/v2/indicators/")) return std::nullopt;
      if (request.header("x-api-key") != "t0ken-acme")
        return Response::json(401, json::object{{"error", "invalid api key"}});
      const std::string value = request.path.substr(std::string("/api/v2/indicators/").size());
      return Response::json(
          200, json::object{{"value", value},
                            {"verdict", value == "203.0.113.45" ? "malicious" : "clean"}});
    });
  }

  fakes::FakeHttpService vendor_;
  testing::TempDir plugins_;
  std::unique_ptr<plugin::PluginHost> host_;
};

TEST_F(ApiSkill, TheSpecsOperationsAreSkillsWithTheirInputsAndSideEffects) {
  load(manifest(kApiKeyAuth), settings());
  auto list = host_->catalog().list("Acme");
  ASSERT_EQ(list.size(), 2u);
  const auto* get = host_->catalog().find("Acme.GetIndicator");
  ASSERT_NE(get, nullptr);
  EXPECT_TRUE(get->available()) << get->unavailable_reason;
  EXPECT_EQ(get->spec->side_effects, manifest::SideEffects::Read);
  EXPECT_EQ(host_->catalog().find("Acme.SubmitIndicator")->spec->side_effects,
            manifest::SideEffects::Write);
}

TEST_F(ApiSkill, SendsPathQueryAndKeyAndKeepsTheServersPathUnderTheInstanceUrl) {
  serve_indicators();
  load(manifest(kApiKeyAuth), settings());
  auto result = call("Acme.GetIndicator",
                     R"({"value": "203.0.113.45", "fields": ["verdict", "score"],
                         "tag": ["c2", "a b"]})");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(json::parse(*result).at("verdict"), "malicious");
  const auto sent = vendor_.requests().back();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.path, "/api/v2/indicators/203.0.113.45");  // InstanceURL + the server's /api/v2
  EXPECT_EQ(sent.query_value("fields"), "verdict,score");   // explode: false
  std::vector<std::string> tags;
  for (const auto& [name, value] : sent.query)
    if (name == "tag") tags.push_back(value);
  EXPECT_EQ(tags, (std::vector<std::string>{"c2", "a b"}));  // repeated, decoded back
  EXPECT_EQ(sent.header("accept"), "application/json");
}

TEST_F(ApiSkill, PathValuesAreEncodedSoThatTheyCannotChangeThePath) {
  serve_indicators();
  load(manifest(kApiKeyAuth), settings());
  auto result = call("Acme.GetIndicator", R"({"value": "../admin?x=1"})");
  ASSERT_TRUE(result) << result.error().message;
  const auto sent = vendor_.requests().back();
  EXPECT_NE(sent.target.find("/indicators/..%2Fadmin%3Fx%3D1"), std::string::npos) << sent.target;
  EXPECT_TRUE(sent.query.empty());
}

TEST_F(ApiSkill, PostSendsTheBodyBuiltFromItsInputsWithDefaults) {
  vendor_.add_handler([](const Request& request) -> std::optional<Response> {
    if (request.path != "/api/v2/submissions") return std::nullopt;
    return Response::json(201,
                          json::object{{"id", "sub-1"}, {"received", json::parse(request.body)}});
  });
  load(manifest(kApiKeyAuth), settings());
  auto result = call("Acme.SubmitIndicator", R"({"value": "update-check.example.net"})");
  ASSERT_TRUE(result) << result.error().message;
  const auto sent = vendor_.requests().back();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.header("content-type"), "application/json");
  EXPECT_EQ(json::parse(sent.body),
            json::parse(R"({"value":"update-check.example.net","priority":3})"));
  EXPECT_EQ(sent.header("x-api-key"), "t0ken-acme");
}

TEST_F(ApiSkill, ApiKeyInTheQueryWithASchemeAndBasicAndBearerAuth) {
  vendor_.add_handler([](const Request&) -> std::optional<Response> {
    return Response::json(200, json::object{{"value", "x"}, {"verdict", "clean"}});
  });
  load(manifest(R"(
    - { Name: ApiToken, SettingType: secretString }
  Authorization: { Type: APIKey, Key: api_key, Location: QueryParams })"),
       settings());
  ASSERT_TRUE(call("Acme.GetIndicator", R"({"value": "x"})"));
  EXPECT_EQ(vendor_.requests().back().query_value("api_key"), "t0ken-acme");

  load(manifest(R"(
    - { Name: ApiToken, SettingType: secretString }
  Authorization: { Type: APIKey, Key: Authorization, AuthScheme: Bearer })"),
       settings());
  ASSERT_TRUE(call("Acme.GetIndicator", R"({"value": "x"})"));
  EXPECT_EQ(vendor_.requests().back().header("authorization"), "Bearer t0ken-acme");

  load(manifest(R"(
  SupportedAuthTypes: [ Basic ])"),
       settings("Password: \"s3cret!\"", ", Username: analyst"));
  ASSERT_TRUE(call("Acme.GetIndicator", R"({"value": "x"})"));
  EXPECT_EQ(vendor_.requests().back().header("authorization"),
            "Basic YW5hbHlzdDpzM2NyZXQh");  // base64("analyst:s3cret!")

  load(manifest(R"(
  SupportedAuthTypes: [ ServiceHttp ])"),
       settings("AccessToken: tok-123456"));
  ASSERT_TRUE(call("Acme.GetIndicator", R"({"value": "x"})"));
  EXPECT_EQ(vendor_.requests().back().header("authorization"), "Bearer tok-123456");
}

TEST_F(ApiSkill, ClientCredentialsTokenIsFetchedOnceReusedAndRenewedAfterA401) {
  std::atomic<int> tokens_issued{0};
  std::atomic<bool> revoke{false};
  vendor_.add_handler([&](const Request& request) -> std::optional<Response> {
    if (request.path == "/oauth/token") {
      if (request.body.find("client_secret=cs-secret") == std::string::npos ||
          request.body.find("grant_type=client_credentials") == std::string::npos ||
          request.body.find("client_id=acme-client") == std::string::npos)
        return Response::json(401, json::object{{"error", "invalid_client"}});
      const int n = ++tokens_issued;
      return Response::json(200, json::object{{"access_token", "tok-" + std::to_string(n)},
                                              {"token_type", "Bearer"},
                                              {"expires_in", 3600}});
    }
    const std::string expected = "Bearer tok-" + std::to_string(tokens_issued.load());
    if (revoke.exchange(false) || request.header("authorization") != expected)
      return Response::json(401, json::object{{"error", "expired"}});
    return Response::json(200, json::object{{"value", "x"}, {"verdict", "clean"}});
  });
  const std::string auth = R"(
    - { Name: ClientId, SettingType: string }
    - { Name: ClientSecret, SettingType: secretString }
  SupportedAuthTypes: [ OAuthClientCredentialsFlow ]
  Authorization:
    Type: OAuthClientCredentialsFlow
    TokenEndpoint: /oauth/token
    ClientId: "{{ClientId}}")";
  load(manifest(auth), settings("ClientSecret: cs-secret", ", ClientId: acme-client"));
  ASSERT_TRUE(call("Acme.GetIndicator", R"({"value": "x"})"));
  ASSERT_TRUE(call("Acme.GetIndicator", R"({"value": "y"})"));
  EXPECT_EQ(tokens_issued.load(), 1);  // reused
  revoke = true;                       // the server forgets it
  auto renewed = call("Acme.GetIndicator", R"({"value": "z"})");
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(tokens_issued.load(), 2);

  load(manifest(auth), settings("ClientSecret: wrong-secret", ", ClientId: acme-client"));
  auto refused = call("Acme.GetIndicator", R"({"value": "x"})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, Status::unauthorized);
  EXPECT_NE(refused.error().message.find("refused the client id and secret"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(refused.error().message.find("wrong-secret"), std::string::npos);
}

TEST_F(ApiSkill, MissingCredentialsOrEndpointSayWhichSettingToSet) {
  serve_indicators();
  load(manifest(kApiKeyAuth), settings("Other: x"));
  auto no_key = call("Acme.GetIndicator", R"({"value": "x"})");
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().status, Status::unauthorized);
  EXPECT_NE(no_key.error().message.find("--secret ApiToken"), std::string::npos)
      << no_key.error().message;
  EXPECT_TRUE(vendor_.requests().empty());  // nothing was sent without a key

  load(manifest(kApiKeyAuth),
       "plugins:\n  Acme:\n    secrets: { ApiToken: t0ken-acme }\n    egress: [ \"*\" ]\n");
  auto no_url = call("Acme.GetIndicator", R"({"value": "x"})");
  ASSERT_FALSE(no_url);
  EXPECT_NE(no_url.error().message.find("the setting InstanceURL has no value"), std::string::npos)
      << no_url.error().message;
}

TEST_F(ApiSkill, CredentialsNeverTravelOverPlainHttpOffLoopback) {
  load(manifest(kApiKeyAuth),
       "plugins:\n  Acme:\n    settings: { InstanceURL: \"http://acme.example\" }"
       "\n    secrets: { ApiToken: t0ken-acme }\n    egress: [ \"*\" ]\n");
  auto result = call("Acme.GetIndicator", R"({"value": "x"})");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::invalid_input);
  EXPECT_NE(result.error().message.find("refusing to send credentials over plain http"),
            std::string::npos)
      << result.error().message;
}

TEST_F(ApiSkill, VendorFailuresBecomeClearErrors) {
  std::atomic<int> mode{0};
  vendor_.add_handler([&](const Request&) -> std::optional<Response> {
    switch (mode.load()) {
      case 0:
        return Response::json(401, json::object{{"error", "invalid api key"}});
      case 1:
        return Response::json(404, json::object{{"error", "unknown indicator"}});
      case 2:
        return Response::text(503, "<html>maintenance</html>", "text/html");
      case 3:
        return Response::text(200, "{\"value\": \"x\", \"verdict\": ", "application/json");
      case 4:
        return Response::json(200, json::object{{"value", "x"}, {"verdict", "unknown"}});
      case 5:
        return Response::json(422, json::object{{"error", "value must be an indicator"}});
      default:
        return Response::close_connection();
    }
  });
  load(manifest(kApiKeyAuth), settings());
  const std::pair<int, Status> cases[] = {{0, Status::unauthorized}, {1, Status::not_found},
                                          {2, Status::upstream},     {3, Status::upstream},
                                          {4, Status::internal},     {5, Status::invalid_input},
                                          {6, Status::upstream}};
  for (const auto& [which, status] : cases) {
    mode = which;
    auto result = call("Acme.GetIndicator", R"({"value": "x"})");
    ASSERT_FALSE(result) << which;
    EXPECT_EQ(result.error().status, status) << which << ": " << result.error().message;
    EXPECT_NE(result.error().message.find("Acme.GetIndicator"), std::string::npos);
  }
  mode = 4;
  EXPECT_NE(call("Acme.GetIndicator", R"({"value": "x"})").error().message.find("Outputs schema"),
            std::string::npos);
  mode = 2;
  EXPECT_NE(call("Acme.GetIndicator", R"({"value": "x"})").error().message.find("HTTP 503"),
            std::string::npos);
}

TEST_F(ApiSkill, RateLimitingIsRetriedAsRetryAfterSaysWhileTimeAllows) {
  std::atomic<int> limited{1};
  vendor_.add_handler([&](const Request&) -> std::optional<Response> {
    if (limited.fetch_sub(1) > 0) {
      auto response = Response::json(429, json::object{{"error", "slow down"}});
      response.headers.emplace_back("Retry-After", "0");
      return response;
    }
    return Response::json(200, json::object{{"value", "x"}, {"verdict", "clean"}});
  });
  load(manifest(kApiKeyAuth), settings());
  auto result = call("Acme.GetIndicator", R"({"value": "x"})");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(vendor_.requests().size(), 2u);

  limited = 100;  // always limited: gives up after three attempts
  auto gave_up = call("Acme.GetIndicator", R"({"value": "x"})");
  ASSERT_FALSE(gave_up);
  EXPECT_EQ(gave_up.error().status, Status::rate_limited);
  EXPECT_EQ(vendor_.requests().size(), 5u);
}

TEST_F(ApiSkill, EgressRulesApplyToApiSkills) {
  serve_indicators();
  load(manifest(kApiKeyAuth),
       "plugins:\n  Acme:\n    settings: { InstanceURL: \"" + vendor_.base_url() +
           "\" }\n    secrets: { ApiToken: t0ken-acme }\n    egress: [ \"acme.example\" ]\n");
  auto result = call("Acme.GetIndicator", R"({"value": "x"})");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::forbidden);
  EXPECT_TRUE(vendor_.requests().empty());
}

TEST_F(ApiSkill, TheManifestRefinesGeneratedSkills) {
  serve_indicators();
  load(manifest(kApiKeyAuth), settings(), R"(    Skills:
      - Name: SubmitIndicator
        SideEffects: none
        Inputs:
          - { Name: value, Type: domain }
        Outputs: { Entities: [domain] }
)");
  const auto* submit = host_->catalog().find("Acme.SubmitIndicator");
  ASSERT_NE(submit, nullptr);
  EXPECT_EQ(submit->spec->side_effects, manifest::SideEffects::None);
  EXPECT_EQ(submit->spec->inputs.at(0).type, "domain");
  EXPECT_EQ(submit->spec->output_entities, (std::vector<std::string>{"domain"}));
}

TEST_F(ApiSkill, ASkillThatNamesNoOperationOrAnUnsupportedAuthIsReported) {
  testing::write_file(plugins_.path() / "acme" / "acme.yaml", manifest(kApiKeyAuth) + R"(    Skills:
      - Name: DeleteEverything
)");
  testing::write_file(plugins_.path() / "acme" / "acme-openapi.yaml", kSpec);
  plugin::HostOptions options;
  options.plugin_dirs = {plugins_.path()};
  plugin::PluginHost host(options);
  ASSERT_EQ(host.plugin("Acme")->state, plugin::PluginState::Failed);
  EXPECT_NE(host.plugin("Acme")->error.find("'DeleteEverything' is not an operation"),
            std::string::npos)
      << host.plugin("Acme")->error;

  load(manifest(R"(
  SupportedAuthTypes: [ AADDelegated ])"),
       settings());
  const auto* get = host_->catalog().find("Acme.GetIndicator");
  ASSERT_NE(get, nullptr);
  EXPECT_FALSE(get->available());
  EXPECT_NE(get->unavailable_reason.find("AADDelegated is not supported"), std::string::npos);
}

}  // namespace
}  // namespace secpilot

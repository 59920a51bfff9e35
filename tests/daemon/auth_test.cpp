// The auth matrix: every route of the API × owner, contributor, reader, no key, a bad key and a
// revoked key, against the permission table in runtime/src/api/auth.hpp (reader: read and
// toggle_for_self; contributor: + prompt; owner: + upload_manifest and administer).
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"

namespace secpilot::testing {
namespace {

enum class Caller { owner, contributor, reader, no_key, bad_key, revoked_key };
constexpr Caller kCallers[] = {Caller::owner,  Caller::contributor, Caller::reader,
                               Caller::no_key, Caller::bad_key,     Caller::revoked_key};

const char* name(Caller caller) {
  switch (caller) {
    case Caller::owner:
      return "owner";
    case Caller::contributor:
      return "contributor";
    case Caller::reader:
      return "reader";
    case Caller::no_key:
      return "no key";
    case Caller::bad_key:
      return "bad key";
    case Caller::revoked_key:
      return "revoked key";
  }
  return "?";
}

enum class Need { nothing, read, toggle_for_self, prompt, upload_manifest, administer };

bool authenticated(Caller caller) {
  return caller == Caller::owner || caller == Caller::contributor || caller == Caller::reader;
}

// The permission table, as documented (not as implemented).
bool may(Caller caller, Need need) {
  if (need == Need::nothing) return true;
  switch (caller) {
    case Caller::owner:
      return true;
    case Caller::contributor:
      return need == Need::read || need == Need::toggle_for_self || need == Need::prompt;
    case Caller::reader:
      return need == Need::read || need == Need::toggle_for_self;
    default:
      return false;
  }
}

struct Call {
  Call(std::string target, std::string body = {}, std::string content_type = "application/json")
      : target(std::move(target)), body(std::move(body)), content_type(std::move(content_type)) {}
  std::string target;
  std::string body;
  std::string content_type;
};

struct Route {
  std::string method;
  std::string pattern;  // the router's pattern, as the OpenAPI document should list it
  Need need;
  int success;  // the status an allowed caller gets
  std::function<Call(Caller)> call;
};

constexpr const char* kUploadYaml = R"(Descriptor:
  Name: MatrixUpload
  DisplayName: Matrix upload
  Description: A declarative plugin uploaded by the auth matrix.
SkillGroups:
  - Format: GPT
    Skills:
      - Name: Summarize
        Description: Summarises notes.
        Inputs:
          - Name: Notes
            Description: The notes to summarise.
        Settings:
          Template: "Summarise {{Notes}}"
)";

class DaemonAuth : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The matrix fails to sign in on purpose, far more often than the per-address limit allows
    // (DaemonRateLimit tests that limit).
    daemon_ = std::make_unique<DaemonProcess>(
        DaemonOptions{.config = "limits:\n  failed_auth_per_minute: 0\n"});
    revoked_key_ = daemon_->create_key("revoked-key", "contributor", kAliceUser);
    daemon_->start();
    api_ = std::make_unique<Api>(*daemon_);
    const auto& keys = daemon_->keys();

    // Revoke one key through the API, by its id.
    auto listed = api_->get("/v1/keys", keys.owner);
    require_status(listed, 200, "list keys");
    const auto listed_keys = listed.object();
    for (const auto& item : listed_keys.at("value").as_array())
      if (item.at("name").as_string() == "revoked-key") {
        auto revoked = api_->del("/v1/keys/" + std::string(item.at("id").as_string()), keys.owner);
        require_status(revoked, 204, "revoke a key");
      }
    victim_key_id_ = key_id(api_->post("/v1/keys", keys.owner, {{"name", "victim"}}));

    owner_session_ = api_->create_session(keys.owner, "owner's");
    alice_session_ = api_->create_session(keys.contributor, "alice's");
    keep_session_ = api_->create_session(keys.contributor, "never deleted");
    owner_evaluation_ = api_->submit(keys.owner, owner_session_,
                                     "/ThreatIntel.LookupIndicator indicator=192.0.2.1");
    alice_evaluation_ = api_->submit(keys.contributor, alice_session_,
                                     "/ThreatIntel.LookupIndicator indicator=192.0.2.2");
    api_->finished(keys.owner, owner_evaluation_);
    api_->finished(keys.contributor, alice_evaluation_);
  }
  static void TearDownTestSuite() {
    api_.reset();
    daemon_.reset();
  }

  static std::string key_id(const ApiReply& reply) {
    require_status(reply, 201, "create a key");
    return std::string(reply.object().at("id").as_string());
  }
  static std::string key(Caller caller) {
    switch (caller) {
      case Caller::owner:
        return daemon_->keys().owner;
      case Caller::contributor:
        return daemon_->keys().contributor;
      case Caller::reader:
        return daemon_->keys().reader;
      case Caller::no_key:
        return "";
      case Caller::bad_key:
        return "sp_thisIsNotAKeyThisDaemonEverMade0123456789abcdef";
      case Caller::revoked_key:
        return revoked_key_;
    }
    return "";
  }
  // The caller's own resources: the owner is another user than alice (contributor and reader).
  static const std::string& session(Caller caller) {
    return caller == Caller::owner ? owner_session_ : alice_session_;
  }
  static const std::string& evaluation(Caller caller) {
    return caller == Caller::owner ? owner_evaluation_ : alice_evaluation_;
  }

  static std::vector<Route> routes() {
    auto fixed = [](std::string target, std::string body = {}) {
      return [target, body](Caller) { return Call{target, body}; };
    };
    auto in_session = [](std::string suffix, std::string body = {}) {
      return [suffix, body](Caller c) { return Call{"/v1/sessions/" + session(c) + suffix, body}; };
    };
    auto in_evaluation = [](std::string suffix) {
      return [suffix](Caller c) { return Call{"/v1/evaluations/" + evaluation(c) + suffix}; };
    };
    const std::string org = R"({"scope":"organization"})";
    return {
        {"GET", "/healthz", Need::nothing, 200, fixed("/healthz")},
        {"GET", "/readyz", Need::nothing, 200, fixed("/readyz")},
        {"GET", "/metrics", Need::nothing, 200, fixed("/metrics")},
        {"GET", "/v1/openapi.json", Need::nothing, 200, fixed("/v1/openapi.json")},
        {"GET", "/v1/me", Need::read, 200, fixed("/v1/me")},
        {"POST", "/v1/keys", Need::administer, 201,
         [](Caller c) {
           return Call{"/v1/keys",
                       R"({"name":"matrix-)" + std::string(name(c)) + R"(","role":"reader"})"};
         }},
        {"GET", "/v1/keys", Need::administer, 200, fixed("/v1/keys")},
        {"DELETE", "/v1/keys/{id}", Need::administer, 204,
         [](Caller c) {
           // An owner revokes a key made for the purpose; the others aim at one that must survive.
           const std::string id =
               c == Caller::owner
                   ? key_id(api_->post("/v1/keys", daemon_->keys().owner, {{"name", "doomed"}}))
                   : victim_key_id_;
           return Call{"/v1/keys/" + id};
         }},
        {"GET", "/v1/audit", Need::administer, 200, fixed("/v1/audit")},
        {"GET", "/v1/plugins", Need::read, 200, fixed("/v1/plugins")},
        {"GET", "/v1/plugins/{name}", Need::read, 200, fixed("/v1/plugins/ThreatIntel")},
        {"POST", "/v1/plugins/{name}:disable", Need::toggle_for_self, 200,
         fixed("/v1/plugins/Misbehaving:disable")},
        {"POST", "/v1/plugins/{name}:enable", Need::toggle_for_self, 200,
         fixed("/v1/plugins/Misbehaving:enable")},
        {"POST", "/v1/plugins/{name}:disable", Need::administer, 200,
         fixed("/v1/plugins/Misbehaving:disable", org)},
        {"POST", "/v1/plugins/{name}:enable", Need::administer, 200,
         fixed("/v1/plugins/Misbehaving:enable", org)},
        {"GET", "/v1/plugins/{name}/settings", Need::read, 200,
         fixed("/v1/plugins/Misbehaving/settings")},
        {"PUT", "/v1/plugins/{name}/settings", Need::administer, 200,
         fixed("/v1/plugins/Misbehaving/settings", R"({"settings":{"Greeting":"hi"}})")},
        {"POST", "/v1/plugins", Need::upload_manifest, 201,
         [](Caller) {
           return Call{"/v1/plugins", kUploadYaml, "application/yaml"};
         }},
        {"GET", "/v1/skills", Need::read, 200, fixed("/v1/skills")},
        {"GET", "/v1/skills/{name}", Need::read, 200,
         fixed("/v1/skills/ThreatIntel.LookupIndicator")},
        {"POST", "/v1/skills/{name}:invoke", Need::prompt, 200,
         fixed("/v1/skills/Misbehaving.Echo:invoke", R"({"inputs":{"text":"hi"}})")},
        {"POST", "/v1/sessions", Need::prompt, 201,
         fixed("/v1/sessions", R"({"displayName":"matrix"})")},
        {"GET", "/v1/sessions", Need::read, 200, fixed("/v1/sessions")},
        {"GET", "/v1/sessions/{id}", Need::read, 200, in_session("")},
        {"PATCH", "/v1/sessions/{id}", Need::prompt, 200,
         in_session("", R"({"displayName":"renamed"})")},
        {"DELETE", "/v1/sessions/{id}", Need::prompt, 204,
         [](Caller c) {
           std::string id = keep_session_;  // must survive every refused attempt
           if (c == Caller::owner || c == Caller::contributor)
             id = api_->create_session(key(c), "to delete");
           return Call{"/v1/sessions/" + id};
         }},
        {"POST", "/v1/sessions/{id}/prompts", Need::prompt, 202,
         in_session("/prompts",
                    R"({"content":"/ThreatIntel.LookupIndicator indicator=192.0.2.3"})")},
        {"GET", "/v1/sessions/{id}/export", Need::read, 200, in_session("/export")},
        {"GET", "/v1/evaluations/{id}", Need::read, 200, in_evaluation("")},
        {"GET", "/v1/evaluations/{id}/steps", Need::read, 200, in_evaluation("/steps")},
        {"POST", "/v1/evaluations/{id}:cancel", Need::prompt, 202,
         [](Caller c) {
           std::string id = evaluation(c);
           if (c == Caller::owner ||
               c == Caller::contributor)  // something that runs until cancelled
             id = api_->submit(key(c), session(c), "/Misbehaving.UntilCancelled");
           return Call{"/v1/evaluations/" + id + ":cancel"};
         }},
        {"GET", "/v1/evaluations/{id}/events", Need::read, 200, in_evaluation("/events")},
        {"GET", "/v1/approvals", Need::read, 200, fixed("/v1/approvals")},
        {"GET", "/v1/promptbooks", Need::read, 200, fixed("/v1/promptbooks")},
    };
  }

  static inline std::unique_ptr<DaemonProcess> daemon_;
  static inline std::unique_ptr<Api> api_;
  static inline std::string revoked_key_, victim_key_id_;
  static inline std::string owner_session_, alice_session_, keep_session_;
  static inline std::string owner_evaluation_, alice_evaluation_;
};

TEST_F(DaemonAuth, EveryRouteForEveryCaller) {
  for (const auto& route : routes()) {
    for (Caller caller : kCallers) {
      const Call call = route.call(caller);
      auto reply =
          api_->request(route.method, call.target, key(caller), call.body, call.content_type);
      const std::string cell = route.method + " " + call.target + " " + call.body + " as " +
                               name(caller) + " → " + std::to_string(reply.status) + " " +
                               reply.body.substr(0, 300);
      if (may(caller, route.need)) {
        EXPECT_EQ(reply.status, route.success) << cell;
      } else if (!authenticated(caller)) {
        EXPECT_EQ(reply.status, 401) << cell;
        EXPECT_NE(reply.header("www-authenticate").find("Bearer"), std::string::npos) << cell;
        EXPECT_EQ(reply.header("content-type"), "application/problem+json") << cell;
      } else {
        EXPECT_EQ(reply.status, 403) << cell;
        EXPECT_EQ(reply.header("content-type"), "application/problem+json") << cell;
      }
    }
  }

  // What the refused callers aimed at is untouched.
  auto kept = api_->get("/v1/sessions/" + keep_session_, daemon_->keys().contributor);
  EXPECT_EQ(kept.status, 200) << kept.body;
  auto keys = api_->get("/v1/keys", daemon_->keys().owner).object();
  bool victim_alive = false;
  for (const auto& item : keys.at("value").as_array())
    if (item.at("id").as_string() == victim_key_id_) victim_alive = !item.at("revoked").as_bool();
  EXPECT_TRUE(victim_alive);
  // Nor did a refused toggle change anything: Misbehaving is enabled for alice.
  auto plugin = api_->get("/v1/plugins/Misbehaving", daemon_->keys().reader).object();
  EXPECT_TRUE(plugin.at("enabled").as_bool());
}

TEST_F(DaemonAuth, MeSaysWhoTheKeyActsAs) {
  auto me = api_->get("/v1/me", daemon_->keys().reader);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.object().at("user").as_string(), kAliceUser);
  EXPECT_EQ(me.object().at("role").as_string(), "reader");
  auto owner = api_->get("/v1/me", daemon_->keys().owner).object();
  EXPECT_EQ(owner.at("user").as_string(), kOwnerUser);
  EXPECT_EQ(owner.at("role").as_string(), "owner");
}

TEST_F(DaemonAuth, RevokedKeyIsRefusedWithTheReason) {
  auto reply = api_->get("/v1/me", revoked_key_);
  ASSERT_EQ(reply.status, 401);
  EXPECT_NE(reply.object().at("detail").as_string().find("revoked"), std::string::npos)
      << reply.body;
  // ... and the attempt is audited as one with a revoked key.
  auto audit = api_->get("/v1/audit?action=auth.failure", daemon_->keys().owner);
  ASSERT_EQ(audit.status, 200);
  bool recorded = false;
  const auto entries = audit.object();
  for (const auto& entry : entries.at("value").as_array())
    recorded = recorded ||
               boost::json::serialize(entry.at("details")).find("revoked") != std::string::npos;
  EXPECT_TRUE(recorded) << audit.body;
}

TEST_F(DaemonAuth, OtherAuthorizationSchemesAreRefused) {
  for (std::string header : {std::string("Basic b3duZXI6cGFzcw=="), std::string("Bearer"),
                             std::string("Bearer "), daemon_->keys().owner}) {
    auto reply = api_->get("/v1/me", {}, {{"Authorization", header}});
    EXPECT_EQ(reply.status, 401) << "Authorization: " << header << " → " << reply.body;
  }
}

TEST_F(DaemonAuth, ContributorsUploadManifestsWhenTheOwnerAllowsIt) {
  DaemonProcess permissive({.config = "roles:\n  upload_manifests: contributor\n"});
  permissive.start();
  Api api(permissive);
  auto by_reader =
      api.request("POST", "/v1/plugins", permissive.keys().reader, kUploadYaml, "application/yaml");
  EXPECT_EQ(by_reader.status, 403) << by_reader.body;
  auto by_contributor = api.request("POST", "/v1/plugins", permissive.keys().contributor,
                                    kUploadYaml, "application/yaml");
  EXPECT_EQ(by_contributor.status, 201) << by_contributor.body;
  // Administering stays the owner's.
  auto settings = api.request("PUT", "/v1/plugins/Misbehaving/settings",
                              permissive.keys().contributor, R"({"settings":{"Greeting":"x"}})");
  EXPECT_EQ(settings.status, 403) << settings.body;
}

// The OpenAPI document (docs/openapi.json, served at /v1/openapi.json) describes every route.
TEST_F(DaemonAuth, OpenApiDocumentDescribesEveryRoute) {
  auto reply = api_->get("/v1/openapi.json");
  ASSERT_EQ(reply.status, 200);
  const auto document = reply.object();
  ASSERT_TRUE(document.contains("paths")) << reply.body;
  const auto& paths = document.at("paths").as_object();
  for (const auto& route : routes()) {
    if (route.pattern == "/v1/openapi.json") continue;
    std::string method = route.method;
    for (auto& c : method)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto* path = paths.if_contains(route.pattern);
    EXPECT_TRUE(path && path->is_object() && path->as_object().contains(method))
        << route.method << " " << route.pattern << " is not in /v1/openapi.json";
  }
}

}  // namespace
}  // namespace secpilot::testing

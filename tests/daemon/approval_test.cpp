// Approvals through the real daemon: a prompt that calls a skill with side effects (the built
// RedCanary plugin's UpdateDetectionState, against the Red Canary fake started in this process)
// waits in waitingForInput until an owner or contributor approves or denies it over the API or
// with `secpilot approve|deny`; the fake tells whether the write really happened, and how often.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "fakes/fake_http_service.hpp"
#include "fakes/red_canary_api.hpp"
#include "secpilot/util/sha256.hpp"
#include "support/run.hpp"

namespace secpilot::testing {
namespace {

using fakes::RedCanaryApi;
namespace json = boost::json;

constexpr const char* kSkill = "RedCanary.UpdateDetectionState";

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string acknowledge(int detection) {
  return "/RedCanary.UpdateDetectionState id=" + std::to_string(detection) + " state=acknowledged";
}

// The hash an approval of acknowledging `detection` binds, written out by hand: SHA-256 of the
// canonical JSON of the call (keys sorted, no spaces; direct-invocation inputs are strings).
std::string acknowledge_hash(int detection) {
  return sha256_hex(R"({"inputs":{"id":")" + std::to_string(detection) +
                    R"(","state":"acknowledged"},"skill":"RedCanary.UpdateDetectionState"})");
}

// A Red Canary fake, and a daemon whose RedCanary plugin is set up to call it.
struct RedCanaryDaemon {
  RedCanaryDaemon()
      : daemon({.config =
                    "plugins:\n  RedCanary:\n    settings: { InstanceURL: \"" + api.instance_url() +
                    "\" }\n    secrets: { ApiToken: \"" + RedCanaryApi::kDefaultToken +
                    "\" }\n    egress: [\"127.0.0.1:" + std::to_string(service.port()) + "\"]\n"}) {
    daemon.start();
  }

  // Writes the fake received for `detection` (PATCH .../mark_acknowledged and the like).
  std::size_t writes_to(int detection) const {
    const std::string prefix = "/openapi/v3/detections/" + std::to_string(detection) + "/";
    const auto all = service.requests();
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const auto& r) {
      return r.method == "PATCH" && r.path.starts_with(prefix);
    }));
  }

  fakes::FakeHttpService service;
  RedCanaryApi api{service, std::string(SECPILOT_SOURCE_DIR) + "/tests/fakes/data/red-canary"};
  DaemonProcess daemon;
  Api client{daemon};
};

// An evaluation that asked for an approval: its id, and the approval.requested event.
struct Waiting {
  std::string evaluation;
  json::object requested;
  std::int64_t event_id = 0;
};

// Submits `prompt` as `key` in a new session and waits (on the event stream) until the
// evaluation asks for an approval.
Waiting submit_and_wait(Api& api, const DaemonProcess& daemon, const std::string& key,
                        const std::string& prompt) {
  const auto session = api.create_session(key, "approvals");
  const auto evaluation = api.submit(key, session, prompt);
  LiveEvents stream(daemon.port(), key, evaluation);
  const auto events = stream.until("approval.requested");
  if (events.empty() || events.back().type != "approval.requested")
    throw std::runtime_error("no approval.requested event for " + prompt);
  return {evaluation, events.back().json(), events.back().id};
}

std::vector<std::string> ids_of(const ApiReply& reply) {
  std::vector<std::string> ids;
  const auto body = reply.object();
  for (const auto& item : body.at("value").as_array())
    ids.emplace_back(item.at("id").as_string());
  return ids;
}

bool listed(const ApiReply& reply, const std::string& id) {
  const auto ids = ids_of(reply);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class DaemonApprovals : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { red_canary_ = std::make_unique<RedCanaryDaemon>(); }
  static void TearDownTestSuite() { red_canary_.reset(); }

  static Api& api() { return red_canary_->client; }
  static const DaemonProcess& daemon() { return red_canary_->daemon; }
  static const ApiKeys& keys() { return red_canary_->daemon.keys(); }
  static std::size_t writes_to(int detection) { return red_canary_->writes_to(detection); }
  static std::pair<std::string, json::object> ask(const std::string& prompt) {
    auto waiting = submit_and_wait(api(), daemon(), keys().contributor, prompt);
    return {std::move(waiting.evaluation), std::move(waiting.requested)};
  }
  static std::string decide(const std::string& id, const std::string& verb, const std::string& key,
                            int status, std::string body = {}) {
    auto reply = api().request("POST", "/v1/approvals/" + id + ":" + verb, key, std::move(body));
    EXPECT_EQ(reply.status, status) << verb << " " << id << ": " << reply.body;
    return reply.body;
  }

  static inline std::unique_ptr<RedCanaryDaemon> red_canary_;
};

TEST_F(DaemonApprovals, AWriteWaitsForApprovalAndThenRunsOnce) {
  const auto [evaluation, requested] = ask(acknowledge(4127));
  EXPECT_EQ(requested.at("skill"), kSkill);
  EXPECT_EQ(requested.at("inputs"), (json::object{{"id", "4127"}, {"state", "acknowledged"}}));
  EXPECT_EQ(requested.at("sideEffects"), "write");
  EXPECT_EQ(requested.at("argsHash").as_string(), acknowledge_hash(4127));
  EXPECT_EQ(requested.at("evaluationId").as_string(), evaluation);
  const std::string id(requested.at("id").as_string());

  // Nothing written; the evaluation shows what it waits for.
  EXPECT_EQ(writes_to(4127), 0u);
  auto waiting = api().evaluation(keys().contributor, evaluation);
  EXPECT_EQ(waiting.at("state"), "waitingForInput");
  EXPECT_TRUE(waiting.at("steps").as_array().empty());
  ASSERT_EQ(waiting.at("approvals").as_array().size(), 1u) << json::serialize(waiting);
  EXPECT_EQ(waiting.at("approvals").as_array().at(0).at("state"), "pending");
  auto shown = api().get("/v1/approvals/" + id, keys().contributor);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.object().at("requestedBy"), kAliceUser);
  EXPECT_EQ(shown.object().at("argsHash").as_string(), acknowledge_hash(4127));
  EXPECT_TRUE(listed(api().get("/v1/approvals", keys().contributor), id));
  EXPECT_TRUE(listed(api().get("/v1/approvals?state=pending", keys().owner), id));

  const auto approved =
      json::parse(decide(id, "approve", keys().contributor, 200, R"({"reason":"ticket SOC-81"})"));
  EXPECT_EQ(approved.at("state"), "approved");
  EXPECT_EQ(approved.at("decidedBy"), kAliceUser);
  EXPECT_EQ(approved.at("reason"), "ticket SOC-81");
  const auto finished = api().finished(keys().contributor, evaluation);
  EXPECT_EQ(finished.at("state"), "completed") << json::serialize(finished);
  ASSERT_EQ(finished.at("steps").as_array().size(), 1u);
  EXPECT_EQ(finished.at("steps").as_array().at(0).at("output").at("state"), "acknowledged");
  EXPECT_EQ(writes_to(4127), 1u);
  EXPECT_FALSE(listed(api().get("/v1/approvals", keys().contributor), id));
  EXPECT_TRUE(listed(api().get("/v1/approvals?state=approved", keys().contributor), id));

  // A second decision, either way, is a conflict and changes nothing.
  const auto again = json::parse(decide(id, "approve", keys().owner, 409));
  EXPECT_EQ(again.at("code"), "conflict");
  EXPECT_TRUE(contains(json::serialize(again), "already approved by alice")) << again;
  decide(id, "deny", keys().contributor, 409);
  EXPECT_EQ(writes_to(4127), 1u);
}

TEST_F(DaemonApprovals, ADenialFailsTheStepWithWhoAndWhy) {
  const auto [evaluation, requested] = ask(acknowledge(4126));
  const std::string id(requested.at("id").as_string());
  const auto denied =
      json::parse(decide(id, "deny", keys().owner, 200, R"({"reason":"not during the incident"})"));
  EXPECT_EQ(denied.at("state"), "denied");
  EXPECT_EQ(denied.at("decidedBy"), kOwnerUser);

  const auto finished = api().finished(keys().contributor, evaluation);
  EXPECT_EQ(finished.at("state"), "failed");
  EXPECT_EQ(finished.at("error"), "denied by olivia: not during the incident");
  ASSERT_EQ(finished.at("steps").as_array().size(), 1u);
  const auto& step = finished.at("steps").as_array().at(0);
  EXPECT_EQ(step.at("state"), "failed");
  EXPECT_EQ(step.at("error").at("status"), "forbidden");
  EXPECT_EQ(step.at("error").at("message"), "denied by olivia: not during the incident");
  EXPECT_EQ(writes_to(4126), 0u);
}

TEST_F(DaemonApprovals, ReadersCannotDecideAndOtherUsersDoNotSeeIt) {
  const auto [evaluation, requested] = ask(acknowledge(4124));
  const std::string id(requested.at("id").as_string());

  // alice's reader key sees it but may not decide; bob does not even see it.
  EXPECT_TRUE(listed(api().get("/v1/approvals", keys().reader), id));
  EXPECT_EQ(api().get("/v1/approvals/" + id, keys().reader).status, 200);
  decide(id, "approve", keys().reader, 403);
  decide(id, "deny", keys().reader, 403);
  decide(id, "approve", "", 401);
  EXPECT_EQ(api().get("/v1/approvals", "").status, 401);
  EXPECT_FALSE(listed(api().get("/v1/approvals", keys().bob), id));
  EXPECT_EQ(api().get("/v1/approvals/" + id, keys().bob).status, 404);
  decide(id, "approve", keys().bob, 404);
  decide("no-such-approval", "approve", keys().owner, 404);
  EXPECT_EQ(api().get("/v1/approvals?state=maybe", keys().owner).status, 400);
  EXPECT_EQ(
      api()
          .request("POST", "/v1/approvals/" + id + ":deny", keys().contributor, R"({"reason":42})")
          .status,
      400);

  // Cancelling the waiting evaluation cancels the approval; it can no longer be decided.
  auto cancelled = api().post("/v1/evaluations/" + evaluation + ":cancel", keys().contributor, {});
  ASSERT_EQ(cancelled.status, 202) << cancelled.body;
  EXPECT_EQ(api().finished(keys().contributor, evaluation).at("state"), "cancelled");
  auto approval = api().get("/v1/approvals/" + id, keys().contributor).object();
  EXPECT_EQ(approval.at("state"), "cancelled");
  decide(id, "approve", keys().owner, 409);
  EXPECT_EQ(writes_to(4124), 0u);
}

TEST_F(DaemonApprovals, InvokingAWriteSkillDirectlyIsRefusedWithTheWayToAsk) {
  auto reply = api().post(std::string("/v1/skills/") + kSkill + ":invoke", keys().owner,
                          {{"inputs", {{"id", "4123"}, {"state", "acknowledged"}}}});
  ASSERT_EQ(reply.status, 409) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/problem+json");
  EXPECT_EQ(reply.object().at("code"), "conflict");
  EXPECT_EQ(reply.object().at("skill"), kSkill);
  EXPECT_EQ(reply.object().at("sideEffects"), "write");
  EXPECT_TRUE(contains(reply.body, "/v1/approvals/{id}:approve")) << reply.body;
  EXPECT_EQ(writes_to(4123), 0u);
  // The refusal is audited.
  auto audit =
      api().get(std::string("/v1/audit?action=skill.invoke&target=") + kSkill, keys().owner);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_TRUE(contains(audit.body, R"("actor":"olivia")")) << audit.body;
  EXPECT_TRUE(contains(audit.body, "side effects need an approval")) << audit.body;
  // A skill without side effects still runs directly.
  auto read = api().post("/v1/skills/RedCanary.GetDetection:invoke", keys().owner,
                         {{"inputs", {{"id", "4123"}}}});
  EXPECT_EQ(read.status, 200) << read.body;
}

TEST_F(DaemonApprovals, RequestsAndDecisionsAreAuditedWithTheSkillAndHashOnly) {
  const auto [approved_evaluation, approved_request] = ask(acknowledge(4121));
  const std::string approved_id(approved_request.at("id").as_string());
  decide(approved_id, "approve", keys().owner, 200);
  EXPECT_EQ(api().finished(keys().contributor, approved_evaluation).at("state"), "completed");
  const auto [denied_evaluation, denied_request] = ask(acknowledge(4119));
  const std::string denied_id(denied_request.at("id").as_string());
  decide(denied_id, "deny", keys().contributor, 200, R"({"reason":"duplicate"})");
  EXPECT_EQ(api().finished(keys().contributor, denied_evaluation).at("state"), "failed");

  auto audit = api().get(std::string("/v1/audit?target=") + kSkill + "&limit=1000", keys().owner);
  ASSERT_EQ(audit.status, 200) << audit.body;
  // approval id → actions recorded for it, with their actors.
  std::map<std::string, std::map<std::string, std::string>> seen;
  const auto entries = audit.object();
  for (const auto& entry_value : entries.at("value").as_array()) {
    const auto& entry = entry_value.as_object();
    const auto& details = entry.at("details").as_object();
    const auto* approval = details.if_contains("approval");
    if (!approval) continue;
    const std::string approval_id(approval->as_string());
    if (approval_id != approved_id && approval_id != denied_id) continue;  // other tests'
    const std::string action(entry.at("action").as_string());
    seen[approval_id][action] = std::string(entry.at("actor").as_string());
    if (action.starts_with("approval.")) {
      EXPECT_EQ(details.at("argsHash").as_string(),
                acknowledge_hash(approval_id == approved_id ? 4121 : 4119));
      EXPECT_EQ(details.at("requestedBy"), kAliceUser);
      EXPECT_FALSE(details.contains("inputs")) << json::serialize(entry);
    }
  }
  using Actions = std::map<std::string, std::string>;
  EXPECT_EQ(seen[approved_id], (Actions{{"approval.request", kAliceUser},
                                        {"approval.approve", kOwnerUser},
                                        {"skill.invoke", kAliceUser}}));
  EXPECT_EQ(seen[denied_id], (Actions{{"approval.request", kAliceUser},
                                      {"approval.deny", kAliceUser},
                                      {"skill.invoke", kAliceUser}}));
}

TEST_F(DaemonApprovals, TheCommandLineListsApprovesAndDenies) {
  const auto [first_evaluation, first] = ask(acknowledge(4128));
  const auto [second_evaluation, second] = ask(acknowledge(4119));
  const std::string first_id(first.at("id").as_string());
  const std::string second_id(second.at("id").as_string());
  const std::string server = "http://127.0.0.1:" + std::to_string(daemon().port());
  auto cli = [&](const std::string& key, std::vector<std::string> args) {
    args.insert(args.begin(), std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot");
    return run(args, {.env = {"SECPILOT_SERVER=" + server, "SECPILOT_KEY=" + key}, .input = {}});
  };

  auto listing = cli(keys().contributor, {"approvals"});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_TRUE(contains(listing.out, first_id)) << listing.out;
  EXPECT_TRUE(contains(listing.out, second_id)) << listing.out;
  auto as_json = cli(keys().contributor, {"--json", "approvals", "list", "--state", "pending"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  EXPECT_GE(json::parse(as_json.out).as_array().size(), 2u);
  auto shown = cli(keys().contributor, {"approvals", "show", first_id});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(contains(shown.out, acknowledge_hash(4128))) << shown.out;

  auto refused = cli(keys().reader, {"approve", first_id});
  EXPECT_EQ(refused.exit_code, 6) << refused.out << refused.err;
  auto approved = cli(keys().contributor, {"approve", first_id});
  EXPECT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_TRUE(contains(approved.out, "Approved RedCanary.UpdateDetectionState")) << approved.out;
  EXPECT_EQ(api().finished(keys().contributor, first_evaluation).at("state"), "completed");
  auto twice = cli(keys().contributor, {"approve", first_id});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_TRUE(contains(twice.err, "already approved")) << twice.err;

  auto denied = cli(keys().contributor, {"deny", second_id, "--reason", "wrong detection"});
  EXPECT_EQ(denied.exit_code, 0) << denied.err;
  EXPECT_EQ(api().finished(keys().contributor, second_evaluation).at("error"),
            "denied by alice: wrong detection");
  EXPECT_EQ(cli(keys().contributor, {"deny", "no-such-approval"}).exit_code, 3);
  EXPECT_EQ(cli("", {"approvals"}).exit_code, 6);
  EXPECT_EQ(writes_to(4128), 1u);
  EXPECT_EQ(writes_to(4119), 0u);
}

// Sets an evaluation's stored plan while the daemon is stopped (as a later plan format with
// bindings may give a call other arguments when it resumes).
void set_plan(const std::filesystem::path& store, const std::string& evaluation,
              const std::string& plan) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE evaluations SET plan = ?1 WHERE id = ?2", -1, &statement,
                               nullptr),
            SQLITE_OK);
  sqlite3_bind_text(statement, 1, plan.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(statement, 2, evaluation.c_str(), -1, SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(statement), SQLITE_DONE);
  EXPECT_EQ(sqlite3_changes(db), 1);
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST(DaemonApprovalRestart, AWaitingEvaluationSurvivesSigtermAndResumesWhenApproved) {
  RedCanaryDaemon red_canary;
  auto& api = red_canary.client;
  auto& daemon = red_canary.daemon;
  const auto& alice = daemon.keys().contributor;
  const auto [evaluation, requested, seen] = submit_and_wait(api, daemon, alice, acknowledge(4127));
  const std::string id(requested.at("id").as_string());

  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
  daemon.start();
  auto waiting = api.evaluation(alice, evaluation);
  EXPECT_EQ(waiting.at("state"), "waitingForInput") << json::serialize(waiting);
  EXPECT_FALSE(waiting.contains("error")) << json::serialize(waiting);
  EXPECT_EQ(red_canary.writes_to(4127), 0u);

  auto approved = api.request("POST", "/v1/approvals/" + id + ":approve", alice);
  ASSERT_EQ(approved.status, 200) << approved.body;
  const auto finished = api.finished(alice, evaluation);
  EXPECT_EQ(finished.at("state"), "completed") << json::serialize(finished);
  EXPECT_EQ(finished.at("steps").as_array().size(), 1u);
  EXPECT_EQ(red_canary.writes_to(4127), 1u);
  EXPECT_FALSE(contains(daemon.log(), "interrupted")) << daemon.log();
}

TEST(DaemonApprovalRestart, ChangedArgumentsNeedANewApproval) {
  RedCanaryDaemon red_canary;
  auto& api = red_canary.client;
  auto& daemon = red_canary.daemon;
  const auto& alice = daemon.keys().contributor;
  const auto [evaluation, requested, seen] = submit_and_wait(api, daemon, alice, acknowledge(4127));
  const std::string first_id(requested.at("id").as_string());

  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
  set_plan(
      daemon.store_path(), evaluation,
      R"([{"skill":"RedCanary.UpdateDetectionState","inputs":{"id":"4127","state":"remediated"}}])");
  daemon.start();

  auto approved = api.request("POST", "/v1/approvals/" + first_id + ":approve", alice);
  ASSERT_EQ(approved.status, 200) << approved.body;
  LiveEvents stream(daemon.port(), alice, evaluation, seen);
  const auto events = stream.until("approval.requested");
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.back().type, "approval.requested");
  const auto again = events.back().json();
  EXPECT_NE(again.at("id").as_string(), first_id);
  EXPECT_EQ(again.at("inputs"), (json::object{{"id", "4127"}, {"state", "remediated"}}));
  EXPECT_NE(again.at("argsHash").as_string(), acknowledge_hash(4127));
  EXPECT_EQ(api.evaluation(alice, evaluation).at("state"), "waitingForInput");
  EXPECT_EQ(red_canary.writes_to(4127), 0u);

  auto second = api.request(
      "POST", "/v1/approvals/" + std::string(again.at("id").as_string()) + ":approve", alice);
  ASSERT_EQ(second.status, 200) << second.body;
  const auto finished = api.finished(alice, evaluation);
  EXPECT_EQ(finished.at("state"), "completed") << json::serialize(finished);
  EXPECT_EQ(finished.at("steps").as_array().at(0).at("output").at("state"), "remediated");
  EXPECT_EQ(red_canary.writes_to(4127), 1u);
}

// --- Over MCP (/mcp): the same gate, asked for by a tools/call ------------------------------------

// A tools/call of UpdateDetectionState over /mcp, in the modern era (stateless): its result.
json::object mcp_call(Api& api, const std::string& key, json::object arguments) {
  constexpr std::string_view kModern = "2026-07-28";
  const json::object body{{"jsonrpc", "2.0"},
                          {"id", 1},
                          {"method", "tools/call"},
                          {"params",
                           {{"name", kSkill},
                            {"arguments", std::move(arguments)},
                            {"_meta",
                             {{"io.modelcontextprotocol/protocolVersion", kModern},
                              {"io.modelcontextprotocol/clientCapabilities", json::object{}}}}}}};
  auto reply = api.request("POST", "/mcp", key, json::serialize(body), "application/json",
                           {{"Accept", "application/json, text/event-stream"},
                            {"MCP-Protocol-Version", std::string(kModern)},
                            {"Mcp-Method", "tools/call"},
                            {"Mcp-Name", kSkill}});
  EXPECT_EQ(reply.status, 200) << reply.body;
  const auto response = reply.object();
  EXPECT_TRUE(response.contains("result")) << reply.body;
  return response.contains("result") ? response.at("result").as_object() : json::object{};
}

std::string text_of(const json::object& result) {
  return std::string(result.at("content").at(0).at("text").as_string());
}

// The approval a tool result names (empty when none).
json::object approval_of(const json::object& result) {
  const auto* meta = result.if_contains("_meta");
  const auto* approval = meta ? meta->as_object().if_contains("io.secpilot/approval") : nullptr;
  return approval ? approval->as_object() : json::object{};
}

TEST_F(DaemonApprovals, AnMcpCallAsksForTheApprovalAndGetsTheResultOnceApproved) {
  // The id as a number, as an MCP client following the input schema sends it.
  const json::object arguments{{"id", 4123}, {"state", "acknowledged"}};
  const auto first = mcp_call(api(), keys().contributor, arguments);
  EXPECT_EQ(first.at("isError"), true);
  const auto approval = approval_of(first);
  ASSERT_FALSE(approval.empty()) << json::serialize(first);
  const std::string id(approval.at("id").as_string());
  EXPECT_EQ(approval.at("state"), "pending");
  EXPECT_EQ(approval.at("sideEffects"), "write");
  EXPECT_TRUE(contains(text_of(first), "secpilot approve " + id)) << text_of(first);
  EXPECT_EQ(writes_to(4123), 0u);

  // An ordinary approval of alice's, in her session for MCP calls.
  const auto shown = api().get("/v1/approvals/" + id, keys().contributor);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.object().at("inputs"), (json::object{{"id", "4123"}, {"state", "acknowledged"}}));
  const auto session = api().get(
      "/v1/sessions/" + std::string(approval.at("sessionId").as_string()), keys().contributor);
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(session.object().at("displayName"), "MCP tool calls");

  // Asked again before the decision: the same approval, nothing new asked.
  const auto again = mcp_call(api(), keys().contributor, arguments);
  EXPECT_EQ(approval_of(again).at("id").as_string(), id);
  EXPECT_TRUE(contains(text_of(again), "still waits")) << text_of(again);

  decide(id, "approve", keys().owner, 200);
  const auto done = mcp_call(api(), keys().contributor, arguments);
  EXPECT_EQ(done.at("isError"), false) << text_of(done);
  EXPECT_EQ(done.at("structuredContent").at("id"), 4123);
  EXPECT_EQ(done.at("structuredContent").at("requested"), "acknowledged");
  EXPECT_EQ(approval_of(done).at("state"), "approved");
  EXPECT_EQ(approval_of(done).at("id").as_string(), id);
  EXPECT_EQ(writes_to(4123), 1u);

  // The outcome was handed out: the same call once more asks anew, and writes nothing yet.
  const auto anew = mcp_call(api(), keys().contributor, arguments);
  EXPECT_EQ(anew.at("isError"), true);
  EXPECT_EQ(approval_of(anew).at("state"), "pending");
  EXPECT_NE(approval_of(anew).at("id").as_string(), id);
  EXPECT_EQ(writes_to(4123), 1u);
}

TEST_F(DaemonApprovals, AnMcpCallThatWasDeniedSaysWhoAndWhy) {
  const json::object arguments{{"id", "5433"}, {"state", "acknowledged"}};
  const std::string id(
      approval_of(mcp_call(api(), keys().contributor, arguments)).at("id").as_string());
  decide(id, "deny", keys().owner, 200, R"({"reason":"not during the incident"})");
  const auto denied = mcp_call(api(), keys().contributor, arguments);
  EXPECT_EQ(denied.at("isError"), true);
  EXPECT_TRUE(contains(text_of(denied), "denied by olivia: not during the incident"))
      << text_of(denied);
  EXPECT_EQ(approval_of(denied).at("state"), "denied");
  EXPECT_EQ(writes_to(5433), 0u);
}

TEST_F(DaemonApprovals, OverMcpEachCallAndEachUserAsksForTheirOwnAndReadersNone) {
  const auto approval_id = [](const json::object& result) {
    return std::string(approval_of(result).at("id").as_string());
  };
  const auto acknowledge_5455 =
      approval_id(mcp_call(api(), keys().contributor, {{"id", "5455"}, {"state", "acknowledged"}}));
  const auto remediate_5455 =
      approval_id(mcp_call(api(), keys().contributor, {{"id", "5455"}, {"state", "remediated"}}));
  EXPECT_NE(acknowledge_5455, remediate_5455);
  const auto bobs =
      approval_id(mcp_call(api(), keys().bob, {{"id", "5455"}, {"state", "acknowledged"}}));
  EXPECT_NE(bobs, acknowledge_5455);
  EXPECT_EQ(api().get("/v1/approvals/" + bobs, keys().contributor).status, 404);

  const auto reader = mcp_call(api(), keys().reader, {{"id", "5455"}, {"state", "acknowledged"}});
  EXPECT_EQ(reader.at("isError"), true);
  EXPECT_TRUE(contains(text_of(reader), "reader")) << text_of(reader);
  EXPECT_TRUE(approval_of(reader).empty());
  EXPECT_EQ(writes_to(5455), 0u);
}

}  // namespace
}  // namespace secpilot::testing

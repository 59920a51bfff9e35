// MCP over Streamable HTTP at /mcp on the real daemon: the legacy era's session (initialize,
// Mcp-Session-Id, DELETE), the modern era's stateless requests and their headers, the transport's
// refusals (Origin, keys, roles, content types), and the audit entry of a call. A real client (the
// MCP Inspector) drives the same endpoint in tests/mcp/inspector.test.mjs.
#include <gtest/gtest.h>

#include <future>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "support/files.hpp"
#include "support/node_http_server.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccept = "application/json, text/event-stream";
constexpr std::string_view kModern = "2026-07-28";

json::object message(std::string_view method, json::object params = {}, json::value id = 1) {
  json::object body{{"jsonrpc", "2.0"}, {"method", method}};
  if (!id.is_null()) body["id"] = id;
  if (!params.empty()) body["params"] = std::move(params);
  return body;
}

json::object modern_message(std::string_view method, json::object params = {}) {
  params["_meta"] = json::object{{"io.modelcontextprotocol/protocolVersion", kModern},
                                 {"io.modelcontextprotocol/clientCapabilities", json::object{}}};
  return message(method, std::move(params));
}

class DaemonMcpHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_.start();
    api_ = std::make_unique<Api>(daemon_);
  }

  ApiReply post(std::string_view key, const json::object& body, net::Headers headers = {},
                std::string_view accept = kAccept) {
    headers.emplace_back("Accept", std::string(accept));
    return api_->request("POST", "/mcp", key, json::serialize(body), "application/json",
                         std::move(headers));
  }
  // initialize in the legacy era; returns the session id.
  std::string initialize(std::string_view key) {
    auto reply =
        post(key, message("initialize", {{"protocolVersion", "2025-11-25"},
                                         {"capabilities", json::object{}},
                                         {"clientInfo", {{"name", "t"}, {"version", "1"}}}}));
    require_status(reply, 200, "initialize");
    EXPECT_EQ(reply.object().at("result").at("protocolVersion"), "2025-11-25");
    EXPECT_FALSE(reply.header("mcp-session-id").empty());
    return reply.header("mcp-session-id");
  }
  static net::Headers session_headers(const std::string& session) {
    return {{"Mcp-Session-Id", session}, {"MCP-Protocol-Version", "2025-11-25"}};
  }
  static net::Headers modern_headers(std::string_view method, std::string_view name = {}) {
    net::Headers headers{{"MCP-Protocol-Version", std::string(kModern)},
                         {"Mcp-Method", std::string(method)}};
    if (!name.empty()) headers.emplace_back("Mcp-Name", std::string(name));
    return headers;
  }

  DaemonProcess daemon_;
  std::unique_ptr<Api> api_;
};

TEST_F(DaemonMcpHttp, ALegacySessionListsCallsAndEnds) {
  const auto& keys = daemon_.keys();
  const std::string session = initialize(keys.contributor);

  // The client's notification is accepted without an answer.
  auto initialized = post(keys.contributor, message("notifications/initialized", {}, nullptr),
                          session_headers(session));
  EXPECT_EQ(initialized.status, 202);
  EXPECT_TRUE(initialized.body.empty());

  auto list = post(keys.contributor, message("tools/list"), session_headers(session));
  require_status(list, 200, "tools/list");
  EXPECT_EQ(list.header("content-type"), "application/json");
  bool listed = false;
  const auto tools = list.object();
  for (const auto& tool : tools.at("result").at("tools").as_array())
    listed = listed || tool.at("name") == "ThreatIntel.LookupIndicator";
  EXPECT_TRUE(listed) << list.body;

  auto call = post(keys.contributor,
                   message("tools/call", {{"name", "ThreatIntel.LookupIndicator"},
                                          {"arguments", {{"indicator", "203.0.113[.]45"}}}}),
                   session_headers(session));
  require_status(call, 200, "tools/call");
  const auto result = call.object().at("result");
  EXPECT_EQ(result.at("isError"), false);
  EXPECT_EQ(result.at("structuredContent").at("verdict"), "malicious");

  // Someone else's key cannot use (or end) alice's session; DELETE ends it for her.
  EXPECT_EQ(post(keys.bob, message("tools/list"), session_headers(session)).status, 404);
  EXPECT_EQ(api_->request("DELETE", "/mcp", keys.bob, {}, {}, {{"Mcp-Session-Id", session}}).status,
            404);
  EXPECT_EQ(api_->request("DELETE", "/mcp", keys.contributor, {}, {}, {{"Mcp-Session-Id", session}})
                .status,
            204);
  auto after = post(keys.contributor, message("tools/list"), session_headers(session));
  EXPECT_EQ(after.status, 404) << "an ended session is unknown: the client initializes again";
  EXPECT_NE(after.body.find("initialize again"), std::string::npos) << after.body;
}

// In a session, notifications/cancelled stops the request it names: the call ends as cancelled,
// where it would otherwise run to its time limit (one second) and end as a timeout.
TEST_F(DaemonMcpHttp, ACancelledCallInASessionStops) {
  const auto& key = daemon_.keys().contributor;
  const std::string session = initialize(key);
  auto call = std::async(std::launch::async, [&] {
    return post(key,
                message("tools/call",
                        {{"name", "Misbehaving.UntilCancelled"}, {"arguments", json::object{}}}, 7),
                session_headers(session));
  });
  // A cancellation that comes before the call has begun is ignored, as the specification says:
  // it is sent until the call ends.
  while (call.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready)
    EXPECT_EQ(post(key, message("notifications/cancelled", {{"requestId", 7}}, nullptr),
                   session_headers(session))
                  .status,
              202);
  auto reply = call.get();
  require_status(reply, 200, "the cancelled call");
  const auto result = reply.object().at("result");
  EXPECT_EQ(result.at("isError"), true);
  const std::string text(result.at("content").at(0).at("text").as_string());
  EXPECT_NE(text.find("(cancelled)"), std::string::npos) << text;
}

TEST_F(DaemonMcpHttp, ModernRequestsAreStatelessAndTheirHeadersMustMatch) {
  const auto& key = daemon_.keys().contributor;
  auto discover = post(key, modern_message("server/discover"), modern_headers("server/discover"));
  require_status(discover, 200, "server/discover");
  EXPECT_TRUE(discover.header("mcp-session-id").empty()) << "the modern era has no sessions";
  EXPECT_EQ(discover.object().at("result").at("supportedVersions").at(0), "2026-07-28");

  const auto call = modern_message("tools/call", {{"name", "ThreatIntel.LookupIndicator"},
                                                  {"arguments", {{"indicator", "203.0.113.45"}}}});
  auto answered = post(key, call, modern_headers("tools/call", "ThreatIntel.LookupIndicator"));
  require_status(answered, 200, "modern tools/call");
  EXPECT_EQ(answered.object().at("result").at("resultType"), "complete");

  // A header at odds with the body is a 400 with -32020; a method it does not know is 404.
  auto mismatch = post(key, call, modern_headers("tools/call", "Misbehaving.Echo"));
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_EQ(mismatch.object().at("error").at("code"), -32020);
  auto unknown = post(key, modern_message("resources/list"), modern_headers("resources/list"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.object().at("error").at("code"), -32601);
  // A modern header on a body without _meta.
  auto bare = post(key, message("tools/list"), modern_headers("tools/list"));
  EXPECT_EQ(bare.status, 400);
  EXPECT_EQ(bare.object().at("error").at("code"), -32602);

  // Non-ASCII names travel base64-encoded in Mcp-Name: "ThreatIntel.LookupIndicator" here.
  auto encoded = post(
      key, call, modern_headers("tools/call", "=?base64?VGhyZWF0SW50ZWwuTG9va3VwSW5kaWNhdG9y?="));
  EXPECT_EQ(encoded.status, 200) << encoded.body;
}

TEST_F(DaemonMcpHttp, TheTransportRefusesWhatItCannotServe) {
  const auto& keys = daemon_.keys();
  // No key, a bad key: 401 before anything is read.
  EXPECT_EQ(post("", message("tools/list")).status, 401);
  EXPECT_EQ(post("sp_not-a-key", message("tools/list")).status, 401);
  // A page from another site (DNS rebinding) is refused whatever its key; this machine's pages are
  // served.
  auto rebinding = post(keys.owner, message("tools/list"), {{"Origin", "http://evil.example"}});
  EXPECT_EQ(rebinding.status, 403);
  EXPECT_NE(rebinding.body.find("mcp.allowed_origins"), std::string::npos) << rebinding.body;
  EXPECT_EQ(post(keys.owner, message("tools/list"), {{"Origin", "http://localhost:6274"}}).status,
            200);
  // Not JSON, a client that accepts neither answer type, a session that never was, GET.
  EXPECT_EQ(
      api_->request("POST", "/mcp", keys.owner, "{}", "text/plain", {{"Accept", "*/*"}}).status,
      415);
  EXPECT_EQ(post(keys.owner, message("tools/list"), {}, "text/html").status, 406);
  EXPECT_EQ(post(keys.owner, message("tools/list"), {{"Mcp-Session-Id", "made-up"}}).status, 404);
  auto get = api_->get("/mcp", keys.owner, {{"Accept", "text/event-stream"}});
  EXPECT_EQ(get.status, 405);
  EXPECT_NE(get.header("allow").find("POST"), std::string::npos);
  // Unreadable JSON is a JSON-RPC parse error, with 400.
  auto garbled = api_->request("POST", "/mcp", keys.owner, "{\"jsonrpc\":", "application/json",
                               {{"Accept", std::string(kAccept)}});
  EXPECT_EQ(garbled.status, 400);
  EXPECT_EQ(garbled.object().at("error").at("code"), -32700);
}

TEST_F(DaemonMcpHttp, AReaderMayListButNotCallAndCallsAreAudited) {
  const auto& keys = daemon_.keys();
  const auto call =
      message("tools/call", {{"name", "Misbehaving.Echo"}, {"arguments", {{"text", "over mcp"}}}});
  auto by_reader = post(keys.reader, call);
  require_status(by_reader, 200, "reader's tools/call");
  EXPECT_EQ(by_reader.object().at("result").at("isError"), true);
  EXPECT_NE(by_reader.body.find("reader"), std::string::npos) << by_reader.body;

  // Only text/event-stream accepted: the answer comes as one server-sent event.
  auto streamed = post(keys.contributor, call, {}, "text/event-stream");
  require_status(streamed, 200, "tools/call as an event");
  EXPECT_EQ(streamed.header("content-type"), "text/event-stream");
  const auto events = parse_events(streamed.body);
  ASSERT_EQ(events.size(), 1u) << streamed.body;
  EXPECT_EQ(events[0].type, "message");
  EXPECT_EQ(events[0].json().at("result").at("isError"), false);

  auto audit = api_->get("/v1/audit?action=skill.invoke&actor=alice", keys.owner);
  require_status(audit, 200, "audit");
  const auto listed = audit.object();
  const auto& entries = listed.at("value").as_array();
  ASSERT_EQ(entries.size(), 1u) << audit.body << " (the reader's refused call never ran)";
  EXPECT_EQ(entries[0].at("target"), "Misbehaving.Echo");
  EXPECT_EQ(entries[0].at("details").at("transport"), "mcp-http");
}

TEST_F(DaemonMcpHttp, TheShippedPromptbooksArePrompts) {
  auto listed = post(daemon_.keys().reader, message("prompts/list"));
  require_status(listed, 200, "prompts/list");
  const auto body = listed.object();
  bool triage = false;
  for (const auto& prompt : body.at("result").at("prompts").as_array())
    triage = triage || prompt.at("name") == "IndicatorTriage";
  EXPECT_TRUE(triage) << listed.body;
  auto got = post(daemon_.keys().reader,
                  message("prompts/get", {{"name", "IndicatorTriage"},
                                          {"arguments", {{"indicator", "198.51.100.7"}}}}));
  require_status(got, 200, "prompts/get");
  EXPECT_EQ(got.object().at("result").at("messages").at(0).at("content").at("text"),
            "/ThreatIntel.LookupIndicator indicator=198.51.100.7");
}

// A plugin folder under `temp` whose manifest hosts an MCP server as the plugin `name`;
// `settings` is its MCP group's Settings, in YAML, indented by four.
std::filesystem::path mcp_server_plugin(const TempDir& temp, const std::string& settings,
                                        const std::string& name = "SdkPeer") {
  const auto folder = temp.path() / name;
  std::filesystem::create_directories(folder);
  write_file(folder / "peer.yaml", "Descriptor: { Name: " + name +
                                       ", Description: An MCP server hosted as a plugin. }\n"
                                       "SkillGroups:\n"
                                       "  - Format: MCP\n" +
                                       settings);
  return folder;
}

// The SDK peer over stdio, started with `arguments` (", --flag ...").
std::string stdio_peer_settings(std::string_view arguments = {}) {
  return "    Settings:\n      Command: [ node, " SECPILOT_SOURCE_DIR
         "/tests/mcp/peers/sdk-server.mjs" +
         std::string(arguments) + " ]\n";
}

// The full loop: an MCP server on npm's official SDK hosted as a Format: MCP plugin, its tool
// invoked through the REST API, and the same tool served again to an MCP client over /mcp.
TEST(DaemonMcpPlugins, AnMcpServersToolRunsThroughTheRestApiAndMcp) {
  TempDir temp;
  const auto folder =
      mcp_server_plugin(temp, stdio_peer_settings() + "      AllowedTools: ip-reputation\n");
  DaemonProcess daemon({.config = {}, .plugin_dirs = {folder}});
  daemon.start();
  Api api(daemon);
  const auto& key = daemon.keys().contributor;

  auto invoked = api.post("/v1/skills/SdkPeer.ip-reputation:invoke", key,
                          {{"inputs", {{"ip", "203.0.113.9"}}}});
  require_status(invoked, 200, "REST invoke of an MCP tool");
  EXPECT_EQ(invoked.object().at("result").at("verdict"), "malicious");

  auto called =
      api.request("POST", "/mcp", key,
                  json::serialize(message("tools/call", {{"name", "SdkPeer.ip-reputation"},
                                                         {"arguments", {{"ip", "198.51.100.1"}}}})),
                  "application/json", {{"Accept", std::string(kAccept)}});
  require_status(called, 200, "the MCP tool again over /mcp");
  const auto result = called.object().at("result");
  EXPECT_EQ(result.at("isError"), false);
  EXPECT_EQ(result.at("structuredContent").at("verdict"), "unknown");
}

// Calls the SDK peer's add-tool through the REST API, and expects its new tool `late` to become a
// skill that the same server process answers: the daemon heard that the tools changed and
// reloaded, taking the running server over rather than restarting it.
void expect_an_added_tool_to_become_a_skill(DaemonProcess& daemon) {
  Api api(daemon);
  const auto& key = daemon.keys().contributor;
  EXPECT_EQ(api.get("/v1/skills/SdkPeer.late", key).status, 404);

  auto added = api.post("/v1/skills/SdkPeer.add-tool:invoke", key, {{"inputs", json::object{}}});
  require_status(added, 200, "the tool that adds a tool");
  const std::string added_by(added.object().at("result").at("text").as_string());
  ASSERT_TRUE(added_by.starts_with("added by ")) << added_by;

  EXPECT_TRUE(eventually([&] { return api.get("/v1/skills/SdkPeer.late", key).status == 200; }))
      << daemon.log();
  auto late = api.post("/v1/skills/SdkPeer.late:invoke", key, {{"inputs", json::object{}}});
  require_status(late, 200, "the tool added while the server ran");
  EXPECT_EQ(late.object().at("result").at("text").as_string(), "late from " + added_by.substr(9));
  EXPECT_NE(daemon.log().find("an MCP server's tools changed; reloading"), std::string::npos);
}

// A hosted server that says its tools changed (notifications/tools/list_changed) is asked for them
// again.
TEST(DaemonMcpPlugins, AServerWhoseToolsChangedIsListedAgainNotRestarted) {
  TempDir temp;
  const auto folder = mcp_server_plugin(temp, stdio_peer_settings(", --legacy-only"));
  DaemonProcess daemon({.config = {}, .plugin_dirs = {folder}});
  daemon.start();
  expect_an_added_tool_to_become_a_skill(daemon);
}

// Over Streamable HTTP the notification comes on the session's own event stream (GET).
TEST(DaemonMcpPlugins, AServerOverHttpWhoseToolsChangedIsListedAgain) {
  SdkHttpPeer server({"--legacy-only"});
  TempDir temp;
  const auto folder =
      mcp_server_plugin(temp, "    Settings: { Endpoint: \"" + server.url() + "\" }\n");
  DaemonProcess daemon(
      {.config = "plugins:\n  SdkPeer:\n    egress: [ \"127.0.0.1\" ]\n", .plugin_dirs = {folder}});
  daemon.start();
  expect_an_added_tool_to_become_a_skill(daemon);
}

// The same server reached over Streamable HTTP (Endpoint), allowed by the plugin's egress list in
// the daemon's config.
TEST(DaemonMcpPlugins, AnMcpServerOverHttpRunsThroughTheRestApi) {
  SdkHttpPeer server;
  TempDir temp;
  const auto folder = mcp_server_plugin(
      temp, "    Settings: { Endpoint: \"" + server.url() + "\", AllowedTools: ip-reputation }\n");
  DaemonProcess daemon(
      {.config = "plugins:\n  SdkPeer:\n    egress: [ \"127.0.0.1\" ]\n", .plugin_dirs = {folder}});
  daemon.start();
  Api api(daemon);
  auto invoked = api.post("/v1/skills/SdkPeer.ip-reputation:invoke", daemon.keys().contributor,
                          {{"inputs", {{"ip", "203.0.113.9"}}}});
  require_status(invoked, 200, "REST invoke of a tool of an MCP server over HTTP");
  EXPECT_EQ(invoked.object().at("result").at("verdict"), "malicious");
}

// The loop with the protocol's reference server as published on npm
// (@modelcontextprotocol/server-everything, over stdio): its tool through the REST API, and its
// structured tool served again to an MCP client over /mcp.
TEST(DaemonMcpPlugins, TheReferenceServerFromNpmRunsThroughTheRestApiAndMcp) {
  TempDir temp;
  const auto folder = mcp_server_plugin(temp,
                                        "    Settings:\n      Command: [ node, " SECPILOT_SOURCE_DIR
                                        "/tests/mcp/node_modules/@modelcontextprotocol/"
                                        "server-everything/dist/index.js, stdio ]\n",
                                        "Everything");
  DaemonProcess daemon({.config = {}, .plugin_dirs = {folder}});
  daemon.start();
  Api api(daemon);
  const auto& key = daemon.keys().contributor;

  auto invoked =
      api.post("/v1/skills/Everything.get-sum:invoke", key, {{"inputs", {{"a", 19}, {"b", 23}}}});
  require_status(invoked, 200, "REST invoke of the reference server's tool");
  EXPECT_EQ(invoked.object().at("result").at("text"), "The sum of 19 and 23 is 42.");

  auto called = api.request(
      "POST", "/mcp", key,
      json::serialize(message("tools/call", {{"name", "Everything.get-structured-content"},
                                             {"arguments", {{"location", "New York"}}}})),
      "application/json", {{"Accept", std::string(kAccept)}});
  require_status(called, 200, "the reference server's tool again over /mcp");
  const auto result = called.object().at("result");
  EXPECT_EQ(result.at("isError"), false);
  EXPECT_EQ(result.at("structuredContent").at("temperature"), 33);
}

std::size_t occurrences(const std::string& text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++count;
  return count;
}

// Once the daemon has listed a hosted server's tools, it keeps them beside the store: the next
// start lists them without starting the server, which starts at its first call and is asked for
// its tools again then, so that a list gone stale is brought up to date.
TEST(DaemonMcpPlugins, AServerWhoseToolsAreKnownStartsAtItsFirstCall) {
  TempDir temp;
  const auto folder = mcp_server_plugin(temp, stdio_peer_settings(", --legacy-only"));
  DaemonProcess daemon({.config = {}, .plugin_dirs = {folder}});
  constexpr std::string_view kStarted = "MCP server node started";
  daemon.start();
  EXPECT_EQ(Api(daemon).get("/v1/skills/SdkPeer.whoami", daemon.keys().reader).status, 200);
  ASSERT_EQ(occurrences(daemon.log(), kStarted), 1u) << daemon.log();
  ASSERT_EQ(daemon.terminate(), 0);

  // The kept list, made stale: whoami is left out of it.
  const auto cache = daemon.store_path().parent_path() / "mcp-tools";
  std::vector<std::filesystem::path> kept;
  for (const auto& entry : std::filesystem::directory_iterator(cache))
    kept.push_back(entry.path());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(std::filesystem::status(kept[0]).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto listed = json::parse(read_file(kept[0]));
  json::array tools;
  for (const auto& tool : listed.as_array())
    if (tool.at("name") != "whoami") tools.push_back(tool);
  write_file(kept[0], json::serialize(tools));

  daemon.start();
  Api api(daemon);
  const auto& key = daemon.keys().contributor;
  EXPECT_EQ(api.get("/v1/skills/SdkPeer.echo", key).status, 200);
  EXPECT_EQ(api.get("/v1/skills/SdkPeer.whoami", key).status, 404) << "the kept list's tools";
  EXPECT_EQ(occurrences(daemon.log(), kStarted), 1u) << "not started for its tool list";

  auto echo = api.post("/v1/skills/SdkPeer.echo:invoke", key, {{"inputs", {{"text", "lazy"}}}});
  require_status(echo, 200, "the first call, which starts the server");
  EXPECT_EQ(echo.object().at("result").at("text"), "echo: lazy");
  EXPECT_EQ(occurrences(daemon.log(), kStarted), 2u);
  EXPECT_TRUE(eventually([&] { return api.get("/v1/skills/SdkPeer.whoami", key).status == 200; }))
      << daemon.log();
  EXPECT_NE(daemon.log().find("lists other tools than when it last ran"), std::string::npos);
}

}  // namespace
}  // namespace secpilot::testing

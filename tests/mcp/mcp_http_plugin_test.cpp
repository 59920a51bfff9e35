// MCP servers over Streamable HTTP as plugins (Format: MCP with an Endpoint): the server built on
// the official TypeScript SDK (tests/mcp/peers/sdk-server.mjs --http) hosted by PluginHost, in
// both protocol eras: the dual-era stateless server is spoken to in the modern era; with
// --legacy-only it keeps sessions and refuses anything before initialize with a plain-text 400,
// so the client falls back to the legacy era. Calls, tool errors, headers from secret settings,
// the egress allow-list, and a server that goes away and comes back.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>
#include <mutex>
#include <thread>

#include "mcp/plugin_support.hpp"
#include "plugin/mcp_clients.hpp"
#include "support/node_http_server.hpp"

namespace secpilot::plugin {
namespace {

namespace json = boost::json;
using mcp_test::invoke;
using secpilot::testing::SdkHttpPeer;
using secpilot::testing::TempDir;

// The plugin reaching `url`, with `more` settings; egress allows loopback and PeerApiKey is set
// unless `egress` is false.
HostOptions http_plugin(const TempDir& temp, const std::string& url, const std::string& more = "",
                        bool egress = true) {
  auto options = mcp_test::options_for(mcp_test::mcp_plugin(
      temp, "      Endpoint: \"" + url + "\"\n      TimeoutInSeconds: 20\n" + more));
  options.overlay_settings = [egress](const std::string&, config::PluginSettings& settings) {
    if (egress) settings.egress = {"127.0.0.1"};
    settings.secrets["PeerApiKey"] = "k-123456789";
  };
  return options;
}

// The era's server: "" (dual-era, stateless) or "--legacy-only" (sessions).
std::vector<std::string> server_arguments(const std::string& era) {
  if (era.empty()) return {};
  return {era};
}

// Calls echo until the back-off after a failure has passed; each refusal until then must say
// when the server is tried again.
Expected<std::string> echo_after_back_off(const PluginHost& host, std::string_view text) {
  const std::string input = "{\"text\":\"" + std::string(text) + "\"}";
  Expected<std::string> echo = invoke(host, "SdkPeer.echo", input);
  for (int attempt = 0; !echo && attempt < 20; ++attempt) {
    const auto& message = echo.error().message;
    const auto at = message.find("tried again in ");
    if (at == std::string::npos) return echo;
    // The refusal says how long the back-off lasts: wait that long, not a guess.
    std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(message.substr(at + 15)) + 1));
    echo = invoke(host, "SdkPeer.echo", input);
  }
  return echo;
}

class McpHttpPlugin : public ::testing::TestWithParam<std::string> {};

TEST_P(McpHttpPlugin, TheServersToolsAreSkillsThatRun) {
  SdkHttpPeer server(server_arguments(GetParam()));
  TempDir temp;
  const PluginHost host(http_plugin(temp, server.url()));
  const auto* record = host.plugin("SdkPeer");
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->state, PluginState::Loaded) << record->error;

  const auto* lookup = host.catalog().find("SdkPeer.ip-reputation");
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->format, manifest::Format::MCP);
  EXPECT_EQ(lookup->spec->display_name, "IP reputation");
  EXPECT_TRUE(lookup->output_schema.has_value()) << "the tool's outputSchema is its Outputs";

  auto answer = invoke(host, "SdkPeer.ip-reputation", R"({"ip":"203.0.113.9"})");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(json::parse(*answer).at("verdict"), "malicious");
  EXPECT_EQ(json::parse(*answer).at("score"), 97);

  auto echo = invoke(host, "SdkPeer.echo", R"({"text":"over HTTP"})");
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(json::parse(*echo).at("text"), "echo: over HTTP");

  // A notification (a log message) ahead of the result, and in the legacy era's event streams a
  // priming event first.
  auto chatty = invoke(host, "SdkPeer.chatty", "{}");
  ASSERT_TRUE(chatty) << chatty.error().message;
  EXPECT_EQ(json::parse(*chatty).at("text"), "said something first");

  // A tool named in more than ASCII: the modern era's Mcp-Name header is base64, as the SDK
  // checks.
  auto geo = invoke(host, "SdkPeer.g\u00e9o", "{}");
  ASSERT_TRUE(geo) << geo.error().message;
  EXPECT_EQ(json::parse(*geo).at("text"), "g\u00e9o ok");

  auto failed = invoke(host, "SdkPeer.fail", "{}");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().status, Status::upstream);
  EXPECT_NE(failed.error().message.find("the feed is down"), std::string::npos)
      << failed.error().message;
}

TEST_P(McpHttpPlugin, HeadersCarrySecretsFromTheSettings) {
  // The server refuses every request without the key, the session's DELETE included.
  auto arguments = server_arguments(GetParam());
  arguments.insert(arguments.end(), {"--api-key", "k-123456789"});
  SdkHttpPeer server(arguments);
  TempDir temp;
  const PluginHost host(
      http_plugin(temp, server.url(), "      Headers: { X-Peer-Api-Key: \"{{PeerApiKey}}\" }\n"));
  auto answer = invoke(host, "SdkPeer.whoami", "{}");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(json::parse(*answer).at("text"), "key length 11");
}

TEST_P(McpHttpPlugin, AServerThatGoesAwayFailsCallsUntilItIsBack) {
  SdkHttpPeer server(server_arguments(GetParam()));
  TempDir temp;
  const PluginHost host(http_plugin(temp, server.url()));
  ASSERT_TRUE(invoke(host, "SdkPeer.echo", R"({"text":"first"})"));

  server.kill();
  auto gone = invoke(host, "SdkPeer.echo", R"({"text":"gone"})");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().status, Status::upstream);
  EXPECT_NE(gone.error().message.find("cannot be reached"), std::string::npos)
      << gone.error().message;
  EXPECT_NE(gone.error().message.find(server.url()), std::string::npos) << gone.error().message;

  server.restart();
  auto back = echo_after_back_off(host, "back");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(json::parse(*back).at("text"), "echo: back");
}

INSTANTIATE_TEST_SUITE_P(BothEras, McpHttpPlugin, ::testing::Values("", "--legacy-only"),
                         [](const auto& info) { return info.param.empty() ? "Modern" : "Legacy"; });

TEST(McpHttpPluginSessions, ARestartedServersForgottenSessionIsOpenedAgainAtOnce) {
  SdkHttpPeer server({"--legacy-only"});
  TempDir temp;
  const PluginHost host(http_plugin(temp, server.url()));
  ASSERT_TRUE(invoke(host, "SdkPeer.echo", R"({"text":"first"})"));
  // The new process knows no session: the call's 404 makes a new session, and the call runs.
  server.restart();
  auto again = invoke(host, "SdkPeer.echo", R"({"text":"again"})");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(json::parse(*again).at("text"), "echo: again");
}

TEST(McpHttpPluginSessions, TheSessionIsEndedWhenThePluginIs) {
  SdkHttpPeer server({"--legacy-only"});
  TempDir temp;
  {
    const PluginHost host(http_plugin(temp, server.url()));
    ASSERT_EQ(host.plugin("SdkPeer")->state, PluginState::Loaded) << host.plugin("SdkPeer")->error;
  }
  EXPECT_TRUE(server.wait_for_line("session closed")) << "DELETE of the session";
}

// What a server says outside any request comes on the session's own event stream (GET), which the
// client keeps open: a tool added while the server runs is heard of there.
TEST(McpHttpPluginSessions, ToolChangesArriveOnTheSessionsOwnStream) {
  SdkHttpPeer server({"--legacy-only"});
  TempDir temp;
  auto options = http_plugin(temp, server.url());
  std::promise<void> told;
  std::once_flag once;
  options.mcp_clients =
      std::make_shared<McpClients>([&] { std::call_once(once, [&] { told.set_value(); }); });
  const PluginHost host(std::move(options));
  ASSERT_TRUE(server.wait_for_line("event stream opened")) << "the client's GET";

  auto added = invoke(host, "SdkPeer.add-tool", "{}");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(told.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready)
      << "notifications/tools/list_changed did not arrive";
}

// A response's event stream that ends before the response (a proxy's cut, a restarted balancer)
// is resumed from its last event: the answer comes on the resumed stream, and the call is not
// sent again.
TEST(McpHttpPluginSessions, AStreamCutShortIsResumedFromItsLastEvent) {
  SdkHttpPeer server({"--legacy-only"});
  TempDir temp;
  const PluginHost host(http_plugin(temp, server.url()));
  auto answer = invoke(host, "SdkPeer.cut-short", "{}");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(json::parse(*answer).at("text"), "answered after the cut");
  EXPECT_TRUE(server.wait_for_line("event stream resumed after")) << "the client's Last-Event-ID";
}

TEST(McpHttpPluginErrors, AnHttpErrorFailsThePluginNamingTheStatus) {
  SdkHttpPeer server({"--api-key", "k-123456789"});
  TempDir temp;
  const PluginHost host(http_plugin(temp, server.url()));
  const auto* record = host.plugin("SdkPeer");
  EXPECT_EQ(record->state, PluginState::Failed);
  EXPECT_NE(record->error.find("answered initialize with HTTP 401 Unauthorized: missing or wrong "
                               "X-Peer-Api-Key"),
            std::string::npos)
      << record->error;
}

TEST(McpHttpPluginSettings, AllowedToolsLimitTheSkills) {
  SdkHttpPeer server;
  TempDir temp;
  const PluginHost host(http_plugin(temp, server.url(), "      AllowedTools: [echo, nope]\n"));
  EXPECT_NE(host.catalog().find("SdkPeer.echo"), nullptr);
  EXPECT_EQ(host.catalog().find("SdkPeer.ip-reputation"), nullptr);
  const auto& warnings = host.plugin("SdkPeer")->warnings;
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
    return w.find("AllowedTools names nope") != std::string::npos;
  }));
}

TEST(McpHttpPluginSettings, AnEndpointOffTheEgressListFailsThePluginAndSaysHowToAllowIt) {
  SdkHttpPeer server;
  TempDir temp;
  const PluginHost host(http_plugin(temp, server.url(), "", /*egress=*/false));
  const auto* record = host.plugin("SdkPeer");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->state, PluginState::Failed);
  EXPECT_NE(record->error.find("egress to 127.0.0.1:" + std::to_string(server.port()) +
                               " is not allowed"),
            std::string::npos)
      << record->error;
}

TEST(McpHttpPluginSettings, AHeaderNamingAMissingSettingFailsThePlugin) {
  TempDir temp;
  const PluginHost host(http_plugin(temp, "http://127.0.0.1:9/mcp",
                                    "      Headers: { Authorization: \"Bearer {{Token}}\" }\n"));
  const auto* record = host.plugin("SdkPeer");
  EXPECT_EQ(record->state, PluginState::Failed);
  EXPECT_NE(record->error.find("Headers Authorization refers to a setting without a value: the "
                               "setting Token has no value"),
            std::string::npos)
      << record->error;
}

TEST(McpHttpPluginSettings, CommandAndEndpointTogetherFailThePlugin) {
  TempDir temp;
  const PluginHost host(http_plugin(temp, "http://127.0.0.1:9/mcp",
                                    "      Command: [node, " + mcp_test::kPeer + "]\n"));
  const auto* record = host.plugin("SdkPeer");
  EXPECT_EQ(record->state, PluginState::Failed);
  EXPECT_NE(record->error.find("has both Settings.Endpoint and Settings.Command"),
            std::string::npos)
      << record->error;
}

TEST(McpHttpPluginSettings, AnEndpointThatIsNotAnHttpUrlFailsThePlugin) {
  TempDir temp;
  const PluginHost host(http_plugin(temp, "ftp://127.0.0.1/mcp"));
  const auto* record = host.plugin("SdkPeer");
  EXPECT_EQ(record->state, PluginState::Failed);
  EXPECT_NE(record->error.find("not an absolute http:// or https:// URL"), std::string::npos)
      << record->error;
}

}  // namespace
}  // namespace secpilot::plugin

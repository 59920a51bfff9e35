// MCP servers as plugins (Format: MCP): a real server built on the official TypeScript SDK
// (tests/mcp/peers/sdk-server.mjs, run by node) hosted by PluginHost, in both protocol eras. Its
// tools become skills with the server's names, descriptions and schemas; calls reach it through
// the same executor as every skill; its failures, its secrets and its crashes are handled.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "mcp/plugin_support.hpp"

namespace secpilot::plugin {
namespace {

namespace json = boost::json;
using mcp_test::invoke;
using mcp_test::kPeer;
using mcp_test::options_for;
using secpilot::testing::TempDir;

// The plugin running the peer over stdio with `arguments` and `more` settings.
std::filesystem::path peer_plugin(const TempDir& temp, const std::string& arguments = "",
                                  const std::string& more = "") {
  return mcp_test::mcp_plugin(temp, "      Command: [node, " + kPeer + arguments +
                                        "]\n      TimeoutInSeconds: 20\n" + more);
}

class McpPlugin : public ::testing::TestWithParam<std::string> {};

TEST_P(McpPlugin, TheServersToolsAreSkillsThatRun) {
  TempDir temp;
  const PluginHost host(options_for(peer_plugin(temp, GetParam())));
  const auto* record = host.plugin("SdkPeer");
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->state, PluginState::Loaded) << record->error;

  const auto* lookup = host.catalog().find("SdkPeer.ip-reputation");
  ASSERT_NE(lookup, nullptr);
  EXPECT_TRUE(lookup->available()) << lookup->unavailable_reason;
  EXPECT_EQ(lookup->format, manifest::Format::MCP);
  EXPECT_EQ(lookup->spec->display_name, "IP reputation");
  EXPECT_EQ(lookup->spec->description, "Reputation of an IP address in the peer's tiny feed.");
  ASSERT_EQ(lookup->spec->inputs.size(), 1u);
  EXPECT_EQ(lookup->spec->inputs[0].name, "ip");
  EXPECT_TRUE(lookup->spec->inputs[0].required);
  EXPECT_EQ(lookup->spec->side_effects, manifest::SideEffects::Read);
  EXPECT_TRUE(lookup->output_schema.has_value()) << "the tool's outputSchema is its Outputs";
  // Without annotations a tool is destructive, as MCP's defaults say: it waits for approval.
  EXPECT_EQ(host.catalog().find("SdkPeer.delete-indicator")->spec->side_effects,
            manifest::SideEffects::Destructive);

  auto answer = invoke(host, "SdkPeer.ip-reputation", R"({"ip":"203.0.113.9"})");
  ASSERT_TRUE(answer) << answer.error().message;
  const auto result = json::parse(*answer);
  EXPECT_EQ(result.at("verdict"), "malicious");
  EXPECT_EQ(result.at("score"), 97);

  auto echo = invoke(host, "SdkPeer.echo", R"({"text":"over stdio"})");
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(json::parse(*echo).at("text"), "echo: over stdio") << "text-only results as {text}";

  // The executor's input checks run before the server is asked.
  auto missing = invoke(host, "SdkPeer.ip-reputation", "{}");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().status, Status::invalid_input);
}

// The dual-era server is spoken to in the modern era; --legacy-only answers server/discover with
// "method not found", so the client falls back to initialize.
INSTANTIATE_TEST_SUITE_P(BothEras, McpPlugin, ::testing::Values("", ", --legacy-only"),
                         [](const auto& info) { return info.param.empty() ? "Modern" : "Legacy"; });

TEST(McpPluginCalls, AToolErrorIsAnUpstreamErrorWithTheToolsText) {
  TempDir temp;
  const PluginHost host(options_for(peer_plugin(temp)));
  auto failed = invoke(host, "SdkPeer.fail", "{}");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().status, Status::upstream);
  EXPECT_NE(failed.error().message.find("the feed is down"), std::string::npos)
      << failed.error().message;
}

TEST(McpPluginCalls, SecretsReachTheServerOnlyThroughItsEnvironment) {
  TempDir temp;
  auto options = options_for(
      peer_plugin(temp, "", "      Environment: { PEER_API_KEY: \"{{PeerApiKey}}\" }\n"));
  options.overlay_settings = [](const std::string&, config::PluginSettings& settings) {
    settings.secrets["PeerApiKey"] = "k-123456789";
  };
  const PluginHost host(std::move(options));
  auto answer = invoke(host, "SdkPeer.whoami", "{}");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(json::parse(*answer).at("text"), "key length 11");
}

TEST(McpPluginCalls, AllowedToolsLimitTheSkills) {
  TempDir temp;
  const PluginHost host(
      options_for(peer_plugin(temp, "", "      AllowedTools: echo, ip-reputation, nope\n")));
  EXPECT_NE(host.catalog().find("SdkPeer.echo"), nullptr);
  EXPECT_NE(host.catalog().find("SdkPeer.ip-reputation"), nullptr);
  EXPECT_EQ(host.catalog().find("SdkPeer.delete-indicator"), nullptr);
  EXPECT_EQ(host.catalog().find("SdkPeer.crash"), nullptr);
  const auto& warnings = host.plugin("SdkPeer")->warnings;
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
    return w.find("AllowedTools names nope") != std::string::npos;
  }));
}

TEST(McpPluginCalls, AServerThatExitsIsStartedAgainForALaterCall) {
  TempDir temp;
  const PluginHost host(options_for(peer_plugin(temp)));
  auto crashed = invoke(host, "SdkPeer.crash", "{}");
  ASSERT_FALSE(crashed);
  EXPECT_EQ(crashed.error().status, Status::upstream);
  EXPECT_NE(crashed.error().message.find("exited with status 3"), std::string::npos)
      << crashed.error().message;
  // Until the back-off has passed, calls say when the server starts again; then it does.
  Expected<std::string> echo = make_error(Status::internal, "not called");
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < give_up) {
    echo = invoke(host, "SdkPeer.echo", R"({"text":"again"})");
    if (echo) break;
    EXPECT_NE(echo.error().message.find("started again in"), std::string::npos)
        << echo.error().message;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(json::parse(*echo).at("text"), "echo: again");
}

TEST(McpPluginCalls, AServerThatCannotStartFailsItsPluginWithTheReason) {
  TempDir temp;
  const auto folder = temp.path() / "broken";
  std::filesystem::create_directories(folder);
  secpilot::testing::write_file(folder / "broken.yaml",
                                "Descriptor: { Name: Broken, Description: A missing server. }\n"
                                "SkillGroups:\n"
                                "  - Format: MCP\n"
                                "    Settings: { Command: [ ./no-such-server ] }\n"
                                "  - Format: MCP\n"
                                "    Settings: { Endpoint: \"http://127.0.0.1:9/mcp\" }\n");
  const PluginHost host(options_for(folder));
  const auto* record = host.plugin("Broken");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->state, PluginState::Failed);
  EXPECT_NE(record->error.find("no-such-server"), std::string::npos) << record->error;
}

}  // namespace
}  // namespace secpilot::plugin

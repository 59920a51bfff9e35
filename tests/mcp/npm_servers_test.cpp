// MCP servers from npm, as published, hosted as Format: MCP plugins over stdio and over Streamable
// HTTP (tests/mcp/package-lock.json pins them):
// - @modelcontextprotocol/server-everything, the protocol's reference server (version 1 of the
//   SDK underneath, legacy era, sessions with resumable event streams over HTTP, tools added after
//   initialisation), run from its package's own entry point;
// - a server written on @modelcontextprotocol/sdk, version 1 of the official TypeScript SDK, the
//   way most vendors' servers are written today (tests/mcp/peers/sdk1-server.mjs; stateless with
//   JSON answers over HTTP).
// Their tools are skills with the servers' own names, descriptions and schemas, and they answer.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <memory>
#include <optional>

#include "mcp/plugin_support.hpp"
#include "support/node_http_server.hpp"

namespace secpilot::plugin {
namespace {

namespace json = boost::json;
using mcp_test::invoke;
using secpilot::testing::kMcpNodeModules;
using secpilot::testing::kMcpPeers;
using secpilot::testing::NodeHttpServer;
using secpilot::testing::TempDir;

enum class Transport { Stdio, Http };

// How to run one npm server: its script, and its arguments for each transport ("{port}": where
// it listens).
struct NpmServer {
  std::string plugin;  // the plugin's name in the manifest
  std::string script;
  std::vector<std::string> stdio_arguments, http_arguments;
};

const NpmServer kEverything{
    "Everything",
    kMcpNodeModules + "@modelcontextprotocol/server-everything/dist/index.js",
    {"stdio"},
    {"streamableHttp"}};
const NpmServer kSdk1{"Sdk1Peer", kMcpPeers + "sdk1-server.mjs", {}, {"--http", "{port}"}};

// The server hosted as a plugin over `transport`: over HTTP it runs beside the host, reached
// through the plugin's Endpoint (egress allowed to loopback); over stdio the host starts it.
// `more`: further MCP settings, six spaces in.
class HostedServer {
 public:
  HostedServer(const NpmServer& server, Transport transport, const std::string& more = "") {
    std::string settings;
    if (transport == Transport::Http) {
      http_.emplace(server.script, server.http_arguments);
      settings = "      Endpoint: \"" + http_->url() + "\"\n";
    } else {
      settings = "      Command: [node, " + server.script;
      for (const auto& argument : server.stdio_arguments)
        settings += ", " + argument;
      settings += "]\n";
    }
    auto options = mcp_test::options_for(mcp_test::mcp_plugin(
        temp_, settings + "      TimeoutInSeconds: 30\n" + more, server.plugin));
    options.overlay_settings = [](const std::string&, config::PluginSettings& plugin) {
      plugin.egress = {"127.0.0.1"};
      plugin.secrets["PeerApiKey"] = "k-from-the-settings";
    };
    host_ = std::make_unique<PluginHost>(std::move(options));
  }

  const PluginHost& host() const { return *host_; }
  const PluginRecord& record(const std::string& plugin) const {
    const auto* found = host_->plugin(plugin);
    if (found == nullptr) throw std::runtime_error("no plugin " + plugin);
    return *found;
  }

 private:
  TempDir temp_;
  std::optional<NodeHttpServer> http_;  // before the host: the host ends its session first
  std::unique_ptr<PluginHost> host_;
};

std::string transport_name(const ::testing::TestParamInfo<Transport>& info) {
  return info.param == Transport::Stdio ? "Stdio" : "Http";
}

class ServerEverything : public ::testing::TestWithParam<Transport> {};

TEST_P(ServerEverything, ItsToolsAreSkillsThatAnswer) {
  const HostedServer hosted(kEverything, GetParam());
  ASSERT_EQ(hosted.record("Everything").state, PluginState::Loaded)
      << hosted.record("Everything").error;
  const auto& catalog = hosted.host().catalog();

  const auto* sum = catalog.find("Everything.get-sum");
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(sum->spec->display_name, "Get Sum Tool");
  EXPECT_EQ(sum->spec->description, "Returns the sum of two numbers");
  ASSERT_EQ(sum->spec->inputs.size(), 2u);
  EXPECT_EQ(sum->spec->inputs[0].name, "a");
  EXPECT_TRUE(sum->spec->inputs[0].required);
  EXPECT_EQ(sum->spec->side_effects, manifest::SideEffects::Read) << "readOnlyHint";

  auto added = invoke(hosted.host(), "Everything.get-sum", R"({"a":2,"b":40})");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(json::parse(*added).at("text"), "The sum of 2 and 40 is 42.");

  auto echo = invoke(hosted.host(), "Everything.echo", R"({"message":"from secpilot"})");
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(json::parse(*echo).at("text"), "Echo: from secpilot");

  // structuredContent, checked against the tool's outputSchema, is the skill's output.
  const auto* weather = catalog.find("Everything.get-structured-content");
  ASSERT_NE(weather, nullptr);
  EXPECT_TRUE(weather->output_schema.has_value());
  auto structured =
      invoke(hosted.host(), "Everything.get-structured-content", R"({"location":"Chicago"})");
  ASSERT_TRUE(structured) << structured.error().message;
  EXPECT_EQ(json::parse(*structured).at("temperature"), 36);
  EXPECT_EQ(json::parse(*structured).at("conditions"), "Light rain / drizzle");

  // An argument the server's schema refuses is the caller's mistake, with the server's words.
  auto refused =
      invoke(hosted.host(), "Everything.get-structured-content", R"({"location":"Atlantis"})");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("location"), std::string::npos) << refused.error().message;
}

TEST_P(ServerEverything, ACallPastItsTimeLimitFailsAndTheServerAnswersTheNextOne) {
  const HostedServer hosted(kEverything, GetParam());
  const auto* slow = hosted.host().catalog().find("Everything.trigger-long-running-operation");
  ASSERT_NE(slow, nullptr);
  skills::InvokeOptions options;
  options.timeout = std::chrono::milliseconds(500);
  auto late = skills::invoke(*slow, R"({"duration":30,"steps":30})", options);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().status, Status::timeout) << late.error().message;

  auto echo = invoke(hosted.host(), "Everything.echo", R"({"message":"still here"})");
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(json::parse(*echo).at("text"), "Echo: still here");
}

INSTANTIATE_TEST_SUITE_P(OverBothTransports, ServerEverything,
                         ::testing::Values(Transport::Stdio, Transport::Http), transport_name);

// Over stdio the server's environment is what its manifest gives it (a secret from the settings
// among it) and a few basics, not the host's: the reference server's get-env tool prints it.
TEST(ServerEverythingOverStdio, TheServerSeesOnlyTheEnvironmentItsManifestGives) {
  ::setenv("SECPILOT_TEST_HOST_ONLY", "not for plugins", 1);
  const HostedServer hosted(kEverything, Transport::Stdio,
                            "      Environment: { VENDOR_TOKEN: \"{{PeerApiKey}}\" }\n");
  auto printed = invoke(hosted.host(), "Everything.get-env", "{}");
  ::unsetenv("SECPILOT_TEST_HOST_ONLY");
  ASSERT_TRUE(printed) << printed.error().message;
  const auto environment = json::parse(json::parse(*printed).at("text").as_string());
  EXPECT_EQ(environment.at("VENDOR_TOKEN"), "k-from-the-settings");
  EXPECT_EQ(environment.as_object().if_contains("SECPILOT_TEST_HOST_ONLY"), nullptr);
}

class Sdk1Server : public ::testing::TestWithParam<Transport> {};

TEST_P(Sdk1Server, ItsToolsAreSkillsThatAnswerAndItsErrorsAreUpstreamErrors) {
  const HostedServer hosted(kSdk1, GetParam());
  ASSERT_EQ(hosted.record("Sdk1Peer").state, PluginState::Loaded)
      << hosted.record("Sdk1Peer").error;

  const auto* age = hosted.host().catalog().find("Sdk1Peer.domain-age");
  ASSERT_NE(age, nullptr);
  EXPECT_EQ(age->spec->display_name, "Domain age");
  EXPECT_TRUE(age->output_schema.has_value());
  auto young = invoke(hosted.host(), "Sdk1Peer.domain-age", R"({"domain":"login-update.example"})");
  ASSERT_TRUE(young) << young.error().message;
  EXPECT_EQ(json::parse(*young).at("days"), 3);
  EXPECT_EQ(json::parse(*young).at("newlyRegistered"), true);

  auto echo = invoke(hosted.host(), "Sdk1Peer.echo", R"({"text":"v1"})");
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(json::parse(*echo).at("text"), "sdk1: v1");

  auto failed = invoke(hosted.host(), "Sdk1Peer.fail", "{}");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().status, Status::upstream);
  EXPECT_NE(failed.error().message.find("whois is unavailable"), std::string::npos)
      << failed.error().message;
}

INSTANTIATE_TEST_SUITE_P(OverBothTransports, Sdk1Server,
                         ::testing::Values(Transport::Stdio, Transport::Http), transport_name);

}  // namespace
}  // namespace secpilot::plugin

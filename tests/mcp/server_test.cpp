// The MCP server core, message by message, against a host with the built ThreatIntel plugin and a
// copy of the Misbehaving test plugin whose manifest gives two skills side effects.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>

#include "secpilot/mcp/server.hpp"
#include "secpilot/util/json_schema.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::mcp {
namespace {

namespace json = boost::json;
using secpilot::testing::TempDir;

// Misbehaving, with ThrowUntyped writing and ThrowTyped destroying.
std::filesystem::path side_effect_plugin(const TempDir& temp) {
  const auto folder = secpilot::testing::copy_plugin("misbehaving", temp.path());
  const auto manifest = folder / "misbehaving.yaml";
  std::string text = secpilot::testing::read_file(manifest);
  for (auto [skill, effects] :
       {std::pair{"Throws std::runtime_error.", "write"},
        std::pair{"Throws sdk::Error with SP_ERR_NOT_FOUND.", "destructive"}}) {
    const auto at = text.find(skill);
    EXPECT_NE(at, std::string::npos) << skill;
    text.insert(at + std::string_view(skill).size(),
                std::string("\n        SideEffects: ") + effects);
  }
  secpilot::testing::write_file(manifest, text);
  return folder;
}

class McpServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new TempDir;
    plugin::HostOptions options;
    options.plugin_dirs = {std::filesystem::path(SECPILOT_BINARY_DIR) / "plugins" / "threat-intel",
                           side_effect_plugin(*temp_)};
    host_ = new std::shared_ptr<const plugin::PluginHost>(
        std::make_shared<const plugin::PluginHost>(std::move(options)));
  }
  static void TearDownTestSuite() {
    delete host_;
    delete temp_;
  }

  ServerOptions options() const {
    ServerOptions options;
    options.hosts = [host = *host_] { return host; };
    return options;
  }
  // Sends one request and returns the whole response object.
  json::object ask(const Server& server, std::string_view method, json::object params = {},
                   json::value id = 7) const {
    json::object request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.empty()) request["params"] = std::move(params);
    const std::string answer = server.handle(json::serialize(request));
    EXPECT_EQ(answer.find('\n'), std::string::npos) << "stdio frames are lines";
    auto response = json::parse(answer).as_object();
    EXPECT_EQ(response.at("jsonrpc"), "2.0");
    EXPECT_EQ(response.at("id"), id);
    return response;
  }
  json::object result(const Server& server, std::string_view method, json::object params = {}) {
    auto response = ask(server, method, std::move(params));
    EXPECT_TRUE(response.contains("result")) << json::serialize(response);
    return response.contains("result") ? response.at("result").as_object() : json::object{};
  }
  json::object call(const Server& server, std::string_view tool, json::object arguments = {}) {
    return result(server, "tools/call", {{"name", tool}, {"arguments", std::move(arguments)}});
  }
  static std::int64_t error_code(const json::object& response) {
    EXPECT_TRUE(response.contains("error")) << json::serialize(response);
    return response.contains("error") ? response.at("error").at("code").as_int64() : 0;
  }
  static std::string error_message(const json::object& response) {
    return response.contains("error") ? std::string(response.at("error").at("message").as_string())
                                      : "";
  }
  static std::string text_of(const json::object& result) {
    return std::string(result.at("content").at(0).at("text").as_string());
  }
  static json::object tool(const json::object& list, std::string_view name) {
    for (const auto& item : list.at("tools").as_array())
      if (item.at("name").as_string() == name) return item.as_object();
    ADD_FAILURE() << "no tool " << name << " in " << json::serialize(list);
    return {};
  }

  static inline TempDir* temp_ = nullptr;
  static inline std::shared_ptr<const plugin::PluginHost>* host_ = nullptr;
};

TEST_F(McpServer, InitializeEchoesTheVersionsItSpeaksAndOffersItsNewestOtherwise) {
  const Server server(options());
  for (std::string_view version : {"2025-11-25", "2025-06-18"}) {
    auto answer = result(server, "initialize",
                         {{"protocolVersion", version},
                          {"capabilities", json::object{}},
                          {"clientInfo", {{"name", "test"}, {"version", "1"}}}});
    EXPECT_EQ(answer.at("protocolVersion").as_string(), version);
    EXPECT_EQ(answer.at("capabilities"), json::parse(R"({"tools":{"listChanged":false}})"));
    EXPECT_EQ(answer.at("serverInfo").at("name"), "secpilot");
    EXPECT_FALSE(answer.at("serverInfo").at("version").as_string().empty());
    EXPECT_NE(answer.at("serverInfo").at("version"), "unknown");
  }
  for (std::string_view other : {"2024-11-05", "2026-07-28", "next"})
    EXPECT_EQ(result(server, "initialize", {{"protocolVersion", other}}).at("protocolVersion"),
              "2025-11-25");
  EXPECT_EQ(error_code(ask(server, "initialize", {{"capabilities", json::object{}}})), -32602);
}

TEST_F(McpServer, PingAnswersEmptyWithTheIdAsGiven) {
  const Server server(options());
  auto response = ask(server, "ping", {}, "abc-1");
  EXPECT_EQ(response.at("result"), json::object{});
  EXPECT_EQ(ask(server, "ping", {}, 0).at("result"), json::object{});
}

TEST_F(McpServer, NotificationsAndClientResponsesAreNeverAnswered) {
  const Server server(options());
  EXPECT_EQ(server.handle(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"), "");
  EXPECT_EQ(server.handle(R"({"jsonrpc":"2.0","method":"notifications/cancelled",)"
                          R"("params":{"requestId":3}})"),
            "");
  EXPECT_EQ(server.handle(R"({"jsonrpc":"2.0","method":"no/such/notification"})"), "");
  EXPECT_EQ(server.handle(R"({"jsonrpc":"2.0","id":4,"result":{}})"), "");
}

TEST_F(McpServer, ListsEverySkillAsAToolWithSchemasAndAnnotations) {
  const Server server(options());
  auto list = result(server, "tools/list");
  const auto& tools = list.at("tools").as_array();
  EXPECT_EQ(tools.size(), (*host_)->catalog().size());
  const std::regex valid_name("[A-Za-z0-9_.-]{1,128}");
  for (const auto& item : tools) {
    EXPECT_TRUE(std::regex_match(std::string(item.at("name").as_string()), valid_name));
    EXPECT_FALSE(item.at("description").as_string().empty()) << item.at("name");
    EXPECT_EQ(item.at("inputSchema").at("type"), "object");
  }

  auto lookup = tool(list, "ThreatIntel.LookupIndicator");
  EXPECT_EQ(lookup.at("title"), "Look up an indicator");
  EXPECT_NE(lookup.at("description").as_string().find("indicator of compromise"),
            std::string::npos);  // the text written for models
  EXPECT_EQ(lookup.at("inputSchema").at("required"), json::array{"indicator"});
  EXPECT_EQ(lookup.at("inputSchema").at("additionalProperties"), false);
  EXPECT_EQ(lookup.at("outputSchema").at("type"), "object");
  EXPECT_TRUE(lookup.at("outputSchema").at("properties").as_object().contains("verdict"));
  EXPECT_EQ(lookup.at("annotations").at("readOnlyHint"), true);
  EXPECT_EQ(lookup.at("annotations").at("destructiveHint"), false);

  EXPECT_FALSE(tool(list, "Misbehaving.Echo").contains("outputSchema"));  // no Outputs
  EXPECT_EQ(tool(list, "Misbehaving.Echo").at("annotations").at("readOnlyHint"), true);
  auto writes = tool(list, "Misbehaving.ThrowUntyped").at("annotations");
  EXPECT_EQ(writes.at("readOnlyHint"), false);
  EXPECT_EQ(writes.at("destructiveHint"), false);
  auto destroys = tool(list, "Misbehaving.ThrowTyped").at("annotations");
  EXPECT_EQ(destroys.at("readOnlyHint"), false);
  EXPECT_EQ(destroys.at("destructiveHint"), true);
}

TEST_F(McpServer, CallReturnsStructuredContentThatMatchesTheOutputSchemaAndTheSameText) {
  const Server server(options());
  auto answer = call(server, "ThreatIntel.LookupIndicator", {{"indicator", "203.0.113[.]45"}});
  EXPECT_EQ(answer.at("isError"), false);
  const auto& structured = answer.at("structuredContent").as_object();
  EXPECT_EQ(structured.at("indicator"), "203.0.113.45");
  EXPECT_EQ(structured.at("verdict"), "malicious");
  EXPECT_EQ(json::parse(text_of(answer)), structured);
  auto schema = JsonSchema::compile(
      tool(result(server, "tools/list"), "ThreatIntel.LookupIndicator").at("outputSchema"));
  ASSERT_TRUE(schema) << schema.error().message;
  EXPECT_TRUE(schema->validate(structured).empty());
}

TEST_F(McpServer, SkillFailuresAreToolErrorsTheModelCanRead) {
  const Server server(options());
  auto missing = call(server, "Misbehaving.Echo");  // `text` is required
  EXPECT_EQ(missing.at("isError"), true);
  EXPECT_NE(text_of(missing).find("text"), std::string::npos) << text_of(missing);
  EXPECT_FALSE(missing.contains("structuredContent"));

  auto wrong_shape = call(server, "Misbehaving.WrongShape");
  EXPECT_EQ(wrong_shape.at("isError"), true);
  EXPECT_NE(text_of(wrong_shape).find("Misbehaving.WrongShape"), std::string::npos);

  auto invalid = call(server, "Misbehaving.InvalidJson");
  EXPECT_EQ(invalid.at("isError"), true);
}

TEST_F(McpServer, SideEffectsAreRefusedWithTheWayToGetThemApproved) {
  const Server server(options());
  for (std::string_view skill : {"Misbehaving.ThrowUntyped", "Misbehaving.ThrowTyped"}) {
    auto answer = call(server, skill);
    EXPECT_EQ(answer.at("isError"), true);
    EXPECT_NE(text_of(answer).find("approv"), std::string::npos) << text_of(answer);
    EXPECT_NE(text_of(answer).find("/v1/sessions/{id}/prompts"), std::string::npos);
  }
}

TEST_F(McpServer, ReportsEachCallThatReachedASkill) {
  std::vector<std::pair<std::string, Status>> calls;
  auto with_hook = options();
  with_hook.on_call = [&](const skills::SkillEntry& entry, const Error* error,
                          std::chrono::nanoseconds) {
    calls.emplace_back(entry.full_name, error ? error->status : Status::ok);
  };
  const Server server(std::move(with_hook));
  call(server, "ThreatIntel.LookupIndicator", {{"indicator", "example.com"}});
  call(server, "Misbehaving.Echo");
  call(server, "Misbehaving.ThrowTyped");  // refused before it runs
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], (std::pair<std::string, Status>{"ThreatIntel.LookupIndicator", Status::ok}));
  EXPECT_EQ(calls[1].second, Status::invalid_input);
}

TEST_F(McpServer, UnknownToolsAndMalformedCallsAreInvalidParams) {
  const Server server(options());
  auto unknown = ask(server, "tools/call", {{"name", "ThreatIntel.LookupIndicatr"}});
  EXPECT_EQ(error_code(unknown), -32602);
  EXPECT_NE(error_message(unknown).find("Unknown tool: ThreatIntel.LookupIndicatr"),
            std::string::npos);
  EXPECT_NE(error_message(unknown).find("did you mean ThreatIntel.LookupIndicator"),
            std::string::npos);
  EXPECT_EQ(error_code(ask(server, "tools/call", {{"arguments", json::object{}}})), -32602);
  EXPECT_EQ(error_code(ask(server, "tools/call",
                           {{"name", "ThreatIntel.LookupIndicator"}, {"arguments", "x"}})),
            -32602);
}

TEST_F(McpServer, DisabledPluginsAreNeitherListedNorCallable) {
  auto only_threat_intel = options();
  only_threat_intel.enabled = [](const skills::SkillEntry& entry) {
    return entry.plugin == "ThreatIntel";
  };
  const Server server(std::move(only_threat_intel));
  const auto list = result(server, "tools/list");
  EXPECT_FALSE(list.at("tools").as_array().empty());
  for (const auto& item : list.at("tools").as_array())
    EXPECT_EQ(item.at("name").as_string().subview().substr(0, 12), "ThreatIntel.");
  auto refused =
      ask(server, "tools/call", {{"name", "Misbehaving.Echo"}, {"arguments", {{"text", "hi"}}}});
  EXPECT_EQ(error_code(refused), -32602);
  EXPECT_NE(error_message(refused).find("disabled"), std::string::npos);
}

TEST_F(McpServer, ProtocolErrorsUseTheJsonRpcCodes) {
  const Server server(options());
  auto answer = [&](std::string_view message) {
    return json::parse(server.handle(message)).as_object();
  };
  auto parse_error = answer("{not json");
  EXPECT_EQ(error_code(parse_error), -32700);
  EXPECT_TRUE(parse_error.at("id").is_null());
  EXPECT_EQ(error_code(answer(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])")), -32600);
  EXPECT_EQ(error_code(answer(R"("ping")")), -32600);
  auto no_version = answer(R"({"id":1,"method":"ping"})");
  EXPECT_EQ(error_code(no_version), -32600);
  EXPECT_EQ(no_version.at("id"), 1);
  EXPECT_EQ(error_code(answer(R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})")), -32600);
  EXPECT_EQ(error_code(answer(R"({"jsonrpc":"2.0","id":1})")), -32600);
  EXPECT_EQ(error_code(answer(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":[]})")),
            -32602);
  auto unknown = ask(server, "resources/list");
  EXPECT_EQ(error_code(unknown), -32601);
  EXPECT_NE(error_message(unknown).find("resources/list"), std::string::npos);
}

}  // namespace
}  // namespace secpilot::mcp

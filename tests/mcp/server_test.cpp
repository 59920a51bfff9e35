// The MCP server core, message by message, against a host with the built ThreatIntel plugin and a
// copy of the Misbehaving test plugin whose manifest gives two skills side effects.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>

#include "secpilot/mcp/server.hpp"
#include "secpilot/promptbook/registry.hpp"
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

// Modern-era requests (2026-07-28): no handshake, `_meta` on every request.
json::object modern_meta(std::string_view version = "2026-07-28") {
  return {{"io.modelcontextprotocol/protocolVersion", version},
          {"io.modelcontextprotocol/clientInfo", {{"name", "test"}, {"version", "1"}}},
          {"io.modelcontextprotocol/clientCapabilities", json::object{}}};
}

json::object modern(std::string_view method, json::object params = {}, json::value id = 9) {
  params["_meta"] = modern_meta();
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json::object parse_reply(const Reply& reply) {
  return json::parse(reply.body).as_object();
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
  // A modern-era tools/call as `caller` (over HTTP, say): its result.
  json::object call_as(const Server& server, std::string_view tool, json::object arguments,
                       const Caller& caller) {
    const auto request = json::serialize(
        modern("tools/call", {{"name", tool}, {"arguments", std::move(arguments)}}));
    return parse_reply(server.answer(request, caller)).at("result").as_object();
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

// With a gate (the daemon's approvals), such a call is handed to it with its arguments and the
// caller, and answered as the gate says: the approval it names travels in the result's _meta.
TEST_F(McpServer, SideEffectsGoThroughTheGateWhenTheServerHasOne) {
  std::vector<std::string> seen;
  auto gated = options();
  gated.gated_call = [&](const skills::SkillEntry& entry, std::string_view arguments,
                         const Caller& caller) {
    seen.push_back(entry.full_name + " " + std::string(arguments) + " " + caller.user);
    if (seen.size() == 1)
      return GatedResult{.output = std::nullopt,
                         .message = "approval a-1 waits",
                         .approval = {{"id", "a-1"}, {"state", "pending"}}};
    return GatedResult{.output = R"({"done":true})", .message = {}, .approval = {{"id", "a-1"}}};
  };
  const Server server(std::move(gated));
  const Caller alice{
      .user = "alice", .transport = "mcp-http", .may_invoke = true, .cancelled = nullptr};
  auto waiting = call_as(server, "Misbehaving.ThrowTyped", {{"x", 1}}, alice);
  EXPECT_EQ(waiting.at("isError"), true);
  EXPECT_EQ(text_of(waiting), "approval a-1 waits");
  EXPECT_EQ(waiting.at("_meta").at("io.secpilot/approval").at("id"), "a-1");
  auto done = call_as(server, "Misbehaving.ThrowTyped", {{"x", 1}}, alice);
  EXPECT_EQ(done.at("isError"), false);
  EXPECT_EQ(done.at("structuredContent"), (json::object{{"done", true}}));
  EXPECT_EQ(seen, (std::vector<std::string>(2, R"(Misbehaving.ThrowTyped {"x":1} alice)")));

  // A reader is refused before the gate sees anything.
  auto reader = call_as(
      server, "Misbehaving.ThrowTyped", {},
      Caller{.user = "rita", .transport = "mcp-http", .may_invoke = false, .cancelled = nullptr});
  EXPECT_EQ(reader.at("isError"), true);
  EXPECT_EQ(seen.size(), 2u);
}

TEST_F(McpServer, ReportsEachCallThatReachedASkill) {
  std::vector<std::pair<std::string, Status>> calls;
  auto with_hook = options();
  with_hook.on_call = [&](const skills::SkillEntry& entry, const Error* error,
                          std::chrono::nanoseconds, const Caller&) {
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
  only_threat_intel.enabled = [](const skills::SkillEntry& entry, const Caller&) {
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

// --- The modern era (2026-07-28): no handshake, `_meta` on every request ---------------------

TEST_F(McpServer, ModernDiscoveryNamesTheRevisionAndTheServer) {
  const Server server(options());
  const auto reply = server.answer(json::serialize(modern("server/discover")), {});
  EXPECT_EQ(reply.era, Era::modern);
  EXPECT_EQ(reply.protocol_version, "2026-07-28");
  EXPECT_EQ(reply.error, 0);
  const auto body = parse_reply(reply);
  const auto& found = body.at("result").as_object();
  EXPECT_EQ(found.at("supportedVersions"), json::array{"2026-07-28"});
  EXPECT_EQ(found.at("capabilities").at("tools").at("listChanged"), false);
  EXPECT_EQ(found.at("resultType"), "complete");
  EXPECT_EQ(found.at("_meta").at("io.modelcontextprotocol/serverInfo").at("name"), "secpilot");
}

TEST_F(McpServer, ModernRequestsAreServedStatelesslyWithoutInitialize) {
  const Server server(options());
  const auto list = parse_reply(server.answer(json::serialize(modern("tools/list")), {}));
  const auto& listed = list.at("result").as_object();
  EXPECT_EQ(listed.at("resultType"), "complete");
  EXPECT_EQ(listed.at("ttlMs"), 0);
  EXPECT_EQ(listed.at("cacheScope"), "private") << "the list depends on who asks";
  EXPECT_EQ(tool(listed, "ThreatIntel.LookupIndicator").at("annotations").at("readOnlyHint"), true);

  const auto call = parse_reply(server.answer(
      json::serialize(modern("tools/call", {{"name", "ThreatIntel.LookupIndicator"},
                                            {"arguments", {{"indicator", "203.0.113[.]45"}}}})),
      {}));
  const auto& called = call.at("result").as_object();
  EXPECT_EQ(called.at("isError"), false);
  EXPECT_EQ(called.at("structuredContent").at("verdict"), "malicious");
  EXPECT_EQ(called.at("resultType"), "complete");
  EXPECT_TRUE(called.at("_meta").as_object().contains("io.modelcontextprotocol/serverInfo"));

  // Legacy-only methods are gone in the modern era.
  EXPECT_EQ(parse_reply(server.answer(json::serialize(modern("ping")), {})).at("error").at("code"),
            -32601);
}

TEST_F(McpServer, ModernRequestsNeedTheirMetaAndASupportedRevision) {
  const Server server(options());
  // A discovery probe without _meta, and _meta without the client's capabilities.
  json::object bare{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "server/discover"}};
  const auto no_meta = server.answer(json::serialize(bare), {});
  EXPECT_EQ(no_meta.error, -32602);
  EXPECT_NE(no_meta.body.find("missing the required _meta"), std::string::npos) << no_meta.body;
  auto no_capabilities = modern("tools/list");
  no_capabilities["params"].as_object()["_meta"].as_object().erase(
      "io.modelcontextprotocol/clientCapabilities");
  EXPECT_EQ(server.answer(json::serialize(no_capabilities), {}).error, -32602);

  // A revision it does not speak: -32022 with the ones it does, so the client can retry.
  auto future = modern("tools/list");
  future["params"].as_object()["_meta"] = modern_meta("2099-01-01");
  const auto unsupported = server.answer(json::serialize(future), {});
  EXPECT_EQ(unsupported.error, -32022);
  const auto data = parse_reply(unsupported).at("error").at("data");
  EXPECT_EQ(data.at("requested"), "2099-01-01");
  EXPECT_EQ(data.at("supported").at(0), "2026-07-28");
  EXPECT_EQ(data.at("supported").at(1), "2025-11-25");
}

TEST_F(McpServer, HttpHeadersMustAgreeWithTheBody) {
  const Server server(options());
  const auto call = json::serialize(modern("tools/call", {{"name", "ThreatIntel.LookupIndicator"},
                                                          {"arguments", {{"indicator", "x"}}}}));
  const Envelope agreeing{"2026-07-28", "tools/call", "ThreatIntel.LookupIndicator"};
  EXPECT_EQ(server.answer(call, {}, agreeing).error, 0);
  auto wrong_version = agreeing;
  wrong_version.protocol_version = "2025-11-25";
  auto wrong_method = agreeing;
  wrong_method.method = "tools/list";
  auto wrong_name = agreeing;
  wrong_name.name = "Misbehaving.Echo";
  for (const auto& envelope : {wrong_version, wrong_method, wrong_name}) {
    const auto reply = server.answer(call, {}, envelope);
    EXPECT_EQ(reply.error, -32020) << reply.body;
    EXPECT_NE(reply.body.find("differs from the request"), std::string::npos) << reply.body;
  }
  // A modern header on a body without _meta; a legacy header naming a revision it never offered.
  json::object legacy_list{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}};
  EXPECT_EQ(server.answer(json::serialize(legacy_list), {}, {"2026-07-28", {}, {}}).error, -32602);
  EXPECT_EQ(server.answer(json::serialize(legacy_list), {}, {"1999-01-01", {}, {}}).error, -32022);
  EXPECT_EQ(server.answer(json::serialize(legacy_list), {}, {"2025-11-25", {}, {}}).error, 0);
}

TEST_F(McpServer, TheCallerDecidesWhatIsListedAndWhetherItMayCall) {
  std::vector<std::string> audited;
  auto per_user = options();
  per_user.enabled = [](const skills::SkillEntry& entry, const Caller& caller) {
    return caller.user == "alice" || entry.plugin == "ThreatIntel";
  };
  per_user.on_call = [&](const skills::SkillEntry& entry, const Error*, std::chrono::nanoseconds,
                         const Caller& caller) {
    audited.push_back(caller.user + " " + entry.full_name);
  };
  const Server server(std::move(per_user));
  const auto list_for = [&](const Caller& caller) {
    return parse_reply(server.answer(json::serialize(modern("tools/list")), caller))
        .at("result")
        .at("tools")
        .as_array()
        .size();
  };
  EXPECT_GT(list_for({"alice", "mcp-http", true, nullptr}),
            list_for({"bob", "mcp-http", true, nullptr}));

  const auto echo = json::serialize(
      modern("tools/call", {{"name", "Misbehaving.Echo"}, {"arguments", {{"text", "hi"}}}}));
  EXPECT_EQ(
      parse_reply(server.answer(echo, {"bob", "mcp-http", true, nullptr})).at("error").at("code"),
      -32602)
      << "bob's Misbehaving is turned off";
  const auto reader = parse_reply(server.answer(echo, {"alice", "mcp-http", false, nullptr}));
  EXPECT_EQ(reader.at("result").at("isError"), true);
  EXPECT_NE(text_of(reader.at("result").as_object()).find("reader"), std::string::npos);
  EXPECT_EQ(parse_reply(server.answer(echo, {"alice", "mcp-http", true, nullptr}))
                .at("result")
                .at("isError"),
            false);
  EXPECT_EQ(audited, std::vector<std::string>{"alice Misbehaving.Echo"});
}

// --- Promptbooks as prompts ------------------------------------------------------------------

TEST_F(McpServer, PromptbooksArePromptsRenderedWithTheClientsArguments) {
  TempDir folder;
  secpilot::testing::write_file(folder.path() / "triage.yaml",
                                "Name: QuickTriage\n"
                                "DisplayName: Quick triage\n"
                                "Description: Look an IP address up, then say what to do.\n"
                                "Parameters:\n"
                                "  - { Name: ip, Description: The address, Type: ip }\n"
                                "  - { Name: days, Type: integer, Default: 7 }\n"
                                "Steps:\n"
                                "  - Skill: ThreatIntel.LookupIndicator\n"
                                "    Inputs: { indicator: <ip> }\n"
                                "  - Prompt: What should we do about <ip> over <days> days?\n");
  auto registry = std::make_shared<const promptbook::Registry>(
      std::vector<std::filesystem::path>{folder.path()}, &(*host_)->catalog());
  auto with_books = options();
  with_books.promptbooks = [registry] { return registry; };
  const Server server(std::move(with_books));

  EXPECT_EQ(result(server, "initialize", {{"protocolVersion", "2025-11-25"}})
                .at("capabilities")
                .at("prompts")
                .at("listChanged"),
            false);
  const auto listed = result(server, "prompts/list");
  ASSERT_EQ(listed.at("prompts").as_array().size(), 1u) << json::serialize(listed);
  const auto& prompt = listed.at("prompts").at(0);
  EXPECT_EQ(prompt.at("name"), "QuickTriage");
  EXPECT_EQ(prompt.at("title"), "Quick triage");
  EXPECT_EQ(prompt.at("arguments").at(0).at("name"), "ip");
  EXPECT_EQ(prompt.at("arguments").at(0).at("required"), true);
  EXPECT_EQ(prompt.at("arguments").at(1).at("required"), false);

  const auto got = result(server, "prompts/get",
                          {{"name", "QuickTriage"}, {"arguments", {{"ip", "203.0.113.45"}}}});
  const auto& messages = got.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u) << json::serialize(got);
  EXPECT_EQ(messages[0].at("role"), "user");
  EXPECT_EQ(messages[0].at("content").at("text"),
            "/ThreatIntel.LookupIndicator indicator=203.0.113.45");
  EXPECT_EQ(messages[1].at("content").at("text"),
            "What should we do about 203.0.113.45 over 7 days?");

  // A missing or mistyped argument and an unknown promptbook are invalid params.
  const auto missing = ask(server, "prompts/get", {{"name", "QuickTriage"}});
  EXPECT_EQ(error_code(missing), -32602);
  EXPECT_NE(error_message(missing).find("ip"), std::string::npos) << error_message(missing);
  EXPECT_EQ(error_code(ask(server, "prompts/get",
                           {{"name", "QuickTriage"}, {"arguments", {{"ip", "not-an-ip"}}}})),
            -32602);
  const auto unknown = ask(server, "prompts/get", {{"name", "QuickTriag"}});
  EXPECT_NE(error_message(unknown).find("did you mean QuickTriage"), std::string::npos)
      << error_message(unknown);
  // Without promptbooks there are no prompts at all.
  EXPECT_EQ(error_code(ask(Server(options()), "prompts/list")), -32601);
}

}  // namespace
}  // namespace secpilot::mcp

// Rendering a run: parameters checked with the skills' input rules, defaults, and each step as
// the text to submit; a direct call's text reads back, through the orchestrator's parser, to the
// very inputs it was made from.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "promptbook/direct_call.hpp"
#include "secpilot/orchestrator/direct_invocation.hpp"
#include "secpilot/promptbook/render.hpp"

namespace secpilot::promptbook {
namespace {

namespace json = boost::json;

Promptbook parse_ok(std::string_view text) {
  ParseResult parsed = parse_promptbook(text, "pb.yaml");
  EXPECT_TRUE(parsed.promptbook);
  for (const auto& d : parsed.diagnostics)
    ADD_FAILURE() << manifest::format_diagnostic(d);
  return parsed.promptbook ? std::move(*parsed.promptbook) : Promptbook{};
}

constexpr std::string_view kTriage = R"(Name: Triage
Description: Test.
Parameters:
  - Name: ip
    Type: ip
    Description: The address to triage
  - Name: host
    Type: host
    Description: The device that saw it
  - Name: rows
    Type: integer
    Default: 50
  - Name: strict
    Type: boolean
    Required: false
  - Name: language
    Type: string
    Required: false
  - Name: filter
    Type: object
    Required: false
Steps:
  - Prompt: Is <ip> malicious? Seen on <host>; strict=<strict>.
  - Skill: Intel.Query
    Inputs:
      query: DeviceNetworkEvents | where RemoteIP == '<ip>' | take <rows>
      language: <language>
      mode: fast
  - Skill: Intel.Filter
    Inputs:
      filter: <filter>
)";

json::object params(std::string_view text) {
  return json::parse(text).as_object();
}

// --- Parameters --------------------------------------------------------------------------------

TEST(ResolveParameters, ConvertsTextToTheDeclaredTypesAndFillsDefaults) {
  const Promptbook book = parse_ok(kTriage);
  auto values = resolve_parameters(
      book, params(R"({"ip": "198.51.100[.]7", "host": "ws-042", "strict": "yes"})"));
  ASSERT_TRUE(values) << values.error().message;
  EXPECT_EQ(values->at("ip"), "198.51.100[.]7") << "defanged forms are accepted, as for skills";
  EXPECT_EQ(values->at("rows"), 50) << "the default, converted to its type";
  EXPECT_EQ(values->at("strict"), true);
  EXPECT_FALSE(values->contains("language")) << "an optional parameter without a value is absent";
}

TEST(ResolveParameters, ReadsJsonTextForStructuredTypes) {
  const Promptbook book = parse_ok(kTriage);
  auto values = resolve_parameters(
      book, params(R"({"ip": "192.0.2.1", "host": "h", "filter": "{\"kind\": \"ip\"}"})"));
  ASSERT_TRUE(values) << values.error().message;
  EXPECT_EQ(values->at("filter"), params(R"({"kind": "ip"})"));
}

TEST(ResolveParameters, NamesEveryMissingRequiredParameter) {
  const Promptbook book = parse_ok(kTriage);
  auto values = resolve_parameters(book, {});
  ASSERT_FALSE(values);
  EXPECT_EQ(values.error().status, Status::invalid_input);
  EXPECT_EQ(values.error().message,
            "promptbook Triage needs a value for 'ip', 'host' — ip: The address to triage; host: "
            "The device that saw it");
}

TEST(ResolveParameters, RejectsAValueOfTheWrongShape) {
  const Promptbook book = parse_ok(kTriage);
  auto values = resolve_parameters(book, params(R"({"ip": "not-an-ip", "host": "h"})"));
  ASSERT_FALSE(values);
  EXPECT_EQ(values.error().status, Status::invalid_input);
  EXPECT_EQ(values.error().message,
            "promptbook Triage: parameter 'ip' must be an ip, got \"not-an-ip\"");
  values = resolve_parameters(book, params(R"({"ip": "192.0.2.1", "host": "h", "rows": "many"})"));
  ASSERT_FALSE(values);
  EXPECT_EQ(values.error().message,
            "promptbook Triage: parameter 'rows' must be an integer, got \"many\"");
}

TEST(ResolveParameters, RejectsAnUnknownParameterWithTheClosestName) {
  const Promptbook book = parse_ok(kTriage);
  auto values = resolve_parameters(book, params(R"({"ip": "192.0.2.1", "host": "h", "rowz": 1})"));
  ASSERT_FALSE(values);
  EXPECT_EQ(values.error().message,
            "promptbook Triage has no parameter 'rowz' — did you mean 'rows'? it takes: ip, "
            "host, rows, strict, language, filter");
}

// --- Steps -------------------------------------------------------------------------------------

TEST(Render, SubstitutesParametersIntoEachStepInOrder) {
  const Promptbook book = parse_ok(kTriage);
  auto steps = render(book, params(R"({"ip": "192.0.2.1", "host": "ws 042", "strict": false})"));
  ASSERT_TRUE(steps) << steps.error().message;
  ASSERT_EQ(steps->size(), 3u);
  const RenderedStep& prompt = (*steps)[0];
  EXPECT_EQ(prompt.number, 1u);
  EXPECT_EQ(prompt.kind, StepKind::Prompt);
  EXPECT_EQ(prompt.prompt, "Is 192.0.2.1 malicious? Seen on ws 042; strict=false.");

  const RenderedStep& call = (*steps)[1];
  EXPECT_EQ(call.kind, StepKind::Skill);
  EXPECT_EQ(call.skill, "Intel.Query");
  EXPECT_EQ(call.prompt,
            "/Intel.Query query=\"DeviceNetworkEvents | where RemoteIP == '192.0.2.1' | take "
            "50\" mode=fast")
      << "an input that is only an optional parameter without a value is left out";
  EXPECT_EQ(call.inputs, params(R"({"query": "DeviceNetworkEvents | where RemoteIP == )"
                                R"('192.0.2.1' | take 50", "mode": "fast"})"));
  EXPECT_EQ((*steps)[2].prompt, "/Intel.Filter");
}

TEST(Render, WritesStructuredValuesAsJson) {
  const Promptbook book = parse_ok(kTriage);
  auto steps = render(book, params(R"({"ip": "192.0.2.1", "host": "h", "filter": {"a": [1]}})"));
  ASSERT_TRUE(steps) << steps.error().message;
  EXPECT_EQ((*steps)[2].inputs.at("filter"), R"({"a":[1]})");
  EXPECT_EQ((*steps)[2].prompt, R"(/Intel.Filter filter={"a":[1]})");
}

TEST(Render, RefusesAPromptbookThatLintFindsErrorsIn) {
  const Promptbook book =
      parse_ok("Name: Broken\nDescription: x\nSteps:\n  - Prompt: Look up <ip>\n");
  auto steps = render(book, {});
  ASSERT_FALSE(steps);
  EXPECT_EQ(steps.error().status, Status::invalid_input);
  EXPECT_EQ(steps.error().message,
            "promptbook Broken cannot run: pb.yaml:4:13: error: step 1 uses <ip>, which is not a "
            "parameter — declare it under Parameters, or write \\< for a literal '<' "
            "(`secpilot promptbook lint` lists every problem)");
}

// --- The direct-call text, read back by the orchestrator ---------------------------------------

void expect_round_trip(const std::vector<std::pair<std::string, std::string>>& inputs) {
  const std::string text = detail::format_direct_call("Plugin.Skill", inputs);
  auto parsed = orchestrator::parse_direct_invocation(text);
  ASSERT_TRUE(parsed.has_value()) << text;
  ASSERT_TRUE(*parsed) << text << ": " << parsed->error().message;
  EXPECT_EQ((*parsed)->skill, "Plugin.Skill");
  json::object expected;
  for (const auto& [name, value] : inputs)
    expected[name] = value;
  EXPECT_EQ((*parsed)->inputs, expected) << text;
}

TEST(DirectCallText, QuotesOnlyWhatNeedsIt) {
  using detail::quote_direct_value;
  EXPECT_EQ(quote_direct_value("198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(quote_direct_value("a=b"), "a=b");
  EXPECT_EQ(quote_direct_value("two words"), "\"two words\"");
  EXPECT_EQ(quote_direct_value(""), "\"\"");
  EXPECT_EQ(quote_direct_value("'quoted'"), "\"'quoted'\"");
  EXPECT_EQ(quote_direct_value("say \"hi\" C:\\tmp"), R"("say \"hi\" C:\\tmp")");
}

TEST(DirectCallText, ReadsBackToTheSameInputs) {
  expect_round_trip({});
  expect_round_trip({{"indicator", "198.51.100[.]7"}, {"type", "ip"}});
  expect_round_trip({{"empty", ""}, {"spaces", "  leading and trailing  "}});
  expect_round_trip({{"quotes", R"(he said "hi" and 'bye')"}, {"single", "'"}, {"double", "\""}});
  expect_round_trip({{"backslashes", R"(C:\Users\x\ "\" \\ \)"}, {"trailing", "ends in \\"}});
  expect_round_trip({{"script", "powershell -nop -w hidden `\n  -enc SQBFAFgA\tx\r\n"}});
  expect_round_trip({{"json", R"({"title": "C2", "alerts": [{"t": "a b"}]})"}, {"eq", "a=b=c"}});
  expect_round_trip({{"starts", "\"quoted\" then more"}, {"unicode", "caf\u00e9 \u2014 ok"}});
}

TEST(DirectCallText, RenderedCallsReadBackToTheirInputs) {
  const Promptbook book = parse_ok(kTriage);
  auto steps = render(book, params(R"({"ip": "192.0.2.1", "host": "h", "language": "a \"b\" \\c",
                                       "filter": {"q": "x y"}})"));
  ASSERT_TRUE(steps) << steps.error().message;
  for (const RenderedStep& step : *steps) {
    if (step.kind != StepKind::Skill) continue;
    auto parsed = orchestrator::parse_direct_invocation(step.prompt);
    ASSERT_TRUE(parsed.has_value() && *parsed) << step.prompt;
    EXPECT_EQ((*parsed)->skill, step.skill);
    EXPECT_EQ((*parsed)->inputs, step.inputs) << step.prompt;
  }
}

}  // namespace
}  // namespace secpilot::promptbook

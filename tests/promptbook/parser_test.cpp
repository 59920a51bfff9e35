// Reading promptbooks: every field into the model, where each value was written, JSON as well as
// YAML, and what is kept of keys the format does not know.
#include <gtest/gtest.h>

#include "secpilot/promptbook/promptbook.hpp"

namespace secpilot::promptbook {
namespace {

constexpr std::string_view kFull = R"(Name: IpTriage
DisplayName: IP triage
Description: Triage of one IP address.
Tags: [triage, network]
Parameters:
  - Name: ip
    Description: The address
    Type: IPAddress
  - Name: lookback
    Type: string
    Default: 30d
  - Name: rows
    Type: int
    DefaultValue: 50
    Required: true
Steps:
  - Name: Reputation
    Skill: Intel.Lookup
    Inputs:
      indicator: <ip>
      limit: 10
      filter: {kind: ip, tags: [a, b]}
  - Prompt: Is <ip> malicious?
  - Hunt for <ip> over <lookback>.
)";

Promptbook parse_ok(std::string_view text, const char* file = "pb.yaml") {
  ParseResult parsed = parse_promptbook(text, file);
  EXPECT_TRUE(parsed.promptbook.has_value());
  for (const auto& d : parsed.diagnostics)
    ADD_FAILURE() << manifest::format_diagnostic(d);
  return parsed.promptbook ? std::move(*parsed.promptbook) : Promptbook{};
}

TEST(PromptbookParser, ReadsEveryField) {
  const Promptbook book = parse_ok(kFull);
  EXPECT_EQ(book.name, "IpTriage");
  EXPECT_EQ(book.display_name, "IP triage");
  EXPECT_EQ(book.description, "Triage of one IP address.");
  EXPECT_EQ(book.tags, (std::vector<std::string>{"triage", "network"}));
  ASSERT_EQ(book.parameters.size(), 3u);
  EXPECT_EQ(book.parameters[0].name, "ip");
  EXPECT_EQ(book.parameters[0].description, "The address");
  EXPECT_EQ(book.parameters[0].type, "ip") << "types are canonical, as for skill inputs";
  EXPECT_TRUE(book.parameters[0].required) << "without a Default a parameter is required";
  EXPECT_EQ(book.parameters[1].default_value, "30d");
  EXPECT_FALSE(book.parameters[1].required) << "a Default makes a parameter optional";
  EXPECT_EQ(book.parameters[2].type, "integer");
  EXPECT_EQ(book.parameters[2].default_value, "50") << "DefaultValue is the other spelling";
  EXPECT_TRUE(book.parameters[2].required) << "Required, when written, wins";

  ASSERT_EQ(book.steps.size(), 3u);
  const Step& call = book.steps[0];
  EXPECT_EQ(call.kind, StepKind::Skill);
  EXPECT_EQ(call.name, "Reputation");
  EXPECT_EQ(call.skill, "Intel.Lookup");
  ASSERT_EQ(call.inputs.size(), 3u);
  EXPECT_EQ(call.inputs[0].name, "indicator");
  EXPECT_EQ(call.inputs[0].value, "<ip>");
  EXPECT_EQ(call.inputs[1].value, "10") << "scalars stay as written";
  EXPECT_EQ(call.inputs[2].value, R"({"kind":"ip","tags":["a","b"]})") << "structures as JSON";
  EXPECT_EQ(book.steps[1].kind, StepKind::Prompt);
  EXPECT_EQ(book.steps[1].prompt, "Is <ip> malicious?");
  EXPECT_EQ(book.steps[2].kind, StepKind::Prompt) << "a plain text step is a prompt";
  EXPECT_EQ(book.steps[2].prompt, "Hunt for <ip> over <lookback>.");
}

TEST(PromptbookParser, RemembersWhereEachValueWasWritten) {
  const Promptbook book = parse_ok(kFull);
  const SourceLocation nowhere{"pb.yaml", 0, 0};
  const SourceLocation name = book.fields.find("Name", nowhere);
  EXPECT_EQ(name.file, "pb.yaml");
  EXPECT_EQ(name.line, 1);
  EXPECT_EQ(name.column, 7);
  EXPECT_EQ(book.parameters[1].fields.find("Default", nowhere).line, 11);
  EXPECT_EQ(book.parameters[1].fields.find("Default", nowhere).column, 14);
  const StepInput& limit = book.steps[0].inputs[1];
  EXPECT_EQ(limit.name_at.line, 21);
  EXPECT_EQ(limit.name_at.column, 7);
  EXPECT_EQ(limit.value_at.line, 21);
  EXPECT_EQ(limit.value_at.column, 14);
  EXPECT_EQ(book.steps[2].where.line, 24);
  EXPECT_EQ(book.steps[2].where.column, 5);
}

TEST(PromptbookParser, ReadsJsonAndKeysInAnyCase) {
  const Promptbook book = parse_ok(
      R"({"NAME": "J", "steps": [{"skill": "A.B", "INPUTS": {"x": 1}}, {"prompt": "hi"}],
          "parameters": [{"name": "p", "type": "Boolean", "default": false}]})",
      "pb.json");
  EXPECT_EQ(book.name, "J");
  ASSERT_EQ(book.steps.size(), 2u);
  EXPECT_EQ(book.steps[0].skill, "A.B");
  EXPECT_EQ(book.steps[0].inputs.at(0).value, "1");
  EXPECT_EQ(book.steps[1].prompt, "hi");
  ASSERT_EQ(book.parameters.size(), 1u);
  EXPECT_EQ(book.parameters[0].type, "boolean");
  EXPECT_EQ(book.parameters[0].default_value, "false");
}

TEST(PromptbookParser, KeepsUnknownKeysAndWarnsAboutThem) {
  ParseResult parsed = parse_promptbook(
      "Name: X\nOwner: soc\nStpes:\n  - Prompt: a\nSteps:\n  - Prompt: b\n    Colour: red\n",
      "pb.yaml");
  ASSERT_TRUE(parsed.promptbook);
  EXPECT_EQ(parsed.promptbook->extra.at("Owner"), "soc");
  EXPECT_TRUE(parsed.promptbook->extra.contains("Stpes"));
  EXPECT_EQ(parsed.promptbook->steps.at(0).extra.at("Colour"), "red");
  std::vector<std::string> lines;
  for (const auto& d : parsed.diagnostics)
    lines.push_back(manifest::format_diagnostic(d));
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "pb.yaml:2:1: warning: unknown key 'Owner' at the top level \u2014 this level "
                "takes Name, DisplayName, Description, Tags, Parameters and Steps; the key is "
                "kept but not used",
                "pb.yaml:3:1: warning: unknown key 'Stpes' at the top level \u2014 did you mean "
                "'Steps'? The key is kept but not used",
                "pb.yaml:7:5: warning: unknown key 'Colour' in step 1 \u2014 this level takes "
                "Name, Prompt, Skill and Inputs; the key is kept but not used",
            }));
}

TEST(PromptbookParser, AnEmptyValueIsLocatedAtItsKey) {
  ParseResult parsed = parse_promptbook("Name: X\nSteps:\n  - Prompt:\n", "pb.yaml");
  ASSERT_TRUE(parsed.promptbook);
  const Step& step = parsed.promptbook->steps.at(0);
  EXPECT_TRUE(step.fields.contains("Prompt"));
  EXPECT_EQ(step.fields.find("Prompt", {}).line, 3);
  EXPECT_EQ(step.fields.find("Prompt", {}).column, 5);
}

TEST(PromptbookParser, AMissingFileIsADiagnosticNotAnException) {
  ParseResult parsed = parse_promptbook_file("/nonexistent/secpilot/pb.yaml");
  EXPECT_FALSE(parsed.promptbook);
  ASSERT_EQ(parsed.diagnostics.size(), 1u);
  EXPECT_EQ(manifest::format_diagnostic(parsed.diagnostics[0]),
            "/nonexistent/secpilot/pb.yaml: error: the file does not exist \u2014 check the path");
}

}  // namespace
}  // namespace secpilot::promptbook

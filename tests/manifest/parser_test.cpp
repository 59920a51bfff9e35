// Parsing Security Copilot's dialect: case, aliases, unknown keys, typed inputs, Outputs, YAML
// scalar typing, JSON manifests and source locations.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "secpilot/manifest/parser.hpp"

namespace secpilot::manifest {
namespace {

namespace json = boost::json;

Manifest parse_ok(std::string_view text, const char* path = "plugin.yaml") {
  ParseResult result = parse_manifest(text, path);
  EXPECT_TRUE(result.manifest.has_value());
  for (const Diagnostic& d : result.diagnostics)
    ADD_FAILURE() << format_diagnostic(d);
  return result.manifest ? std::move(*result.manifest) : Manifest{};
}

const json::value& at(const json::value& value, std::string_view pointer) {
  return value.at_pointer(pointer);
}

TEST(ManifestParser, KeysAndEnumValuesMatchCaseInsensitively) {
  Manifest m = parse_ok(R"(
DESCRIPTOR:
  name: CasePlugin
  DisplayNAME: Case plugin
  description: Keys in any case.
skillgroups:
  - FORMAT: kql
    SKILLS:
      - NAME: Query
        sideeffects: WRITE
        TIMEOUTSECONDS: 12
        inputs:
          - NAME: Ip
            TYPE: IP
            REQUIRED: FALSE
  - format: agent
  - format: Native
    settings:
      library: libx.so
      isolation: inprocess
)");
  EXPECT_EQ(m.descriptor.name, "CasePlugin");
  EXPECT_EQ(m.descriptor.display_name, "Case plugin");
  ASSERT_EQ(m.groups.size(), 3u);
  EXPECT_EQ(m.groups[0].format, Format::KQL);
  EXPECT_EQ(m.groups[0].format_text, "kql");
  EXPECT_EQ(m.groups[1].format, Format::Agent);
  ASSERT_EQ(m.groups[0].skills.size(), 1u);
  const Skill& skill = m.groups[0].skills[0];
  EXPECT_EQ(skill.side_effects, SideEffects::Write);
  EXPECT_EQ(skill.timeout_seconds, 12);
  ASSERT_EQ(skill.inputs.size(), 1u);
  EXPECT_EQ(skill.inputs[0].type, "ip");
  EXPECT_FALSE(skill.inputs[0].required);
  ASSERT_TRUE(m.groups[2].native.has_value());
  EXPECT_EQ(m.groups[2].native->library, "libx.so");
  EXPECT_EQ(m.groups[2].native->isolation, Isolation::InProcess);
}

TEST(ManifestParser, AcceptsEveryAliasSpelling) {
  Manifest m = parse_ok(R"(
Descriptor:
  Name: Aliases
  Description: d
  Settings:
    - Name: A
      SettingType: String
      Required: "true"
    - Name: B
      Type: secureString
      Default: x
  SupportedAuthTypes: [APIKey]
  Authorization: {Type: ApiKey, Key: X-Key}
AgentDefinitions:
  - Name: Agent1
    Triggers:
      - Name: Default
        DefaultPeriodSeconds: 300
        ProcessSkill: S1
SkillGroups:
  - Format: AGENT
    Skills:
      - Name: S1
        ExamplePrompt: [one, two]
        Inputs:
          - Name: In
            Required: "false"
            Default: "7"
  - Format: API
    Settings:
      OpenApiSpecURL: https://example.org/spec.yaml
)");
  ASSERT_EQ(m.descriptor.settings.size(), 2u);
  EXPECT_EQ(m.descriptor.settings[0].type, "string");
  EXPECT_TRUE(m.descriptor.settings[0].required);
  EXPECT_EQ(m.descriptor.settings[1].type, "secretString");
  EXPECT_TRUE(m.descriptor.settings[1].is_secret());
  EXPECT_EQ(m.descriptor.settings[1].default_value, "x");
  EXPECT_EQ(m.descriptor.supported_auth_types, std::vector<std::string>{"APIKey"});
  EXPECT_EQ(m.groups[0].format, Format::Agent);
  const Skill& skill = m.groups[0].skills[0];
  EXPECT_EQ(skill.example_prompts, (std::vector<std::string>{"one", "two"}));
  EXPECT_FALSE(skill.inputs[0].required);
  EXPECT_EQ(skill.inputs[0].default_value, "7");
  // Group settings keep their keys as written.
  EXPECT_TRUE(m.groups[1].settings.contains("OpenApiSpecURL"));
  ASSERT_EQ(m.agents.size(), 1u);
  ASSERT_EQ(m.agents[0].triggers.size(), 1u);
  EXPECT_EQ(m.agents[0].triggers[0].poll_period_seconds, 300);
  EXPECT_EQ(m.agents[0].triggers[0].process_skill, "S1");
  EXPECT_FALSE(has_errors(lint(m)));
}

TEST(ManifestParser, KeepsUnknownKeysAtEveryLevel) {
  Manifest m = parse_ok(R"(
x-top: 1
AgentDefinitions:
  - Name: A
Descriptor:
  Name: Keep
  Description: d
  CatalogScope: UserWorkspace
SkillGroups:
  - Format: GPT
    Priority: 3
    Skills:
      - Name: S
        Interfaces: [Agent]
        Inputs:
          - Name: I
            Sensitivity: high
        Settings: {Template: x, Custom: [1, 2]}
)");
  EXPECT_EQ(m.extra.at("x-top"), json::value(1));
  ASSERT_TRUE(m.extra.contains("AgentDefinitions"));
  EXPECT_EQ(m.extra.at("AgentDefinitions").at(0).at("Name"), json::value("A"));
  EXPECT_EQ(m.descriptor.extra.at("CatalogScope"), json::value("UserWorkspace"));
  EXPECT_EQ(m.groups[0].extra.at("Priority"), json::value(3));
  const Skill& skill = m.groups[0].skills[0];
  EXPECT_EQ(skill.extra.at("Interfaces"), json::parse(R"(["Agent"])"));
  EXPECT_EQ(skill.inputs[0].extra.at("Sensitivity"), json::value("high"));
  EXPECT_EQ(skill.settings.at("Custom"), json::parse("[1, 2]"));
  EXPECT_EQ(at(m.raw, "/SkillGroups/0/Skills/0/Inputs/0/Sensitivity"), json::value("high"));
}

TEST(ManifestParser, WarnsAboutNearMissKeysOnly) {
  ParseResult result = parse_manifest(R"(
Descriptor:
  Name: Typos
  Descripton: near miss
  Vendor: unrelated
SkillGroups: []
)",
                                      "t.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].severity, Severity::Warning);
  EXPECT_EQ(format_diagnostic(result.diagnostics[0]),
            "t.yaml:4:3: warning: unknown key 'Descripton' in Descriptor \u2014 did you mean "
            "'Description'? Unknown keys are kept but not used");
  EXPECT_TRUE(result.manifest->descriptor.extra.contains("Descripton"));
  EXPECT_TRUE(result.manifest->descriptor.extra.contains("Vendor"));
}

TEST(ManifestParser, CanonicalisesInputTypes) {
  Manifest m = parse_ok(R"(
Descriptor: {Name: T, Description: d}
SkillGroups:
  - Format: GPT
    Skills:
      - Name: S
        Inputs:
          - {Name: a}
          - {Name: b, Type: IPAddress}
          - {Name: c, Type: bool}
          - {Name: d, Type: int}
          - {Name: e, Type: technique}
          - {Name: f, Type: hostname}
          - {Name: g, Type: upn}
          - {Name: h, Type: Incident_Id}
          - {Name: i, Type: SHA256}
          - {Name: j, Type: datetime}
)");
  std::vector<std::string> types;
  for (const Input& in : m.groups[0].skills[0].inputs)
    types.push_back(in.type);
  EXPECT_EQ(types,
            (std::vector<std::string>{"string", "ip", "boolean", "integer", "mitre_technique",
                                      "host", "user", "incident_id", "sha256", "datetime"}));
  EXPECT_FALSE(is_known_input_type("datetime"));
  EXPECT_EQ(canonical_input_type("IpAddress"), "ip");
  EXPECT_EQ(canonical_input_type("account"), "user");
  EXPECT_EQ(canonical_input_type("str"), "string");
  EXPECT_EQ(canonical_input_type("nonsense"), "");
  EXPECT_TRUE(is_entity_type("cve"));
  EXPECT_FALSE(is_entity_type("string"));
  EXPECT_TRUE(is_known_input_type("string"));
}

TEST(ManifestParser, ReadsOutputsInBothForms) {
  Manifest m = parse_ok(R"(
Descriptor: {Name: T, Description: d}
SkillGroups:
  - Format: Native
    Settings: {Library: lib.so}
    Skills:
      - Name: Structured
        Outputs:
          Schema:
            type: object
            properties:
              verdict: {type: string}
          Entities: [IPAddress, domain]
      - Name: Bare
        Outputs:
          type: array
          items: {type: string}
      - Name: EntitiesOnly
        Outputs:
          entities: [cve]
)");
  const auto& skills = m.groups[0].skills;
  ASSERT_TRUE(skills[0].outputs.has_value());
  EXPECT_EQ(*skills[0].outputs,
            json::parse(R"({"type":"object","properties":{"verdict":{"type":"string"}}})"));
  EXPECT_EQ(skills[0].output_entities, (std::vector<std::string>{"ip", "domain"}));
  ASSERT_TRUE(skills[1].outputs.has_value());
  EXPECT_EQ(*skills[1].outputs, json::parse(R"({"type":"array","items":{"type":"string"}})"));
  EXPECT_TRUE(skills[1].output_entities.empty());
  EXPECT_FALSE(skills[2].outputs.has_value());
  EXPECT_EQ(skills[2].output_entities, std::vector<std::string>{"cve"});
}

TEST(ManifestParser, TypesYamlScalarsLikeJson) {
  Manifest m = parse_ok(R"(
Descriptor:
  Name: Scalars
  Description: d
  Version: 1.0
Values:
  plain_true: true
  title_false: False
  quoted_true: "true"
  single_quoted: '42'
  integer: 42
  negative: -7
  hex: 0x1F
  float: 2.5
  exponent: 1e3
  tilde: ~
  null_word: null
  empty:
  yes_word: yes
  text: hello
  block: |
    line
  tagged: !!str 5
  big: 18446744073709551615
SkillGroups: []
)");
  const json::value& v = m.extra.at("Values");
  EXPECT_EQ(at(v, "/plain_true"), json::value(true));
  EXPECT_EQ(at(v, "/title_false"), json::value(false));
  EXPECT_EQ(at(v, "/quoted_true"), json::value("true"));
  EXPECT_EQ(at(v, "/single_quoted"), json::value("42"));
  EXPECT_EQ(at(v, "/integer"), json::value(42));
  EXPECT_TRUE(at(v, "/integer").is_int64());
  EXPECT_EQ(at(v, "/negative"), json::value(-7));
  EXPECT_EQ(at(v, "/hex"), json::value(31));
  EXPECT_EQ(at(v, "/float"), json::value(2.5));
  EXPECT_EQ(at(v, "/exponent"), json::value(1000.0));
  EXPECT_TRUE(at(v, "/tilde").is_null());
  EXPECT_TRUE(at(v, "/null_word").is_null());
  EXPECT_TRUE(at(v, "/empty").is_null());
  EXPECT_EQ(at(v, "/yes_word"), json::value("yes"));
  EXPECT_EQ(at(v, "/text"), json::value("hello"));
  EXPECT_EQ(at(v, "/block"), json::value("line\n"));
  EXPECT_EQ(at(v, "/tagged"), json::value("5"));
  EXPECT_TRUE(at(v, "/big").is_uint64());
  // The model keeps text as written; raw has the typed value.
  EXPECT_EQ(m.descriptor.version, "1.0");
  EXPECT_EQ(at(m.raw, "/Descriptor/Version"), json::value(1.0));
}

TEST(ManifestParser, ReadsJsonManifests) {
  Manifest m = parse_ok(R"({
	"Descriptor": {"Name": "Json", "Description": "from JSON", "Flag": "true"},
	"SkillGroups": [
	  {"Format": "GPT", "Skills": [
	    {"Name": "S", "TimeoutSeconds": 5,
	     "Inputs": [{"Name": "x", "Type": "url", "Required": false}],
	     "Settings": {"Template": "{{x}} \u00e9\/"}}]}
	]
})",
                        "plugin.json");
  EXPECT_EQ(m.descriptor.name, "Json");
  EXPECT_EQ(m.descriptor.extra.at("Flag"), json::value("true"));  // quoted stays a string
  const Skill& s = m.groups[0].skills[0];
  EXPECT_EQ(s.timeout_seconds, 5);
  EXPECT_FALSE(s.inputs[0].required);
  EXPECT_EQ(s.inputs[0].type, "url");
  EXPECT_EQ(s.settings.at("Template"), json::value("{{x}} \xc3\xa9/"));
  EXPECT_EQ(s.where.line, 5);
  EXPECT_EQ(s.where.column, 6);
}

TEST(ManifestParser, ReportsOneBasedLocations) {
  Manifest m = parse_ok(R"(Descriptor:
  Name: Where
  Description: d
SkillGroups:
  - Format: GPT
    Skills:
      - Name: First
        Inputs:
          - Name: In
            Type: ip
)",
                        "dir/where.yaml");
  EXPECT_EQ(m.where.line, 1);
  EXPECT_EQ(m.where.column, 1);
  EXPECT_EQ(m.descriptor.where.line, 1);
  EXPECT_EQ(m.descriptor.where.column, 1);
  SourceLocation name = m.descriptor.fields.find("Name", m.descriptor.where);
  EXPECT_EQ(name.file, "dir/where.yaml");
  EXPECT_EQ(name.line, 2);
  EXPECT_EQ(name.column, 9);
  const SkillGroup& g = m.groups[0];
  EXPECT_EQ(g.where.line, 5);
  EXPECT_EQ(g.where.column, 5);
  EXPECT_EQ(g.fields.find("Format", g.where).column, 13);
  const Skill& s = g.skills[0];
  EXPECT_EQ(s.where.line, 7);
  EXPECT_EQ(s.where.column, 9);
  const Input& in = s.inputs[0];
  EXPECT_EQ(in.where.line, 9);
  EXPECT_EQ(in.where.column, 13);
  SourceLocation type = in.fields.find("type", in.where);  // field names match in any case
  EXPECT_EQ(type.line, 10);
  EXPECT_EQ(type.column, 19);
}

TEST(ManifestParser, ReportsYamlSyntaxErrorsAtTheParsersMark) {
  ParseResult result =
      parse_manifest("Descriptor:\n  Name: [unclosed\nSkillGroups: []\n", "s.yaml");
  EXPECT_FALSE(result.manifest.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  const Diagnostic& d = result.diagnostics[0];
  EXPECT_EQ(d.severity, Severity::Error);
  EXPECT_EQ(d.where.file, "s.yaml");
  EXPECT_GT(d.where.line, 0);
  EXPECT_GT(d.where.column, 0);
  EXPECT_TRUE(d.message.starts_with("YAML syntax error: ")) << d.message;
  EXPECT_FALSE(d.fix.empty());
}

TEST(ManifestParser, ReportsUnreadableFiles) {
  ParseResult result = parse_manifest_file("/nonexistent/secpilot/plugin.yaml");
  EXPECT_FALSE(result.manifest.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(format_diagnostic(result.diagnostics[0]),
            "/nonexistent/secpilot/plugin.yaml: error: the manifest does not exist \u2014 check "
            "the path");
}

TEST(ManifestParser, FirstOfDuplicateKeysWins) {
  ParseResult result = parse_manifest(R"(
Descriptor:
  Name: First
  name: Second
  Description: d
SkillGroups: []
)",
                                      "d.yaml");
  ASSERT_TRUE(result.manifest.has_value());
  EXPECT_EQ(result.manifest->descriptor.name, "First");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(format_diagnostic(result.diagnostics[0]),
            "d.yaml:4:3: error: duplicate key 'name' (first written at line 3) \u2014 remove one "
            "of them; only the first is used");
}

TEST(ManifestParser, RefusesAliasBombs) {
  // Each level lists the previous one ten times: 10^8 values once the aliases are expanded.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 7; ++level) {
    const std::string previous = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [" + previous;
    for (int i = 1; i < 10; ++i)
      text += ", " + previous;
    text += "]\n";
  }
  ParseResult result = parse_manifest(text, "bomb.yaml");
  EXPECT_FALSE(result.manifest.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].message, "the document expands to more than a million values");
}

TEST(ManifestParser, FillsNativeSettings) {
  Manifest m = parse_ok(R"(
Descriptor: {Name: N, Description: d}
SkillGroups:
  - Format: Native
    Settings:
      Library: lib/libn.so
      SHA256: ABCDEF
      AbiVersion: 1.0
      Isolation: Process
      Extra: kept
    Skills: [{Name: S}]
)");
  const SkillGroup& g = m.groups[0];
  ASSERT_TRUE(g.native.has_value());
  EXPECT_EQ(g.native->library, "lib/libn.so");
  EXPECT_EQ(g.native->sha256, "abcdef");
  EXPECT_EQ(g.native->abi, "1.0");
  EXPECT_EQ(g.native->isolation, Isolation::Process);
  EXPECT_EQ(g.settings.at("Extra"), json::value("kept"));
  EXPECT_EQ(g.native->fields.find("Sha256", {}).line, 7);
}

TEST(ManifestParser, UsesDefaultsWhenKeysAreAbsent) {
  Manifest m = parse_ok(R"(
Descriptor: {Name: N, Description: d}
SkillGroups:
  - Format: GPT
    Skills:
      - Name: S
        Inputs: [{Name: I}]
)");
  const Skill& s = m.groups[0].skills[0];
  EXPECT_EQ(s.side_effects, SideEffects::Read);
  EXPECT_FALSE(s.timeout_seconds.has_value());
  EXPECT_FALSE(s.outputs.has_value());
  EXPECT_EQ(s.inputs[0].type, "string");
  EXPECT_TRUE(s.inputs[0].required);
  EXPECT_FALSE(s.inputs[0].default_value.has_value());
  EXPECT_FALSE(m.groups[0].native.has_value());
}

TEST(ManifestParser, ReportsValuesOfTheWrongKind) {
  ParseResult result = parse_manifest(R"(
Descriptor: {Name: N, Description: d}
SkillGroups:
  - Format: GPT
    Skills:
      - Name: S
        Inputs: text
        SideEffects: sometimes
)",
                                      "k.yaml");
  ASSERT_TRUE(result.manifest.has_value());
  ASSERT_EQ(result.diagnostics.size(), 2u);
  EXPECT_EQ(result.diagnostics[0].message, "Inputs must be a list, not a single value");
  EXPECT_EQ(result.diagnostics[0].where.line, 7);
  EXPECT_EQ(result.diagnostics[1].message, "unknown SideEffects 'sometimes'");
}

TEST(ManifestFormats, NamesAndExecutability) {
  EXPECT_EQ(parse_format("logicapp"), Format::LogicApp);
  EXPECT_EQ(parse_format("PromptBook"), Format::Promptbook);
  EXPECT_FALSE(parse_format("Python").has_value());
  EXPECT_EQ(format_name(Format::GPT), "GPT");
  EXPECT_EQ(side_effects_name(SideEffects::Destructive), "destructive");
  EXPECT_EQ(parse_side_effects("None"), SideEffects::None);
  EXPECT_EQ(isolation_name(Isolation::InProcess), "InProcess");
  EXPECT_EQ(parse_isolation("process"), Isolation::Process);
  EXPECT_TRUE(not_executable_reason(Format::Native).empty());
  EXPECT_TRUE(not_executable_reason(Format::API).empty());
  EXPECT_TRUE(not_executable_reason(Format::MCP).empty());
  for (Format f : {Format::GPT, Format::KQL, Format::Agent, Format::LogicApp, Format::Promptbook})
    EXPECT_FALSE(not_executable_reason(f).empty()) << format_name(f);
}

}  // namespace
}  // namespace secpilot::manifest

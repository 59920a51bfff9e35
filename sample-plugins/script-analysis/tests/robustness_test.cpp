// Hostile and broken input: random bytes, truncated and mutated corpus scripts, a gzip bomb,
// base64 nested past the layer limit, and structures built to blow up a naive parser. Whatever
// comes in, the analysis must finish quickly, stay within its limits (reporting the ones it hit)
// and produce a result the host accepts (valid JSON under the 4 MiB result limit).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <zlib.h>
#include <boost/json.hpp>

#include "script_analysis/analysis.hpp"
#include "script_analysis/base64.hpp"
#include "script_analysis/result_json.hpp"

namespace script_analysis {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr size_t kHostResultLimit = size_t{4} << 20;

struct Outcome {
  Analysis analysis;
  std::string json;
  double seconds = 0;
  bool hit(std::string_view limit) const {
    for (LimitKind kind : analysis.limits_hit)
      if (limit_name(kind) == limit) return true;
    return false;
  }
};

// Analyses `script` and checks what must hold for any input.
Outcome analyse_bounded(std::string_view script, const AnalyzeOptions& options = {}) {
  Outcome outcome;
  auto start = Clock::now();
  outcome.analysis = analyze(script, options);
  outcome.json = boost::json::serialize(analysis_json(outcome.analysis, options.limits));
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_LE(outcome.analysis.deobfuscation.layers.size(), options.limits.max_layers + 1);
  EXPECT_LE(outcome.analysis.indicators.size(), options.limits.max_indicators);
  EXPECT_LT(outcome.json.size(), kHostResultLimit);
  EXPECT_NO_THROW(boost::json::parse(outcome.json));  // valid UTF-8 and JSON
  return outcome;
}

std::vector<std::string> corpus_scripts() {
  std::vector<std::string> scripts;
  for (const auto& entry :
       fs::directory_iterator(fs::path(SCRIPT_ANALYSIS_SOURCE_DIR) / "tests" / "corpus")) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".json") || name.ends_with(".md")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    scripts.push_back(text.str());
  }
  return scripts;
}

// Compresses `size` zero bytes, streaming, without holding them in memory.
std::string gzip_of_zeros(size_t size) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY);
  const std::string zeros(1 << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  size_t left = size;
  int flush = Z_NO_FLUSH;
  do {
    size_t chunk = std::min(left, zeros.size());
    left -= chunk;
    flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    stream.avail_in = static_cast<uInt>(chunk);
    do {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof buffer;
      deflate(&stream, flush);
      out.append(buffer, sizeof buffer - stream.avail_out);
    } while (stream.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&stream);
  return out;
}

TEST(Robustness, RandomBytes) {
  std::mt19937 random(20241128);
  for (int i = 0; i < 300; ++i) {
    std::string bytes(random() % 4096, '\0');
    for (char& c : bytes)
      c = static_cast<char>(random() & 0xff);
    EXPECT_LT(analyse_bounded(bytes).seconds, 1.0);
  }
}

TEST(Robustness, RandomScriptShapedNoise) {
  static const std::vector<std::string> kTokens = {"'",
                                                   "\"",
                                                   "(",
                                                   ")",
                                                   "+",
                                                   " -join ",
                                                   "[char]",
                                                   "[char[]]",
                                                   "$",
                                                   "$a",
                                                   "%",
                                                   "%a%",
                                                   "^",
                                                   "`",
                                                   "\\x",
                                                   "iex ",
                                                   "| base64 -d",
                                                   "|",
                                                   "73",
                                                   "0x41",
                                                   ",",
                                                   " -f ",
                                                   "{0}",
                                                   "@'\n",
                                                   "'@",
                                                   "\n",
                                                   "FromBase64String(",
                                                   "aGVsbG8=",
                                                   "eval(",
                                                   "Chr(",
                                                   " & ",
                                                   "set a=",
                                                   ":~",
                                                   "$'",
                                                   "String.fromCharCode(",
                                                   "-replace",
                                                   ".Replace(",
                                                   "-enc ",
                                                   "powershell ",
                                                   ";",
                                                   "#",
                                                   "<#"};
  std::mt19937 random(7);
  for (int i = 0; i < 300; ++i) {
    std::string script;
    size_t pieces = random() % 400;
    for (size_t k = 0; k < pieces; ++k)
      script += kTokens[random() % kTokens.size()];
    Language language = static_cast<Language>(random() % 6);
    AnalyzeOptions options;
    options.language = language;
    EXPECT_LT(analyse_bounded(script, options).seconds, 1.0) << script;
  }
}

TEST(Robustness, TruncatedCorpusScripts) {
  for (const std::string& script : corpus_scripts()) {
    size_t step = std::max<size_t>(1, script.size() / 40);
    for (size_t cut = 0; cut < script.size(); cut += step)
      analyse_bounded(std::string_view(script).substr(0, cut));
  }
}

TEST(Robustness, MutatedCorpusScripts) {
  std::mt19937 random(42);
  static constexpr char kSpecial[] = "'\"()[]{}$%^`\\|&;+-=,@\n\0";
  for (const std::string& original : corpus_scripts()) {
    for (int variant = 0; variant < 10; ++variant) {
      std::string script = original;
      for (int m = 0; m < 20 && !script.empty(); ++m) {
        size_t at = random() % script.size();
        char c = (random() & 1) ? kSpecial[random() % (sizeof kSpecial - 1)]
                                : static_cast<char>(random() & 0xff);
        switch (random() % 3) {
          case 0:
            script[at] = c;
            break;
          case 1:
            script.insert(script.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          default:
            script.erase(at, 1);
        }
      }
      analyse_bounded(script);
    }
  }
}

TEST(Robustness, GzipBombStopsAtTheStreamLimit) {
  const std::string bomb = encode_base64(gzip_of_zeros(size_t{64} << 20));  // 64 MiB of zeros
  ASSERT_LT(bomb.size(), size_t{1} << 20);
  const std::string script =
      "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream([IO.MemoryStream]"
      "[Convert]::FromBase64String('" +
      bomb + "'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()";
  Outcome outcome = analyse_bounded(script);
  EXPECT_TRUE(outcome.hit("decompressed size")) << outcome.json.substr(0, 2000);
  EXPECT_LT(outcome.seconds, 2.0);
  // The shell's way to the same bomb.
  Outcome shell = analyse_bounded("echo " + bomb + " | base64 -d | gunzip | sh");
  EXPECT_TRUE(shell.hit("decompressed size"));
  EXPECT_LT(shell.seconds, 2.0);
}

TEST(Robustness, ManyBombsStopAtTheTotalLimit) {
  const std::string bomb = encode_base64(gzip_of_zeros(size_t{8} << 20));
  std::string script;
  for (int i = 0; i < 6; ++i)
    script += "$s" + std::to_string(i) + " = [Convert]::FromBase64String('" + bomb + "')\n";
  Outcome outcome = analyse_bounded(script);
  EXPECT_TRUE(outcome.hit("total decompressed size")) << outcome.json.substr(0, 2000);
  EXPECT_LT(outcome.seconds, 3.0);
}

TEST(Robustness, NestedBase64StopsAtTheLayerLimit) {
  std::string script = "Write-Host 'the innermost layer'";
  for (int level = 0; level < 34; ++level)  // about 620 KB, under the input limit
    script = encode_base64(script);
  Outcome outcome = analyse_bounded(script);
  EXPECT_TRUE(outcome.hit("layers"));
  EXPECT_EQ(outcome.analysis.deobfuscation.layers.size(), Limits{}.max_layers + 1);
  EXPECT_LT(outcome.seconds, 3.0);

  // With room for every layer, the innermost text comes out.
  AnalyzeOptions deeper;
  deeper.limits.max_layers = 40;
  Outcome all = analyse_bounded(script, deeper);
  EXPECT_EQ(all.analysis.deobfuscation.final_text, "Write-Host 'the innermost layer'");
  EXPECT_FALSE(all.hit("layers"));
}

TEST(Robustness, StructuresThatBreakNaiveParsers) {
  const std::vector<std::string> scripts = {
      std::string(200000, '('),
      std::string(200000, '(') + "'a'" + std::string(200000, ')'),
      [] {
        std::string chain = "$x = 'a'";
        for (int i = 0; i < 100000; ++i)
          chain += "+'a'";
        return chain;
      }(),
      [] {
        std::string openers;
        for (int i = 0; i < 50000; ++i)
          openers += "=@'\n";
        return openers;
      }(),
      [] {
        std::string codes;
        for (int i = 0; i < 50000; ++i)
          codes += "[char]65+";
        return codes + "[char]65";
      }(),
      [] {
        std::string batch = "@echo off\nset a=%a%%a%\n";
        for (int i = 0; i < 20; ++i)
          batch += "set a=%a%%a%\n";
        return batch + "%a%";
      }(),
      std::string(300000, '`') + "x",
      std::string(100000, '"'),
      std::string(100000, '\''),
      [] {
        std::string nested = "echo x";
        for (int i = 0; i < 20000; ++i)
          nested = "$(" + nested + ")";
        return nested;
      }(),
  };
  for (const std::string& script : scripts) {
    for (Language language : {Language::Unknown, Language::PowerShell, Language::Shell,
                              Language::Batch, Language::JavaScript, Language::VBScript}) {
      AnalyzeOptions options;
      options.language = language;
      Outcome outcome = analyse_bounded(script, options);
      EXPECT_LT(outcome.seconds, 4.0) << script.substr(0, 40) << " as " << language_name(language);
    }
  }
}

TEST(Robustness, OversizedInputIsCutAndSaidSo) {
  std::string script = "Write-Host 'x'\n";
  while (script.size() < (size_t{3} << 20))
    script += script;
  Outcome outcome = analyse_bounded(script);
  EXPECT_TRUE(outcome.hit("input size"));
  EXPECT_TRUE(outcome.hit("layer text"));
  EXPECT_EQ(outcome.analysis.deobfuscation.layers[0].size, Limits{}.max_input_bytes);
}

TEST(Robustness, TimeLimitAndCancellationStopTheLayerLoop) {
  const std::string script = encode_base64(encode_base64("Write-Host x"));
  AnalyzeOptions no_time;
  no_time.limits.max_time = std::chrono::milliseconds(0);
  Outcome timed_out = analyse_bounded(script, no_time);
  EXPECT_TRUE(timed_out.hit("time"));
  EXPECT_EQ(timed_out.analysis.deobfuscation.layers.size(), 1u);

  AnalyzeOptions cancelled;
  cancelled.cancelled = [] { return true; };
  EXPECT_EQ(analyse_bounded(script, cancelled).analysis.deobfuscation.layers.size(), 1u);
}

}  // namespace
}  // namespace script_analysis

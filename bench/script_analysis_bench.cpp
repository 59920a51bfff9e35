// ScriptAnalysis: deobfuscation and analysis time per corpus script
// (sample-plugins/script-analysis/tests/corpus), for the whole corpus, and for the two hostile
// inputs the limits exist for (a gzip bomb and base64 nested past the layer limit). Results are in
// docs/performance.md; timings are reported, never asserted.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "script_analysis/analysis.hpp"
#include "script_analysis/base64.hpp"
#include "script_analysis/result_json.hpp"

namespace {

namespace fs = std::filesystem;
namespace sa = script_analysis;

struct Script {
  std::string name;
  std::string text;
};

std::vector<Script> load_corpus() {
  std::vector<Script> scripts;
  for (const auto& entry : fs::directory_iterator(SCRIPT_ANALYSIS_CORPUS_DIR)) {
    const std::string file = entry.path().filename().string();
    if (file.ends_with(".json") || file.ends_with(".md")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    scripts.push_back({file, text.str()});
  }
  std::sort(scripts.begin(), scripts.end(),
            [](const Script& a, const Script& b) { return a.name < b.name; });
  return scripts;
}

const std::vector<Script>& corpus() {
  static const std::vector<Script> scripts = load_corpus();
  return scripts;
}

size_t corpus_bytes() {
  size_t bytes = 0;
  for (const auto& script : corpus())
    bytes += script.text.size();
  return bytes;
}

// The full skill: analysis and its JSON result, as AnalyzeScript returns it.
void BM_Analyze(benchmark::State& state, const std::string* text) {
  for (auto _ : state) {
    sa::Analysis analysis = sa::analyze(*text);
    benchmark::DoNotOptimize(sa::analysis_json(analysis, sa::Limits{}));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text->size()));
}

void BM_AnalyzeCorpus(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& script : corpus()) {
      sa::Analysis analysis = sa::analyze(script.text);
      benchmark::DoNotOptimize(sa::analysis_json(analysis, sa::Limits{}));
    }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus_bytes()));
  state.counters["scripts"] = static_cast<double>(corpus().size());
}

// Only the layers, as DeobfuscateScript computes them.
void BM_DeobfuscateCorpus(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& script : corpus())
      benchmark::DoNotOptimize(sa::deobfuscate_only(script.text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus_bytes()));
}

std::string gzip_bomb_script() {
  const std::string zeros(size_t{64} << 20, '\0');
  std::string compressed(compressBound(static_cast<uLong>(zeros.size())), '\0');
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
  stream.avail_in = static_cast<uInt>(zeros.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  deflate(&stream, Z_FINISH);
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  return "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream([IO.MemoryStream]"
         "[Convert]::FromBase64String('" +
         sa::encode_base64(compressed) +
         "'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()";
}

std::string nested_base64_script() {
  std::string script = "Write-Host 'the innermost layer'";
  for (int level = 0; level < 34; ++level)
    script = sa::encode_base64(script);
  return script;
}

void BM_AnalyzeHostile(benchmark::State& state, std::string (*make)()) {
  const std::string script = make();
  for (auto _ : state)
    benchmark::DoNotOptimize(sa::analyze(script));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * script.size()));
}

}  // namespace

int main(int argc, char** argv) {
  for (const auto& script : corpus())
    benchmark::RegisterBenchmark(("BM_Analyze/" + script.name).c_str(), BM_Analyze, &script.text)
        ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_AnalyzeCorpus", BM_AnalyzeCorpus)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_DeobfuscateCorpus", BM_DeobfuscateCorpus)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_AnalyzeGzipBomb64MiB", BM_AnalyzeHostile, gzip_bomb_script)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_AnalyzeNestedBase64x34", BM_AnalyzeHostile, nested_base64_script)
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

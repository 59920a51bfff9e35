// Discovery and load of 1,000 manifests (DESIGN.md budget: <= 1 s): PluginHost over a folder of
// 1,000 copies of a typical declarative manifest, each under its own plugin name.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "secpilot/plugin/plugin_host.hpp"

namespace {

namespace fs = std::filesystem;

fs::path make_folder() {
  std::ifstream in(SECPILOT_BENCH_DATA_DIR "/typical-manifest.yaml");
  std::stringstream text;
  text << in.rdbuf();
  const std::string manifest = text.str();
  const auto name_at = manifest.find("Name: ");
  const auto name_end = manifest.find('\n', name_at);
  const fs::path dir = fs::temp_directory_path() / "secpilot-discovery-bench";
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int i = 0; i < 1000; ++i) {
    std::string copy = manifest;
    copy.replace(name_at, name_end - name_at, "Name: Plugin" + std::to_string(i));
    std::ofstream(dir / ("plugin-" + std::to_string(i) + ".yaml")) << copy;
  }
  return dir;
}

void BM_DiscoverThousandManifests(benchmark::State& state) {
  const fs::path dir = make_folder();
  std::size_t skills = 0;
  for (auto _ : state) {
    secpilot::plugin::HostOptions options;
    options.plugin_dirs = {dir};
    secpilot::plugin::PluginHost host(std::move(options));
    skills = host.catalog().size();
    benchmark::DoNotOptimize(skills);
  }
  state.counters["skills"] = static_cast<double>(skills);
  fs::remove_all(dir);
}
BENCHMARK(BM_DiscoverThousandManifests)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();

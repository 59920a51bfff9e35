// The "in-process skill call" budget of DESIGN.md (Performance budgets): the host's overhead per
// call (catalog lookup, ABI call, result copy and syntax check) against a direct C++ call doing
// the same 200-byte JSON parse and 200-byte result, with and without schema validation. All three
// run in one process, interleaved, so the ratios hold on a noisy machine. See docs/performance.md.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collecting_reporter.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "summarise.hpp"

namespace secpilot {
namespace {

constexpr std::string_view kSkill = bench::kSummariseSkill;
constexpr std::string_view kInput = bench::kSummariseInput;

constexpr const char* kDirect = "BM_DirectCall";
constexpr const char* kHost = "BM_HostCall";
constexpr const char* kValidated = "BM_HostCallValidated";

void direct_call(benchmark::State& state) {
  for (auto _ : state) {
    std::string result = bench::summarise(kInput);
    benchmark::DoNotOptimize(result.data());
    benchmark::ClobberMemory();
  }
}

// The lookup by name is part of the host's overhead, so it happens on every call.
void host_call(benchmark::State& state, const plugin::PluginHost& host,
               const skills::InvokeOptions& options) {
  for (auto _ : state) {
    const skills::SkillEntry* entry = host.catalog().find(kSkill);
    if (!entry) {
      state.SkipWithError("BenchEcho.Summarise is not in the catalog");
      break;
    }
    auto result = skills::invoke_inline(*entry, kInput, options);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(result->data());
    benchmark::ClobberMemory();
  }
}

// Prints one budget line. The verdict uses CPU time: the calls are single-threaded and never
// block, so CPU time is the work done, while real time also counts the time the thread waited
// for a core — on a loaded 2-core machine that swings real-time ratios by ±0.3.
void print_ratio(const char* label, const bench::Sample& measured, const bench::Sample& direct,
                 double budget) {
  const double cpu = measured.cpu_ns / direct.cpu_ns;
  const double real = measured.real_ns / direct.real_ns;
  std::printf(
      "ratio %-16s = %.2f (budget <= %.2f) %-11s [%.0f ns vs %.0f ns CPU; real-time ratio %.2f]\n",
      label, cpu, budget, cpu <= budget ? "OK" : "OVER BUDGET", measured.cpu_ns, direct.cpu_ns,
      real);
}

int run(int argc, char** argv) {
  std::vector<char*> args = bench::with_defaults(argc, argv);
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 2;

  const char* env_dir = std::getenv("SECPILOT_BENCH_PLUGIN_DIR");
  const std::string dir = env_dir && *env_dir ? env_dir : SECPILOT_BENCH_PLUGIN_DIR;
  plugin::HostOptions host_options;
  host_options.plugin_dirs = {dir};
  const plugin::PluginHost host(std::move(host_options));
  const plugin::PluginRecord* record = host.plugin("BenchEcho");
  if (!record || record->state != plugin::PluginState::Loaded) {
    std::fprintf(stderr, "BenchEcho did not load from %s: %s\n", dir.c_str(),
                 record ? record->error.c_str() : "no manifest found (build target bench-echo)");
    return 1;
  }

  skills::InvokeOptions plain;
  plain.validate_input = false;
  plain.validate_output = false;
  skills::InvokeOptions validated;
  validated.validate_input = true;
  validated.validate_output = true;

  // The three paths must produce the same bytes, or the comparison means nothing.
  const std::string expected = bench::summarise(kInput);
  for (const auto* options : {&plain, &validated}) {
    const skills::SkillEntry* entry = host.catalog().find(kSkill);
    auto result = entry ? skills::invoke_inline(*entry, kInput, *options)
                        : Expected<std::string>(make_error(Status::not_found, "not in catalog"));
    if (!result || *result != expected) {
      std::fprintf(stderr, "the host call does not match the direct call: %s\n",
                   result ? result->c_str() : result.error().message.c_str());
      return 1;
    }
  }
  std::printf("input %zu bytes, result %zu bytes\n", kInput.size(), expected.size());

  benchmark::RegisterBenchmark(kDirect, direct_call);
  benchmark::RegisterBenchmark(kHost,
                               [&](benchmark::State& state) { host_call(state, host, plain); });
  benchmark::RegisterBenchmark(kValidated,
                               [&](benchmark::State& state) { host_call(state, host, validated); });

  bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const bench::Sample* direct = reporter.find(kDirect);
  const bench::Sample* plain_call = reporter.find(kHost);
  const bench::Sample* validated_call = reporter.find(kValidated);
  if (!direct || (!plain_call && !validated_call)) return 0;  // filtered: nothing to compare
  std::printf("\nin-process skill call budget (DESIGN.md), median CPU time per call:\n");
  if (plain_call) print_ratio("host/direct", *plain_call, *direct, 1.2);
  if (validated_call) print_ratio("validated/direct", *validated_call, *direct, 2.0);
  return 0;  // timings are reported, never asserted
}

}  // namespace
}  // namespace secpilot

int main(int argc, char** argv) {
  return secpilot::run(argc, argv);
}

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

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "summarise.hpp"

namespace secpilot {
namespace {

constexpr std::string_view kSkill = "BenchEcho.Summarise";
// 203 bytes; the result is about 200 bytes too.
constexpr std::string_view kInput =
    R"({"indicator":"203.0.113.45","type":"ipv4","context":"Outbound beacon from FIN-WS-0142 )"
    R"(every 60 s to a rare port, after a phishing e-mail was opened","tags":["phishing","c2",)"
    R"("beacon","finance"],"limit":5})";

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

struct Sample {
  double real_ns = 0;
  double cpu_ns = 0;
};

// Prints as the console reporter does, and keeps each benchmark's per-call times: the median
// aggregate when there are repetitions, else the median of the runs it saw.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  CollectingReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const Sample sample{run.GetAdjustedRealTime() * to_ns(run.time_unit),
                          run.GetAdjustedCPUTime() * to_ns(run.time_unit)};
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")
        medians_[run.run_name.function_name] = sample;
      else if (run.run_type == Run::RT_Iteration)
        runs_[run.run_name.function_name].push_back(sample);
    }
    ConsoleReporter::ReportRuns(runs);
  }

  const Sample* find(const std::string& name) {
    if (auto it = medians_.find(name); it != medians_.end()) return &it->second;
    auto it = runs_.find(name);
    if (it == runs_.end() || it->second.empty()) return nullptr;
    auto& samples = it->second;
    auto middle = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
    Sample& median = medians_[name];
    std::nth_element(samples.begin(), middle, samples.end(),
                     [](const Sample& a, const Sample& b) { return a.real_ns < b.real_ns; });
    median.real_ns = middle->real_ns;
    std::nth_element(samples.begin(), middle, samples.end(),
                     [](const Sample& a, const Sample& b) { return a.cpu_ns < b.cpu_ns; });
    median.cpu_ns = middle->cpu_ns;
    return &median;
  }

 private:
  static double to_ns(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kNanosecond:
        return 1;
      case benchmark::kMicrosecond:
        return 1e3;
      case benchmark::kMillisecond:
        return 1e6;
      case benchmark::kSecond:
        return 1e9;
    }
    return 1;
  }

  std::map<std::string, Sample> medians_;
  std::map<std::string, std::vector<Sample>> runs_;
};

// Prints one budget line. The verdict uses CPU time: the calls are single-threaded and never
// block, so CPU time is the work done, while real time also counts the time the thread waited
// for a core — on a loaded 2-core machine that swings real-time ratios by ±0.3.
void print_ratio(const char* label, const Sample& measured, const Sample& direct, double budget) {
  const double cpu = measured.cpu_ns / direct.cpu_ns;
  const double real = measured.real_ns / direct.real_ns;
  std::printf(
      "ratio %-16s = %.2f (budget <= %.2f) %-11s [%.0f ns vs %.0f ns CPU; real-time ratio %.2f]\n",
      label, cpu, budget, cpu <= budget ? "OK" : "OVER BUDGET", measured.cpu_ns, direct.cpu_ns,
      real);
}

// Defaults that keep a run under 20 s and make the ratios robust: 5 repetitions of 0.3 s each,
// interleaved at random across the three benchmarks, reported by their median. Flags given on
// the command line win.
std::vector<char*> with_defaults(int argc, char** argv) {
  static const char* const defaults[] = {
      "--benchmark_min_time=0.3",
      "--benchmark_repetitions=5",
      "--benchmark_enable_random_interleaving=true",
      "--benchmark_display_aggregates_only=true",
  };
  std::vector<char*> args(argv, argv + argc);
  for (const char* flag : defaults) {
    const std::string_view name =
        std::string_view(flag).substr(0, std::string_view(flag).find('='));
    const bool given = std::any_of(args.begin() + 1, args.end(), [&](const char* arg) {
      return std::string_view(arg).substr(0, name.size()) == name;
    });
    if (!given) args.push_back(const_cast<char*>(flag));
  }
  return args;
}

int run(int argc, char** argv) {
  std::vector<char*> args = with_defaults(argc, argv);
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

  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const Sample* direct = reporter.find(kDirect);
  const Sample* plain_call = reporter.find(kHost);
  const Sample* validated_call = reporter.find(kValidated);
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

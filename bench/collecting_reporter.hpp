// What the Google Benchmark programs under bench/ share: a console reporter that also keeps each
// benchmark's median per-call times, so that a program can print its budget ratios, and the
// defaults that make those ratios robust on a noisy machine.
#pragma once

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace secpilot::bench {

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

// Defaults that keep a run short and the ratios robust: 5 repetitions of 0.3 s each,
// interleaved at random across the benchmarks, reported by their median. Flags given on the
// command line win.
inline std::vector<char*> with_defaults(int argc, char** argv) {
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

}  // namespace secpilot::bench

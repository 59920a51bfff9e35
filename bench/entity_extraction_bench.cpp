// Entity extraction throughput (issue 6, Grounding): grounding::extract_entities() on the labelled
// corpus of defender prompts (one prompt at a time, and all of them as one text) and on 1 MiB of
// log-like text, in bytes per second. Beside them, the reference: one pass that only splits the
// same bytes into words, the least any scanner does. See docs/grounding.md.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "secpilot/grounding/entities.hpp"

namespace {

using secpilot::grounding::extract_entities;

std::vector<std::string> corpus_prompts() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(SECPILOT_ENTITY_CORPUS_DIR))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> prompts;
  for (const auto& file : files)
    for (const YAML::Node& node : YAML::LoadFile(file.string()))
      prompts.push_back(node["prompt"].as<std::string>());
  return prompts;
}

std::string joined(const std::vector<std::string>& prompts) {
  std::string text;
  for (const std::string& prompt : prompts)
    text += prompt + "\n\n";
  return text;
}

// About 1 MiB of what a SIEM export pasted into a prompt looks like: timestamps, key=value
// pairs with hosts, users, addresses, paths, hashes and URLs, and a little prose.
std::string log_like_text() {
  std::mt19937 rng(42);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  static const char* kHosts[] = {"ws-fin-07", "srv-db-02", "DC01", "LAPTOP-9XK2", "ws-hr-03"};
  static const char* kUsers[] = {"CORP\\jchen", "CORP\\mlopez", "svc_backup", "a.kim"};
  static const char* kProcs[] = {"C:\\Windows\\System32\\svchost.exe",
                                 "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                                 "/usr/sbin/sshd", "/tmp/.x/kworker"};
  static const char* kProse[] = {
      "Note: the scan at 02:00 finished with 0 errors, see report.pdf for details.",
      "User reported slow logins after the 1.2.3 update; no action needed.",
      "Escalated to tier 2 for review, e.g. check the proxy logs and the EDR timeline."};
  std::string text;
  char line[512];
  while (text.size() < (1u << 20)) {
    if (pick(8) == 0) {
      text += kProse[pick(3)];
      text += '\n';
      continue;
    }
    std::snprintf(
        line, sizeof line,
        "2024-05-%02dT%02d:%02d:%02dZ host=%s user=%s src=10.20.%d.%d dst=%d.%d.%d.%d:443 "
        "proc=%s sha256=%016llx%016llx%016llx%016llx url=https://cdn%d.example-cdn.net/a/%d "
        "action=allowed\n",
        1 + pick(28), pick(24), pick(60), pick(60), kHosts[pick(5)], kUsers[pick(4)], pick(256),
        pick(256), 1 + pick(223), pick(256), pick(256), pick(256), kProcs[pick(4)],
        static_cast<unsigned long long>(rng()) * rng(),
        static_cast<unsigned long long>(rng()) * rng(),
        static_cast<unsigned long long>(rng()) * rng(),
        static_cast<unsigned long long>(rng()) * rng(), pick(50), pick(1000));
    text += line;
  }
  return text;
}

void BM_ExtractCorpusPromptByPrompt(benchmark::State& state) {
  const auto prompts = corpus_prompts();
  std::size_t bytes = 0;
  for (const auto& prompt : prompts)
    bytes += prompt.size();
  for (auto _ : state)
    for (const auto& prompt : prompts)
      benchmark::DoNotOptimize(extract_entities(prompt));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["prompts"] = static_cast<double>(prompts.size());
}

void BM_ExtractCorpusAsOneText(benchmark::State& state) {
  const std::string text = joined(corpus_prompts());
  std::size_t entities = 0;
  for (auto _ : state) {
    auto found = extract_entities(text);
    entities = found.size();
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["entities"] = static_cast<double>(entities);
}

void BM_ExtractLogLikeText(benchmark::State& state) {
  const std::string text = log_like_text();
  std::size_t entities = 0;
  for (auto _ : state) {
    auto found = extract_entities(text);
    entities = found.size();
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["entities"] = static_cast<double>(entities);
}

// The reference: split the log-like text into words and touch each, nothing else.
void BM_ReferenceWordSplitLogLikeText(benchmark::State& state) {
  const std::string text = log_like_text();
  for (auto _ : state) {
    std::size_t words = 0;
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\n'))
        ++i;
      const std::size_t start = i;
      while (i < text.size() && text[i] != ' ' && text[i] != '\n')
        ++i;
      words += i > start;
    }
    benchmark::DoNotOptimize(words);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

BENCHMARK(BM_ExtractCorpusPromptByPrompt)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ExtractCorpusAsOneText)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ExtractLogLikeText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReferenceWordSplitLogLikeText)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

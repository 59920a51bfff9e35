// Skill retrieval and the local planner (DESIGN.md budget: the whole local planner <= 1 ms per
// prompt, p50, on a 1,000-skill catalog): building the index over a generated 1,000-skill catalog,
// one search per iteration for typical prompts, and one whole plan per iteration (BM_LocalPlanMix). BM_Search/<n> is one prompt each, so its time
// per iteration is that prompt's latency; BM_SearchMix cycles through all of them and reports
// the p50/p90/p99 of single searches as counters. See docs/planner.md ("Skill retrieval").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/planner/local_planner.hpp"
#include "secpilot/plugin/plugin_host.hpp"

namespace secpilot {
namespace {

// Names of security connectors and what their skills act on.
constexpr std::array kProducts = {
    "CrowdStrike", "SentinelOne", "Okta",       "Zscaler",   "PaloAlto",   "Splunk",   "Tenable",
    "Qualys",      "Rapid7",      "Proofpoint", "Mimecast",  "CyberArk",   "Netskope", "Cloudflare",
    "Wiz",         "Lacework",    "Snyk",       "GitHub",    "ServiceNow", "Jira",     "Slack",
    "PagerDuty",   "VirusTotal",  "Shodan",     "GreyNoise", "AbuseIPDB",  "URLScan",  "Recorded",
    "Mandiant",    "Elastic",     "Sumo",       "Datadog",   "Intune",     "Kandji",   "Duo",
    "Ping",        "Darktrace",   "Vectra",     "Arctic",    "Huntress",   "Sophos",   "Trellix",
    "Fortinet",    "Cisco",       "Juniper",    "Infoblox",  "Axonius",    "Orca",     "Abnormal",
    "KnowBe4"};
constexpr std::array kVerbs = {"Get",     "List",   "Search",    "Update", "Isolate",
                               "Lookup",  "Enrich", "Block",     "Run",    "Export",
                               "Create",  "Close",  "Assign",    "Scan",   "Quarantine",
                               "Disable", "Reset",  "Summarize", "Find",   "Count"};
constexpr std::array kObjects = {
    "Detection",  "Alert",         "Incident",    "Host",    "User",     "Indicator",
    "Policy",     "Vulnerability", "Ticket",      "Case",    "File",     "Process",
    "Device",     "Rule",          "Query",       "Session", "Domain",   "Url",
    "Hash",       "Email",         "Group",       "Asset",   "Finding",  "Container",
    "Repository", "Secret",        "Certificate", "Report",  "Timeline", "Account"};

// The words of the sample plugins' manifests, in order: generated descriptions are runs of them,
// so that word frequencies and phrasing are those of real skills.
std::vector<std::string> real_words() {
  plugin::HostOptions options;
  options.plugin_dirs = {SECPILOT_MANIFESTS_DIR};
  const plugin::PluginHost host(std::move(options));
  std::vector<std::string> words;
  const auto add = [&](const std::string& text) {
    std::istringstream in(text);
    for (std::string word; in >> word;)
      words.push_back(word);
  };
  for (const auto* entry : host.catalog().list()) {
    add(entry->manifest->descriptor.description);
    add(entry->spec->description);
    add(entry->spec->description_for_model);
    for (const auto& prompt : entry->spec->example_prompts)
      add(prompt);
    for (const auto& input : entry->spec->inputs)
      add(input.description);
  }
  return words;
}

// Product jargon: the long tail of rare terms a real 1,000-skill catalog has (5,000 made-up
// words from syllables: "vexlorin", "takuzen").
std::vector<std::string> jargon(std::mt19937& random) {
  constexpr std::array kSyllables = {"ka",  "lo",  "vex", "rin", "ta", "zen", "mor", "qui",
                                     "dra", "pel", "sol", "nix", "ur", "bex", "tor", "ami"};
  std::uniform_int_distribution<std::size_t> syllable(0, kSyllables.size() - 1);
  std::vector<std::string> words;
  while (words.size() < 5000) {
    std::string word;
    for (int i = 0; i < 3; ++i)
      word += kSyllables[syllable(random)];
    words.push_back(std::move(word));
  }
  return words;
}

class TextGenerator {
 public:
  TextGenerator() : random_(42), words_(real_words()), jargon_(jargon(random_)) {}

  // `count` consecutive words of the sample manifests, and a rare term.
  std::string text(std::size_t count) {
    std::uniform_int_distribution<std::size_t> start(0, words_.size() - count - 1);
    std::uniform_int_distribution<std::size_t> rare(0, jargon_.size() - 1);
    std::string out;
    for (std::size_t i = start(random_), end = i + count; i < end; ++i)
      out += words_[i] + ' ';
    return out + jargon_[rare(random_)] + '.';
  }
  std::mt19937& random() { return random_; }

 private:
  std::mt19937 random_;
  std::vector<std::string> words_;
  std::vector<std::string> jargon_;
};

// 100 plugins of 10 skills, deterministic.
struct GeneratedCatalog {
  std::vector<std::shared_ptr<manifest::Manifest>> manifests;
  skills::Catalog catalog;

  GeneratedCatalog() {
    TextGenerator generator;
    auto& random = generator.random();
    std::uniform_int_distribution<std::size_t> verb(0, kVerbs.size() - 1);
    std::uniform_int_distribution<std::size_t> object(0, kObjects.size() - 1);
    std::uniform_int_distribution<int> count(2, 5);
    const std::array<std::string_view, 6> types = {"ip",     "host",   "user",
                                                   "string", "sha256", "integer"};
    for (int p = 0; p < 100; ++p) {
      auto manifest = std::make_shared<manifest::Manifest>();
      const std::string product = kProducts[p % kProducts.size()];
      auto& descriptor = manifest->descriptor;
      descriptor.name = product + std::to_string(p);
      descriptor.display_name = product + " connector " + std::to_string(p);
      descriptor.description = "Reads and acts on " + product + ": " + generator.text(40);
      descriptor.description_for_model = generator.text(90);
      manifest::SkillGroup group;
      group.format = manifest::Format::API;
      std::vector<std::string> used;
      while (group.skills.size() < 10) {
        const std::string verb_word = kVerbs[verb(random)];
        const std::string object_word = kObjects[object(random)];
        const std::string name = verb_word + object_word + "s";
        if (std::find(used.begin(), used.end(), name) != used.end()) continue;
        used.push_back(name);
        manifest::Skill skill;
        skill.name = name;
        skill.display_name = verb_word + " " + object_word + "s in " + product;
        skill.description = verb_word + "s " + object_word + "s. " + generator.text(30);
        skill.description_for_model = generator.text(80);
        for (int e = count(random); e > 0; --e)
          skill.example_prompts.push_back(verb_word + " the " + object_word + " " +
                                          generator.text(6));
        for (int i = count(random) - 1; i > 0; --i) {
          manifest::Input input;
          input.name = object_word + "_" + std::to_string(i);
          input.description = generator.text(15);
          input.type = types[static_cast<std::size_t>(i) % types.size()];
          input.required = i == 1;
          skill.inputs.push_back(std::move(input));
        }
        group.skills.push_back(std::move(skill));
      }
      manifest->groups.push_back(std::move(group));
      manifests.push_back(manifest);
      for (const auto& skill : manifests.back()->groups.front().skills) {
        skills::SkillEntry entry;
        entry.plugin = descriptor.name;
        entry.name = skill.name;
        entry.full_name = entry.plugin + "." + skill.name;
        entry.manifest = manifest;
        entry.spec = &skill;
        entry.format = manifest::Format::API;
        if (!catalog.add(std::move(entry))) std::abort();
      }
    }
  }
};

const GeneratedCatalog& generated() {
  spdlog::set_level(spdlog::level::err);  // the sample libraries are not needed, only their text
  static const GeneratedCatalog catalog;
  return catalog;
}

const grounding::SkillIndex& index() {
  static const grounding::SkillIndex built = grounding::SkillIndex::build(generated().catalog);
  return built;
}

constexpr std::array kPrompts = {
    "is 203.0.113.45 malicious",
    "which CrowdStrike detections are still open from the last 24 hours",
    "isolate the compromised laptop ws-fin-07 and open a ticket",
    "write a KQL query for failed sign-ins of alice@contoso.com",
    "list the critical vulnerabilities on internet facing servers with a CVSS above 9",
    "deobfuscate this powershell and tell me which domains it contacts",
    "brief the CISO on this incident",
    "who received e-mails from this phishing sender and did anyone open the attachment",
    "check the reputation of 44d88612fea8a8f36de82e1278abb02f in our threat intel feeds",
    "which Okta users signed in from a new country without MFA this week",
    "summarize the timeline of incident 4127 and map it to MITRE ATT&CK techniques",
    "reset the password of this account and revoke its sessions",
};

void BM_BuildIndex(benchmark::State& state) {
  const auto& catalog = generated().catalog;
  std::size_t terms = 0;
  for (auto _ : state) {
    auto built = grounding::SkillIndex::build(catalog);
    terms = built.vocabulary_size();
    benchmark::DoNotOptimize(terms);
  }
  state.counters["skills"] = static_cast<double>(catalog.size());
  state.counters["terms"] = static_cast<double>(terms);
}
BENCHMARK(BM_BuildIndex)->Unit(benchmark::kMillisecond);

// The reference for the build: one pass over the same text that lower-cases it and counts its
// words, the least any tokeniser does. On a shared machine the ratio is what to compare.
void BM_ScanCatalogText(benchmark::State& state) {
  std::vector<std::string_view> texts;
  const manifest::Manifest* last_plugin = nullptr;
  for (const auto* entry : generated().catalog.list()) {
    if (entry->manifest.get() != last_plugin) {
      last_plugin = entry->manifest.get();
      const auto& descriptor = last_plugin->descriptor;
      texts.insert(texts.end(), {descriptor.name, descriptor.display_name, descriptor.description,
                                 descriptor.description_for_model});
    }
    const auto& skill = *entry->spec;
    texts.insert(texts.end(),
                 {skill.name, skill.display_name, skill.description, skill.description_for_model});
    texts.insert(texts.end(), skill.example_prompts.begin(), skill.example_prompts.end());
    for (const auto& input : skill.inputs)
      texts.insert(texts.end(), {input.name, input.description});
  }
  std::size_t bytes = 0;
  std::size_t words = 0;
  std::string lower;
  for (auto _ : state) {
    bytes = words = 0;
    for (const auto text : texts) {
      lower.assign(text);
      bool in_word = false;
      for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        const bool letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        words += letter && !in_word;
        in_word = letter;
      }
      bytes += text.size();
    }
    benchmark::DoNotOptimize(words);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["words"] = static_cast<double>(words);
}
BENCHMARK(BM_ScanCatalogText)->Unit(benchmark::kMillisecond);

grounding::SearchOptions planner_options() {
  grounding::SearchOptions options;
  options.top_k = 8;
  // What the planner passes: the skills enabled for the caller (here every other plugin).
  options.filter = [](const skills::SkillEntry& entry) { return entry.plugin.back() != '7'; };
  return options;
}

void BM_Search(benchmark::State& state) {
  const auto& built = index();
  const auto options = planner_options();
  const char* prompt = kPrompts[static_cast<std::size_t>(state.range(0))];
  std::size_t found = 0;
  for (auto _ : state) {
    auto matches = built.search(prompt, options);
    found = matches.size();
    benchmark::DoNotOptimize(matches.data());
  }
  state.SetLabel(prompt);
  state.counters["matches"] = static_cast<double>(found);
}
BENCHMARK(BM_Search)->DenseRange(0, kPrompts.size() - 1)->Unit(benchmark::kMicrosecond);

// Runs `one(prompt)` over the prompts in turn, one per iteration, and reports the p50/p90/p99 of
// single runs as counters.
template <class One>
void run_mix(benchmark::State& state, One&& one) {
  std::vector<double> latencies;
  std::size_t next = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    one(kPrompts[next]);
    latencies.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    next = (next + 1) % kPrompts.size();
  }
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double share) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(share * latencies.size()))];
  };
  state.counters["p50_us"] = at(0.50);
  state.counters["p90_us"] = at(0.90);
  state.counters["p99_us"] = at(0.99);
}

void BM_SearchMix(benchmark::State& state) {
  const auto& built = index();
  const auto options = planner_options();
  run_mix(state, [&](const char* prompt) {
    auto matches = built.search(prompt, options);
    benchmark::DoNotOptimize(matches.data());
  });
}
BENCHMARK(BM_SearchMix)->Unit(benchmark::kMicrosecond);

// The whole local planner on the same catalog (DESIGN.md budget: <= 1 ms p50): reading the
// prompt, retrieval per clause, weighing, inputs, chaining; with a session of two earlier
// prompts, as a follow-up has.
void BM_LocalPlanMix(benchmark::State& state) {
  const planner::LocalPlanner local(index());
  const std::vector<std::string> history = {"Is 203.0.113.45 malicious?",
                                            "which devices talked to it in the last 7 days?"};
  const auto enabled = planner_options().filter;
  std::size_t steps = 0;
  run_mix(state, [&](const char* prompt) {
    auto plan = local.plan({prompt, history, enabled});
    steps += plan.steps.size();
    benchmark::DoNotOptimize(plan.steps.data());
  });
  state.counters["steps"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LocalPlanMix)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace secpilot

BENCHMARK_MAIN();

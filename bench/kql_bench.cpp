// The "KQL over JSON Lines (LogHunt)" budget of DESIGN.md: rows per second of a filter query and
// of a summarize by a column over a 1-million-row DeviceProcessEvents-like JSON Lines file,
// measured beside jq and a plain Boost.JSON full-parse scan of the same file in the same run, so
// that the ratios hold on a noisy machine. Every contender must agree on the answer (the number
// of matching rows, the number of groups and the largest group) before anything is reported.
// See docs/performance.md.
//
//   kql_bench [--rows N] [--repetitions R] [--dir DIR] [--keep] [--no-jq]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

#include "log_hunt/data_directory.hpp"
#include "log_hunt/query_engine.hpp"
#include "log_hunt/text.hpp"
#include "log_hunt/time.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFilterQuery =
    R"(DeviceProcessEvents | where FileName =~ "powershell.exe" and ProcessCommandLine has "enc")";
constexpr std::string_view kSummarizeQuery =
    "DeviceProcessEvents | summarize count() by DeviceName";
// The same questions for jq: `has "enc"` is a whole-term match, hence \b...\b.
constexpr const char* kJqFilter =
    R"(select((.FileName | ascii_downcase) == "powershell.exe" and (.ProcessCommandLine | test("\\benc\\b"; "i"))))";
constexpr const char* kJqGroup =
    R"(reduce inputs as $r ({}; .[$r.DeviceName] += 1) | to_entries[] | [.key, .value])";

struct Options {
  size_t rows = 1'000'000;
  int repetitions = 3;
  fs::path dir;
  bool keep = false;
  bool jq = true;
};

// ------------------------------------------------------------------------------------------
// The data: one realistic process-creation event per line, ~480 bytes, deterministic.

std::string hex(std::mt19937_64& random, size_t digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < digits; ++i)
    out += kHex[random() & 15];
  return out;
}

struct Program {
  const char* file;
  const char* folder;
  const char* command;
  const char* parent;
  int weight;
};

constexpr Program kPrograms[] = {
    {"svchost.exe", R"(C:\\Windows\\System32\\svchost.exe)",
     "svchost.exe -k netsvcs -p -s Schedule", "services.exe", 30},
    {"chrome.exe", R"(C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe)",
     R"(\"chrome.exe\" --type=renderer --field-trial-handle=1732 --lang=en-US)", "chrome.exe", 25},
    {"conhost.exe", R"(C:\\Windows\\System32\\conhost.exe)", "conhost.exe 0xffffffff -ForceV1",
     "cmd.exe", 10},
    {"cmd.exe", R"(C:\\Windows\\System32\\cmd.exe)",
     R"(cmd.exe /c \"C:\\ProgramData\\agent\\health.cmd\")", "explorer.exe", 10},
    {"powershell.exe", R"(C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe)",
     "powershell.exe -NoProfile -ExecutionPolicy Bypass -File "
     "C:\\\\ProgramData\\\\agent\\\\inventory.ps1",
     "svchost.exe", 6},
    {"powershell.exe", R"(C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe)",
     "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=",
     "WINWORD.EXE", 1},
    {"POWERSHELL.EXE", R"(C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe)",
     "POWERSHELL.EXE -EncodedCommand SQBFAFgA", "wmiprvse.exe", 1},
    {"msedge.exe", R"(C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe)",
     "msedge.exe --single-argument https://intranet.example/", "explorer.exe", 10},
    {"rundll32.exe", R"(C:\\Windows\\System32\\rundll32.exe)",
     "rundll32.exe shell32.dll,Control_RunDLL", "explorer.exe", 4},
    {"taskhostw.exe", R"(C:\\Windows\\System32\\taskhostw.exe)", "taskhostw.exe Install $(Arg0)",
     "svchost.exe", 3},
};

void generate(const fs::path& file, size_t rows) {
  std::mt19937_64 random(20261120);
  int total_weight = 0;
  for (const auto& program : kPrograms)
    total_weight += program.weight;
  std::string out;
  out.reserve(size_t{1} << 22);
  std::FILE* handle = std::fopen(file.c_str(), "wb");
  if (!handle) throw std::runtime_error("cannot write " + file.string());
  const int64_t start = *log_hunt::parse_datetime("2026-11-20T00:00:00Z");
  char buffer[1024];
  for (size_t row = 0; row < rows; ++row) {
    int pick = static_cast<int>(random() % static_cast<uint64_t>(total_weight));
    const Program* program = &kPrograms[0];
    for (const auto& candidate : kPrograms) {
      if (pick < candidate.weight) {
        program = &candidate;
        break;
      }
      pick -= candidate.weight;
    }
    const int device = static_cast<int>(random() % 250);
    const int user = static_cast<int>(random() % 400);
    const int64_t ticks =
        start + static_cast<int64_t>(row) * 864'000'000'000LL / static_cast<int64_t>(rows) +
        static_cast<int64_t>(random() % 10'000'000);
    const std::string timestamp = log_hunt::format_datetime(ticks);
    int length = std::snprintf(
        buffer, sizeof buffer,
        R"({"Timestamp":"%s","DeviceId":"%s","DeviceName":"ws-%04d.corp.example","ActionType":"ProcessCreated",)"
        R"("FileName":"%s","FolderPath":"%s","SHA256":"%s","ProcessId":%d,"ProcessCommandLine":"%s",)"
        R"("AccountDomain":"corp","AccountName":"user%03d","InitiatingProcessFileName":"%s",)"
        R"("InitiatingProcessId":%d,"ReportId":%zu})"
        "\n",
        timestamp.c_str(), hex(random, 40).c_str(), device, program->file, program->folder,
        hex(random, 64).c_str(), static_cast<int>(1000 + random() % 60000), program->command, user,
        program->parent, static_cast<int>(400 + random() % 9000), row + 1);
    out.append(buffer, static_cast<size_t>(length));
    if (out.size() > (size_t{1} << 22) - 2048) {
      std::fwrite(out.data(), 1, out.size(), handle);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), handle);
  std::fclose(handle);
}

// ------------------------------------------------------------------------------------------
// Timing: CPU time of this process, or of a child for jq.

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double wall_seconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct Measurement {
  double cpu = 0;   // seconds
  double wall = 0;  // seconds
};

// The answer each contender gives, compared before timings are trusted.
struct Answer {
  uint64_t matches = 0;  // filter: rows
  uint64_t groups = 0;   // summarize: groups
  uint64_t largest = 0;  // summarize: the biggest count
  bool operator==(const Answer&) const = default;
};

struct Contender {
  std::string name;
  std::function<Answer(Measurement&)> run;
  bool once = false;  // jq takes ~20 s a run: measured once, its ratio is not close to the line
};

Measurement median(std::vector<Measurement> runs) {
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.cpu < b.cpu; });
  Measurement m = runs[runs.size() / 2];
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.wall < b.wall; });
  m.wall = runs[runs.size() / 2].wall;
  return m;
}

// ------------------------------------------------------------------------------------------
// Contenders.

Answer run_loghunt(const log_hunt::LogStore& store, std::string_view query, bool group,
                   Measurement& m) {
  log_hunt::QueryOptions options;
  options.limits.max_rows = 100'000'000;
  options.limits.max_result_bytes = size_t{1} << 40;
  const double cpu = process_cpu_seconds(), wall = wall_seconds();
  log_hunt::QueryResult result = log_hunt::run_query(query, store, options);
  m.cpu = process_cpu_seconds() - cpu;
  m.wall = wall_seconds() - wall;
  Answer answer;
  if (!group) {
    answer.matches = result.rows.size();
  } else {
    answer.groups = result.rows.size();
    for (const auto& row : result.rows)
      answer.largest = std::max<uint64_t>(answer.largest, row[1].integer);
  }
  return answer;
}

// A straightforward scan: every line parsed into a Boost.JSON document (one parser and one
// stack buffer reused across lines), then the same test or grouping on it.
Answer run_boost_json(const fs::path& file, bool group, Measurement& m) {
  const double cpu = process_cpu_seconds(), wall = wall_seconds();
  log_hunt::MappedFile mapped(file);
  std::string_view data = mapped.data();
  boost::json::parser parser;
  unsigned char buffer[8192];  // each line's document lives here
  const log_hunt::TermMatcher enc("enc", false);
  std::unordered_map<std::string, uint64_t> counts;
  Answer answer;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    boost::json::monotonic_resource resource(buffer, sizeof buffer);
    parser.reset(boost::json::storage_ptr(&resource));
    boost::system::error_code error;
    parser.write(line.data(), line.size(), error);
    if (error) continue;
    boost::json::value row = parser.release();
    const auto& object = row.as_object();
    if (!group) {
      const auto* file_name = object.if_contains("FileName");
      const auto* command = object.if_contains("ProcessCommandLine");
      if (file_name && command && file_name->is_string() && command->is_string() &&
          log_hunt::iequals(file_name->as_string(), "powershell.exe") &&
          enc.has(command->as_string()))
        ++answer.matches;
    } else if (const auto* device = object.if_contains("DeviceName");
               device && device->is_string()) {
      ++counts[std::string(device->as_string())];
    }
  }
  m.cpu = process_cpu_seconds() - cpu;
  m.wall = wall_seconds() - wall;
  answer.groups = counts.size();
  for (const auto& [name, count] : counts)
    answer.largest = std::max(answer.largest, count);
  return answer;
}

// jq in a child process, its stdout to a file; CPU time from the child's rusage.
Answer run_jq(const fs::path& file, const fs::path& out, bool group, Measurement& m) {
  std::vector<std::string> args = {"/usr/bin/jq", "-c"};
  if (group) args.push_back("-n");
  args.push_back(group ? kJqGroup : kJqFilter);
  args.push_back(file.string());
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const double wall = wall_seconds();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot run /usr/bin/jq");
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  m.wall = wall_seconds() - wall;
  m.cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("jq failed");
  Answer answer;
  std::ifstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!group) {
      ++answer.matches;
      continue;
    }
    ++answer.groups;
    auto value = boost::json::parse(line).as_array();
    answer.largest =
        std::max<uint64_t>(answer.largest, static_cast<uint64_t>(value[1].to_number<int64_t>()));
  }
  return answer;
}

// ------------------------------------------------------------------------------------------

struct Result {
  std::string name;
  Measurement time;
};

std::vector<Result> measure(const std::vector<Contender>& contenders, int repetitions,
                            const char* what) {
  std::vector<std::vector<Measurement>> runs(contenders.size());
  std::vector<Answer> answers(contenders.size());
  // Interleaved, so that a slow moment of the machine is shared by all.
  for (int r = 0; r < repetitions; ++r) {
    for (size_t c = 0; c < contenders.size(); ++c) {
      if (contenders[c].once && r > 0) continue;
      Measurement m;
      Answer answer = contenders[c].run(m);
      if (r == 0) answers[c] = answer;
      runs[c].push_back(m);
    }
  }
  for (size_t c = 1; c < contenders.size(); ++c) {
    if (!(answers[c] == answers[0])) {
      std::fprintf(stderr,
                   "%s: %s disagrees with %s (matches %llu vs %llu, groups %llu vs %llu, largest "
                   "%llu vs %llu)\n",
                   what, contenders[c].name.c_str(), contenders[0].name.c_str(),
                   static_cast<unsigned long long>(answers[c].matches),
                   static_cast<unsigned long long>(answers[0].matches),
                   static_cast<unsigned long long>(answers[c].groups),
                   static_cast<unsigned long long>(answers[0].groups),
                   static_cast<unsigned long long>(answers[c].largest),
                   static_cast<unsigned long long>(answers[0].largest));
      std::exit(1);
    }
  }
  std::printf("%s: %llu matching rows, %llu groups (largest %llu)\n", what,
              static_cast<unsigned long long>(answers[0].matches),
              static_cast<unsigned long long>(answers[0].groups),
              static_cast<unsigned long long>(answers[0].largest));
  std::vector<Result> results;
  for (size_t c = 0; c < contenders.size(); ++c)
    results.push_back({contenders[c].name, median(runs[c])});
  return results;
}

void report(const char* what, const std::vector<Result>& results, size_t rows,
            double budget_rows_per_second) {
  std::printf("\n%s (median of runs; rows/s by CPU time, wall-clock in brackets)\n", what);
  const double ours = static_cast<double>(rows) / results[0].time.cpu;
  for (const auto& result : results) {
    const double cpu_rate = static_cast<double>(rows) / result.time.cpu;
    const double wall_rate = static_cast<double>(rows) / result.time.wall;
    std::printf("  %-28s %7.2f M rows/s  [%6.2f M rows/s wall]  LogHunt is %5.2fx this\n",
                result.name.c_str(), cpu_rate / 1e6, wall_rate / 1e6, ours / cpu_rate);
  }
  std::printf("  budget: >= %.1f M rows/s -> %s (%.2f M rows/s)\n", budget_rows_per_second / 1e6,
              ours >= budget_rows_per_second ? "WITHIN BUDGET" : "OVER BUDGET", ours / 1e6);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--rows") {
      options.rows = std::stoull(value());
    } else if (arg == "--repetitions") {
      options.repetitions = std::max(1, std::stoi(value()));
    } else if (arg == "--dir") {
      options.dir = value();
    } else if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--no-jq") {
      options.jq = false;
    } else {
      std::fprintf(
          stderr, "usage: kql_bench [--rows N] [--repetitions R] [--dir DIR] [--keep] [--no-jq]\n");
      std::exit(2);
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse_options(argc, argv);
  const bool made_dir = options.dir.empty();
  if (made_dir)
    options.dir = fs::temp_directory_path() / ("kql-bench-" + std::to_string(::getpid()));
  fs::create_directories(options.dir);
  const fs::path file = options.dir / "DeviceProcessEvents.jsonl";
  try {
    if (!fs::exists(file)) {
      const double started = wall_seconds();
      generate(file, options.rows);
      std::printf("generated %zu rows (%.0f MB) in %.1f s: %s\n", options.rows,
                  static_cast<double>(fs::file_size(file)) / 1e6, wall_seconds() - started,
                  file.c_str());
    }
    const double bytes = static_cast<double>(fs::file_size(file));
    std::printf("file: %.0f MB, %.0f bytes per row\n", bytes / 1e6,
                bytes / static_cast<double>(options.rows));
    log_hunt::LogStore store(options.dir);
    const fs::path jq_out = options.dir / "jq.out";
    for (bool group : {false, true}) {
      const std::string_view query = group ? kSummarizeQuery : kFilterQuery;
      std::vector<Contender> contenders;
      contenders.push_back({"LogHunt", [&, query, group](Measurement& m) {
                              return run_loghunt(store, query, group, m);
                            }});
      contenders.push_back({"Boost.JSON full parse",
                            [&, group](Measurement& m) { return run_boost_json(file, group, m); }});
      if (options.jq)
        contenders.push_back(
            {"jq -c", [&, group](Measurement& m) { return run_jq(file, jq_out, group, m); }});
      const char* what = group ? "summarize count() by DeviceName"
                               : "filter (FileName =~ ... and ... has \"enc\")";
      std::printf("\n%s\n  %s\n", what, std::string(query).c_str());
      auto results = measure(contenders, options.repetitions, what);
      report(what, results, options.rows, group ? 1.5e6 : 2.0e6);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kql_bench: %s\n", e.what());
    return 1;
  }
  if (!options.keep && made_dir) fs::remove_all(options.dir);
  return 0;
}

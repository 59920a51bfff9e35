// Fuzz-style robustness: truncated and mutated queries, and truncated and mutated JSON lines,
// must end in a result or a QueryError, never a crash, another exception or a hang. Seeds are
// fixed, so a failure reproduces.
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "log_hunt/json_scan.hpp"
#include "log_hunt/query_error.hpp"
#include "test_support.hpp"

namespace log_hunt {
namespace {

std::vector<std::string> seed_queries() {
  std::ifstream in(testing::kTestsDir / "differential_cases.kqltest");
  std::vector<std::string> queries;
  std::string line, current;
  bool in_query = false;
  while (std::getline(in, line)) {
    if (line.rfind("=== ", 0) == 0) {
      in_query = true;
      current.clear();
    } else if (line.rfind("---", 0) == 0) {
      if (in_query && !current.empty()) queries.push_back(current);
      in_query = false;
    } else if (in_query) {
      current += line + "\n";
    }
  }
  return queries;
}

// Runs and reports whether it ended in a result or a QueryError; anything else fails the test.
void run_safely(const std::string& query, const LogStore& store) {
  Limits limits;
  limits.max_rows = 1000;
  limits.max_memory_bytes = size_t{64} << 20;
  limits.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  try {
    testing::run(query, store, limits);
  } catch (const QueryError&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected " << typeid(e).name() << ": " << e.what() << "\nquery: " << query;
  }
}

TEST(Fuzz, TruncatedQueries) {
  const LogStore store(testing::kFixtureDir);
  size_t runs = 0;
  for (const auto& query : seed_queries()) {
    const size_t step = std::max<size_t>(1, query.size() / 40);
    for (size_t cut = 0; cut < query.size(); cut += step, ++runs)
      run_safely(query.substr(0, cut), store);
  }
  EXPECT_GT(runs, 1000u);
}

TEST(Fuzz, MutatedQueries) {
  const LogStore store(testing::kFixtureDir);
  const auto queries = seed_queries();
  std::mt19937_64 random(7);
  const std::string alphabet = "|()[]{}.,;:=!<>~\"'@*+-/%$ \n\tabcxyz0123456789";
  const std::vector<std::string> words = {
      "where",    "project",   "summarize", "by",    "join",   "on",     "let", "union",
      "take",     "mv-expand", "parse",     "with",  "bin(",   "ago(",   "has", "in",
      "dynamic(", "datetime(", "toscalar(", "Users", "$left.", "count()"};
  for (int i = 0; i < 3000; ++i) {
    std::string query = queries[random() % queries.size()];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !query.empty(); ++e) {
      const size_t at = random() % query.size();
      switch (random() % 4) {
        case 0:
          query[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          query.erase(at, 1 + random() % 8);
          break;
        case 2:
          query.insert(at, words[random() % words.size()]);
          break;
        default:
          query.insert(at, 1, static_cast<char>(random() % 256));
          break;
      }
    }
    run_safely(query, store);
  }
}

TEST(Fuzz, PathologicalQueries) {
  const LogStore store(testing::kFixtureDir);
  run_safely(std::string(5000, '('), store);
  run_safely("print x = " + std::string(3000, '-') + "1", store);
  run_safely("let a = b; let b = a; a", store);
  run_safely("let T = T | take 1; T", store);
  run_safely("print x = 1" + std::string(2000, '+') + "1", store);
  run_safely("range i from 1 to 100000000000 step 1", store);
  run_safely("DeviceProcessEvents | where ProcessCommandLine matches regex \"(a+)+$\" | count",
             store);
  run_safely("DeviceProcessEvents | where ProcessCommandLine matches regex \"([\" ", store);
  run_safely(std::string("DeviceProcessEvents") + std::string(2000, '|'), store);
  run_safely("union *", store);
}

std::vector<std::string> fixture_lines() {
  std::vector<std::string> lines;
  for (const char* name : {"DeviceProcessEvents.jsonl", "DeviceNetworkEvents.jsonl"}) {
    std::ifstream in(testing::kFixtureDir / name);
    std::string line;
    while (std::getline(in, line))
      lines.push_back(line);
  }
  return lines;
}

TEST(Fuzz, MutatedJsonLinesThroughTheScanner) {
  const auto lines = fixture_lines();
  std::mt19937_64 random(11);
  JsonFieldScanner scanner({"Timestamp", "ProcessCommandLine", "AdditionalFields", "ReportId"});
  std::vector<RawField> fields(4);
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line = lines[random() % lines.size()];
    if (random() % 2) line.resize(random() % (line.size() + 1));
    for (int e = 0; e < 3 && !line.empty(); ++e)
      line[random() % line.size()] = static_cast<char>(random() % 256);
    if (scanner.scan(line, fields.data())) {
      ++accepted;
      for (const auto& field : fields) {
        if (field.kind == RawField::Absent) continue;
        ASSERT_GE(field.begin, line.data());
        ASSERT_LE(field.end, line.data() + line.size());
      }
    }
  }
  EXPECT_GT(accepted, 0u);
}

TEST(Fuzz, MutatedJsonLinesThroughQueries) {
  const auto lines = fixture_lines();
  std::mt19937_64 random(13);
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    std::string line = lines[random() % lines.size()];
    if (random() % 3 == 0) line.resize(random() % (line.size() + 1));
    if (random() % 3 == 0 && !line.empty())
      line[random() % line.size()] = static_cast<char>(random() % 256);
    text += line + "\n";
  }
  testing::TempDir dir;
  dir.write("Mixed.jsonl", text);
  const LogStore store(dir.path());
  for (const char* query : {"Mixed | summarize count() by DeviceName",
                            "Mixed | where ProcessCommandLine has \"enc\" | take 5",
                            "Mixed | summarize arg_max(Timestamp, *) by DeviceName",
                            "Mixed | mv-expand AdditionalFields.Tags | count",
                            "Mixed | extend L = strlen(ProcessCommandLine) | top 3 by L",
                            "Mixed | distinct RemoteIP | count"}) {
    run_safely(query, store);
  }
  auto result = testing::run("Mixed | count", store);
  EXPECT_EQ(result.rows[0][0].integer + static_cast<int64_t>(result.stats.malformed_rows),
            static_cast<int64_t>(result.stats.rows_scanned));
}

TEST(Fuzz, HugeValuesDoNotExhaustTheStack) {
  // A 1 MiB command line: string operators see all of it, regular expressions its first 16 KiB.
  testing::TempDir dir;
  const std::string padding(1 << 20, 'A');
  dir.write("Huge.jsonl", "{\"Cmd\":\"start " + padding + " -enc tail\"}\n");
  const LogStore store(dir.path());
  EXPECT_EQ(testing::run("Huge | where Cmd has \"enc\" | count", store).rows[0][0].integer, 1);
  EXPECT_EQ(testing::run("Huge | where Cmd endswith \"tail\" | count", store).rows[0][0].integer,
            1);
  EXPECT_EQ(
      testing::run("Huge | where Cmd matches regex \"tail$\" | count", store).rows[0][0].integer,
      0);
  EXPECT_EQ(testing::run("Huge | where Cmd matches regex \"^start A+\" | count", store)
                .rows[0][0]
                .integer,
            1);
  auto parsed = testing::run(
      "Huge | parse Cmd with \"start \" Body \" -enc \" Tail | project strlen(Body), Tail", store);
  ASSERT_EQ(parsed.rows.size(), 1u);
  EXPECT_EQ(parsed.rows[0][0].integer, 1 << 20);
  EXPECT_EQ(parsed.rows[0][1].text, "tail");
  auto extracted = testing::run(
      "Huge | project x = extract(\"^(start A+)\", 1, Cmd) | project strlen(x)", store);
  EXPECT_EQ(extracted.rows[0][0].integer, 16 * 1024);  // the regex saw the first 16 KiB
  auto regex_parse =
      testing::run("Huge | parse kind=regex Cmd with \"(s)tart \" X \"A\" | project X", store);
  EXPECT_EQ(regex_parse.rows[0][0].text, "");  // X is the column's group, not the fragment's (s)
}

}  // namespace
}  // namespace log_hunt

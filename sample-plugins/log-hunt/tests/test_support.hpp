// Helpers shared by LogHunt's tests: a temporary folder, the fixture store, running a query with
// the fixed clock the expectations were written for.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#include <unistd.h>

#include "log_hunt/query_engine.hpp"
#include "log_hunt/time.hpp"

namespace log_hunt::testing {

inline const std::filesystem::path kTestsDir = LOG_HUNT_TESTS_DIR;
inline const std::filesystem::path kFixtureDir = kTestsDir / "fixture";

// now() of every test query: 2026-11-20T11:00:00Z.
inline int64_t fixed_now() {
  return *parse_datetime("2026-11-20T11:00:00Z");
}

inline QueryResult run(std::string_view query, const LogStore& store, Limits limits = {}) {
  QueryOptions options;
  options.limits = std::move(limits);
  options.now_ticks = fixed_now();
  return run_query(query, store, options);
}

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("log-hunt-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter.fetch_add(1)) + "-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::string& name, std::string_view content) const {
    auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace log_hunt::testing

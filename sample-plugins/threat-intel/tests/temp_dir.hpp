// A fresh temporary folder per test, removed afterwards; with helpers to write files and to give
// them an explicitly newer modification time (so reload tests never sleep).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#include <unistd.h>

namespace threat_intel::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("threat-intel-test-" + std::to_string(::getpid()) + "-" +
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

  // Replaces `name` with `content` atomically (a hidden temporary file renamed over it, as a
  // feed updater should do) with a modification time ten seconds after the previous write's, so
  // every rewrite is visibly newer without sleeping.
  std::filesystem::path write(const std::string& name, std::string_view content) {
    auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    auto temporary = file.parent_path() / ("." + file.filename().string() + ".tmp");
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << content;
    }
    stamp_ += std::chrono::seconds(10);
    std::filesystem::last_write_time(temporary, stamp_);
    std::filesystem::rename(temporary, file);
    return file;
  }

 private:
  std::filesystem::path path_;
  std::filesystem::file_time_type stamp_ =
      std::filesystem::file_time_type::clock::now() - std::chrono::hours(24);
};

}  // namespace threat_intel::testing

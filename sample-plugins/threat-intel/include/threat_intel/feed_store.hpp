// The feed folder as an immutable snapshot that is rebuilt when its files change.
//
// A folder holds feed files and, optionally, an index `feeds.json` that names each feed and says
// how to read it (see docs/plugins/threat-intel.md):
//
//   {
//     "feeds": [
//       {"name": "spamhaus-drop", "file": "drop.txt", "format": "cidr",
//        "verdict": "malicious", "confidence": 90, "tags": ["hijacked-netblock"]}
//     ],
//     "auto_detect_unlisted": true   // also load *.txt *.csv *.list *.lst *.ipset *.netset
//   }
//
// Without an index every such file is loaded with its format detected from its header.
// Reading never throws on bad data: problems are recorded in the snapshot, per feed or global.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "threat_intel/feed.hpp"
#include "threat_intel/indicator_index.hpp"

namespace threat_intel {

inline constexpr std::string_view kFeedIndexFile = "feeds.json";

// What a set of files looked like: path, size and modification time of each, sorted by path.
struct FileStamp {
  std::string path;
  uintmax_t size = 0;
  int64_t mtime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};
using Fingerprint = std::vector<FileStamp>;

struct Snapshot {
  std::filesystem::path directory;
  IndicatorIndex index;
  std::vector<std::string> problems;  // folder- and index-level problems ("feeds.json: ...")
  std::string loaded_at;              // ISO 8601 UTC
  Fingerprint fingerprint;            // the files as they were when this snapshot was read
  std::vector<std::string> watched;   // files outside the folder's top level that feeds.json names

  size_t feeds_loaded() const noexcept;  // feeds without a file-level error
  size_t skipped_lines() const noexcept;
};

// Reads the folder into a snapshot. Never throws for missing or malformed files.
std::shared_ptr<const Snapshot> load_snapshot(const std::filesystem::path& directory);

// The files a snapshot of `directory` depends on, as they are now: every regular, non-hidden file
// at the folder's top level plus `extra` paths.
Fingerprint fingerprint_of(const std::filesystem::path& directory,
                           const std::vector<std::string>& extra);

// Hands out the current snapshot to any number of threads and swaps in a new one when the files
// change. Checks the files at most once per `check_interval`; one thread reloads while the others
// keep using the previous snapshot. Thread-safe.
class FeedStore {
 public:
  struct Options {
    std::chrono::milliseconds check_interval{1000};
  };
  struct Acquired {
    std::shared_ptr<const Snapshot> snapshot;
    bool reloaded = false;  // this call swapped in a new snapshot (so the caller may log it)
  };

  // Loads the folder once, synchronously.
  explicit FeedStore(std::filesystem::path directory, Options options);
  explicit FeedStore(std::filesystem::path directory)
      : FeedStore(std::move(directory), Options{}) {}

  // The current snapshot, after reloading it if the interval has passed and the files changed.
  Acquired acquire();
  // The current snapshot without checking the files.
  std::shared_ptr<const Snapshot> current() const;
  // Checks the files now, ignoring the interval; reloads if they changed.
  Acquired refresh();

  const std::filesystem::path& directory() const noexcept { return directory_; }

 private:
  Acquired check(bool force);

  const std::filesystem::path directory_;
  const Options options_;
  mutable std::mutex snapshot_mutex_;  // guards snapshot_ (the pointer only)
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex reload_mutex_;  // one reloader at a time
  std::atomic<int64_t> next_check_ns_{0};
};

}  // namespace threat_intel

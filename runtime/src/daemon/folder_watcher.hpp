// Watches folders (recursively, with inotify) and calls back once a burst of changes settles:
// how the daemon notices added, changed and removed manifests and libraries.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <thread>
#include <vector>

namespace secpilot::daemon {

class FolderWatcher {
 public:
  // `on_change` runs on the watcher's thread, `debounce` after the last change of a burst.
  // Folders that do not exist yet are watched from their nearest existing parent's creation.
  FolderWatcher(std::vector<std::filesystem::path> folders, std::chrono::milliseconds debounce,
                std::function<void()> on_change);
  ~FolderWatcher();  // stops and joins the thread
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;

 private:
  void run();
  void watch_tree(const std::filesystem::path& folder);

  std::vector<std::filesystem::path> folders_;
  std::chrono::milliseconds debounce_;
  std::function<void()> on_change_;
  int inotify_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::map<int, std::filesystem::path> watches_;
  std::thread thread_;
};

}  // namespace secpilot::daemon

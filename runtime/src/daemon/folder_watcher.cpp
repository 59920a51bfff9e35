#include "daemon/folder_watcher.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <fcntl.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace secpilot::daemon {
namespace {

constexpr std::uint32_t kEvents = IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM |
                                  IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;

}  // namespace

FolderWatcher::FolderWatcher(std::vector<std::filesystem::path> folders,
                             std::chrono::milliseconds debounce, std::function<void()> on_change)
    : folders_(std::move(folders)), debounce_(debounce), on_change_(std::move(on_change)) {
  inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_ < 0 || ::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    spdlog::warn("cannot watch plugin folders ({}); reload with SIGHUP instead",
                 std::strerror(errno));
    return;
  }
  for (const auto& folder : folders_)
    watch_tree(folder);
  thread_ = std::thread([this] { run(); });
}

FolderWatcher::~FolderWatcher() {
  if (thread_.joinable()) {
    const char byte = 0;
    [[maybe_unused]] auto written = ::write(stop_pipe_[1], &byte, 1);
    thread_.join();
  }
  for (int fd : {inotify_, stop_pipe_[0], stop_pipe_[1]})
    if (fd >= 0) ::close(fd);
}

void FolderWatcher::watch_tree(const std::filesystem::path& folder) {
  std::error_code error;
  // A folder that does not exist yet: watch its parent so its creation is seen.
  std::filesystem::path target = folder;
  while (!std::filesystem::is_directory(target, error) && target.has_parent_path() &&
         target != target.parent_path())
    target = target.parent_path();
  const int wd = ::inotify_add_watch(inotify_, target.c_str(), kEvents);
  if (wd >= 0) watches_[wd] = target;
  if (target != folder) return;
  for (std::filesystem::recursive_directory_iterator
           it(folder, std::filesystem::directory_options::skip_permission_denied, error),
       end;
       !error && it != end; it.increment(error)) {
    if (!it->is_directory(error)) continue;
    const int sub = ::inotify_add_watch(inotify_, it->path().c_str(), kEvents);
    if (sub >= 0) watches_[sub] = it->path();
  }
}

void FolderWatcher::run() {
  std::array<char, 16 * 1024> buffer{};
  bool pending = false;
  while (true) {
    std::array<pollfd, 2> fds{{{inotify_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}}};
    const int timeout = pending ? static_cast<int>(debounce_.count()) : -1;
    const int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno == EINTR) continue;
    if (fds[1].revents) return;
    if (ready == 0) {  // the burst settled
      pending = false;
      // New folders (a plugin copied in) get watches before the reload reads them.
      for (const auto& folder : folders_)
        watch_tree(folder);
      on_change_();
      continue;
    }
    while (::read(inotify_, buffer.data(), buffer.size()) > 0) {
    }
    pending = true;
  }
}

}  // namespace secpilot::daemon

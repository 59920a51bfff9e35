// The real `secpilotd` binary in a test: spawned on an ephemeral loopback port with a store in a
// temporary folder, one API key per role, and helpers to signal it (SIGTERM, SIGHUP, SIGKILL) and
// restart it on the same store. Failures throw std::runtime_error with the daemon's log, which
// GoogleTest reports as the test's failure.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace secpilot::testing {

// Built artefacts the daemon tests use.
std::filesystem::path secpilotd_binary();      // <build>/bin/secpilotd
std::filesystem::path threat_intel_plugins();  // <build>/plugins (ThreatIntel)
std::filesystem::path misbehaving_plugin();    // <build>/test-plugins/misbehaving

// The users behind the keys: the contributor and the reader both act as "alice", so the reader can
// read what the contributor made; "bob" is another contributor, for isolation tests.
inline constexpr const char* kOwnerUser = "olivia";
inline constexpr const char* kAliceUser = "alice";
inline constexpr const char* kBobUser = "bob";

struct ApiKeys {
  std::string owner;        // role owner, user olivia
  std::string contributor;  // role contributor, user alice
  std::string reader;       // role reader, user alice
  std::string bob;          // role contributor, user bob
};

struct DaemonOptions {
  // The YAML given with --config; empty: no config file (the embedded defaults).
  std::string config;
  // Passed as --plugins-dir, in order.
  std::vector<std::filesystem::path> plugin_dirs = {threat_intel_plugins(), misbehaving_plugin()};
};

class DaemonProcess {
 public:
  static constexpr std::chrono::milliseconds kStartWait{15'000};
  static constexpr std::chrono::milliseconds kStopWait{15'000};

  // Makes the folder, writes the config and creates the keys; does not start the daemon.
  explicit DaemonProcess(DaemonOptions options = {});
  // Kills the daemon (SIGKILL) if it still runs.
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Spawns secpilotd and waits until it prints its port. Call again after a stop to restart it on
  // the same store (it gets a new port).
  void start();
  // SIGTERM, then waits for the exit; returns the exit code (128 + signal when killed by one).
  int terminate(std::chrono::milliseconds wait = kStopWait);
  // SIGKILL, then reaps it.
  void kill();
  // SIGHUP: reload the plugins.
  void hangup();
  // Sends `signal`; throws when the daemon is not running.
  void signal(int signal);
  // Waits for the exit; returns the exit code as terminate() does. Throws on timeout.
  int wait_exit(std::chrono::milliseconds wait);

  bool running() const noexcept { return pid_ > 0; }
  std::uint16_t port() const noexcept { return port_; }
  const std::filesystem::path& dir() const noexcept { return temp_.path(); }
  std::filesystem::path store_path() const { return temp_.path() / "db" / "secpilot.db"; }
  std::filesystem::path config_path() const { return temp_.path() / "secpilotd.yaml"; }
  // Everything the daemon wrote to stderr, over all its runs.
  std::string log() const;
  const ApiKeys& keys() const noexcept { return keys_; }

  // `secpilotd --create-key`: returns the secret. Works whether or not the daemon runs.
  std::string create_key(const std::string& name, const std::string& role, const std::string& user);

 private:
  TempDir temp_;
  DaemonOptions options_;
  ApiKeys keys_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
};

// For what has no event to wait on (a reload in another process): checks `condition` every 20 ms
// until it holds or `limit` passes. Returns whether it held.
template <class Condition>
bool eventually(Condition condition,
                std::chrono::milliseconds limit = std::chrono::milliseconds(10'000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace secpilot::testing

// secpilotd with a plugin in secpilot-runner: with no config, the sample plugins (trusted by the
// first-party list the build writes) run in process and any other plugin in a runner; a runner
// that crashes again and again costs its own calls only (every other skill keeps answering,
// throughout), the plugins API shows where each plugin runs and that the crashing one is
// unhealthy until it works again, and no runner outlives a daemon killed with SIGKILL.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <thread>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::testing {
namespace {

DaemonOptions with_hostile() {
  // Short restart backoffs, so that the crashing plugin is back soon after the crashes stop.
  return {.config =
              "limits:\n  rate_limit_per_minute: 0\nsecurity:\n  runner:\n"
              "    restart_backoff_ms: 5\n    restart_backoff_max_ms: 100\n",
          .plugin_dirs = {threat_intel_plugins(), test_plugins("hostile")}};
}

std::string placement(Api& api, const std::string& key, const std::string& plugin) {
  const auto reply = api.get("/v1/plugins/" + plugin, key);
  EXPECT_EQ(reply.status, 200) << reply.body;
  if (reply.status != 200) return {};
  return std::string(reply.object().at("libraries").as_array().at(0).at("placement").as_string());
}

TEST(DaemonRunner, UntrustedPluginsRunInARunnerByDefault) {
  {
    DaemonProcess daemon;  // no config: the sample plugins and the test plugin Misbehaving
    daemon.start();
    Api api(daemon);
    const auto& key = daemon.keys().contributor;
    EXPECT_EQ(placement(api, key, "ThreatIntel"), "in_process");
    EXPECT_EQ(placement(api, key, "Misbehaving"), "process");
    auto echo = api.post("/v1/skills/Misbehaving.Echo:invoke", key,
                         {{"inputs", {{"text", "from a runner"}}}});
    EXPECT_EQ(echo.status, 200) << echo.body;
  }
  // The same sample plugin with one byte changed (a rebuilt or swapped library) is not the
  // library the list names: it runs in a runner, and still answers.
  TempDir plugins;
  const auto folder = plugins.path() / "threat-intel";
  std::filesystem::copy(threat_intel_plugins() / "threat-intel", folder,
                        std::filesystem::copy_options::recursive);
  const auto library = folder / "libthreat-intel.so";
  ASSERT_TRUE(std::filesystem::exists(library));
  std::ofstream(library, std::ios::binary | std::ios::app) << '\0';
  DaemonProcess daemon({.config = "", .plugin_dirs = {plugins.path()}});
  daemon.start();
  Api api(daemon);
  const auto& key = daemon.keys().contributor;
  EXPECT_EQ(placement(api, key, "ThreatIntel"), "process");
  auto lookup = api.post("/v1/skills/ThreatIntel.LookupIndicator:invoke", key,
                         {{"inputs", {{"indicator", "198.51.100.7"}}}});
  EXPECT_EQ(lookup.status, 200) << lookup.body;
}

TEST(DaemonRunner, OtherSkillsAnswerWhileARunnerCrashesInALoop) {
  DaemonProcess daemon(with_hostile());
  daemon.start();
  const auto& key = daemon.keys().contributor;
  std::atomic<bool> done{false};
  std::atomic<int> crashes{0}, other_answers{0};
  std::thread crasher([&] {
    Api api(daemon);
    // At least as many crashes in a row as make the plugin unhealthy (security.runner's
    // unhealthy_after, 3 by default), bounded in case it never crashes.
    for (int attempt = 0; attempt < 2000 && (!done || crashes < 3); ++attempt) {
      auto reply = api.post("/v1/skills/Hostile.Segfault:invoke", key, {{"inputs", {}}});
      if (reply.status >= 500 && reply.body.find("SIGSEGV") != std::string::npos) ++crashes;
    }
  });
  Api api(daemon);
  for (int i = 0; i < 200; ++i) {
    auto reply = api.post("/v1/skills/ThreatIntel.LookupIndicator:invoke", key,
                          {{"inputs", {{"indicator", "198.51.100.7"}}}});
    ASSERT_EQ(reply.status, 200) << "call " << i << ": " << reply.body;
    ++other_answers;
  }
  done = true;
  crasher.join();
  EXPECT_GT(crashes.load(), 0) << "the crashing skill never ran beside the others";
  EXPECT_EQ(other_answers.load(), 200);
  // What an operator sees: where each plugin runs, and which one is in trouble and why.
  const auto hostile = api.get("/v1/plugins/Hostile", key).object();
  EXPECT_EQ(placement(api, key, "Hostile"), "process");
  EXPECT_TRUE(std::string_view(hostile.at("health").as_string()).starts_with("unhealthy: "))
      << boost::json::serialize(hostile);
  EXPECT_NE(std::string_view(hostile.at("health").as_string()).find("SIGSEGV"),
            std::string_view::npos)
      << boost::json::serialize(hostile);
  EXPECT_EQ(placement(api, key, "ThreatIntel"), "in_process");
  EXPECT_EQ(api.get("/v1/plugins/ThreatIntel", key).object().at("health"), "healthy");
  // The crashing plugin itself comes back once the crashes stop (after its backoff).
  ApiReply echo;
  for (int attempt = 0; attempt < 100; ++attempt) {
    echo = api.post("/v1/skills/Hostile.Echo:invoke", key, {{"inputs", {{"text", "back"}}}});
    if (echo.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // waiting out the backoff
  }
  EXPECT_EQ(echo.status, 200) << echo.body;
  EXPECT_EQ(api.get("/v1/plugins/Hostile", key).object().at("health"), "healthy");
}

TEST(DaemonRunner, NoRunnerOutlivesAKilledDaemon) {
  DaemonProcess daemon(with_hostile());
  daemon.start();
  Api api(daemon);
  auto reply = api.post("/v1/skills/Hostile.Pid:invoke", daemon.keys().contributor,
                        {{"inputs", boost::json::object{}}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto pid = static_cast<pid_t>(reply.object().at("result").as_object().at("pid").as_int64());
  ASSERT_GT(pid, 0);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  ASSERT_GE(pidfd, 0) << "the runner " << pid << " is not running";
  daemon.kill();
  // A pidfd becomes readable when the process ends: an event, not a poll loop.
  pollfd ended{pidfd, POLLIN, 0};
  EXPECT_EQ(::poll(&ended, 1, 10'000), 1) << "the runner " << pid << " outlived the daemon";
  ::close(pidfd);
}

}  // namespace
}  // namespace secpilot::testing

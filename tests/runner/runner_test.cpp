// secpilot-runner's guarantees, each proven by a Hostile skill that attacks the process it runs in:
// a crash, an exit, a hang, a memory bomb, output floods and garbage on the socket cost one call and
// a clear error; the runner comes back; new processes and network sockets are refused; a plugin
// reaches only its own secrets; repeated failures mark it unhealthy until a call succeeds.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <cerrno>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "secpilot/util/sanitizers.hpp"
#include "support/files.hpp"

namespace secpilot {
namespace {

class Runner : public ::testing::Test {
 protected:
  void SetUp() override { load(); }

  // `runner` adds lines to the settings' security.runner section (a 1 ms backoff here, so that
  // restarts need no waiting); `plugins` is the settings' plugins: section; `stop_grace` is how
  // long a cancelled call may take to stop before its runner is killed.
  void load(const std::string& plugins = "", const std::string& runner = "",
            std::chrono::milliseconds stop_grace = plugin::RunnerOptions{}.stop_grace) {
    host_.reset();
    plugin::HostOptions options;
    options.plugin_dirs = {testing::test_plugins("hostile")};
    options.runner.program = SECPILOT_RUNNER_PROGRAM;
    options.runner.stop_grace = stop_grace;
    const std::string yaml = "security:\n  runner:\n    restart_backoff_ms: 1\n" + runner + plugins;
    auto settings = config::Settings::parse(yaml, "test-settings.yaml");
    ASSERT_TRUE(settings) << settings.error().message;
    options.settings = std::move(*settings);
    host_ = std::make_unique<plugin::PluginHost>(std::move(options));
    const auto* record = host_->plugin("Hostile");
    ASSERT_EQ(record->state, plugin::PluginState::Loaded) << record->error;
  }

  const plugin::NativeLibrary& library() const {
    return *host_->plugin("Hostile")->libraries.front();
  }
  pid_t runner_pid() const { return dynamic_cast<const plugin::RunnerPlugin&>(library()).pid(); }

  Expected<std::string> call(const std::string& skill, const std::string& input = "{}") {
    const auto* entry = host_->catalog().find("Hostile." + skill);
    if (!entry) return make_error(Status::not_found, "no skill " + skill);
    return skills::invoke(*entry, input, {});
  }

  // The runner's pid, as the plugin itself reports it.
  pid_t reported_pid() {
    auto result = call("Pid");
    EXPECT_TRUE(result) << result.error().message;
    return result ? static_cast<pid_t>(boost::json::parse(*result).at("pid").as_int64()) : -1;
  }

  static bool gone(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

  std::unique_ptr<plugin::PluginHost> host_;
};

TEST_F(Runner, ThePluginRunsInAProcessOfItsOwn) {
  EXPECT_EQ(library().placement(), plugin::Placement::runner);
  const pid_t pid = reported_pid();
  EXPECT_GT(pid, 0);
  EXPECT_NE(pid, ::getpid());
  EXPECT_EQ(pid, runner_pid());
  EXPECT_EQ(library().version(), "1.0.0");
  auto echo = call("Echo", R"({"text":"ok"})");
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(boost::json::parse(*echo).at("text"), "ok");
}

TEST_F(Runner, ACrashCostsOneCallAndTheRunnerIsStartedAgain) {
  for (const auto& [skill, words] :
       std::vector<std::pair<std::string, std::string>>{{"Segfault", "crashed with SIGSEGV"},
                                                        {"Abort", "crashed with SIGABRT"},
                                                        {"Exit", "exited with status 3"}}) {
    const pid_t before = reported_pid();
    auto result = call(skill);
    ASSERT_FALSE(result) << skill;
    EXPECT_EQ(result.error().status, Status::upstream) << skill;
    EXPECT_NE(result.error().message.find("Hostile." + skill), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
    EXPECT_TRUE(gone(before)) << "the crashed runner " << before << " was not reaped";
    const pid_t after = reported_pid();
    EXPECT_GT(after, 0);
    EXPECT_NE(after, before);
  }
}

TEST_F(Runner, AHangPastTheTimeoutIsKilledAndReaped) {
  const pid_t before = reported_pid();
  auto result = call("Spin");  // TimeoutSeconds: 1, never checks for cancellation
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::timeout);
  EXPECT_NE(result.error().message.find("Hostile.Spin ran past its timeout"), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(gone(before));
  auto echo = call("Echo", R"({"text":"still here"})");
  EXPECT_TRUE(echo) << echo.error().message;
}

TEST_F(Runner, MemoryIsBoundedByTheRunnersLimit) {
#if SECPILOT_ASAN || SECPILOT_TSAN
  GTEST_SKIP() << "sanitizer builds run the runner without an address-space limit "
                  "(apps/secpilot-runner/sandbox.hpp)";
#endif
  load("", "    memory_mb: 256\n");
  auto result = call("Allocate");
  // Either malloc failed inside the limit or the runner died of it: never more than the limit.
  if (result) {
    EXPECT_LT(boost::json::parse(*result).at("allocated").as_int64(), 256);
  } else {
    EXPECT_NE(result.error().message.find("runner"), std::string::npos) << result.error().message;
  }
  EXPECT_TRUE(call("Echo", R"({"text":"x"})"));
}

TEST_F(Runner, OutputFloodsGoNowhereAndLogFloodsAreCut) {
  auto printed = call("FloodStdout");
  ASSERT_TRUE(printed) << printed.error().message;

  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  load();  // the plugin's logger takes the default logger's sinks
  auto logged = call("FloodLog");
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(logged) << logged.error().message;
  std::size_t lines = 0;
  for (auto at = log.str().find("line "); at != std::string::npos;
       at = log.str().find("line ", at + 1))
    ++lines;
  EXPECT_GT(lines, 0u);
  EXPECT_LE(lines, plugin::RunnerOptions{}.max_log_lines_per_second);  // of 10,000
  EXPECT_TRUE(call("Echo", R"({"text":"x"})"));
}

TEST_F(Runner, NewProcessesAndNetworkSocketsAreRefused) {
  auto fork = call("SpawnChild");
  ASSERT_TRUE(fork) << fork.error().message;
  EXPECT_EQ(boost::json::parse(*fork).at("fork"), -1) << *fork;
  EXPECT_EQ(boost::json::parse(*fork).at("errno"), "Operation not permitted") << *fork;
  auto socket = call("OpenSocket");
  ASSERT_TRUE(socket) << socket.error().message;
  EXPECT_EQ(boost::json::parse(*socket).at("socket"), -1) << *socket;
}

TEST_F(Runner, TheConfigCanAllowNetworkAndProcesses) {
  load("", "    allow_network: [Hostile]\n    allow_processes: [Hostile]\n");
  auto fork = call("SpawnChild");
  ASSERT_TRUE(fork) << fork.error().message;
  EXPECT_GT(boost::json::parse(*fork).at("fork").as_int64(), 0) << *fork;
  auto socket = call("OpenSocket");
  ASSERT_TRUE(socket) << socket.error().message;
  EXPECT_GE(boost::json::parse(*socket).at("socket").as_int64(), 0) << *socket;
}

TEST_F(Runner, GarbageOnTheSocketCostsTheCall) {
  const pid_t before = reported_pid();
  auto result = call("Garbage");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("sent garbage on its socket"), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(gone(before));
  EXPECT_TRUE(call("Echo", R"({"text":"x"})"));
}

TEST_F(Runner, APluginReachesOnlyItsOwnSecrets) {
  ::setenv("SECPILOT_TEST_HOSTILE_TOKEN", "hostile-token-123", 1);
  load(R"(
plugins:
  Hostile:
    secrets: { ApiToken: "${SECPILOT_TEST_HOSTILE_TOKEN}" }
  Misbehaving:
    secrets: { OtherToken: "someone-elses-secret" }
)");
  auto result = call("Secrets");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(boost::json::parse(*result),
            boost::json::parse(R"({"ownLength": 17, "other": false})"));
}

TEST_F(Runner, InitIsAnsweredWhenItAsksForASetting) {
  ::setenv("SECPILOT_TEST_HOSTILE_TOKEN", "hostile-token-123", 1);
  load("plugins:\n  Hostile:\n    secrets: { ApiToken: \"${SECPILOT_TEST_HOSTILE_TOKEN}\" }\n");
  auto result = call("InitToken");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(boost::json::parse(*result), boost::json::parse(R"({"length": 17})"));
}

// Three calls inside one runner at once (Meet returns only then), while the plugin's requests
// for settings are answered beside them; each caller gets its own result.
TEST_F(Runner, ConcurrentCallsShareOneRunner) {
  const pid_t pid = reported_pid();
  std::vector<std::optional<Expected<std::string>>> met(3);
  std::vector<std::thread> callers;
  for (std::size_t i = 0; i + 1 < met.size(); ++i)
    callers.emplace_back([&, i] { met[i] = call("Meet", R"({"party": "3"})"); });
  for (int i = 0; i < 20; ++i) {
    auto secrets = call("Secrets");
    ASSERT_TRUE(secrets) << secrets.error().message;
    auto echo = call("Echo", R"({"text":")" + std::to_string(i) + R"("})");
    ASSERT_TRUE(echo) << echo.error().message;
    EXPECT_EQ(boost::json::parse(*echo).at("text").as_string(), std::to_string(i));
  }
  met.back() = call("Meet", R"({"party": "3"})");
  for (auto& caller : callers)
    caller.join();
  for (const auto& result : met) {
    ASSERT_TRUE(result && *result) << (result ? result->error().message : "no result");
    EXPECT_EQ(boost::json::parse(**result), boost::json::parse(R"({"met": 3})"));
  }
  EXPECT_EQ(reported_pid(), pid);
}

// Callers on several threads at once, each call a frame the runner may receive while it runs
// another: every caller gets its own answer, none waits for a reader that never comes.
TEST_F(Runner, ManyCallersEachGetTheirOwnAnswer) {
  const pid_t pid = reported_pid();
  std::vector<std::thread> callers;
  std::atomic<int> answered{0};
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&, t] {
      for (int i = 0; i < 150; ++i) {
        const std::string text = std::to_string(t) + "-" + std::to_string(i);
        auto echo = i % 10 == 0 ? call("Secrets") : call("Echo", R"({"text":")" + text + R"("})");
        if (!echo)
          ADD_FAILURE() << echo.error().message;
        else if (i % 10 != 0 && boost::json::parse(*echo).at("text").as_string() != text)
          ADD_FAILURE() << *echo << " answered " << text;
        else
          ++answered;
      }
    });
  for (auto& caller : callers)
    caller.join();
  EXPECT_EQ(answered.load(), 600);
  EXPECT_EQ(reported_pid(), pid);
}

// The call is cancelled before it starts: the cancel frame follows the invoke, the skill sees
// is_cancelled() and stops by itself, and its runner serves on (a generous grace, so that a busy
// machine cannot turn this into a kill).
TEST_F(Runner, ACancelledCallStopsAndItsRunnerServesOn) {
  load("", "", std::chrono::seconds(30));
  const pid_t pid = reported_pid();
  skills::InvokeOptions options;
  options.cancelled = std::make_shared<std::atomic<bool>>(true);
  auto result = skills::invoke_inline(*host_->catalog().find("Hostile.AwaitCancel"), "{}", options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::cancelled) << result.error().message;
  EXPECT_EQ(result.error().message, "Hostile.AwaitCancel was cancelled");
  EXPECT_EQ(reported_pid(), pid);
}

TEST_F(Runner, RepeatedFailuresMarkThePluginUnhealthyUntilACallSucceeds) {
  EXPECT_EQ(library().health(), "healthy");
  // The backoff is 1 ms here, doubling: a call inside it is refused at once, so step past it.
  unsigned crashes = 0;
  for (int attempt = 0; attempt < 200 && crashes < 3; ++attempt) {
    auto result = call("Segfault");
    ASSERT_FALSE(result);
    if (result.error().status == Status::upstream)
      ++crashes;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(crashes, 3u);
  EXPECT_EQ(library().health().rfind("unhealthy: the runner crashed with SIGSEGV", 0), 0u)
      << library().health();
  Expected<std::string> echo = make_error(Status::rate_limited, "not tried");
  for (int attempt = 0; attempt < 200 && !echo && echo.error().status == Status::rate_limited;
       ++attempt) {
    echo = call("Echo", R"({"text":"back"})");
    if (!echo) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(library().health(), "healthy");
}

TEST_F(Runner, UnloadingThePluginEndsItsRunner) {
  const pid_t pid = reported_pid();
  host_.reset();
  EXPECT_TRUE(gone(pid));
}

// Where a plugin runs: its manifest decides until security.isolation is set; then an untrusted
// plugin runs in a runner even when its manifest asks for InProcess, and a trusted one in process.
TEST(RunnerPlacement, TheSecurityPolicyDecidesOnceSet) {
  auto placement = [](const std::string& yaml) {
    plugin::HostOptions options;
    options.plugin_dirs = {testing::test_plugins("misbehaving")};
    options.runner.program = SECPILOT_RUNNER_PROGRAM;
    auto settings = config::Settings::parse(yaml, "test-settings.yaml");
    EXPECT_TRUE(settings) << settings.error().message;
    if (settings) options.settings = std::move(*settings);
    plugin::PluginHost host(std::move(options));
    const auto* record = host.plugin("Misbehaving");
    EXPECT_EQ(record->state, plugin::PluginState::Loaded) << record->error;
    const auto* entry = host.catalog().find("Misbehaving.Echo");
    auto echo = skills::invoke(*entry, R"({"text":"where"})", {});
    EXPECT_TRUE(echo) << echo.error().message;
    return record->libraries.empty()
               ? "none"
               : std::string(plugin::placement_name(record->libraries.front()->placement()));
  };
  EXPECT_EQ(placement("security: {allow_writable_plugins: false}\n"), "in_process");  // manifest
  EXPECT_EQ(placement("security: {isolation: process}\n"), "process");
  EXPECT_EQ(placement("security: {isolation: process, trusted_plugins: [Misbehaving]}\n"),
            "in_process");
  EXPECT_EQ(placement("security: {isolation_overrides: {Misbehaving: process}}\n"), "process");
}

}  // namespace
}  // namespace secpilot

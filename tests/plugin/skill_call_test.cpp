// What a skill call guarantees: exceptions become statuses, bad results are caught, inputs are
// checked and converted, timeouts return on time, settings and secrets reach the plugin, secrets
// never reach the log.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <sstream>
#include <thread>

#include "net/test_server.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "support/files.hpp"

namespace secpilot {
namespace {

class SkillCall : public ::testing::Test {
 protected:
  void SetUp() override { load(""); }

  void load(const std::string& settings_yaml) {
    plugin::HostOptions options;
    options.plugin_dirs = {testing::test_plugins("misbehaving")};
    if (!settings_yaml.empty()) {
      auto settings = config::Settings::parse(settings_yaml, "test-settings.yaml");
      ASSERT_TRUE(settings) << settings.error().message;
      options.settings = std::move(*settings);
    }
    host_ = std::make_unique<plugin::PluginHost>(std::move(options));
    ASSERT_EQ(host_->plugin("Misbehaving")->state, plugin::PluginState::Loaded)
        << host_->plugin("Misbehaving")->error;
  }

  Expected<std::string> call(const std::string& skill, const std::string& input = "{}",
                             skills::InvokeOptions options = {}) {
    const auto* entry = host_->catalog().find("Misbehaving." + skill);
    if (!entry) return make_error(Status::not_found, "no skill " + skill);
    return skills::invoke(*entry, input, options);
  }

  std::unique_ptr<plugin::PluginHost> host_;
};

TEST_F(SkillCall, UntypedExceptionBecomesInternalWithItsMessage) {
  auto result = call("ThrowUntyped");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::internal);
  EXPECT_EQ(result.error().message, "boom");
}

TEST_F(SkillCall, TypedErrorKeepsItsStatus) {
  auto result = call("ThrowTyped");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::not_found);
  EXPECT_EQ(result.error().message, "no incident INC-42 in this tenant");
}

TEST_F(SkillCall, InvalidJsonResultIsRejected) {
  auto result = call("InvalidJson");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::internal);
  EXPECT_NE(result.error().message.find("Misbehaving.InvalidJson returned invalid JSON"),
            std::string::npos)
      << result.error().message;
}

TEST_F(SkillCall, OversizedResultIsRefused) {
  auto result = call("Huge");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::too_large);
  EXPECT_NE(result.error().message.find("over the limit of 4194304 bytes"), std::string::npos)
      << result.error().message;
}

TEST_F(SkillCall, ResultBreakingOutputsSchemaIsRejectedUnlessValidationIsOff) {
  auto result = call("WrongShape");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("does not match its Outputs schema"), std::string::npos)
      << result.error().message;
  skills::InvokeOptions lenient;
  lenient.validate_output = false;
  EXPECT_TRUE(call("WrongShape", "{}", lenient));
}

TEST_F(SkillCall, CooperativeSkillStopsAtItsTimeout) {
  skills::InvokeOptions options;
  options.timeout = std::chrono::milliseconds(50);
  auto result = call("UntilCancelled", "{}", options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::timeout);
}

TEST_F(SkillCall, OverrunningSkillTimesOutAndItsLateResultIsDiscarded) {
  skills::InvokeOptions options;
  options.timeout = std::chrono::milliseconds(50);
  auto result = call("Overrun", R"({"ms": 400})", options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::timeout);
  EXPECT_NE(result.error().message.find("did not finish within 50 ms"), std::string::npos);
  // The plugin is serialised (not thread-safe), so the next call waits for the overrun to end
  // and then runs normally.
  skills::InvokeOptions patient;
  patient.timeout = std::chrono::seconds(10);
  auto next = call("Overrun", R"({"ms": 0})", patient);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(*next, R"({"late": true})");
}

// The server's path runs a call on the caller's thread until the skill shows it ignores its
// deadline; from then on it runs on a thread of its own and the caller's timeout comes on time.
TEST_F(SkillCall, AdaptiveInvokeStopsTrustingASkillThatOverranItsDeadline) {
  const auto* entry = host_->catalog().find("Misbehaving.Overrun");
  ASSERT_NE(entry, nullptr);
  skills::InvokeOptions options;
  options.timeout = std::chrono::milliseconds(50);
  options.threads = std::make_shared<skills::CallThreads>();

  auto first = skills::invoke_adaptive(*entry, R"({"ms": 300})", options);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().status, Status::timeout);
  EXPECT_TRUE(entry->overran_deadline->load()) << "the late return was not noticed";

  // This one must not wait for the plugin's 2 s: it times out at 50 ms on the caller's side.
  const auto started = std::chrono::steady_clock::now();
  auto second = skills::invoke_adaptive(*entry, R"({"ms": 2000})", options);
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().status, Status::timeout);
  EXPECT_LT(waited, std::chrono::milliseconds(1500));

  // A skill that keeps its deadline stays on the fast path.
  const auto* echo = host_->catalog().find("Misbehaving.Echo");
  ASSERT_TRUE(skills::invoke_adaptive(*echo, R"({"text": "hi"})", options));
  EXPECT_FALSE(echo->overran_deadline->load());
}

TEST_F(SkillCall, CallerCancellationStopsTheCall) {
  auto flag = std::make_shared<std::atomic<bool>>(false);
  skills::InvokeOptions options;
  options.cancelled = flag;
  std::thread canceller([&] { flag->store(true); });
  auto result = call("UntilCancelled", "{}", options);
  canceller.join();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::cancelled);
}

TEST_F(SkillCall, InputsAreCheckedAgainstTheManifest) {
  auto missing = call("Echo", "{}");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().status, Status::invalid_input);
  EXPECT_NE(missing.error().message.find("missing required input 'text'"), std::string::npos);

  auto unknown = call("Echo", R"({"text": "a", "colour": "red"})");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown input 'colour'"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("text, count, ip, loud"), std::string::npos);

  auto bad_ip = call("Echo", R"({"text": "a", "ip": "999.1.1.1"})");
  ASSERT_FALSE(bad_ip);
  EXPECT_NE(bad_ip.error().message.find("input 'ip' must be an ip"), std::string::npos);

  auto bad_count = call("Echo", R"({"text": "a", "count": "many"})");
  ASSERT_FALSE(bad_count);
  EXPECT_NE(bad_count.error().message.find("input 'count' must be an integer"), std::string::npos);

  auto not_object = call("Echo", "[1,2]");
  ASSERT_FALSE(not_object);
  EXPECT_EQ(not_object.error().status, Status::invalid_input);
}

TEST_F(SkillCall, InputsAreConvertedAndDefaultsFilled) {
  auto result = call("Echo", R"({"text": "a", "count": "5", "ip": "198.51.100[.]7"})");
  ASSERT_TRUE(result) << result.error().message;
  auto echoed = boost::json::parse(*result).as_object();
  EXPECT_EQ(echoed.at("count"), 5);
  EXPECT_EQ(echoed.at("loud"), false);  // DefaultValue "false", converted to the boolean type
  EXPECT_EQ(echoed.at("ip"), "198.51.100[.]7");  // defanged forms pass, untouched
}

TEST_F(SkillCall, AliasesResolveToTheSkill) {
  const auto* entry = host_->catalog().find("misbehaving.parrot");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->full_name, "Misbehaving.Echo");
}

TEST_F(SkillCall, MissingSecretIsAClearError) {
  auto result = call("Settings");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::unauthorized);
  EXPECT_NE(result.error().message.find("setting 'ApiToken' is not set"), std::string::npos);
  const auto& warnings = host_->plugin("Misbehaving")->warnings;
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const auto& w) {
    return w.find("required setting 'ApiToken' has no value") != std::string::npos;
  }));
}

TEST_F(SkillCall, SettingsAndSecretsReachThePluginButSecretsNeverTheLog) {
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  spdlog::set_level(spdlog::level::info);
  ::setenv("SECPILOT_TEST_TOKEN", "tok-9f8e7d6c5b4a", 1);
  load(R"(
plugins:
  misbehaving:
    settings: { Greeting: "bonjour" }
    secrets: { ApiToken: "${SECPILOT_TEST_TOKEN}" }
)");
  auto result = call("Settings");
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, R"({"greeting": "bonjour", "tokenLength": 16})");
  EXPECT_NE(log.str().find("using token ***"), std::string::npos) << log.str();
  EXPECT_EQ(log.str().find("tok-9f8e7d6c5b4a"), std::string::npos) << log.str();
}

TEST_F(SkillCall, DeclaredDefaultSettingApplies) {
  load("plugins: {Misbehaving: {secrets: {ApiToken: abcdef}}}");
  auto result = call("Settings");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_NE(result->find("\"greeting\": \"hello\""), std::string::npos);
}

TEST_F(SkillCall, ProgressReachesTheCaller) {
  std::vector<std::pair<double, std::string>> seen;
  std::mutex mutex;
  skills::InvokeOptions options;
  options.on_progress = [&](double fraction, std::string_view message) {
    std::lock_guard lock(mutex);
    seen.emplace_back(fraction, std::string(message));
  };
  ASSERT_TRUE(call("Progress", "{}", options));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(0.5, std::string("half way")));
  EXPECT_EQ(seen[1], std::make_pair(1.0, std::string("done")));
}

TEST_F(SkillCall, EgressOutsideTheAllowListIsForbidden) {
  auto result = call("Fetch", R"({"url": "http://127.0.0.1:9/never"})");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::forbidden);
  EXPECT_NE(result.error().message.find("127.0.0.1"), std::string::npos);
}

TEST_F(SkillCall, HttpThroughTheHostReachesAnAllowedHost) {
  net::testing::TestServer server;
  load("plugins: {Misbehaving: {egress: ['127.0.0.1:" + std::to_string(server.port()) + "']}}");
  auto result = call("Fetch", R"({"url": ")" + server.url("/json") + R"("})");
  ASSERT_TRUE(result) << result.error().message;
  auto body = boost::json::parse(*result).as_object();
  EXPECT_EQ(body.at("status"), 200);
  EXPECT_GT(body.at("bytes").as_int64(), 0);
  EXPECT_EQ(body.at("header"), "Value");  // response headers reach the plugin, lower-cased names

  auto missing = call("Fetch", R"({"url": ")" + server.url("/nowhere") + R"("})");
  ASSERT_TRUE(missing) << missing.error().message;  // an HTTP error status is still a response
  EXPECT_EQ(boost::json::parse(*missing).as_object().at("status"), 404);
}

TEST_F(SkillCall, UndeclaredSkillIsWarnedAndNotCallable) {
  const auto& warnings = host_->plugin("Misbehaving")->warnings;
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const auto& w) {
    return w.find("skill 'Undeclared' is implemented but not declared") != std::string::npos;
  }));
  EXPECT_EQ(host_->catalog().find("Misbehaving.Undeclared"), nullptr);
}

TEST_F(SkillCall, ThreadSafeSkillRunsConcurrently) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string input = R"({"text": ")" + std::to_string(t * 100 + i) + "\"}";
        auto result = call("Echo", input);
        if (result && result->find(std::to_string(t * 100 + i)) != std::string::npos) ++ok;
      }
    });
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(ok.load(), 400);
}

}  // namespace
}  // namespace secpilot

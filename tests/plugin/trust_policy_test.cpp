// The security: settings (trusted plugins, pins, isolation, runner limits), the trust and
// isolation decisions made from them, and every check made before a plugin is loaded.
#include <gtest/gtest.h>

#include "plugin/library_checks.hpp"
#include "plugin/trust_policy.hpp"
#include "secpilot/config/daemon_config.hpp"
#include "secpilot/manifest/parser.hpp"
#include "secpilot/util/sha256.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

using config::IsolationMode;
using config::Settings;

Settings settings_from(const std::string& yaml) {
  auto parsed = Settings::parse(yaml, "s.yaml");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? std::move(*parsed) : Settings{};
}

std::string parse_error(const std::string& yaml) {
  auto parsed = Settings::parse(yaml, "s.yaml");
  EXPECT_FALSE(parsed) << yaml;
  return parsed ? std::string() : parsed.error().message;
}

const std::string kHash(64, 'a');

TEST(SecuritySettings, DefaultsIsolateUntrustedPlugins) {
  const Settings settings;
  EXPECT_FALSE(settings.require_pinned());
  EXPECT_TRUE(settings.trusted_plugins().empty());
  const auto& isolation = settings.isolation();
  EXPECT_EQ(isolation.untrusted, IsolationMode::process);
  EXPECT_EQ(isolation.runner.memory_mb, 512u);
  EXPECT_EQ(isolation.runner.cpu_seconds, 0u);
  EXPECT_EQ(isolation.runner.open_files, 256u);
  EXPECT_EQ(isolation.runner.restart_backoff_ms, 100u);
  EXPECT_EQ(isolation.runner.restart_backoff_max_ms, 30000u);
  EXPECT_EQ(isolation.runner.unhealthy_after, 3u);
  EXPECT_FALSE(isolation.runner.user);
}

TEST(SecuritySettings, ReadsTrustIsolationAndRunnerLimits) {
  const auto settings = settings_from(R"(
security:
  trusted_sha256: [ )" + std::string(64, 'A') +
                                      R"( ]
  trusted_plugins: [ ThreatIntel, LogHunt ]
  trusted_publishers: Acme
  require_pinned: true
  isolation: in_process
  isolation_overrides: { RedCanary: process, threatintel: in_process }
  runner:
    memory_mb: 256
    cpu_seconds: 30
    open_files: 64
    allow_network: [ RedCanary ]
    allow_processes: [ Shell ]
    user: secpilot-runner
    restart_backoff_ms: 50
    restart_backoff_max_ms: 5000
    unhealthy_after: 5
)");
  EXPECT_EQ(settings.trusted_sha256(), std::vector<std::string>{kHash});  // lower-cased
  EXPECT_EQ(settings.trusted_plugins().size(), 2u);
  EXPECT_EQ(settings.trusted_publishers(), std::vector<std::string>{"Acme"});
  EXPECT_TRUE(settings.require_pinned());
  const auto& isolation = settings.isolation();
  EXPECT_EQ(isolation.untrusted, IsolationMode::in_process);
  EXPECT_EQ(isolation.override_for("redcanary"), IsolationMode::process);
  EXPECT_EQ(isolation.override_for("ThreatIntel"), IsolationMode::in_process);
  EXPECT_FALSE(isolation.override_for("Other"));
  EXPECT_EQ(isolation.runner.memory_mb, 256u);
  EXPECT_EQ(isolation.runner.cpu_seconds, 30u);
  EXPECT_EQ(isolation.runner.open_files, 64u);
  EXPECT_TRUE(isolation.allows_network("REDCANARY"));
  EXPECT_FALSE(isolation.allows_network("Shell"));
  EXPECT_TRUE(isolation.allows_processes("Shell"));
  EXPECT_EQ(isolation.runner.user, "secpilot-runner");
  EXPECT_EQ(isolation.runner.restart_backoff_ms, 50u);
  EXPECT_EQ(isolation.runner.restart_backoff_max_ms, 5000u);
  EXPECT_EQ(isolation.runner.unhealthy_after, 5u);
}

TEST(SecuritySettings, MistakesAreLocatedAndExplained) {
  EXPECT_EQ(parse_error("security:\n  trusted_sha256: [ abc ]\n"),
            "s.yaml:2:21: 'abc' is not a SHA-256 digest (64 hex digits) — print one with "
            "`sha256sum LIBRARY` or `secpilot plugins verify`");
  EXPECT_EQ(parse_error("security:\n  isolation: sandbox\n"),
            "s.yaml:2:14: isolation must be process or in_process, not 'sandbox'");
  EXPECT_EQ(parse_error("security:\n  isolation_overrides: { X: separate }\n"),
            "s.yaml:2:29: isolation_overrides.X must be process or in_process, not 'separate'");
  EXPECT_EQ(parse_error("security:\n  runner: { memory_mb: lots }\n"),
            "s.yaml:2:24: runner.memory_mb must be a whole number from 16 to 1048576");
  EXPECT_EQ(parse_error("security:\n  runner: { restart_backoff_ms: 40000 }\n"),
            "s.yaml:2:33: runner.restart_backoff_ms must be a whole number from 1 to 30000");
  EXPECT_NE(parse_error("security:\n  runner: { restart_backoff_ms: 900, restart_backoff_max_ms: "
                        "500 }\n")
                .find("restart_backoff_ms (900) is above restart_backoff_max_ms (500)"),
            std::string::npos);
  EXPECT_NE(parse_error("security:\n  runner: { memory: 5 }\n")
                .find("s.yaml:2:13: unknown key 'memory' in runner: — use memory_mb"),
            std::string::npos);
  EXPECT_NE(
      parse_error("security:\n  trusted: [X]\n")
          .find("s.yaml:2:3: unknown key 'trusted' in security: — use allow_writable_plugins, "
                "trusted_sha256"),
      std::string::npos);
  EXPECT_EQ(parse_error("security:\n  require_pinned: often\n"),
            "s.yaml:2:19: require_pinned must be true or false");
}

TEST(SecuritySettings, TheDaemonConfigReadsTheSameSection) {
  auto config = config::parse_daemon_config(
      "security:\n  trusted_plugins: [ThreatIntel]\n  runner: { memory_mb: 128 }\n",
      "/etc/secpilot/c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->settings.trusted_plugins(), std::vector<std::string>{"ThreatIntel"});
  EXPECT_EQ(config->settings.isolation().runner.memory_mb, 128u);

  auto wrong = config::parse_daemon_config("security:\n  isolation: maybe\n", "/etc/c.yaml");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("/etc/c.yaml:2:14: error: isolation must be process or "
                                       "in_process"),
            std::string::npos)
      << wrong.error().message;
}

TEST(SecuritySettings, TheDaemonWarnsWhenUntrustedPluginsRunInProcess) {
  const auto check =
      config::check_daemon_config("security:\n  isolation: in_process\n", "/etc/c.yaml");
  EXPECT_TRUE(check.ok());
  ASSERT_EQ(check.warnings.size(), 1u);
  EXPECT_NE(check.warnings[0].find("/etc/c.yaml:1:1: warning: isolation is in_process"),
            std::string::npos)
      << check.warnings[0];
  EXPECT_TRUE(config::check_daemon_config("security:\n  isolation: process\n", "/etc/c.yaml")
                  .warnings.empty());
}

plugin::LibraryDigest library(std::optional<std::string> pinned, std::string actual) {
  return {"/p/lib.so", std::move(pinned), std::move(actual)};
}

TEST(TrustDecision, ByNameHashOrPinnedPublisherOnly) {
  const auto settings = settings_from("security:\n  trusted_plugins: [Named]\n  trusted_sha256: [" +
                                      kHash + "]\n  trusted_publishers: [Acme]\n");
  const std::string other(64, 'b');
  EXPECT_TRUE(plugin::decide_trust(settings, "named", "", {library({}, other)}).trusted);
  EXPECT_NE(plugin::decide_trust(settings, "named", "", {}).by.find("trusted_plugins"),
            std::string::npos);
  const auto by_hash = plugin::decide_trust(settings, "X", "", {library({}, kHash)});
  EXPECT_TRUE(by_hash.trusted);
  EXPECT_NE(by_hash.by.find("trusted_sha256"), std::string::npos);
  // Every library must be trusted by hash.
  EXPECT_FALSE(
      plugin::decide_trust(settings, "X", "", {library({}, kHash), library({}, other)}).trusted);
  // A publisher's claim counts only with a pin that matches.
  EXPECT_TRUE(plugin::decide_trust(settings, "X", "acme", {library(other, other)}).trusted);
  EXPECT_FALSE(plugin::decide_trust(settings, "X", "Acme", {library({}, other)}).trusted);
  EXPECT_FALSE(plugin::decide_trust(settings, "X", "Acme", {library(kHash, other)}).trusted);
  EXPECT_FALSE(plugin::decide_trust(settings, "X", "Evil", {library(other, other)}).trusted);
}

TEST(IsolationDecision, UntrustedRunsInAProcessUnlessOverridden) {
  using manifest::Isolation;
  const auto settings = settings_from(
      "security:\n  trusted_plugins: [Trusted]\n  isolation_overrides: { Special: in_process, "
      "Trusted2: process }\n");
  const plugin::TrustDecision trusted{true, plugin::TrustDecision::Source::name, "name"};
  const plugin::TrustDecision untrusted{};
  EXPECT_EQ(plugin::decide_isolation(settings, "X", {}, untrusted).mode, IsolationMode::process);
  EXPECT_EQ(plugin::decide_isolation(settings, "Trusted", {}, trusted).mode,
            IsolationMode::in_process);
  // An untrusted manifest cannot ask its way out of the sandbox...
  const auto asked = plugin::decide_isolation(settings, "X", Isolation::InProcess, untrusted);
  EXPECT_EQ(asked.mode, IsolationMode::process);
  EXPECT_NE(asked.why.find("needs the plugin to be trusted"), std::string::npos) << asked.why;
  // ...but any manifest may ask into it; and the config's overrides win over both.
  EXPECT_EQ(plugin::decide_isolation(settings, "Trusted", Isolation::Process, trusted).mode,
            IsolationMode::process);
  EXPECT_EQ(plugin::decide_isolation(settings, "Special", Isolation::Process, untrusted).mode,
            IsolationMode::in_process);
  EXPECT_EQ(plugin::decide_isolation(settings, "Trusted2", {}, trusted).mode,
            IsolationMode::process);
  const auto lax = settings_from("security:\n  isolation: in_process\n");
  EXPECT_EQ(plugin::decide_isolation(lax, "X", {}, untrusted).mode, IsolationMode::in_process);
}

// verify_plugin on a copy of the plain-c test plugin.
struct Verify : ::testing::Test {
  testing::TempDir temp;
  std::filesystem::path dir = testing::copy_plugin("plain-c", temp.path());
  std::string hash = *sha256_file_hex(dir / "libplain-c.so");

  plugin::PluginVerification run(const std::string& settings_yaml = "") {
    auto parsed = manifest::parse_manifest_file(dir / "plain-c.yaml");
    EXPECT_TRUE(parsed.manifest);
    return plugin::verify_plugin(*parsed.manifest, settings_from(settings_yaml));
  }
  static const plugin::Check* find(const plugin::PluginVerification& result,
                                   std::string_view name) {
    for (const auto& check : result.checks)
      if (check.name == name) return &check;
    return nullptr;
  }
};

TEST_F(Verify, UnpinnedLibraryPassesWithItsHashToPin) {
  const auto result = run();
  EXPECT_TRUE(result.outcome()) << result.outcome().error().message;
  const auto* pin = find(result, "libplain-c.so SHA-256");
  ASSERT_NE(pin, nullptr);
  EXPECT_EQ(pin->state, plugin::CheckState::warn);
  EXPECT_NE(pin->detail.find("add Sha256: " + hash), std::string::npos) << pin->detail;
  EXPECT_FALSE(result.trust.trusted);
  ASSERT_TRUE(result.isolation);
  EXPECT_EQ(result.isolation->mode, IsolationMode::process);
}

TEST_F(Verify, RequirePinnedRefusesAnUnpinnedLibraryUnlessTrustedByNameOrHash) {
  const auto refused = run("security: { require_pinned: true }");
  ASSERT_FALSE(refused.outcome());
  const auto message = refused.outcome().error().message;
  EXPECT_NE(message.find("libplain-c.so is not pinned and security.require_pinned is on"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("sha256sum " + (dir / "libplain-c.so").string()), std::string::npos);
  EXPECT_TRUE(run("security: { require_pinned: true, trusted_plugins: [PlainC] }").outcome());
  const auto by_hash = run("security: { require_pinned: true, trusted_sha256: [" + hash + "] }");
  EXPECT_TRUE(by_hash.outcome());
  EXPECT_EQ(by_hash.isolation->mode, IsolationMode::in_process);
}

TEST_F(Verify, GroupWritableManifestIsRefusedWithTheFix) {
  std::filesystem::permissions(dir / "plain-c.yaml", std::filesystem::perms::group_write,
                               std::filesystem::perm_options::add);
  const auto result = run();
  ASSERT_FALSE(result.outcome());
  const auto message = result.outcome().error().message;
  EXPECT_NE(
      message.find("manifest " + (dir / "plain-c.yaml").string() + " is writable by its group"),
      std::string::npos)
      << message;
  EXPECT_NE(message.find("chmod go-w"), std::string::npos);
  // Allowed (for development), it is a warning instead.
  EXPECT_TRUE(run("security: { allow_writable_plugins: true }").outcome());
}

TEST_F(Verify, WrongPinNamesBothHashes) {
  std::string text = testing::read_file(dir / "plain-c.yaml");
  text.replace(text.find("AbiVersion"), 0, "Sha256: " + kHash + "\n      ");
  testing::write_file(dir / "plain-c.yaml", text);
  const auto result = run();
  ASSERT_FALSE(result.outcome());
  const auto message = result.outcome().error().message;
  EXPECT_NE(message.find("is " + hash + " but the manifest pins " + kHash), std::string::npos)
      << message;
}

}  // namespace
}  // namespace secpilot

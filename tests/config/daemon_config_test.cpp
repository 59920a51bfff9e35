// The daemon's config file: defaults, every key, path resolution, and each kind of problem
// reported at its exact file:line:col, all at once.
#include "secpilot/config/daemon_config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::config {
namespace {

using namespace std::chrono_literals;

const std::string kHash(64, 'a');
const std::string kOtherHash = "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef";

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines)
    out += line + "\n";
  return out;
}

// The problems found in `yaml`, read as the file /etc/secpilot/c.yaml.
std::vector<std::string> problems(const std::string& yaml) {
  return check_daemon_config(yaml, "/etc/secpilot/c.yaml").problems;
}

// Expects exactly one problem, starting with `prefix` (location, severity and what is wrong).
void expect_one(const std::string& yaml, const std::string& prefix) {
  const auto found = problems(yaml);
  ASSERT_EQ(found.size(), 1u) << joined(found);
  EXPECT_EQ(found[0].rfind(prefix, 0), 0u) << found[0] << "\nexpected to start with\n" << prefix;
}

TEST(DaemonConfig, Defaults) {
  ::unsetenv("STATE_DIRECTORY");
  const DaemonConfig config = DaemonConfig::defaults();
  EXPECT_TRUE(config.source.empty());
  EXPECT_EQ(config.listen.host, "127.0.0.1");
  EXPECT_EQ(config.listen.port, 8480);
  EXPECT_TRUE(config.listen.is_loopback());
  EXPECT_FALSE(config.tls);
  EXPECT_TRUE(config.plugin_dirs.empty());
  EXPECT_EQ(config.store.path, std::filesystem::current_path() / "secpilot.db");
  EXPECT_EQ(config.settings.plugin("anything"), nullptr);
  EXPECT_FALSE(config.settings.allow_writable_plugins());
  EXPECT_TRUE(config.api_keys.empty());
  EXPECT_EQ(config.roles.upload_manifests, Role::owner);
  EXPECT_EQ(config.limits.max_body_bytes, 1048576u);
  EXPECT_EQ(config.limits.max_header_bytes, 16384u);
  EXPECT_EQ(config.limits.request_timeout, 30s);
  EXPECT_EQ(config.limits.idle_timeout, 60s);
  EXPECT_EQ(config.limits.max_concurrent_evaluations, 16u);
  EXPECT_EQ(config.limits.rate_limit_per_minute, 600u);
  EXPECT_EQ(config.limits.skill_timeout, 30s);
  EXPECT_EQ(config.limits.max_result_bytes, 4194304u);
  EXPECT_EQ(config.threads.io, 0u);
  EXPECT_EQ(config.threads.work, 0u);
  EXPECT_GE(resolve_thread_count(config.threads.io), 1u);
  EXPECT_EQ(resolve_thread_count(3), 3u);
  EXPECT_EQ(config.shutdown_grace, 10s);
  EXPECT_EQ(config.log.format, LogFormat::text);
  EXPECT_EQ(config.log.level, LogLevel::info);
  EXPECT_TRUE(config.reload.watch_plugin_dirs);
  EXPECT_EQ(config.reload.debounce, 500ms);
  EXPECT_EQ(config.http_client.default_timeout, 30s);
  EXPECT_EQ(config.http_client.max_timeout, 120s);
  EXPECT_TRUE(config.http_client.ca_file.empty());
  EXPECT_TRUE(config.http_client.verify_tls);
}

TEST(DaemonConfig, DefaultStoreFollowsSystemdStateDirectory) {
  ::setenv("STATE_DIRECTORY", "/var/lib/secpilot:/var/lib/other", 1);
  EXPECT_EQ(DaemonConfig::defaults().store.path, "/var/lib/secpilot/secpilot.db");
  ::unsetenv("STATE_DIRECTORY");
}

TEST(DaemonConfig, EmptyFileMeansDefaults) {
  for (const char* yaml : {"", "# nothing but a comment\n", "tls:\n  \nlimits:\n"}) {
    auto config = parse_daemon_config(yaml, "/etc/secpilot/c.yaml");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->source, "/etc/secpilot/c.yaml");
    EXPECT_EQ(config->listen.to_string(), "127.0.0.1:8480");
    EXPECT_EQ(config->limits.max_body_bytes, 1048576u);
  }
}

TEST(DaemonConfig, ReadsEveryKey) {
  ::setenv("SECPILOT_DAEMON_TEST_TOKEN", "s3cr3t", 1);
  const std::string yaml =
      "listen: \"[::1]:9443\"\n"
      "tls: { certificate: /etc/ssl/sp.crt, key: /etc/ssl/private/sp.key }\n"
      "plugin_dirs: [ /usr/lib/secpilot/plugins, /opt/vendor/plugins ]\n"
      "store: { path: /var/lib/secpilot/db.sqlite }\n"
      "plugins:\n"
      "  RedCanary:\n"
      "    settings: { InstanceURL: \"https://acme.example\" }\n"
      "    secrets: { ApiToken: \"${SECPILOT_DAEMON_TEST_TOKEN}\" }\n"
      "    egress: [ acme.example ]\n"
      "security: { allow_writable_plugins: false }\n"
      "api_keys:\n"
      "  - { name: ci, role: owner, user: ci-bot, sha256: \"" +
      kHash +
      "\" }\n"
      "  - name: analyst\n"
      "    role: reader\n"
      "    sha256: " +
      kOtherHash +
      "\n"
      "roles: { upload_manifests: contributor }\n"
      "limits:\n"
      "  max_body_bytes: 2097152\n"
      "  max_header_bytes: 8192\n"
      "  request_timeout_seconds: 15\n"
      "  idle_timeout_seconds: 120\n"
      "  max_concurrent_evaluations: 4\n"
      "  rate_limit_per_minute: 0\n"
      "  skill_timeout_seconds: 45\n"
      "  max_result_bytes: 1048576\n"
      "threads: { io: 2, work: 8 }\n"
      "shutdown_grace_seconds: 0\n"
      "log: { format: json, level: debug }\n"
      "reload: { watch_plugin_dirs: no, debounce_milliseconds: 0 }\n"
      "http_client: { default_timeout_seconds: 10, max_timeout_seconds: 60, ca_file: "
      "/etc/secpilot/ca.pem }\n";
  const ConfigCheck check = check_daemon_config(yaml, "/etc/secpilot/c.yaml");
  ASSERT_TRUE(check.ok()) << joined(check.problems);
  EXPECT_TRUE(check.warnings.empty()) << joined(check.warnings);
  const DaemonConfig& config = check.config;

  EXPECT_EQ(config.listen.host, "::1");
  EXPECT_EQ(config.listen.port, 9443);
  EXPECT_TRUE(config.listen.is_ipv6());
  EXPECT_TRUE(config.listen.is_loopback());
  EXPECT_EQ(config.listen.to_string(), "[::1]:9443");
  ASSERT_TRUE(config.tls);
  EXPECT_EQ(config.tls->certificate, "/etc/ssl/sp.crt");
  EXPECT_EQ(config.tls->key, "/etc/ssl/private/sp.key");
  EXPECT_EQ(config.plugin_dirs, (std::vector<std::filesystem::path>{"/usr/lib/secpilot/plugins",
                                                                    "/opt/vendor/plugins"}));
  EXPECT_EQ(config.store.path, "/var/lib/secpilot/db.sqlite");

  const PluginSettings* plugin = config.settings.plugin("redcanary");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->values.at("instanceurl"), "https://acme.example");
  EXPECT_EQ(plugin->secrets.at("ApiToken"), "s3cr3t");
  EXPECT_EQ(plugin->egress, std::vector<std::string>{"acme.example"});
  EXPECT_FALSE(config.settings.allow_writable_plugins());

  ASSERT_EQ(config.api_keys.size(), 2u);
  EXPECT_EQ(config.api_keys[0].name, "ci");
  EXPECT_EQ(config.api_keys[0].role, Role::owner);
  EXPECT_EQ(config.api_keys[0].user, "ci-bot");
  EXPECT_EQ(config.api_keys[0].sha256, kHash);
  EXPECT_EQ(config.api_keys[1].name, "analyst");
  EXPECT_EQ(config.api_keys[1].role, Role::reader);
  EXPECT_EQ(config.api_keys[1].user, "analyst");  // the name when no user is given
  EXPECT_EQ(config.api_keys[1].sha256,
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");  // lower-cased
  EXPECT_EQ(config.roles.upload_manifests, Role::contributor);

  EXPECT_EQ(config.limits.max_body_bytes, 2097152u);
  EXPECT_EQ(config.limits.max_header_bytes, 8192u);
  EXPECT_EQ(config.limits.request_timeout, 15s);
  EXPECT_EQ(config.limits.idle_timeout, 120s);
  EXPECT_EQ(config.limits.max_concurrent_evaluations, 4u);
  EXPECT_EQ(config.limits.rate_limit_per_minute, 0u);
  EXPECT_EQ(config.limits.skill_timeout, 45s);
  EXPECT_EQ(config.limits.max_result_bytes, 1048576u);
  EXPECT_EQ(config.threads.io, 2u);
  EXPECT_EQ(config.threads.work, 8u);
  EXPECT_EQ(config.shutdown_grace, 0s);
  EXPECT_EQ(config.log.format, LogFormat::json);
  EXPECT_EQ(config.log.level, LogLevel::debug);
  EXPECT_FALSE(config.reload.watch_plugin_dirs);
  EXPECT_EQ(config.reload.debounce, 0ms);
  EXPECT_EQ(config.http_client.default_timeout, 10s);
  EXPECT_EQ(config.http_client.max_timeout, 60s);
  EXPECT_EQ(config.http_client.ca_file, "/etc/secpilot/ca.pem");
}

// query_backends: maps KQL Targets to the skill that runs their queries (docs/manifest.md).
TEST(DaemonConfig, QueryBackendsNameASkillPerTarget) {
  const ConfigCheck check = check_daemon_config(
      "query_backends:\n  Defender: LogHunt.RunKql\n  sentinel: Other.Run\n", "/etc/c.yaml");
  ASSERT_TRUE(check.ok()) << joined(check.problems);
  ASSERT_NE(check.config.settings.query_backend("Defender"), nullptr);
  EXPECT_EQ(*check.config.settings.query_backend("Defender"), "LogHunt.RunKql");
  ASSERT_NE(check.config.settings.query_backend("Sentinel"), nullptr) << "targets ignore case";
  EXPECT_EQ(*check.config.settings.query_backend("Sentinel"), "Other.Run");
  EXPECT_EQ(check.config.settings.query_backend("Kusto"), nullptr);

  expect_one("query_backends:\n  Defender: RunKql\n",
             "/etc/secpilot/c.yaml:2:13: error: query_backends.Defender must name a skill as "
             "Plugin.Skill");
  expect_one("query_backends: LogHunt.RunKql\n",
             "/etc/secpilot/c.yaml:1:17: error: query_backends: must be a mapping");
}

TEST(DaemonConfig, RelativePathsAreRelativeToTheFile) {
  const std::string yaml =
      "tls: { certificate: tls/server.crt, key: ./tls/../tls/server.key }\n"
      "plugin_dirs: [ plugins, ../shared/plugins, /abs/plugins ]\n"
      "store: { path: data/secpilot.db }\n"
      "http_client: { ca_file: ca.pem }\n";
  auto config = parse_daemon_config(yaml, "/srv/secpilot/etc/secpilotd.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->tls->certificate, "/srv/secpilot/etc/tls/server.crt");
  EXPECT_EQ(config->tls->key, "/srv/secpilot/etc/tls/server.key");
  EXPECT_EQ(config->plugin_dirs,
            (std::vector<std::filesystem::path>{"/srv/secpilot/etc/plugins",
                                                "/srv/secpilot/shared/plugins", "/abs/plugins"}));
  EXPECT_EQ(config->store.path, "/srv/secpilot/etc/data/secpilot.db");
  EXPECT_EQ(config->http_client.ca_file, "/srv/secpilot/etc/ca.pem");

  // A relative config path is taken from the current directory; messages keep it as given.
  auto relative = check_daemon_config("store: { path: db.sqlite }\nlisten: nope\n", "conf/d.yaml");
  EXPECT_EQ(relative.config.source, std::filesystem::current_path() / "conf/d.yaml");
  EXPECT_EQ(relative.config.store.path, std::filesystem::current_path() / "conf/db.sqlite");
  ASSERT_EQ(relative.problems.size(), 1u);
  EXPECT_EQ(relative.problems[0].rfind("conf/d.yaml:2:9: error: ", 0), 0u) << relative.problems[0];

  // No origin at all: the current directory.
  auto anonymous = parse_daemon_config("plugin_dirs: [ p ]\n", "");
  ASSERT_TRUE(anonymous) << anonymous.error().message;
  EXPECT_TRUE(anonymous->source.empty());
  EXPECT_EQ(anonymous->plugin_dirs.at(0), std::filesystem::current_path() / "p");
}

TEST(DaemonConfig, LoadsAFile) {
  testing::TempDir dir;
  testing::write_file(dir / "etc/secpilotd.yaml",
                      "plugin_dirs: [ ../plugins ]\nstore: { path: state/s.db }\n");
  auto config = load_daemon_config(dir / "etc/secpilotd.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->source, dir / "etc/secpilotd.yaml");
  EXPECT_EQ(config->plugin_dirs.at(0), dir / "plugins");
  EXPECT_EQ(config->store.path, dir / "etc/state/s.db");

  testing::write_file(dir / "bad.yaml", "listen: 1.2.3.4\n");
  auto bad = load_daemon_config(dir / "bad.yaml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().status, Status::invalid_input);
  EXPECT_EQ(bad.error().message.rfind((dir / "bad.yaml").string() + ":1:9: error: listen: ", 0), 0u)
      << bad.error().message;
}

TEST(DaemonConfig, MissingFileSaysWhichOne) {
  auto config = load_daemon_config("/nonexistent/secpilotd.yaml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().status, Status::not_found);
  EXPECT_EQ(config.error().message,
            "/nonexistent/secpilotd.yaml: error: cannot read the config file: No such file or "
            "directory — check the path given to --config");

  testing::TempDir dir;
  auto check = check_daemon_config_file(dir.path());
  ASSERT_EQ(check.problems.size(), 1u);
  EXPECT_NE(check.problems[0].find("it is a folder"), std::string::npos) << check.problems[0];
}

// --- Each kind of problem, at its exact place ---------------------------------------------------

TEST(DaemonConfig, UnknownKeysSuggestTheClosestOne) {
  expect_one("listen: 127.0.0.1:8480\nlisen: 127.0.0.1:1\n",
             "/etc/secpilot/c.yaml:2:1: error: unknown key 'lisen' — did you mean 'listen'?");
  expect_one("limits:\n  max_body_byte: 10\n",
             "/etc/secpilot/c.yaml:2:3: error: unknown key 'max_body_byte' in limits — did you "
             "mean 'max_body_bytes'?");
  expect_one("log: { format: json, colour: true }\n",
             "/etc/secpilot/c.yaml:1:22: error: unknown key 'colour' in log — use format or level");
  expect_one("api_keys:\n  - { name: ci, role: owner, sha256: \"" + kHash + "\", usr: x }\n",
             "/etc/secpilot/c.yaml:2:" + std::to_string(42 + kHash.size()) +
                 ": error: unknown key 'usr' in api_keys[0] — did you mean 'user'?");
  // The plugins: section keeps the settings file's wording.
  expect_one("plugins:\n  X:\n    secret: {}\n",
             "/etc/secpilot/c.yaml:3:5: error: unknown key 'secret' — use settings, secrets or "
             "egress");
}

TEST(DaemonConfig, KeysGivenTwiceIgnoringCase) {
  expect_one("listen: 127.0.0.1:1\nLISTEN: 127.0.0.1:2\n",
             "/etc/secpilot/c.yaml:2:1: error: 'LISTEN' is given twice (first on line 1) — keep "
             "one; keys ignore case");
}

TEST(DaemonConfig, WrongTypes) {
  expect_one("limits:\n  max_body_bytes: [1]\n",
             "/etc/secpilot/c.yaml:2:19: error: limits.max_body_bytes must be a whole number, "
             "not a list — write e.g. max_body_bytes: 1048576");
  expect_one("limits:\n  max_body_bytes: lots\n",
             "/etc/secpilot/c.yaml:2:19: error: limits.max_body_bytes must be a whole number, not "
             "'lots'");
  expect_one("limits:\n  idle_timeout_seconds: 1.5\n",
             "/etc/secpilot/c.yaml:2:25: error: limits.idle_timeout_seconds must be a whole "
             "number, not '1.5'");
  expect_one("limits:\n  idle_timeout_seconds:\n",
             "/etc/secpilot/c.yaml:2:3: error: limits.idle_timeout_seconds must be a whole "
             "number, not empty");
  expect_one("http_client:\n  ca_file:\n",
             "/etc/secpilot/c.yaml:2:3: error: http_client.ca_file has no value — write one");
  expect_one("reload:\n  watch_plugin_dirs: sometimes\n",
             "/etc/secpilot/c.yaml:2:22: error: reload.watch_plugin_dirs must be true or false, "
             "not 'sometimes'");
  expect_one("limits: 5\n",
             "/etc/secpilot/c.yaml:1:9: error: limits must be a mapping, not a single value");
  expect_one("plugin_dirs: /usr/lib/secpilot/plugins\n",
             "/etc/secpilot/c.yaml:1:14: error: plugin_dirs must be a list of folders, not a "
             "single value — write e.g. plugin_dirs: [ /usr/lib/secpilot/plugins ]");
  expect_one("plugin_dirs: [ a, \"\" ]\n",
             "/etc/secpilot/c.yaml:1:19: error: each entry of plugin_dirs is empty");
  expect_one("store: { path: [a] }\n",
             "/etc/secpilot/c.yaml:1:16: error: store.path must be a single value, not a list");
  expect_one("api_keys: { name: ci }\n",
             "/etc/secpilot/c.yaml:1:11: error: api_keys must be a list, not a mapping");
  expect_one("security: { allow_writable_plugins: maybe }\n",
             "/etc/secpilot/c.yaml:1:37: error: allow_writable_plugins must be true or false");
  expect_one("- listen\n", "/etc/secpilot/c.yaml:1:1: error: the config must be a mapping");
}

TEST(DaemonConfig, NumbersOutOfRange) {
  expect_one("limits:\n  max_body_bytes: 0\n",
             "/etc/secpilot/c.yaml:2:19: error: limits.max_body_bytes is 0, out of range — use "
             "1024 to 1073741824");
  expect_one("threads: { io: -1 }\n",
             "/etc/secpilot/c.yaml:1:16: error: threads.io is -1, out of range — use 0 to 1024");
  expect_one("shutdown_grace_seconds: 99999999999999999999999\n",
             "/etc/secpilot/c.yaml:1:25: error: shutdown_grace_seconds is "
             "99999999999999999999999, out of range — use 0 to 3600");
  expect_one("http_client: { default_timeout_seconds: 200 }\n",
             "/etc/secpilot/c.yaml:1:41: error: http_client.default_timeout_seconds (200) "
             "exceeds max_timeout_seconds (120) — lower the default or raise the maximum");
}

TEST(DaemonConfig, BadListenAddresses) {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const Case cases[] = {
      {"listen: 127.0.0.1\n",
       "/etc/secpilot/c.yaml:1:9: error: listen: '127.0.0.1' has no port — write host:port"},
      {"listen: 8480\n",
       "/etc/secpilot/c.yaml:1:9: error: listen: '8480' has no host — write e.g. 127.0.0.1:8480"},
      {"listen: localhost:8480\n",
       "/etc/secpilot/c.yaml:1:9: error: listen: 'localhost:8480' names a host — write "
       "127.0.0.1:8480 or \"[::1]:8480\""},
      {"listen: example.com:80\n",
       "/etc/secpilot/c.yaml:1:9: error: listen: 'example.com:80' does not start with an IP "
       "address"},
      {"listen: 127.0.0.1:65536\n",
       "/etc/secpilot/c.yaml:1:9: error: listen: '127.0.0.1:65536' has no valid port (0 to "
       "65535"},
      {"listen: ::1:8480\n",
       "/etc/secpilot/c.yaml:1:9: error: listen: '::1:8480' looks like an IPv6 address without "
       "brackets"},
      {"listen: \"[::1\"\n", "/etc/secpilot/c.yaml:1:9: error: listen: '[::1' has no closing ']'"},
      {"listen: \"[::1]\"\n", "/etc/secpilot/c.yaml:1:9: error: listen: '[::1]' has no port"},
      {"listen: \"[zz::1]:1\"\n",
       "/etc/secpilot/c.yaml:1:9: error: listen: '[zz::1]:1' is not an IPv6 address"},
      {"listen: { host: x }\n",
       "/etc/secpilot/c.yaml:1:9: error: listen must be one \"host:port\" value, not a mapping"},
      // YAML reads an unquoted [::1] as a list: the syntax error says to quote it.
      {"listen: [::1]:8480\n",
       "/etc/secpilot/c.yaml:1:14: error: end of map not found — quote an IPv6 address with its "
       "port: listen: \"[::1]:8480\""},
  };
  for (const Case& c : cases)
    expect_one(c.yaml, c.message);

  auto any = parse_listen_address("0.0.0.0:0");
  ASSERT_TRUE(any) << any.error().message;
  EXPECT_EQ(any->port, 0);
  EXPECT_FALSE(any->is_loopback());
  EXPECT_TRUE(parse_listen_address("127.1.2.3:1")->is_loopback());
  EXPECT_EQ(parse_listen_address("[::]:8480")->to_string(), "[::]:8480");
}

TEST(DaemonConfig, UnknownRoles) {
  expect_one("api_keys:\n  - { name: ci, role: admin, sha256: \"" + kHash + "\" }\n",
             "/etc/secpilot/c.yaml:2:23: error: unknown role 'admin' for api_keys[0].role — use "
             "owner, contributor or reader");
  expect_one("api_keys:\n  - { name: ci, role: ownr, sha256: \"" + kHash + "\" }\n",
             "/etc/secpilot/c.yaml:2:23: error: unknown role 'ownr' for api_keys[0].role — did "
             "you mean 'owner'? The choices are owner, contributor or reader");
  expect_one("roles: { upload_manifests: everyone }\n",
             "/etc/secpilot/c.yaml:1:28: error: unknown role 'everyone' for "
             "roles.upload_manifests — use owner or contributor");
  expect_one("roles: { upload_manifests: reader }\n",
             "/etc/secpilot/c.yaml:1:28: error: readers may not upload manifests");
  expect_one("log: { level: verbose }\n",
             "/etc/secpilot/c.yaml:1:15: error: unknown log level 'verbose' for log.level — use "
             "trace, debug, info, warning, error, critical or off");
}

TEST(DaemonConfig, MalformedApiKeys) {
  expect_one("api_keys:\n  - { name: ci, role: owner, sha256: abc123 }\n",
             "/etc/secpilot/c.yaml:2:38: error: api_keys[0].sha256 must be 64 hexadecimal "
             "digits, not 6 characters — write the SHA-256 of the key, never the key itself");
  std::string not_hex = kHash;
  not_hex[9] = 'g';
  expect_one("api_keys:\n  - { name: ci, role: owner, sha256: " + not_hex + " }\n",
             "/etc/secpilot/c.yaml:2:38: error: api_keys[0].sha256 has a character that is not "
             "hexadecimal (at 10 of 64)");
  // The value is never echoed: it may be the key itself.
  const auto pasted =
      problems("api_keys:\n  - { name: ci, role: owner, sha256: sk-live-secret }\n");
  ASSERT_EQ(pasted.size(), 1u);
  EXPECT_EQ(pasted[0].find("sk-live-secret"), std::string::npos) << pasted[0];

  expect_one("api_keys:\n  - { name: ci, sha256: \"" + kHash + "\" }\n",
             "/etc/secpilot/c.yaml:2:5: error: api_keys[0] has no role");
  expect_one("api_keys:\n  - ci\n",
             "/etc/secpilot/c.yaml:2:5: error: api_keys[0] must be a mapping, not a single value");

  const auto twice = problems("api_keys:\n  - { name: ci, role: owner, sha256: " + kHash +
                              " }\n  - { name: CI, role: reader, sha256: " + kHash + " }\n");
  ASSERT_EQ(twice.size(), 2u) << joined(twice);
  EXPECT_EQ(twice[0].rfind("/etc/secpilot/c.yaml:3:13: error: API key name 'CI' is used twice "
                           "(first on line 2)",
                           0),
            0u)
      << twice[0];
  EXPECT_EQ(twice[1].rfind("/etc/secpilot/c.yaml:3:39: error: api_keys[1].sha256 repeats the "
                           "hash on line 2",
                           0),
            0u)
      << twice[1];
}

TEST(DaemonConfig, TlsNeedsBothFiles) {
  expect_one("tls:\n  certificate: /etc/secpilot/tls.crt\n",
             "/etc/secpilot/c.yaml:1:1: error: tls has a certificate but no key — add key:");
  expect_one("listen: 127.0.0.1:1\ntls: { key: k.pem }\n",
             "/etc/secpilot/c.yaml:2:1: error: tls has a key but no certificate — add "
             "certificate:");
  expect_one("tls: { certificate: c.pem, key: \"\" }\n",
             "/etc/secpilot/c.yaml:1:33: error: tls.key is empty");
}

TEST(DaemonConfig, UnsetEnvironmentVariableInASecret) {
  ::unsetenv("SECPILOT_DAEMON_TEST_UNSET");
  const std::string yaml =
      "plugins:\n"
      "  Jamf:\n"
      "    secrets:\n"
      "      ClientSecret: \"${SECPILOT_DAEMON_TEST_UNSET}\"\n";
  expect_one(yaml,
             "/etc/secpilot/c.yaml:4:21: error: secret 'ClientSecret': environment variable "
             "SECPILOT_DAEMON_TEST_UNSET is not set — export it, or write "
             "${SECPILOT_DAEMON_TEST_UNSET:-default}");
}

TEST(DaemonConfig, ReportsEveryProblemTogetherInFileOrder) {
  ::unsetenv("SECPILOT_DAEMON_TEST_UNSET");
  const std::string yaml =
      "listen: 127.0.0.1\n"                                           // 1: no port
      "limits:\n"                                                     // 2
      "  max_body_bytes: 12\n"                                        // 3: out of range
      "  rate_limit: 5\n"                                             // 4: unknown key
      "tls: { key: k.pem }\n"                                         // 5: key without certificate
      "plugins:\n"                                                    // 6
      "  X: { secrets: { K: \"${SECPILOT_DAEMON_TEST_UNSET}\" } }\n"  // 7: unset variable
      "api_keys:\n"                                                   // 8
      "  - { name: ci, role: root, sha256: nope }\n"                  // 9: role, hash
      "log: { format: xml }\n";                                       // 10: unknown format
  const ConfigCheck check = check_daemon_config(yaml, "c.yaml");
  ASSERT_EQ(check.problems.size(), 8u) << joined(check.problems);
  const char* prefixes[] = {
      "c.yaml:1:9: error: listen: ",
      "c.yaml:3:19: error: limits.max_body_bytes",
      "c.yaml:4:3: error: unknown key 'rate_limit' in limits — did you mean 'rate_limit_per",
      "c.yaml:5:1: error: tls has a key",
      "c.yaml:7:22: error: secret 'K'",
      "c.yaml:9:23: error: unknown role 'root'",
      "c.yaml:9:37: error: api_keys[0].sha256",
      "c.yaml:10:16: error: unknown log format 'xml'",
  };
  for (std::size_t i = 0; i < check.problems.size(); ++i)
    EXPECT_EQ(check.problems[i].rfind(prefixes[i], 0), 0u)
        << check.problems[i] << "\nexpected to start with\n"
        << prefixes[i];

  // The Error carries the same lines, one per problem.
  auto parsed = parse_daemon_config(yaml, "c.yaml");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().status, Status::invalid_input);
  std::string expected;
  for (const auto& problem : check.problems)
    expected += (expected.empty() ? "" : "\n") + problem;
  EXPECT_EQ(parsed.error().message, expected);
  // Values that were wrong keep their defaults; the rest is still read.
  EXPECT_EQ(check.config.limits.max_body_bytes, 1048576u);
  EXPECT_EQ(check.config.listen.to_string(), "127.0.0.1:8480");
}

TEST(DaemonConfig, ExpandsEnvironmentInSecretsAndSettings) {
  ::setenv("SECPILOT_DAEMON_TEST_TOKEN", "tok-123", 1);
  ::unsetenv("SECPILOT_DAEMON_TEST_UNSET");
  auto config = parse_daemon_config(
      "plugins:\n"
      "  ThreatIntel:\n"
      "    settings: { Region: \"${SECPILOT_DAEMON_TEST_UNSET:-eu}\", Cost: \"$$5\" }\n"
      "    secrets: { ApiKey: \"Bearer ${SECPILOT_DAEMON_TEST_TOKEN}\" }\n",
      "c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  const PluginSettings* plugin = config->settings.plugin("THREATINTEL");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->values.at("region"), "eu");
  EXPECT_EQ(plugin->values.at("cost"), "$5");
  EXPECT_EQ(plugin->secrets.at("apikey"), "Bearer tok-123");
}

TEST(DaemonConfig, KeysAndChoicesIgnoreCase) {
  auto config = parse_daemon_config(
      "LISTEN: 127.0.0.1:9000\n"
      "Limits: { Max_Body_Bytes: 4096, RATE_LIMIT_PER_MINUTE: 5 }\n"
      "Log: { Format: JSON, Level: WARN }\n"
      "Roles: { Upload_Manifests: Contributor }\n"
      "API_Keys: [ { Name: ci, ROLE: Owner, SHA256: \"" +
          kHash +
          "\" } ]\n"
          "Security: { Allow_Writable_Plugins: FALSE }\n"
          "Plugins: { jamf: { Settings: { Url: x } } }\n",
      "c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen.port, 9000);
  EXPECT_EQ(config->limits.max_body_bytes, 4096u);
  EXPECT_EQ(config->limits.rate_limit_per_minute, 5u);
  EXPECT_EQ(config->log.format, LogFormat::json);
  EXPECT_EQ(config->log.level, LogLevel::warning);
  EXPECT_EQ(config->roles.upload_manifests, Role::contributor);
  ASSERT_EQ(config->api_keys.size(), 1u);
  EXPECT_EQ(config->api_keys[0].role, Role::owner);
  ASSERT_NE(config->settings.plugin("Jamf"), nullptr);
  EXPECT_EQ(config->settings.plugin("Jamf")->values.at("URL"), "x");

  EXPECT_EQ(role_from_name("CONTRIBUTOR"), Role::contributor);
  EXPECT_EQ(role_from_name("admin"), std::nullopt);
  EXPECT_EQ(role_name(Role::reader), "reader");
  EXPECT_EQ(log_level_name(LogLevel::critical), "critical");
  EXPECT_EQ(log_format_name(LogFormat::json), "json");
}

TEST(DaemonConfig, WarnsAboutRiskyButValidChoices) {
  const ConfigCheck open = check_daemon_config("listen: 0.0.0.0:8480\n", "c.yaml");
  ASSERT_TRUE(open.ok()) << joined(open.problems);
  ASSERT_EQ(open.warnings.size(), 1u);
  EXPECT_EQ(open.warnings[0].rfind("c.yaml:1:9: warning: listen address 0.0.0.0:8480 is "
                                   "reachable from other machines over plain HTTP",
                                   0),
            0u)
      << open.warnings[0];

  const ConfigCheck with_tls =
      check_daemon_config("listen: 0.0.0.0:8480\ntls: { certificate: c, key: k }\n", "c.yaml");
  EXPECT_TRUE(with_tls.ok() && with_tls.warnings.empty()) << joined(with_tls.warnings);

  const ConfigCheck writable =
      check_daemon_config("security:\n  allow_writable_plugins: true\n", "c.yaml");
  ASSERT_TRUE(writable.ok()) << joined(writable.problems);
  ASSERT_EQ(writable.warnings.size(), 1u);
  EXPECT_EQ(writable.warnings[0].rfind("c.yaml:1:1: warning: allow_writable_plugins is on", 0), 0u)
      << writable.warnings[0];
  EXPECT_TRUE(parse_daemon_config("security:\n  allow_writable_plugins: true\n", "c.yaml")
                  ->settings.allow_writable_plugins());
}

TEST(DaemonConfig, SamplePackagingConfigIsClean) {
  const auto path = std::filesystem::path(SECPILOT_SOURCE_DIR) / "packaging" / "secpilotd.yaml";
  const ConfigCheck check = check_daemon_config_file(path);
  ASSERT_TRUE(check.ok()) << joined(check.problems);
  EXPECT_TRUE(check.warnings.empty()) << joined(check.warnings);
  // The sample spells out the defaults, except for its production paths.
  DaemonConfig expected = DaemonConfig::defaults();
  EXPECT_EQ(check.config.listen.to_string(), expected.listen.to_string());
  EXPECT_EQ(check.config.plugin_dirs,
            std::vector<std::filesystem::path>{"/usr/lib/secpilot/plugins"});
  EXPECT_EQ(check.config.store.path, "/var/lib/secpilot/secpilot.db");
  EXPECT_EQ(check.config.limits.max_body_bytes, expected.limits.max_body_bytes);
  EXPECT_EQ(check.config.limits.max_header_bytes, expected.limits.max_header_bytes);
  EXPECT_EQ(check.config.limits.request_timeout, expected.limits.request_timeout);
  EXPECT_EQ(check.config.limits.idle_timeout, expected.limits.idle_timeout);
  EXPECT_EQ(check.config.limits.max_concurrent_evaluations,
            expected.limits.max_concurrent_evaluations);
  EXPECT_EQ(check.config.limits.rate_limit_per_minute, expected.limits.rate_limit_per_minute);
  EXPECT_EQ(check.config.limits.skill_timeout, expected.limits.skill_timeout);
  EXPECT_EQ(check.config.limits.max_result_bytes, expected.limits.max_result_bytes);
  EXPECT_EQ(check.config.shutdown_grace, expected.shutdown_grace);
  EXPECT_EQ(check.config.reload.debounce, expected.reload.debounce);
  EXPECT_EQ(check.config.http_client.default_timeout, expected.http_client.default_timeout);
  EXPECT_EQ(check.config.http_client.max_timeout, expected.http_client.max_timeout);
}

TEST(DaemonConfig, DocumentedExampleIsClean) {
  // docs/configuration.md's complete example, so that the documentation cannot drift.
  const std::string doc =
      testing::read_file(std::filesystem::path(SECPILOT_SOURCE_DIR) / "docs" / "configuration.md");
  const auto section = doc.find("## A complete example");
  ASSERT_NE(section, std::string::npos);
  const auto begin = doc.find("```yaml\n", section);
  ASSERT_NE(begin, std::string::npos);
  const auto end = doc.find("```", begin + 8);
  ASSERT_NE(end, std::string::npos);
  for (const char* name : {"REDCANARY_TOKEN", "JAMF_CLIENT_ID", "JAMF_CLIENT_SECRET"})
    ::setenv(name, "from-the-environment", 1);
  ::unsetenv("JAMF_REGION");
  const ConfigCheck check =
      check_daemon_config(doc.substr(begin + 8, end - begin - 8), "/etc/secpilot/secpilotd.yaml");
  ASSERT_TRUE(check.ok()) << joined(check.problems);
  EXPECT_TRUE(check.warnings.empty()) << joined(check.warnings);
  EXPECT_EQ(check.config.tls->key, "/etc/secpilot/tls/secpilot.key");
  EXPECT_EQ(check.config.settings.plugin("jamf")->values.at("region"), "eu");
  EXPECT_EQ(check.config.settings.plugin("jamf")->secrets.at("clientsecret"),
            "from-the-environment");
}

TEST(DaemonConfig, McpAllowedOriginsAreOriginsOnly) {
  auto config = parse_daemon_config(
      "mcp: { allowed_origins: [ \"https://ide.example.com\", \"http://10.0.0.5:6274\" ] }\n",
      "/etc/secpilot/c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->mcp.allowed_origins,
            (std::vector<std::string>{"https://ide.example.com", "http://10.0.0.5:6274"}));
  EXPECT_TRUE(parse_daemon_config("", "/etc/secpilot/c.yaml")->mcp.allowed_origins.empty());
  expect_one("mcp: { allowed_origins: [ \"https://ide.example.com/page\" ] }\n",
             "/etc/secpilot/c.yaml:1:27: error: mcp.allowed_origins entry "
             "'https://ide.example.com/page' is not an origin");
  expect_one("mcp: { allowed_origins: [ \"ide.example.com\" ] }\n",
             "/etc/secpilot/c.yaml:1:27: error: mcp.allowed_origins entry 'ide.example.com'");
  expect_one("mcp: { allowed_origins: \"https://ide.example.com\" }\n",
             "/etc/secpilot/c.yaml:1:25: error: mcp.allowed_origins must be a list of origins");
  expect_one("mcp: { origins: [] }\n", "/etc/secpilot/c.yaml:1:8: error:");
}

}  // namespace
}  // namespace secpilot::config

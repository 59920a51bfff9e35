// `secpilot --server URL` end to end: a real secpilotd on an ephemeral loopback port with a
// temporary store, driven by the real CLI binary, checking what a person or a script sees.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <regex>
#include <stdexcept>
#include <thread>

#include "support/files.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

using testing::RunResult;

const std::string kBin = std::string(SECPILOT_BINARY_DIR) + "/bin";
const std::string kCli = kBin + "/secpilot";
const std::string kDaemon = kBin + "/secpilotd";
const std::string kPlugins = std::string(SECPILOT_BINARY_DIR) + "/plugins";
const std::string kMisbehaving = std::string(SECPILOT_BINARY_DIR) + "/test-plugins/misbehaving";

std::string trimmed(std::string text) {
  text.erase(text.find_last_not_of(" \r\n") + 1);
  return text;
}

// A port nothing listens on: bound once by us, then released.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// secpilotd with ThreatIntel and Misbehaving (which declares a secret setting), and an owner key.
class Daemon {
 public:
  Daemon() {
    const std::string store = (dir_ / "db" / "secpilot.db").string();
    auto created =
        testing::run({kDaemon, "--store", store, "--create-key", "admin", "--role", "owner"});
    if (created.exit_code != 0)
      throw std::runtime_error("secpilotd --create-key failed: " + created.err);
    key_ = trimmed(created.out);

    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    const std::string log = (dir_ / "secpilotd.log").string();
    std::vector<std::string> args{kDaemon,    "--store",       store,
                                  "--listen", "127.0.0.1:0",   "--plugins-dir",
                                  kPlugins,   "--plugins-dir", kMisbehaving};
    std::vector<char*> argv;
    for (auto& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    // fork + exec rather than posix_spawn: the child asks to be killed when the test process
    // dies, so that a crashed test never leaves a daemon behind.
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      const int in = ::open("/dev/null", O_RDONLY);
      const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err, 2) < 0)
        ::_exit(127);
      ::close(out[0]);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const bool spawned = pid_ > 0;
    ::close(out[1]);
    if (!spawned) {
      ::close(out[0]);
      throw std::runtime_error("cannot start " + kDaemon);
    }
    // "secpilotd: listening on port N" on stdout once it accepts connections.
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::regex ready("listening on port ([0-9]+)");
    std::smatch match;
    while (!std::regex_search(seen, match, ready)) {
      pollfd poll_fd{out[0], POLLIN, 0};
      if (std::chrono::steady_clock::now() > deadline || ::poll(&poll_fd, 1, 200) < 0) break;
      char buffer[256];
      if (poll_fd.revents == 0) continue;
      const auto n = ::read(out[0], buffer, sizeof buffer);
      if (n <= 0) break;
      seen.append(buffer, static_cast<std::size_t>(n));
    }
    if (match.empty()) {
      ::close(out[0]);
      stop();
      throw std::runtime_error("secpilotd did not start: " + seen + testing::read_file(log));
    }
    port_ = std::stoi(match[1]);
    // Keep reading stdout until the daemon exits, so that it never writes into a closed pipe.
    drain_ = std::thread([fd = out[0]] {
      char buffer[256];
      while (::read(fd, buffer, sizeof buffer) > 0) {
      }
      ::close(fd);
    });
  }

  ~Daemon() {
    stop();
    if (drain_.joinable()) drain_.join();
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& key() const { return key_; }
  std::string log() const { return testing::read_file(dir_ / "secpilotd.log"); }

 private:
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 150 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }

  testing::TempDir dir_;
  std::string key_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::thread drain_;
};

class RemoteCli : public ::testing::Test {
 protected:
  // The CLI against the daemon, the server and key from the environment (as a user would).
  RunResult cli(std::vector<std::string> args, const std::string& key = {},
                const std::string& input = {}) {
    args.insert(args.begin(), kCli);
    return testing::run(args, {.env = {"SECPILOT_SERVER=" + daemon.url(),
                                       "SECPILOT_KEY=" + (key.empty() ? daemon.key() : key),
                                       "SECPILOT_PLUGINS_DIR"},
                               .input = input});
  }
  // Without any daemon settings in the environment.
  RunResult bare(std::vector<std::string> args) {
    args.insert(args.begin(), kCli);
    return testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
  }
  boost::json::value json(const RunResult& run) {
    boost::system::error_code error;
    auto value = boost::json::parse(run.out, error);
    EXPECT_FALSE(error) << run.out << run.err;
    return value;
  }
  // The ID of the session `ask` created, from its first line.
  static std::string session_of(const RunResult& run) {
    std::smatch match;
    static const std::regex session("Session ([0-9a-f-]+)");
    return std::regex_search(run.out, match, session) ? std::string(match[1]) : "";
  }

  Daemon daemon;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// --- ask -----------------------------------------------------------------------------------------

TEST_F(RemoteCli, AskWithADirectInvocationPrintsTheStepsLiveThenTheVerdict) {
  auto run = cli({"ask", "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto started = run.out.find("→ ThreatIntel.LookupIndicator {indicator: 198.51.100[.]7}");
  const auto finished = run.out.find("✓ ThreatIntel.LookupIndicator ");
  // The answer opens with ThreatIntel's Summary line.
  const auto verdict = run.out.find("**malicious**: 198.51.100.7");
  ASSERT_NE(started, std::string::npos) << run.out;
  ASSERT_NE(finished, std::string::npos) << run.out;
  ASSERT_NE(verdict, std::string::npos) << run.out;
  EXPECT_LT(started, finished);
  EXPECT_LT(finished, verdict);
  EXPECT_TRUE(std::regex_search(run.out, std::regex("✓ ThreatIntel.LookupIndicator [0-9]+ ms")))
      << run.out;
  EXPECT_FALSE(session_of(run).empty()) << run.out;
  EXPECT_EQ(run.err, "");
}

TEST_F(RemoteCli, AskJsonPrintsTheFinalEvaluation) {
  auto run = cli({"--json", "ask", "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto evaluation = json(run).as_object();
  EXPECT_EQ(evaluation.at("state"), "completed");
  EXPECT_EQ(evaluation.at("result").at("json").at("verdict"), "malicious");
  ASSERT_EQ(evaluation.at("steps").as_array().size(), 1u);
  EXPECT_EQ(evaluation.at("steps").at(0).at("skill"), "ThreatIntel.LookupIndicator");
}

TEST_F(RemoteCli, AskPlansAFreeTextPromptAndExplainsThePlan) {
  auto run = cli({"ask", "--explain", "is 198.51.100.7 malicious?"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "Plan:\n1. ThreatIntel.LookupIndicator")) << run.out;
  EXPECT_TRUE(contains(run.out, "Candidates:")) << run.out;
  EXPECT_TRUE(contains(run.out, "+ ThreatIntel.LookupIndicator")) << run.out;
  EXPECT_TRUE(contains(run.out, "✓ ThreatIntel.LookupIndicator")) << run.out;
  // Without --explain the process log and the answer only.
  auto plain = cli({"ask", "is 198.51.100.7 malicious?"});
  EXPECT_EQ(plain.exit_code, 0) << plain.out << plain.err;
  EXPECT_FALSE(contains(plain.out, "Candidates:")) << plain.out;
}

TEST_F(RemoteCli, AskAbstainsWithTheClosestSkillsWhenNothingFits) {
  auto run = cli({"ask", "wipe mbp-fin-12 remotely"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(contains(run.err, "No enabled skill can wipe anything")) << run.err;
  EXPECT_TRUE(contains(run.err, "/Plugin.Skill name=value")) << run.err;
}

TEST_F(RemoteCli, AFailingStepIsMarkedAndTheExitCodeIsOne) {
  auto run = cli({"ask", "/ThreatIntel.LookupIndicator indicator=not-an-indicator"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "✗ ThreatIntel.LookupIndicator invalid_input: ")) << run.out;
  EXPECT_TRUE(contains(run.err, "is not an IP, domain, URL or hash")) << run.err;
}

TEST_F(RemoteCli, AskFollowsUpInAGivenSessionAndUnknownSessionsExitThree) {
  auto first = cli({"ask", "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string id = session_of(first);
  auto second =
      cli({"ask", "--session", id, "/ThreatIntel.ExtractIndicators text=\"see 203.0.113[.]9\""});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(session_of(second), id);
  EXPECT_TRUE(contains(second.out, "203.0.113.9")) << second.out;
  auto show = cli({"--json", "sessions", "show", id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json(show).at("prompts").as_array().size(), 2u);

  auto unknown =
      cli({"ask", "--session", "no-such-session", "/ThreatIntel.LookupIndicator indicator=x"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "not found")) << unknown.err;
}

// --- sessions ------------------------------------------------------------------------------------

TEST_F(RemoteCli, SessionsListShowExportAndDelete) {
  const std::string prompt =
      "/ThreatIntel.ExtractIndicators text=\"Beacon to 198.51.100[.]7 and "
      "hxxp://evil-example[.]com/a "
      "seen on the proxy\"";
  auto asked = cli({"ask", prompt});
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  const std::string id = session_of(asked);
  ASSERT_FALSE(id.empty());

  auto list = cli({"sessions", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(std::regex_search(list.out, std::regex("^ID +NAME +MODIFIED\n"))) << list.out;
  EXPECT_TRUE(contains(list.out, id)) << list.out;
  auto listed = cli({"--json", "sessions", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::string name;
  const auto session_list = json(listed);
  for (const auto& session : session_list.as_array())
    if (session.at("id") == id.c_str()) name = session.at("displayName").as_string().c_str();
  EXPECT_EQ(name.rfind("/ThreatIntel.ExtractIndicators text=\"Beacon to 198.51.100", 0), 0u)
      << name;
  EXPECT_TRUE(name.ends_with("…")) << name;  // the prompt, cut
  EXPECT_LT(name.size(), prompt.size());

  auto show = cli({"sessions", "show", id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_TRUE(contains(show.out, "id:       " + id)) << show.out;
  EXPECT_TRUE(contains(show.out, "completed")) << show.out;
  EXPECT_TRUE(contains(show.out, "/ThreatIntel.ExtractIndicators")) << show.out;

  auto markdown = cli({"sessions", "export", id});
  ASSERT_EQ(markdown.exit_code, 0) << markdown.err;
  EXPECT_EQ(markdown.out.rfind("# /ThreatIntel.ExtractIndicators", 0), 0u) << markdown.out;
  EXPECT_TRUE(contains(markdown.out, "Process log:")) << markdown.out;
  EXPECT_TRUE(contains(markdown.out, "http://evil-example.com/a")) << markdown.out;

  testing::TempDir temp;
  const auto file = temp / "session.json";
  auto exported = cli({"sessions", "export", id, "--format", "json", "--output", file.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.out, "");
  const auto document = boost::json::parse(testing::read_file(file)).as_object();
  EXPECT_EQ(document.at("id"), id.c_str());
  EXPECT_EQ(document.at("prompts").at(0).at("evaluations").at(0).at("steps").as_array().size(), 1u);

  auto removed = cli({"sessions", "delete", id});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_TRUE(contains(removed.out, "Deleted session " + id)) << removed.out;
  auto gone = cli({"sessions", "show", id});
  EXPECT_EQ(gone.exit_code, 3) << gone.out << gone.err;
  EXPECT_TRUE(contains(gone.err, "secpilot: error: ")) << gone.err;
  EXPECT_EQ(cli({"sessions", "delete", id}).exit_code, 3);
  EXPECT_FALSE(contains(cli({"sessions", "list"}).out, id));
  EXPECT_EQ(cli({"sessions", "export", id, "--format", "yaml"}).exit_code, 2);
}

// --- plugins and skills ----------------------------------------------------------------------

TEST_F(RemoteCli, PluginsAndSkillsReadTheDaemonWithTheLocalShapes) {
  auto list = cli({"plugins", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(std::regex_search(list.out, std::regex("ThreatIntel +loaded +yes +2 "))) << list.out;
  auto plugins = cli({"--json", "plugins", "list"});
  ASSERT_EQ(plugins.exit_code, 0) << plugins.err;
  bool found = false;
  const auto plugin_list = json(plugins);
  for (const auto& plugin : plugin_list.as_array())
    if (plugin.at("name") == "ThreatIntel") found = plugin.at("enabled").as_bool();
  EXPECT_TRUE(found);

  auto show = cli({"plugins", "show", "ThreatIntel"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_TRUE(contains(show.out, "ThreatIntel.LookupIndicator")) << show.out;
  EXPECT_TRUE(contains(show.out, "enabled:  yes")) << show.out;
  auto unknown = cli({"plugins", "show", "Nope"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_TRUE(contains(unknown.err, "no plugin named 'Nope'")) << unknown.err;

  auto skills = cli({"skills", "list", "--plugin", "ThreatIntel"});
  ASSERT_EQ(skills.exit_code, 0) << skills.err;
  EXPECT_TRUE(contains(skills.out, "ThreatIntel.ExtractIndicators")) << skills.out;
  EXPECT_FALSE(contains(skills.out, "Misbehaving")) << skills.out;
  EXPECT_EQ(cli({"skills", "list", "--plugin", "Nope"}).exit_code, 3);
  auto skill = cli({"skills", "show", "ThreatIntel.LookupIndicator", "--json"});
  ASSERT_EQ(skill.exit_code, 0) << skill.err;
  EXPECT_EQ(json(skill).at("inputs").at(0).at("name"), "indicator");

  auto invoked =
      cli({"invoke", "ThreatIntel.LookupIndicator", "--input", "indicator=198.51.100[.]7"});
  ASSERT_EQ(invoked.exit_code, 0) << invoked.err;
  EXPECT_EQ(json(invoked).at("verdict"), "malicious");
  auto typo = cli({"invoke", "ThreatIntel.LookupIndicatr"});
  EXPECT_EQ(typo.exit_code, 3);
  EXPECT_TRUE(contains(typo.err, "did you mean ThreatIntel.LookupIndicator?")) << typo.err;
  // The skill's own error (it reports not_found) is a failed skill, as locally: exit 1.
  auto thrown = cli({"invoke", "Misbehaving.ThrowTyped"});
  EXPECT_EQ(thrown.exit_code, 1) << thrown.err;
  EXPECT_TRUE(contains(thrown.err, "no incident INC-42 in this tenant")) << thrown.err;
}

TEST_F(RemoteCli, PluginsDisableAndEnableRoundTrip) {
  auto disabled = cli({"plugins", "disable", "ThreatIntel"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_TRUE(contains(disabled.out, "Disabled ThreatIntel for you")) << disabled.out;
  EXPECT_TRUE(
      std::regex_search(cli({"plugins", "list"}).out, std::regex("ThreatIntel +loaded +no ")));

  auto refused = cli({"invoke", "ThreatIntel.LookupIndicator", "--input", "indicator=192.0.2.1"});
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_TRUE(contains(refused.err, "disabled for you")) << refused.err;
  auto asked = cli({"ask", "/ThreatIntel.LookupIndicator indicator=192.0.2.1"});
  EXPECT_EQ(asked.exit_code, 1);
  EXPECT_TRUE(contains(asked.out, "✗ ThreatIntel.LookupIndicator forbidden: ")) << asked.out;

  auto enabled = cli({"--json", "plugins", "enable", "ThreatIntel"});
  ASSERT_EQ(enabled.exit_code, 0) << enabled.err;
  EXPECT_TRUE(json(enabled).at("enabled").as_bool());
  EXPECT_EQ(
      cli({"invoke", "ThreatIntel.LookupIndicator", "--input", "indicator=192.0.2.1"}).exit_code,
      0);
  EXPECT_EQ(cli({"plugins", "enable", "Nope"}).exit_code, 3);
  EXPECT_EQ(cli({"plugins", "enable", "ThreatIntel", "--scope", "galaxy"}).exit_code, 2);
}

TEST_F(RemoteCli, SettingsAreSetAndUnsetAndSecretsNeverEchoed) {
  const std::string secret = "s3cr3t-value";
  auto before = cli({"plugins", "settings", "Misbehaving"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_TRUE(
      std::regex_search(before.out, std::regex("ApiToken +secretString +yes +yes +\\(not set\\)")))
      << before.out;

  auto set = cli({"plugins", "settings", "Misbehaving", "--set", "greeting=hi", "--secret",
                  "ApiToken=" + secret});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_TRUE(contains(set.out, "set Greeting=hi")) << set.out;  // names as declared
  EXPECT_TRUE(contains(set.out, "secret ApiToken set")) << set.out;

  std::vector<RunResult> reads{cli({"plugins", "settings", "Misbehaving"}),
                               cli({"--json", "plugins", "settings", "Misbehaving"}),
                               cli({"plugins", "show", "Misbehaving"}),
                               cli({"--json", "plugins", "show", "Misbehaving"})};
  EXPECT_TRUE(
      std::regex_search(reads[0].out, std::regex("ApiToken +secretString +yes +yes +\\(set\\)")))
      << reads[0].out;
  EXPECT_TRUE(std::regex_search(reads[0].out, std::regex("Greeting +string +no +no +hi ")))
      << reads[0].out;
  auto skill = cli({"invoke", "Misbehaving.Settings"});
  ASSERT_EQ(skill.exit_code, 0) << skill.err;
  EXPECT_EQ(json(skill).at("tokenLength"), static_cast<std::int64_t>(secret.size()));
  reads.push_back(skill);

  // A secret typed on stdin stays out of the command line.
  auto piped =
      cli({"plugins", "settings", "Misbehaving", "--secret", "ApiToken"}, {}, "piped-secret-42\n");
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  auto again = cli({"invoke", "Misbehaving.Settings"});
  EXPECT_EQ(json(again).at("tokenLength"), 15);
  reads.push_back(piped);
  reads.push_back(cli({"sessions", "export", session_of(cli({"ask", "/Misbehaving.Settings"}))}));
  for (const auto& read : reads) {
    EXPECT_EQ(read.exit_code, 0) << read.err;
    EXPECT_FALSE(contains(read.out + read.err, secret)) << read.out << read.err;
    EXPECT_FALSE(contains(read.out + read.err, "piped-secret-42")) << read.out << read.err;
  }

  // Misuse is a usage error, caught before anything is sent.
  auto plain = cli({"plugins", "settings", "Misbehaving", "--set", "ApiToken=" + secret});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_TRUE(contains(plain.err, "ApiToken is a secret")) << plain.err;
  EXPECT_FALSE(contains(plain.err, secret)) << plain.err;
  auto unknown = cli({"plugins", "settings", "Misbehaving", "--set", "Colour=blue"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.err, "no setting named 'Colour' (its settings: Greeting, ApiToken)"))
      << unknown.err;
  EXPECT_EQ(cli({"plugins", "settings", "Misbehaving", "--set", "Greeting"}).exit_code, 2);

  auto unset =
      cli({"plugins", "settings", "Misbehaving", "--unset", "ApiToken", "--unset", "Greeting"});
  ASSERT_EQ(unset.exit_code, 0) << unset.err;
  auto after = cli({"--json", "plugins", "settings", "Misbehaving"});
  const auto setting_list = json(after);
  for (const auto& setting : setting_list.as_array()) {
    if (setting.at("name") == "ApiToken") {
      EXPECT_FALSE(setting.at("set").as_bool());
    }
    EXPECT_FALSE(setting.as_object().contains("value")) << after.out;
  }
  EXPECT_EQ(cli({"plugins", "settings", "Nope"}).exit_code, 3);
}

// --- keys ---------------------------------------------------------------------------------------

TEST_F(RemoteCli, KeysCreateListRevokeAndARevokedKeyIsNotAuthorised) {
  auto created = cli({"keys", "create", "ci-bot", "--role", "reader"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string secret = trimmed(created.out);  // the secret alone on stdout
  EXPECT_EQ(secret.rfind("sp_", 0), 0u) << created.out;
  EXPECT_EQ(secret.find('\n'), std::string::npos);
  EXPECT_TRUE(contains(created.err, "not shown again")) << created.err;

  auto list = cli({"keys", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(std::regex_search(list.out, std::regex("ci-bot +reader +ci-bot .* active\n")))
      << list.out;
  EXPECT_FALSE(contains(list.out, secret));
  EXPECT_FALSE(contains(list.out, daemon.key()));
  std::string id;
  const auto key_list = json(cli({"--json", "keys", "list"}));
  for (const auto& key : key_list.as_array())
    if (key.at("name") == "ci-bot") id = key.at("id").as_string().c_str();
  ASSERT_FALSE(id.empty());

  // The new key works for what a reader may do, and not for the rest.
  EXPECT_EQ(cli({"sessions", "list"}, secret).exit_code, 0);
  auto denied = cli({"keys", "list"}, secret);
  EXPECT_EQ(denied.exit_code, 6);
  EXPECT_TRUE(contains(denied.err, "secpilot: error: not authorised: ")) << denied.err;

  auto revoked = cli({"keys", "revoke", id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  auto refused = cli({"sessions", "list"}, secret);
  EXPECT_EQ(refused.exit_code, 6);
  EXPECT_TRUE(contains(refused.err, "not authorised")) << refused.err;
  EXPECT_FALSE(contains(refused.out + refused.err, secret));  // the key is never printed
  EXPECT_TRUE(std::regex_search(cli({"keys", "list"}).out, std::regex("ci-bot .* revoked")));
  EXPECT_EQ(cli({"keys", "revoke", "no-such-key"}).exit_code, 3);

  auto json_key =
      cli({"--json", "keys", "create", "other", "--role", "contributor", "--user", "alice"});
  ASSERT_EQ(json_key.exit_code, 0) << json_key.err;
  const auto made = json(json_key).as_object();
  EXPECT_EQ(made.at("user"), "alice");
  EXPECT_EQ(made.at("role"), "contributor");
  EXPECT_EQ(std::string(made.at("secret").as_string()).rfind("sp_", 0), 0u);
  EXPECT_EQ(cli({"keys", "create", "x", "--role", "emperor"}).exit_code, 2);
}

// --- errors ---------------------------------------------------------------------------------------

TEST_F(RemoteCli, ConnectionAndAuthorisationErrorsHaveTheirExitCodes) {
  const std::string closed = "http://127.0.0.1:" + std::to_string(free_port());
  auto unreachable = cli({"--server", closed, "sessions", "list"});
  EXPECT_EQ(unreachable.exit_code, 5) << unreachable.err;
  EXPECT_TRUE(contains(unreachable.err, "secpilot: error: cannot reach secpilotd at " + closed))
      << unreachable.err;
  auto as_json = cli({"--json", "--server", closed, "plugins", "list"});
  EXPECT_EQ(as_json.exit_code, 5);
  EXPECT_EQ(boost::json::parse(as_json.err).at("error").at("status"), "unreachable") << as_json.err;

  // The key never crosses the network in clear text, and is never printed.
  const std::string key = "sp_do-not-print-this-key";
  auto plain = cli({"--server", "http://192.0.2.10:8480", "--key", key, "sessions", "list"});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_TRUE(contains(plain.err, "refusing to send the API key to 192.0.2.10 over plain http"))
      << plain.err;
  EXPECT_FALSE(contains(plain.out + plain.err, key));
  auto bad_key = cli({"sessions", "list"}, key);
  EXPECT_EQ(bad_key.exit_code, 6);
  EXPECT_TRUE(contains(bad_key.err, "not authorised: unknown API key")) << bad_key.err;
  EXPECT_FALSE(contains(bad_key.out + bad_key.err, key));
  auto no_key =
      testing::run({kCli, "sessions", "list"},
                   {.env = {"SECPILOT_SERVER=" + daemon.url(), "SECPILOT_KEY"}, .input = {}});
  EXPECT_EQ(no_key.exit_code, 6);
  EXPECT_TRUE(contains(no_key.err, "pass --key KEY or set SECPILOT_KEY")) << no_key.err;

  EXPECT_EQ(cli({"--server", "ftp://example.com", "plugins", "list"}).exit_code, 2);
  // Daemon-only commands say what they need.
  for (const auto& command :
       std::vector<std::vector<std::string>>{{"sessions", "list"},
                                             {"ask", "hello"},
                                             {"keys", "list"},
                                             {"plugins", "enable", "ThreatIntel"},
                                             {"plugins", "settings", "ThreatIntel"}}) {
    auto run = bare(command);
    EXPECT_EQ(run.exit_code, 2) << command.front();
    EXPECT_TRUE(contains(run.err, "--server URL")) << run.err;
  }
}

}  // namespace
}  // namespace secpilot

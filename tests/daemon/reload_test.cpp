// Plugins change without a restart: a plugin folder copied into, changed in and removed from a
// watched folder (inotify), the same on SIGHUP with the watcher off, and manifests uploaded through
// the API (POST /v1/plugins), with lint errors at their line and column.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "support/files.hpp"

namespace secpilot::testing {
namespace {

namespace fs = std::filesystem;

// The plugin's state in GET /v1/plugins ("loaded", "failed", ...), or "" when it is not listed.
std::string plugin_state(Api& api, const std::string& key, std::string_view plugin) {
  auto reply = api.get("/v1/plugins", key);
  if (reply.status != 200) return "GET /v1/plugins: " + std::to_string(reply.status);
  const auto listed = reply.object();
  for (const auto& item : listed.at("value").as_array())
    if (item.at("name").as_string() == plugin) return std::string(item.at("state").as_string());
  return "";
}

std::vector<std::string> aliases(Api& api, const std::string& key, const std::string& skill) {
  auto reply = api.get("/v1/skills/" + skill, key);
  std::vector<std::string> out;
  if (reply.status != 200) return out;
  const auto shown = reply.object();
  for (const auto& alias : shown.at("aliases").as_array())
    out.emplace_back(alias.as_string());
  return out;
}

// Adds an alias to Misbehaving.Echo in a copy of its manifest (rewritten in place).
void add_alias(const fs::path& manifest, const std::string& alias) {
  std::string text = read_file(manifest);
  const std::string before = "Aliases: [Parrot]";
  const auto at = text.find(before);
  ASSERT_NE(at, std::string::npos) << "misbehaving.yaml changed: no '" << before << "'";
  text.replace(at, before.size(), "Aliases: [Parrot, " + alias + "]");
  write_file(manifest, text);
}

const std::vector<std::string> kParrot = {"Parrot"};
const std::vector<std::string> kParrotMimic = {"Parrot", "Mimic"};

TEST(DaemonReload, WatchedFolderPicksUpAddedChangedAndRemovedPlugins) {
  TempDir watched;
  DaemonProcess daemon({.config = "reload:\n  debounce_milliseconds: 50\n",
                        .plugin_dirs = {threat_intel_plugins(), watched.path()}});
  daemon.start();
  Api api(daemon);
  const auto& key = daemon.keys().contributor;
  ASSERT_EQ(plugin_state(api, key, "ThreatIntel"), "loaded");
  ASSERT_EQ(plugin_state(api, key, "Misbehaving"), "");

  const auto folder = copy_plugin("misbehaving", watched.path());
  EXPECT_TRUE(eventually([&] { return plugin_state(api, key, "Misbehaving") == "loaded"; }))
      << "Misbehaving: '" << plugin_state(api, key, "Misbehaving") << "'\n"
      << daemon.log();
  auto echo = api.post("/v1/skills/Misbehaving.Echo:invoke", key, {{"inputs", {{"text", "hi"}}}});
  EXPECT_EQ(echo.status, 200) << echo.body;

  add_alias(folder / "misbehaving.yaml", "Mimic");
  EXPECT_TRUE(eventually([&] { return aliases(api, key, "Misbehaving.Echo") == kParrotMimic; }))
      << daemon.log();
  auto by_alias =
      api.post("/v1/skills/Misbehaving.Mimic:invoke", key, {{"inputs", {{"text", "x"}}}});
  EXPECT_EQ(by_alias.status, 200) << by_alias.body;

  fs::remove_all(folder);
  EXPECT_TRUE(eventually([&] { return plugin_state(api, key, "Misbehaving").empty(); }))
      << daemon.log();
  auto gone = api.post("/v1/skills/Misbehaving.Echo:invoke", key, {{"inputs", {{"text", "hi"}}}});
  EXPECT_EQ(gone.status, 404) << gone.body;
  // The daemon lived through it all, and the other plugin was never disturbed.
  EXPECT_EQ(plugin_state(api, key, "ThreatIntel"), "loaded");
  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

TEST(DaemonReload, SighupReloadsChangedRemovedAndAddedManifests) {
  TempDir plugins;
  const auto folder = copy_plugin("misbehaving", plugins.path());
  DaemonProcess daemon({.config = "reload:\n  watch_plugin_dirs: false\n",
                        .plugin_dirs = {threat_intel_plugins(), plugins.path()}});
  daemon.start();
  Api api(daemon);
  const auto& key = daemon.keys().contributor;
  ASSERT_EQ(plugin_state(api, key, "Misbehaving"), "loaded");
  ASSERT_EQ(aliases(api, key, "Misbehaving.Echo"), kParrot);

  // A call in flight across the reload finishes undisturbed.
  const auto session = api.create_session(key);
  const auto in_flight = api.submit(key, session, "/Misbehaving.Overrun ms=600");

  add_alias(folder / "misbehaving.yaml", "Mimic");
  // Nothing watches the folder: the change waits for the signal.
  EXPECT_EQ(aliases(api, key, "Misbehaving.Echo"), kParrot);
  daemon.hangup();
  EXPECT_TRUE(eventually([&] { return aliases(api, key, "Misbehaving.Echo") == kParrotMimic; }))
      << daemon.log();
  auto finished = api.finished(key, in_flight);
  EXPECT_EQ(finished.at("state").as_string(), "completed") << boost::json::serialize(finished);

  fs::remove_all(folder);
  EXPECT_EQ(plugin_state(api, key, "Misbehaving"), "loaded");
  daemon.hangup();
  EXPECT_TRUE(eventually([&] { return plugin_state(api, key, "Misbehaving").empty(); }))
      << daemon.log();

  copy_plugin("misbehaving", plugins.path());
  daemon.hangup();
  EXPECT_TRUE(eventually([&] { return plugin_state(api, key, "Misbehaving") == "loaded"; }))
      << daemon.log();
  EXPECT_EQ(aliases(api, key, "Misbehaving.Echo"), kParrot);

  // A broken manifest fails alone, with its error where it is; the daemon stays ready.
  write_file(plugins.path() / "broken" / "broken.yaml",
             read_file(fs::path(SECPILOT_SOURCE_DIR) /
                       "tests/manifest/corpus/bad/yaml-syntax-error.yaml"));
  daemon.hangup();
  EXPECT_TRUE(eventually([&] { return plugin_state(api, key, "broken") == "failed"; }))
      << daemon.log();
  auto broken = api.get("/v1/plugins/broken", key);
  ASSERT_EQ(broken.status, 200) << broken.body;
  EXPECT_NE(broken.object().at("error").as_string().find("broken.yaml:9:17"), std::string::npos)
      << broken.body;
  EXPECT_EQ(plugin_state(api, key, "Misbehaving"), "loaded");
  EXPECT_EQ(plugin_state(api, key, "ThreatIntel"), "loaded");
  auto ready = api.get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.object().at("plugins").at("failed").to_number<int>(), 1) << ready.body;
  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

constexpr const char* kDeclarative = R"(Descriptor:
  Name: IncidentWriter
  DisplayName: Incident writer
  Description: Writes incident summaries from investigation notes.
SkillGroups:
  - Format: GPT
    Skills:
      - Name: SummarizeIncident
        DisplayName: Summarise an incident
        Description: Summarises an incident for an audience.
        Inputs:
          - Name: Notes
            Description: Investigation notes to summarise
        Settings:
          Template: "Summarise for the SOC: {{Notes}}"
)";

// The list opened on line 8 is never closed; YAML notices on line 9, column 17.
constexpr const char* kBrokenSyntax = R"(Descriptor:
  Name: BrokenSyntax
  Description: The list of example prompts is never closed.
SkillGroups:
  - Format: GPT
    Skills:
      - Name: Broken
        ExamplePrompts: [first prompt, second prompt
        Settings:
          Template: "never reached"
)";

constexpr const char* kMissingFields = R"(Descriptor:
  DisplayName: No name
  Description: ""
SkillGroups:
  - Format: GPT
    Skills:
      - Name: Named
        Description: Has no template.
)";

// SIGHUP re-reads the config file: plugin settings and secrets take effect; a broken edit is
// refused with its problem logged, and the daemon keeps serving with the config it has.
TEST(DaemonReload, SighupRereadsPluginSettingsFromTheConfig) {
  const std::string base = "reload:\n  watch_plugin_dirs: false\n";
  auto config_with = [&](const std::string& greeting) {
    return base + "plugins:\n  Misbehaving:\n    settings: { Greeting: \"" + greeting +
           "\" }\n    secrets: { ApiToken: \"t0ken\" }\n";
  };
  DaemonProcess daemon({.config = config_with("hello"), .plugin_dirs = {misbehaving_plugin()}});
  daemon.start();
  Api api(daemon);
  const auto& key = daemon.keys().contributor;
  auto greeting = [&] {
    auto reply = api.post("/v1/skills/Misbehaving.Settings:invoke", key,
                          {{"inputs", boost::json::object{}}});
    if (reply.status != 200) return "HTTP " + std::to_string(reply.status) + ": " + reply.body;
    return std::string(reply.object().at("result").at("greeting").as_string());
  };
  ASSERT_EQ(greeting(), "hello");

  write_file(daemon.config_path(), config_with("bonjour"));
  daemon.hangup();
  EXPECT_TRUE(eventually([&] { return greeting() == "bonjour"; })) << daemon.log();

  // A change that needs a restart is named in the log; the rest still applies.
  write_file(daemon.config_path(), config_with("hallo") + "limits:\n  max_body_bytes: 2048\n");
  daemon.hangup();
  EXPECT_TRUE(eventually([&] { return greeting() == "hallo"; })) << daemon.log();
  EXPECT_NE(daemon.log().find("limits changed; it takes effect at the next restart"),
            std::string::npos)
      << daemon.log();

  write_file(daemon.config_path(), "limits: [oops\n");
  daemon.hangup();
  EXPECT_TRUE(eventually([&] {
    return daemon.log().find("the config has problems; keeping the running one") !=
           std::string::npos;
  })) << daemon.log();
  EXPECT_EQ(greeting(), "hallo");
}

TEST(DaemonReload, UploadedManifestsAreLintedSavedAndLoaded) {
  DaemonProcess daemon;
  daemon.start();
  Api api(daemon);
  const auto& owner = daemon.keys().owner;

  auto uploaded = api.request("POST", "/v1/plugins", owner, kDeclarative, "application/yaml");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  EXPECT_EQ(uploaded.header("location"), "/v1/plugins/IncidentWriter");
  EXPECT_EQ(uploaded.object().at("name").as_string(), "IncidentWriter");
  EXPECT_EQ(plugin_state(api, owner, "IncidentWriter"), "declarative");
  auto skill = api.get("/v1/skills/IncidentWriter.SummarizeIncident", owner);
  EXPECT_EQ(skill.status, 200) << skill.body;

  for (const char* broken : {kBrokenSyntax, kMissingFields}) {
    auto refused = api.request("POST", "/v1/plugins", owner, broken, "application/yaml");
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.header("content-type"), "application/problem+json");
    const auto problem = refused.object();
    ASSERT_TRUE(problem.contains("errors")) << refused.body;
    const auto& errors = problem.at("errors").as_array();
    ASSERT_FALSE(errors.empty()) << refused.body;
    for (const auto& error : errors) {
      EXPECT_GT(error.at("line").to_number<int>(), 0) << refused.body;
      EXPECT_GT(error.at("column").to_number<int>(), 0) << refused.body;
      EXPECT_FALSE(error.at("message").as_string().empty()) << refused.body;
    }
  }
  {
    auto refused = api.request("POST", "/v1/plugins", owner, kBrokenSyntax, "application/yaml");
    const auto problem = refused.object();
    bool located = false;
    for (const auto& error : problem.at("errors").as_array())
      located = located || (error.at("line").to_number<int>() == 9 &&
                            error.at("column").to_number<int>() == 17);
    EXPECT_TRUE(located) << refused.body;
  }
  EXPECT_EQ(plugin_state(api, owner, "BrokenSyntax"), "");

  // Native code is installed by an administrator, not uploaded; names are not taken over.
  const std::string native = read_file(misbehaving_plugin() / "misbehaving.yaml");
  auto native_upload = api.request("POST", "/v1/plugins", owner, native, "application/yaml");
  EXPECT_EQ(native_upload.status, 422) << native_upload.body;
  std::string impostor = kDeclarative;
  impostor.replace(impostor.find("IncidentWriter"), 14, "ThreatIntel");
  auto taken = api.request("POST", "/v1/plugins", owner, impostor, "application/yaml");
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(api.request("POST", "/v1/plugins", owner, "", "application/yaml").status, 400);
  // A name is never a path.
  std::string escape = kDeclarative;
  escape.replace(escape.find("IncidentWriter"), 14, "../../escaped");
  auto escaped = api.request("POST", "/v1/plugins", owner, escape, "application/yaml");
  EXPECT_EQ(escaped.status, 422) << escaped.body;
  EXPECT_FALSE(fs::exists(daemon.dir() / "escaped.yaml"));
  EXPECT_FALSE(fs::exists(daemon.dir().parent_path() / "escaped.yaml"));

  // Uploads are audited, the refused ones as denied.
  auto audit = api.get("/v1/audit?action=manifest.upload", owner);
  ASSERT_EQ(audit.status, 200) << audit.body;
  int saved = 0, denied = 0;
  const auto entries = audit.object();
  for (const auto& entry : entries.at("value").as_array()) {
    if (entry.at("target").as_string() == "IncidentWriter" && entry.at("outcome") == "ok") ++saved;
    if (entry.at("outcome") == "denied") ++denied;
    EXPECT_EQ(entry.at("actor").as_string(), kOwnerUser);
  }
  EXPECT_EQ(saved, 1) << audit.body;
  EXPECT_GE(denied, 3) << audit.body;  // the two broken ones, and the broken one again

  // An uploaded manifest is kept across a restart.
  ASSERT_EQ(daemon.terminate(), 0) << daemon.log();
  daemon.start();
  EXPECT_EQ(plugin_state(api, owner, "IncidentWriter"), "declarative");
}

}  // namespace
}  // namespace secpilot::testing

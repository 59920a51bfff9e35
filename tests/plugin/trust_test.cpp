// Checks made before any plugin code runs: pinned SHA-256, file modes, a missing library, a
// manifest that declares skills the library lacks.
#include <gtest/gtest.h>

#include <regex>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "secpilot/util/sha256.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

using testing::copy_plugin;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

const plugin::PluginRecord& load_one(const std::filesystem::path& dir,
                                     std::unique_ptr<plugin::PluginHost>& host,
                                     bool allow_writable = false) {
  plugin::HostOptions options;
  options.plugin_dirs = {dir};
  if (allow_writable)
    options.settings = *config::Settings::parse("security: {allow_writable_plugins: true}", "t");
  host = std::make_unique<plugin::PluginHost>(std::move(options));
  EXPECT_EQ(host->plugins().size(), 1u);
  return host->plugins().front();
}

void pin(const std::filesystem::path& manifest, const std::string& sha256) {
  std::string text = read_file(manifest);
  text = std::regex_replace(text, std::regex("AbiVersion: \"1.0\""),
                            "AbiVersion: \"1.0\"\n      Sha256: " + sha256);
  write_file(manifest, text);
}

TEST(Trust, MatchingPinLoads) {
  TempDir temp;
  auto dir = copy_plugin("plain-c", temp.path());
  pin(dir / "plain-c.yaml", *sha256_file_hex(dir / "libplain-c.so"));
  std::unique_ptr<plugin::PluginHost> host;
  const auto& record = load_one(dir, host);
  EXPECT_EQ(record.state, plugin::PluginState::Loaded) << record.error;
}

TEST(Trust, ModifiedLibraryIsRefusedBeforeLoading) {
  TempDir temp;
  auto dir = copy_plugin("plain-c", temp.path());
  pin(dir / "plain-c.yaml", std::string(64, 'a'));
  std::unique_ptr<plugin::PluginHost> host;
  const auto& record = load_one(dir, host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("but the manifest pins aaaa"), std::string::npos) << record.error;
}

TEST(Trust, GroupWritableLibraryIsRefusedUnlessAllowed) {
  TempDir temp;
  auto dir = copy_plugin("plain-c", temp.path());
  std::filesystem::permissions(dir / "libplain-c.so", std::filesystem::perms::group_write,
                               std::filesystem::perm_options::add);
  std::unique_ptr<plugin::PluginHost> host;
  const auto& refused = load_one(dir, host);
  EXPECT_EQ(refused.state, plugin::PluginState::Failed);
  EXPECT_NE(refused.error.find("is writable by its group"), std::string::npos) << refused.error;
  EXPECT_NE(refused.error.find("chmod go-w"), std::string::npos);

  const auto& allowed = load_one(dir, host, /*allow_writable=*/true);
  EXPECT_EQ(allowed.state, plugin::PluginState::Loaded) << allowed.error;
}

TEST(Trust, WorldWritableFolderIsRefused) {
  TempDir temp;
  auto dir = copy_plugin("plain-c", temp.path());
  std::filesystem::permissions(dir, std::filesystem::perms::others_write,
                               std::filesystem::perm_options::add);
  std::unique_ptr<plugin::PluginHost> host;
  const auto& record = load_one(dir, host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("plugin folder"), std::string::npos) << record.error;
  EXPECT_NE(record.error.find("writable by others"), std::string::npos) << record.error;
}

TEST(Trust, MissingLibraryIsExplained) {
  TempDir temp;
  auto dir = copy_plugin("plain-c", temp.path());
  std::filesystem::remove(dir / "libplain-c.so");
  std::unique_ptr<plugin::PluginHost> host;
  const auto& record = load_one(dir, host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("not found — build the plugin, or fix Library"), std::string::npos)
      << record.error;
}

TEST(Trust, UnimplementedDeclaredSkillFailsTheLoad) {
  TempDir temp;
  auto dir = copy_plugin("plain-c", temp.path());
  std::string text = read_file(dir / "plain-c.yaml");
  text += "      - Name: Vanished\n        Description: Declared but not in the library.\n";
  write_file(dir / "plain-c.yaml", text);
  std::unique_ptr<plugin::PluginHost> host;
  const auto& record = load_one(dir, host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("does not implement skill(s) the manifest declares: Vanished"),
            std::string::npos)
      << record.error;
}

TEST(Trust, BrokenManifestBesideAGoodOneDisablesOnlyItself) {
  TempDir temp;
  auto dir = copy_plugin("plain-c", temp.path());
  write_file(temp / "broken/broken.yaml",
             "Descriptor:\n  Name: Broken\n  Description: [unclosed\n");
  plugin::HostOptions options;
  options.plugin_dirs = {temp.path()};
  plugin::PluginHost host(std::move(options));
  ASSERT_EQ(host.plugins().size(), 2u);
  EXPECT_EQ(host.plugin("PlainC")->state, plugin::PluginState::Loaded);
  const auto* broken = host.plugin("broken");
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->state, plugin::PluginState::Failed);
  EXPECT_NE(broken->error.find("broken.yaml:"), std::string::npos) << broken->error;
}

TEST(Trust, DataFilesBesideManifestsAreNotPlugins) {
  TempDir temp;
  copy_plugin("plain-c", temp.path());
  write_file(temp / "plain-c/feeds/index.yaml", "feeds:\n  - name: x\n");
  write_file(temp / "plain-c/feeds/broken.json", "{ /* comments are not JSON */ \"feeds\": [");
  plugin::HostOptions options;
  options.plugin_dirs = {temp.path()};
  plugin::PluginHost host(std::move(options));
  EXPECT_EQ(host.plugins().size(), 1u);
}

}  // namespace
}  // namespace secpilot

namespace secpilot {
namespace {

// A library replaced on disk is loaded from its new file by the next host, while the host that
// loaded the old one keeps working: libraries are never unloaded.
TEST(Reload, ReplacedLibraryIsLoadedFromItsNewFile) {
  testing::TempDir temp;
  auto dir = testing::copy_plugin("plain-c", temp.path());
  auto load = [&] {
    plugin::HostOptions options;
    options.plugin_dirs = {dir};
    return std::make_unique<plugin::PluginHost>(std::move(options));
  };
  auto before = load();
  ASSERT_EQ(before->plugin("PlainC")->state, plugin::PluginState::Loaded);
  EXPECT_EQ(before->plugin("PlainC")->libraries.at(0)->version(), "1.2.3");

  std::filesystem::remove(dir / "libplain-c.so");  // a new inode, as an install would make
  std::filesystem::copy_file(
      std::filesystem::path(SECPILOT_BINARY_DIR) / "test-plugins-v2/plain-c-v2/libplain-c-v2.so",
      dir / "libplain-c.so");
  auto after = load();
  const auto* record = after->plugin("PlainC");
  ASSERT_EQ(record->state, plugin::PluginState::Loaded) << record->error;
  EXPECT_EQ(record->libraries.at(0)->version(), "2.0.0");
  EXPECT_EQ(record->libraries.at(0)->library_path(), dir / "libplain-c.so");

  // Both generations answer.
  EXPECT_TRUE(skills::invoke(*before->catalog().find("PlainC.Measure"), "{}", {}));
  EXPECT_TRUE(skills::invoke(*after->catalog().find("PlainC.Measure"), "{}", {}));
}

}  // namespace
}  // namespace secpilot

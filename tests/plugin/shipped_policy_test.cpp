// What secpilot's programs add to the settings they read (plugin/shipped_policy.hpp): the
// isolation policy always decides, and the first-party list the build writes is content trust.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "plugin/trust_policy.hpp"
#include "secpilot/plugin/shipped_policy.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

const std::string kFirst(64, 'a');
const std::string kSecond(64, 'b');

plugin::LibraryDigest library(const std::string& actual) {
  return {"lib.so", {}, actual};
}

class FirstPartyList : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    const auto file = temp_.path() / "share" / "first-party.sha256";
    testing::write_file(file, text);
    ::chmod(file.c_str(), 0644);
    ::chmod(file.parent_path().c_str(), 0755);
    return file;
  }
  testing::TempDir temp_;
};

TEST_F(FirstPartyList, ReadsSha256sumLinesSkippingCommentsAndBlankLines) {
  const auto file = write("# generated\n\n" + kFirst + "  threat-intel/libthreat-intel.so\n" +
                          std::string(64, 'B') + "  kql/libkql.so\n");
  auto digests = plugin::read_first_party_list(file, false);
  ASSERT_TRUE(digests) << digests.error().message;
  EXPECT_EQ(*digests, (std::vector<std::string>{kFirst, kSecond}));
}

TEST_F(FirstPartyList, AMalformedLineIsRefusedWithItsFileAndLine) {
  const auto file = write(kFirst + "  a.so\nnot-a-digest  b.so\n");
  auto digests = plugin::read_first_party_list(file, false);
  ASSERT_FALSE(digests);
  EXPECT_NE(digests.error().message.find(file.string() + ":2:"), std::string::npos)
      << digests.error().message;
  EXPECT_NE(digests.error().message.find("64 hex digits"), std::string::npos);
}

TEST_F(FirstPartyList, AListOthersCanChangeIsRefused) {
  const auto file = write(kFirst + "  a.so\n");
  ::chmod(file.c_str(), 0666);
  auto digests = plugin::read_first_party_list(file, false);
  ASSERT_FALSE(digests);
  EXPECT_NE(digests.error().message.find("writable by others"), std::string::npos)
      << digests.error().message;
  // Refused, it trusts nothing, and the policy still applies.
  config::Settings settings;
  plugin::apply_shipped_policy(settings, file);
  EXPECT_TRUE(settings.first_party_sha256().empty());
  EXPECT_TRUE(settings.isolation().enforced);
}

TEST_F(FirstPartyList, TheShippedPolicyEnforcesIsolationAndTrustsListedLibrariesOnly) {
  config::Settings settings;
  EXPECT_FALSE(settings.isolation().enforced);  // an embedder's host lets manifests choose
  plugin::apply_shipped_policy(settings, write(kFirst + "  threat-intel/libthreat-intel.so\n"));
  EXPECT_TRUE(settings.isolation().enforced);
  const auto listed = plugin::decide_trust(settings, "ThreatIntel", "", {library(kFirst)});
  EXPECT_TRUE(listed.trusted);
  EXPECT_EQ(listed.source, plugin::TrustDecision::Source::first_party);
  EXPECT_NE(listed.by.find("first-party"), std::string::npos);
  // A rebuilt or swapped library has another digest, whatever its plugin's name.
  EXPECT_FALSE(plugin::decide_trust(settings, "ThreatIntel", "", {library(kSecond)}).trusted);
  EXPECT_FALSE(
      plugin::decide_trust(settings, "ThreatIntel", "", {library(kFirst), library(kSecond)})
          .trusted);
  // Untrusted, a plugin runs in a runner even when its manifest asks for the daemon.
  EXPECT_EQ(plugin::decide_isolation(settings, "Other", manifest::Isolation::InProcess, {}).mode,
            config::IsolationMode::process);
}

TEST_F(FirstPartyList, NoListTrustsNothing) {
  config::Settings settings;
  plugin::apply_shipped_policy(settings, temp_.path() / "missing.sha256");
  EXPECT_TRUE(settings.isolation().enforced);
  EXPECT_TRUE(settings.first_party_sha256().empty());
}

TEST(FirstPartyListPath, SitsInShareBesideTheProgram) {
  const auto path = plugin::first_party_list_path();
  EXPECT_EQ(path.filename(), "first-party.sha256");
  EXPECT_EQ(path.parent_path().filename(), "secpilot");
  EXPECT_EQ(path.parent_path().parent_path().filename(), "share");
}

}  // namespace
}  // namespace secpilot

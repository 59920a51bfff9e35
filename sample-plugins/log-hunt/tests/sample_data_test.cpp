// The shipped sample data set: it is exactly what the generator writes, and the hunting tour of
// docs/plugins/log-hunt.md finds the intrusion in it.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "kql/catalogue.hpp"
#include "log_hunt/catalogue_lookup.hpp"
#include "test_support.hpp"

namespace log_hunt {
namespace {

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

LogStore sample_store() {
  auto loaded = kql::load_catalogue(LOG_HUNT_SCHEMA_DIR);
  return LogStore(
      LOG_HUNT_DATA_DIR,
      catalogue_lookup(std::make_shared<const kql::Catalogue>(std::move(loaded.catalogue))));
}

TEST(SampleData, IsWhatTheGeneratorWrites) {
  testing::TempDir dir;
  const std::string command =
      std::string(LOG_HUNT_GENERATOR) + " " + dir.path().string() + " > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
    const auto shipped = std::filesystem::path(LOG_HUNT_DATA_DIR) / entry.path().filename();
    ASSERT_TRUE(std::filesystem::exists(shipped)) << shipped;
    EXPECT_TRUE(read(entry.path()) == read(shipped))
        << entry.path().filename() << " differs from the generator's output: regenerate with "
        << "log_hunt_generate_sample_data sample-plugins/log-hunt/data";
  }
  EXPECT_EQ(files, 7u);
}

TEST(SampleData, EveryTableHasThousandsOfCleanRowsInOneDay) {
  const auto store = sample_store();
  int64_t total = 0;
  for (const char* table : {"DeviceProcessEvents", "DeviceNetworkEvents", "DeviceLogonEvents",
                            "DeviceFileEvents", "DeviceRegistryEvents", "EmailEvents"}) {
    auto result =
        testing::run(std::string(table) +
                         " | summarize n = count(), First = min(Timestamp), Last = max(Timestamp)",
                     store);
    EXPECT_EQ(result.stats.malformed_rows, 0u) << table;
    EXPECT_GT(result.rows[0][0].integer, 50) << table;
    EXPECT_GE(result.rows[0][1].integer, *parse_datetime("2026-11-20T07:00:00Z")) << table;
    EXPECT_LE(result.rows[0][2].integer, *parse_datetime("2026-11-20T18:00:00Z")) << table;
    total += result.rows[0][0].integer;
  }
  total += testing::run("SigninLogs | count", store).rows[0][0].integer;
  EXPECT_GT(total, 2000);
}

TEST(HuntingTour, ThePhishingMailAndWhoGotIt) {
  auto result = testing::run(
      "EmailEvents | where EmailDirection == \"Inbound\" and AttachmentCount > 0 and "
      "SenderFromDomain !endswith \".example\""
      " | summarize Recipients = make_set(RecipientEmailAddress) by SenderFromAddress, SenderIPv4, "
      "Subject",
      sample_store());
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].text, "billing@invoices-payments.test");
  EXPECT_EQ(result.rows[0][1].text, "198.51.100.23");
  EXPECT_EQ(to_text(result.rows[0][3]), R"(["mrivera@corp.example","dgarcia@corp.example"])");
}

TEST(HuntingTour, EncodedPowerShellDecodesToTheDownloadCradle) {
  auto result = testing::run(
      "DeviceProcessEvents | where FileName =~ \"powershell.exe\" and ProcessCommandLine has_any "
      "(\"-enc\", \"-EncodedCommand\")"
      " | extend Script = base64_decode_tostring(extract(@\"-enc\\s+(\\S+)\", 1, "
      "ProcessCommandLine))"
      " | project Timestamp, DeviceName, InitiatingProcessFileName, Script | order by Timestamp "
      "asc",
      sample_store());
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0][1].text, "ws-fin-07.corp.example");
  EXPECT_EQ(result.rows[0][2].text, "WINWORD.EXE");
  EXPECT_NE(result.rows[0][3].text.find("http://update.invoice-docs.test/a.ps1"), std::string::npos)
      << result.rows[0][3].text;
  EXPECT_EQ(result.rows[1][1].text, "srv-file-01.corp.example");
  EXPECT_EQ(result.rows[1][2].text, "WmiPrvSE.exe");
}

TEST(HuntingTour, RareRunKeyAndBeaconingAndExfiltration) {
  const auto store = sample_store();
  auto run_keys = testing::run(
      "DeviceRegistryEvents | where RegistryKey endswith @\"\\CurrentVersion\\Run\""
      " | summarize Devices = dcount(DeviceName), Data = take_any(RegistryValueData) by "
      "RegistryValueName"
      " | where Devices == 1",
      store);
  ASSERT_EQ(run_keys.rows.size(), 1u);
  EXPECT_EQ(run_keys.rows[0][0].text, "TeamsUpdater");

  auto beacons = testing::run(
      "DeviceNetworkEvents | where RemoteIPType == \"Public\""
      " | summarize Connections = count(), Devices = dcount(DeviceName) by RemoteIP, RemoteUrl"
      " | where Devices == 1 and Connections >= 5 | order by Connections desc",
      store);
  ASSERT_EQ(beacons.rows.size(), 2u);
  EXPECT_EQ(beacons.rows[0][0].text, "203.0.113.45");
  EXPECT_EQ(beacons.rows[0][2].integer, 30);
  EXPECT_EQ(beacons.rows[1][1].text, "files.exfil-drop.example");
}

TEST(HuntingTour, CredentialDumpThenLateralMovementThenSignIn) {
  const auto store = sample_store();
  auto dump = testing::run(
      "DeviceProcessEvents | where ProcessCommandLine has \"comsvcs.dll\" and ProcessCommandLine "
      "has \"MiniDump\""
      " | project DeviceName, InitiatingProcessFileName",
      store);
  ASSERT_EQ(dump.rows.size(), 1u);
  EXPECT_EQ(dump.rows[0][1].text, "updater.exe");

  auto lateral = testing::run(
      "let victim_ip = \"10.20.1.37\";"
      " DeviceLogonEvents | where LogonType == \"Network\" and RemoteIP == victim_ip and "
      "IsLocalAdmin == true"
      " | join kind=inner (DeviceProcessEvents | where InitiatingProcessFileName =~ "
      "\"WmiPrvSE.exe\""
      "   | project DeviceName, Spawned = ProcessCommandLine) on DeviceName"
      " | project DeviceName, AccountName, Spawned",
      store);
  ASSERT_EQ(lateral.rows.size(), 1u);
  EXPECT_EQ(lateral.rows[0][0].text, "srv-file-01.corp.example");
  EXPECT_EQ(lateral.rows[0][1].text, "svc-backup");

  auto signin = testing::run(
      "SigninLogs | where not(ipv4_is_in_range(IPAddress, \"192.0.2.0/24\"))"
      " | summarize Failures = countif(ResultType != \"0\"), Successes = countif(ResultType == "
      "\"0\") by UserPrincipalName, IPAddress",
      store);
  ASSERT_EQ(signin.rows.size(), 1u);
  EXPECT_EQ(signin.rows[0][0].text, "mrivera@corp.example");
  EXPECT_EQ(signin.rows[0][2].integer, 3);
  EXPECT_EQ(signin.rows[0][3].integer, 1);
}

}  // namespace
}  // namespace log_hunt

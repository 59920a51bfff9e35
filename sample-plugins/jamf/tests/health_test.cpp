// The health rules, one at a time and together.
#include <gtest/gtest.h>

#include "jamf/health.hpp"

namespace jamf {
namespace {

Computer healthy() {
  Computer c;
  c.id = "3";
  c.general.name = "mbp-eng-03";
  c.general.last_contact = parse_timestamp("2026-11-20T08:12:44Z");
  c.os.version = "27.1";
  c.encryption.boot_partition_state = "ENCRYPTED";
  c.security.sip_status = "ENABLED";
  c.security.gatekeeper_status = "APP_STORE_AND_IDENTIFIED_DEVELOPERS";
  c.security.firewall_enabled = true;
  return c;
}

HealthCriteria criteria() {
  return {MacosVersion::parse("26.7"), 7, *parse_timestamp("2026-11-20T12:00:00Z")};
}

std::vector<std::string> checks(const Computer& c, const HealthCriteria& with = criteria()) {
  std::vector<std::string> out;
  for (const auto& problem : find_problems(c, with))
    out.push_back(problem.check);
  return out;
}

using Checks = std::vector<std::string>;

TEST(Health, AHealthyMacHasNoProblems) {
  EXPECT_EQ(checks(healthy()), Checks{});
}

TEST(Health, TheStorylineMacHasThreeProblemsWithFixes) {
  Computer c = healthy();
  c.general.name = "mbp-fin-12";
  c.os.version = "13.6.1";
  c.encryption.boot_partition_state = "UNENCRYPTED";
  c.general.last_contact = parse_timestamp("2026-11-12T16:42:10Z");
  const auto problems = find_problems(c, criteria());
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].check, "os_out_of_date");
  EXPECT_EQ(problems[0].severity, "high");
  EXPECT_EQ(problems[0].detail, "macOS 13.6.1 is older than the minimum 26.7");
  EXPECT_NE(problems[0].fix.find("Update macOS to 26.7 or later"), std::string::npos);
  EXPECT_EQ(problems[1].check, "filevault_off");
  EXPECT_EQ(problems[1].detail, "FileVault is off (boot volume UNENCRYPTED)");
  EXPECT_NE(problems[1].fix.find("FileVault payload"), std::string::npos);
  EXPECT_EQ(problems[2].check, "not_checked_in");
  EXPECT_EQ(problems[2].detail,
            "last checked in 2026-11-12T16:42:10Z, 7 days 19 hours before 2026-11-20T12:00:00Z "
            "(more than the 7 days allowed)");
}

TEST(Health, OsRuleComparesVersionsAsNumbers) {
  Computer c = healthy();
  c.os.version = "26.10";
  EXPECT_EQ(checks(c), Checks{});  // 26.10 is newer than 26.7
  c.os.version = "26.6.9";
  EXPECT_EQ(checks(c), Checks{"os_out_of_date"});
  c.os.version = "26.7";
  EXPECT_EQ(checks(c), Checks{});  // the minimum itself is fine
}

TEST(Health, NoMinimumMeansNoOsRule) {
  Computer c = healthy();
  c.os.version = "10.15.7";
  HealthCriteria without = criteria();
  without.minimum_os.reset();
  EXPECT_EQ(checks(c, without), Checks{});
}

TEST(Health, AnUnknownOsVersionIsReportedWhenThereIsAMinimum) {
  Computer c = healthy();
  c.os.version.reset();
  EXPECT_EQ(checks(c), Checks{"os_version_unknown"});
  c.os.version = "unknown";
  EXPECT_EQ(checks(c), Checks{"os_version_unknown"});
}

TEST(Health, FileVaultStates) {
  Computer c = healthy();
  for (const char* off : {"UNENCRYPTED", "DECRYPTED", "DECRYPTING", "INELIGIBLE"}) {
    c.encryption.boot_partition_state = off;
    EXPECT_EQ(checks(c), Checks{"filevault_off"}) << off;
  }
  for (const char* on : {"ENCRYPTED", "ENCRYPTING", "RESTART_NEEDED", "UNKNOWN"}) {
    c.encryption.boot_partition_state = on;
    EXPECT_EQ(checks(c), Checks{}) << on;
  }
  c.encryption.boot_partition_state.reset();  // only the OS-level status was collected
  c.os.filevault_status = "NOT_ENCRYPTED";
  EXPECT_EQ(checks(c), Checks{"filevault_off"});
  EXPECT_EQ(filevault_enabled(c), false);
  c.os.filevault_status.reset();
  EXPECT_EQ(filevault_enabled(c), std::nullopt);
  EXPECT_EQ(checks(c), Checks{});
}

TEST(Health, CheckInAgeIsMeasuredFromAsOf) {
  Computer c = healthy();
  c.general.last_contact = parse_timestamp("2026-11-13T12:00:00Z");  // exactly 7 days
  EXPECT_EQ(checks(c), Checks{});
  c.general.last_contact = parse_timestamp("2026-11-13T11:59:59Z");
  EXPECT_EQ(checks(c), Checks{"not_checked_in"});
  HealthCriteria patient = criteria();
  patient.max_check_in_age_days = 30;
  EXPECT_EQ(checks(c, patient), Checks{});
  c.general.last_contact = parse_timestamp("2026-11-25T00:00:00Z");  // after as_of
  EXPECT_EQ(checks(c), Checks{});
  c.general.last_contact.reset();
  const auto problems = find_problems(c, criteria());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].detail, "Jamf Pro has no check-in on record");
}

TEST(Health, SecuritySettings) {
  Computer c = healthy();
  c.security.sip_status = "DISABLED";
  c.security.gatekeeper_status = "DISABLED";
  c.security.firewall_enabled = false;
  const auto problems = find_problems(c, criteria());
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].check, "sip_disabled");
  EXPECT_EQ(problems[0].severity, "high");
  EXPECT_EQ(problems[1].check, "gatekeeper_disabled");
  EXPECT_EQ(problems[1].severity, "medium");
  EXPECT_EQ(problems[2].check, "firewall_off");
  EXPECT_EQ(problems[2].severity, "low");

  c = healthy();
  c.security = {};  // SECURITY not collected: nothing to judge
  EXPECT_EQ(checks(c), Checks{});
  c.security.sip_status = "NOT_COLLECTED";
  EXPECT_EQ(checks(c), Checks{});
}

TEST(Health, SeverityRanks) {
  EXPECT_GT(severity_rank("high"), severity_rank("medium"));
  EXPECT_GT(severity_rank("medium"), severity_rank("low"));
}

}  // namespace
}  // namespace jamf

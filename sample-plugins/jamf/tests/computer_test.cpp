// Reading inventory records: the fixture's full record, absent sections, and records that are
// not what the Jamf Pro API documents.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "in_memory_tenant.hpp"
#include "jamf/computer.hpp"
#include "jamf/computer_json.hpp"
#include "jamf/error.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

json::value fixture_record(const std::string& id) {
  std::ifstream in(testing::fixture());
  std::stringstream text;
  text << in.rdbuf();
  const json::value all = json::parse(text.str());
  for (const auto& record : all.at("computers").as_array())
    if (record.at("id") == json::value(id)) return record;
  ADD_FAILURE() << "no computer " << id << " in the fixture";
  return {};
}

TEST(Computer, ReadsEverySectionOfARecord) {
  const Computer c = parse_computer(fixture_record("42"));
  EXPECT_EQ(c.id, "42");
  EXPECT_EQ(c.general.name, "mbp-fin-12");
  EXPECT_EQ(c.general.management_id, "6c8f2a1e-3b7d-4e59-a0c4-9d2f71e8b342");
  EXPECT_EQ(format_timestamp(*c.general.last_contact), "2026-11-12T16:42:10Z");
  EXPECT_EQ(c.general.managed, true);
  EXPECT_EQ(c.hardware.serial, "C02FN12MBP7Q");
  EXPECT_EQ(c.hardware.model_identifier, "MacBookPro18,3");
  EXPECT_EQ(c.os.version, "13.6.1");
  EXPECT_EQ(c.os.build, "22G313");
  EXPECT_EQ(c.user.email, "jchen@corp.example");
  EXPECT_EQ(c.security.sip_status, "ENABLED");
  EXPECT_EQ(c.security.firewall_enabled, true);
  EXPECT_EQ(c.encryption.boot_partition_state, "UNENCRYPTED");
}

TEST(Computer, SectionsNotAskedForAreEmptyNotErrors) {
  const Computer c = parse_computer(json::parse(R"({"id": "7", "udid": null,
      "general": {"name": "mba-hr-02"}, "hardware": null, "security": null})"));
  EXPECT_EQ(c.general.name, "mba-hr-02");
  EXPECT_FALSE(c.hardware.serial);
  EXPECT_FALSE(c.security.firewall_enabled);
  EXPECT_FALSE(c.general.last_contact);

  const json::object summary = computer_summary_json(c);
  EXPECT_EQ(summary.at("id"), "7");
  EXPECT_TRUE(summary.at("serial_number").is_null());
  EXPECT_TRUE(summary.at("last_check_in").is_null());
  const json::object detail = computer_detail_json(c);
  EXPECT_TRUE(detail.at("security").at("filevault").at("enabled").is_null());
}

TEST(Computer, NumericIdsAreAccepted) {
  EXPECT_EQ(parse_computer(json::parse(R"({"id": 42})")).id, "42");
}

void expect_upstream(const char* record, const std::string& names) {
  try {
    parse_computer(json::parse(record));
    ADD_FAILURE() << "accepted " << record;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::upstream);
    EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
  }
}

TEST(Computer, AMalformedRecordIsAnUpstreamErrorNamingTheField) {
  expect_upstream(R"([1, 2])", "not an object");
  expect_upstream(R"({"general": {}})", "without an id");
  expect_upstream(R"({"id": "9", "general": {"name": ["mbp"]}})",
                  R"(computer 9 has general.name = ["mbp"], expected a string)");
  expect_upstream(R"({"id": "9", "general": {"lastContactTime": "last tuesday"}})",
                  "general.lastContactTime = 'last tuesday', expected an ISO 8601 date-time");
  expect_upstream(R"({"id": "9", "security": {"firewallEnabled": "yes"}})",
                  "security.firewallEnabled = \"yes\", expected true or false");
  expect_upstream(R"({"id": "9", "hardware": []})", "hardware that is not an object");
  expect_upstream(R"({"id": "9", "diskEncryption": {"bootPartitionEncryptionDetails": 3}})",
                  "diskEncryption.bootPartitionEncryptionDetails = 3, expected an object");
}

TEST(ComputerJson, TheDetailHasEverySectionTheSkillReports) {
  const json::object detail = computer_detail_json(parse_computer(fixture_record("42")));
  EXPECT_EQ(detail.at("name"), "mbp-fin-12");
  EXPECT_EQ(detail.at("last_check_in"), "2026-11-12T16:42:10Z");
  EXPECT_EQ(detail.at("hardware").at("serial_number"), "C02FN12MBP7Q");
  EXPECT_EQ(detail.at("os").at("version"), "13.6.1");
  EXPECT_EQ(detail.at("security").at("filevault").at("enabled"), false);
  EXPECT_EQ(detail.at("security").at("filevault").at("boot_volume_state"), "UNENCRYPTED");
  EXPECT_EQ(detail.at("security").at("gatekeeper"), "APP_STORE_AND_IDENTIFIED_DEVELOPERS");
  EXPECT_EQ(detail.at("security").at("sip"), "ENABLED");
  EXPECT_EQ(detail.at("security").at("firewall_enabled"), true);
  EXPECT_EQ(detail.at("user").at("username"), "jchen");
}

}  // namespace
}  // namespace jamf

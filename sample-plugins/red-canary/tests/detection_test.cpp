#include "red_canary/detection.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "red_canary/errors.hpp"

namespace red_canary {
namespace {

namespace json = boost::json;

// The shape of Red Canary's published sample detection (redcanaryco/openapi,
// python/test/data/detection.json), with this project's fictional values.
constexpr const char* kAcknowledged = R"json({
  "type": "Detection", "id": 4121,
  "attributes": {
    "headline": "[CORP-4121] Suspicious Activity (Credential Access)",
    "confirmed_at": "2026-11-06T03:31:05Z",
    "summary": "The backup account read LSASS memory.",
    "severity": "medium",
    "last_activity_seen_at": "2026-11-06T02:51:18Z",
    "classification": {"superclassification": "Suspicious Activity",
                       "subclassification": ["Credential Access"]},
    "time_of_occurrence": "2026-11-06T02:47:31Z",
    "last_acknowledged_at": "2026-11-06T08:12:44Z",
    "last_acknowledged_by": {"type": "PortalUser", "attributes": {
      "email": "sokafor@corp.example", "name": "Sam Okafor",
      "name_and_email": "Sam Okafor (sokafor@corp.example)"}}
  },
  "hostname": "srv-files-01.corp.example",
  "username": "CORP\\svc-backup",
  "relationships": {
    "affected_endpoint": {"links": {"related": "https://x/openapi/v3/endpoints/1015"},
                          "data": {"type": "endpoint", "id": 1015}},
    "related_endpoint_user": {"data": {"type": "endpoint_user", "id": 5401}}
  }
})json";

json::object detection(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(Detection, TheStateFoldsAcknowledgementAndRemediation) {
  EXPECT_EQ(detection_state(detection(R"({"id": 1, "attributes": {}})")), DetectionState::open);
  EXPECT_EQ(detection_state(detection(
                R"({"id": 1, "attributes": {"last_acknowledged_at": null,
                    "last_remediated_status": null}})")),
            DetectionState::open);
  EXPECT_EQ(detection_state(detection(kAcknowledged)), DetectionState::acknowledged);
  EXPECT_EQ(detection_state(detection(
                R"({"id": 1, "attributes": {"last_acknowledged_at": "2026-11-02T16:05:12Z",
                    "last_remediated_status": {"remediation_state": "remediated"}}})")),
            DetectionState::remediated);
  EXPECT_EQ(detection_state(detection(
                R"({"id": 1, "attributes": {"last_remediated_status":
                    {"remediation_state": "not_remediated_false_positive"}}})")),
            DetectionState::not_remediated);
}

TEST(Detection, TheSummaryFlattensTheResource) {
  auto summary = detection_summary(detection(kAcknowledged), "https://corp.my.redcanary.co");
  EXPECT_EQ(summary.at("id"), 4121);
  EXPECT_EQ(summary.at("headline"), "[CORP-4121] Suspicious Activity (Credential Access)");
  EXPECT_EQ(summary.at("severity"), "medium");
  EXPECT_EQ(summary.at("state"), "acknowledged");
  EXPECT_EQ(summary.at("classification"), "Suspicious Activity");
  EXPECT_EQ(summary.at("subclassifications").as_array().at(0), "Credential Access");
  EXPECT_EQ(summary.at("time_of_occurrence"), "2026-11-06T02:47:31Z");
  EXPECT_EQ(summary.at("hostname"), "srv-files-01.corp.example");
  EXPECT_EQ(summary.at("username"), "CORP\\svc-backup");
  EXPECT_EQ(summary.at("endpoint_id"), 1015);
  EXPECT_EQ(summary.at("endpoint_user_id"), 5401);
  EXPECT_EQ(summary.at("acknowledged").at("by"), "Sam Okafor (sokafor@corp.example)");
  EXPECT_TRUE(summary.at("remediation").is_null());
  EXPECT_EQ(summary.at("portal_url"), "https://corp.my.redcanary.co/detections/4121");
}

TEST(Detection, GapsBecomeNullsAndAMissingIdIsAnUpstreamError) {
  auto summary = detection_summary(detection(R"({"id": "77", "attributes": {}})"), "https://p");
  EXPECT_EQ(summary.at("id"), 77);
  EXPECT_TRUE(summary.at("headline").is_null());
  EXPECT_TRUE(summary.at("hostname").is_null());
  EXPECT_TRUE(summary.at("subclassifications").as_array().empty());
  EXPECT_THROW(detection_summary(detection(R"({"attributes": {}})"), "https://p"), Error);
}

TEST(Detection, StatesAndSeveritiesParseInAnyCase) {
  EXPECT_EQ(parse_state("Open"), DetectionState::open);
  EXPECT_EQ(parse_state("NOT_REMEDIATED"), DetectionState::not_remediated);
  EXPECT_FALSE(parse_state("closed"));
  EXPECT_EQ(parse_severity("High"), "high");
  EXPECT_FALSE(parse_severity("critical"));
}

}  // namespace
}  // namespace red_canary

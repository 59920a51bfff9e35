// Which shape an input is, and the errors for inputs that are no accepted shape.
#include <gtest/gtest.h>

#include "test_data.hpp"

namespace incident {
namespace {

using testing::read_data;
using testing::read_error;
using testing::read_file;

TEST(Shape, EachExportIsReadAsItsShape) {
  EXPECT_EQ(read_file("defender_xdr_incident.json").shape, "defender_xdr");
  EXPECT_EQ(read_file("defender_xdr_api_incident.json").shape, "defender_xdr_api");
  EXPECT_EQ(read_file("sentinel_incident.json").shape, "sentinel");
  EXPECT_EQ(read_file("generic_incident.json").shape, "generic");
  EXPECT_EQ(read_file("session_export.json").shape, "session");
}

TEST(Shape, AnUnknownShapeSaysWhatItHasAndWhatIsAccepted) {
  const auto message = read_error(read_data("malformed/unknown_shape.json"));
  EXPECT_NE(message.find("is not an incident this skill can read: it has search_name, urgency"),
            std::string::npos)
      << message;
  for (const char* shape :
       {"Microsoft Defender XDR", "$expand=alerts", "Microsoft 365 Defender API",
        "Microsoft Sentinel", "generic shape", "docs/plugins/incident.md"})
    EXPECT_NE(message.find(shape), std::string::npos) << shape << " in " << message;
}

TEST(Shape, BrokenJsonNamesTheLineAndColumn) {
  const auto message = read_error(read_data("malformed/truncated.json"));
  EXPECT_NE(message.find("the input 'incident' is not valid JSON"), std::string::npos) << message;
  EXPECT_NE(message.find("line 35, column"), std::string::npos) << message;
  EXPECT_NE(read_error("{\"title\": \"x\",\n  \"alerts\": [}").find("line 2, column 14"),
            std::string::npos)
      << read_error("{\"title\": \"x\",\n  \"alerts\": [}");
  EXPECT_NE(read_error("   ").find("the input 'incident' is empty"), std::string::npos);
  const std::string huge = "[" + std::string(std::size_t{17} << 20, ' ') + "]";
  EXPECT_NE(read_error(huge).find("is 18 MiB, over the 16 MiB this skill reads"), std::string::npos)
      << read_error(huge);
}

TEST(Shape, AListOrACollectionMustHoldExactlyOneIncident) {
  EXPECT_NE(read_error(read_data("malformed/incident_list.json"))
                .find("is a JSON array: pass one incident object"),
            std::string::npos);
  EXPECT_NE(read_error("\"an incident\"").find("must be a JSON object"), std::string::npos);
  // Graph's list response with one incident is that incident.
  const std::string one = "{\"value\": [" + read_data("defender_xdr_incident.json") + "]}";
  EXPECT_EQ(testing::read_text(one).id, "3481");
  const std::string two = "{\"@odata.context\": \"x\", \"value\": [{}, {}]}";
  EXPECT_NE(read_error(two).find("is a collection of 2 items ('value'): pass exactly one incident"),
            std::string::npos)
      << read_error(two);
}

TEST(Shape, MissingPartsOfAKnownShapeAreNamed) {
  EXPECT_NE(read_error(read_data("malformed/defender_xdr_without_alerts.json"))
                .find("the Defender XDR incident has no 'alerts': export it with its alerts "
                      "expanded (GET https://graph.microsoft.com/v1.0/security/incidents/{id}?"
                      "$expand=alerts)"),
            std::string::npos);
  EXPECT_NE(read_error(read_data("malformed/sentinel_without_title.json"))
                .find("the Sentinel incident has no properties.title"),
            std::string::npos);
  EXPECT_NE(read_error(read_data("malformed/generic_without_alerts.json"))
                .find("the generic incident has no 'alerts' and no 'events'"),
            std::string::npos);
  EXPECT_NE(read_error(read_data("malformed/generic_bad_time.json"))
                .find("alerts[0].time is '20/11/2026 09:14': write an ISO 8601 UTC time such as "
                      "2026-11-20T09:14:03Z"),
            std::string::npos)
      << read_error(read_data("malformed/generic_bad_time.json"));
  EXPECT_NE(read_error("{\"displayName\": \"x\", \"alerts\": [\"not an alert\"]}")
                .find("alerts[0] is not an object"),
            std::string::npos);
  EXPECT_NE(read_error("{\"incidentId\": 7, \"alerts\": {}}")
                .find("the Microsoft 365 Defender API incident's 'alerts' must be an array"),
            std::string::npos);
}

TEST(Shape, ASessionExportIsForReportsOnly) {
  const auto message = read_error(read_data("session_export.json"));
  EXPECT_NE(message.find("is a secpilot session export: Incident.WriteReport reports on sessions"),
            std::string::npos)
      << message;
  EXPECT_EQ(read_error(read_data("session_export.json"), true), "");
}

TEST(Shape, SummarizeIncidentsOutputIsReadBack) {
  const Summary summary = testing::summarize_file("sentinel_incident.json");
  const std::string text = boost::json::serialize(summary_json(summary));
  EXPECT_EQ(testing::read_text(text).shape, "summary");
}

}  // namespace
}  // namespace incident

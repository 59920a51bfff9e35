// The skills against the Red Canary fake on loopback: the same data, paging and failures the
// end-to-end tests see, without the host in between.
#include "red_canary/skills.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "fakes/fake_http_service.hpp"
#include "fakes/red_canary_api.hpp"
#include "loopback_transport.hpp"
#include "red_canary/errors.hpp"

namespace red_canary {
namespace {

namespace json = boost::json;
using secpilot::fakes::FakeHttpService;
using secpilot::fakes::RedCanaryApi;
using Fault = RedCanaryApi::Fault;

const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 22};

class Skills : public ::testing::Test {
 protected:
  ApiClient client(const std::string& token = RedCanaryApi::kDefaultToken) {
    return ApiClient(
        read_instance(api.instance_url(), token), testing::loopback_transport(),
        [this](std::chrono::milliseconds delay) {
          waits.push_back(delay);
          return true;
        },
        [] { return false; });
  }

  static std::vector<long> ids(const json::array& detections) {
    std::vector<long> out;
    for (const auto& detection : detections)
      out.push_back(detection.at("id").to_number<long>());
    return out;
  }

  // The query parameters of the requests the fake received for `path`.
  std::vector<std::string> queries(const std::string& path) const {
    std::vector<std::string> out;
    for (const auto& request : service.requests())
      if (request.path == path) out.push_back(request.target.substr(path.size()));
    return out;
  }

  template <class F>
  Error failure(F&& call) {
    try {
      call();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return Error(ErrorKind::internal, "");
  }

  FakeHttpService service;
  RedCanaryApi api{service, RED_CANARY_FIXTURES};
  std::vector<std::chrono::milliseconds> waits;
};

TEST_F(Skills, ListDetectionsReturnsThemNewestFirst) {
  auto c = client();
  auto result = list_detections(c, {}, kNow);
  EXPECT_EQ(ids(result.at("detections").as_array()),
            (std::vector<long>{4128, 4127, 4126, 4124, 4123, 4121, 4119}));
  EXPECT_EQ(result.at("count"), 7);
  EXPECT_EQ(result.at("more_available"), false);
  const auto& first = result.at("detections").at(1);
  EXPECT_EQ(first.at("hostname"), "mbp-fin-12");
  EXPECT_EQ(first.at("state"), "open");
  EXPECT_EQ(first.at("portal_url"), json::value(api.instance_url() + "/detections/4127"));
}

TEST_F(Skills, SeverityAndStateAreFilteredByThePluginSinceByTheServer) {
  auto c = client();
  auto open_high = list_detections(c, {{"severity", "High"}, {"state", "open"}}, kNow);
  EXPECT_EQ(ids(open_high.at("detections").as_array()), (std::vector<long>{4127, 4126}));
  EXPECT_EQ(open_high.at("filters").at("applied_by_plugin"), (json::array{"severity", "state"}));

  auto recent = list_detections(c, {{"since", "2026-11-20"}}, kNow);
  EXPECT_EQ(ids(recent.at("detections").as_array()), (std::vector<long>{4128, 4127, 4126}));
  EXPECT_EQ(recent.at("filters").at("applied_by_server"), (json::array{"since"}));
  EXPECT_EQ(queries("/openapi/v3/detections").back(),
            "?since=2026-11-20T00%3A00%3A00Z&page=1&per_page=25");

  auto closed = list_detections(c, {{"state", "not_remediated"}}, kNow);
  EXPECT_EQ(ids(closed.at("detections").as_array()), (std::vector<long>{4123}));
}

TEST_F(Skills, ListDetectionsFollowsPagesUpToTheLimit) {
  api.set_max_per_page(3);
  auto c = client();
  auto five = list_detections(c, {{"limit", 5}}, kNow);
  EXPECT_EQ(five.at("count"), 5);
  EXPECT_EQ(five.at("pages_fetched"), 2);
  EXPECT_EQ(five.at("more_available"), true);
  auto all = list_detections(c, {{"limit", 100}}, kNow);
  EXPECT_EQ(all.at("count"), 7);
  EXPECT_EQ(all.at("pages_fetched"), 3);
  EXPECT_EQ(all.at("more_available"), false);
}

TEST_F(Skills, BadFiltersSayWhatIsAccepted) {
  auto c = client();
  auto severity = failure([&] { list_detections(c, {{"severity", "urgent"}}, kNow); });
  EXPECT_EQ(severity.kind(), ErrorKind::invalid_input);
  EXPECT_NE(std::string(severity.what()).find("use one of low, medium, high"), std::string::npos);
  auto limit = failure([&] { list_detections(c, {{"limit", 0}}, kNow); });
  EXPECT_NE(std::string(limit.what()).find("from 1 to 500"), std::string::npos) << limit.what();
  EXPECT_TRUE(service.requests().empty());
}

TEST_F(Skills, GetDetectionGathersTheStoryOfDetection4127) {
  api.set_max_per_page(3);  // the timeline (7 entries) then spans three pages
  auto c = client();
  auto result = get_detection(c, {{"id", "4127"}});
  const auto& detection = result.at("detection");
  EXPECT_EQ(detection.at("headline"), "[CORP-4127] Suspicious Activity (Persistence)");
  EXPECT_EQ(detection.at("severity"), "high");
  EXPECT_EQ(detection.at("time_of_occurrence"), "2026-11-20T09:14:03Z");
  EXPECT_EQ(result.at("timeline").as_array().size(), 7u);
  EXPECT_EQ(result.at("techniques"), (json::array{"T1059.004", "T1105", "T1543.001", "T1071.001"}));
  EXPECT_EQ(result.at("indicators").as_array().size(), 4u);
  EXPECT_EQ(result.at("hosts").at(0).at("operating_system"), "macOS 13.6.1");
  EXPECT_EQ(result.at("identities").at(0).at("username"), "jchen@corp.example");
  EXPECT_TRUE(result.at("warnings").as_array().empty());

  const auto& entities = result.at("entities");
  EXPECT_EQ(entities.at("host"), (json::array{"mbp-fin-12"}));
  EXPECT_EQ(entities.at("user"), (json::array{"jchen@corp.example"}));
  EXPECT_EQ(entities.at("ip"), (json::array{"203.0.113.45"}));
  EXPECT_EQ(entities.at("domain"), (json::array{"update-check.example.net"}));
  EXPECT_EQ(entities.at("url"), (json::array{"https://update-check.example.net/agent.sh"}));
  EXPECT_EQ(entities.at("mitre_technique"), result.at("techniques"));
  const auto& hashes = entities.at("sha256").as_array();
  EXPECT_EQ(hashes.size(), 2u);  // the dropped binary and the plist, not bash or curl
  EXPECT_EQ(hashes.at(0), "06e9104610a94fbafa7e44b5a41908772b13fec38fdb758f542d3306b9dda52a");
  EXPECT_EQ(queries("/openapi/v3/detections/4127/timeline").size(), 3u);
}

TEST_F(Skills, GetDetectionTakesTheHeadlineFormOfTheIdAndSaysWhenItDoesNotExist) {
  auto c = client();
  EXPECT_EQ(get_detection(c, {{"id", "CORP-4126"}}).at("detection").at("id"), 4126);
  auto missing = failure([&] { get_detection(c, {{"id", 9999}}); });
  EXPECT_EQ(missing.kind(), ErrorKind::not_found);
  EXPECT_NE(std::string(missing.what()).find("detection 9999 was not found"), std::string::npos);
  auto bad = failure([&] { get_detection(c, {{"id", "latest"}}); });
  EXPECT_EQ(bad.kind(), ErrorKind::invalid_input);
}

TEST_F(Skills, ListEndpointsFiltersByPlatformOnTheServerAndByNameHere) {
  auto c = client();
  auto macs = list_endpoints(c, {{"platform", "MacOS"}});
  EXPECT_EQ(macs.at("count"), 2);
  EXPECT_EQ(queries("/openapi/v3/endpoints").back(),
            "?filter_query=platform%3AMacOS&page=1&per_page=50");
  auto finance = list_endpoints(c, {{"hostname", "FIN"}});
  std::vector<std::string> names;
  for (const auto& endpoint : finance.at("endpoints").as_array())
    names.emplace_back(endpoint.at("hostname").as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"ws-fin-07.corp.example", "ws-fin-02.corp.example",
                                             "mbp-fin-12"}));
}

TEST_F(Skills, GetEndpointFindsAMachineByIdFullNameOrShortName) {
  auto c = client();
  auto by_id = get_endpoint(c, {{"endpoint", "1187"}});
  EXPECT_EQ(by_id.at("endpoint").at("hostname"), "mbp-fin-12");
  EXPECT_EQ(by_id.at("endpoint").at("detection_ids"), (json::array{4127}));
  EXPECT_EQ(by_id.at("matched_by"), "id");

  service.clear_requests();
  auto by_name = get_endpoint(c, {{"endpoint", "MBP-FIN-12"}});
  EXPECT_EQ(by_name.at("endpoint").at("id"), 1187);
  EXPECT_EQ(service.requests().size(), 1u);  // the server's filter found it

  auto short_name = get_endpoint(c, {{"endpoint", "ws-fin-07"}});
  EXPECT_EQ(short_name.at("endpoint").at("hostname"), "ws-fin-07.corp.example");

  auto missing = failure([&] { get_endpoint(c, {{"endpoint", "ws-nowhere"}}); });
  EXPECT_EQ(missing.kind(), ErrorKind::not_found);
  EXPECT_NE(std::string(missing.what()).find("no Red Canary endpoint is named 'ws-nowhere'"),
            std::string::npos);
}

TEST_F(Skills, AcknowledgingChangesTheDetectionInRedCanary) {
  auto c = client();
  auto result = update_detection_state(c, {{"id", 4127}, {"state", "acknowledged"}});
  EXPECT_EQ(result.at("previous_state"), "open");
  EXPECT_EQ(result.at("state"), "acknowledged");
  EXPECT_EQ(result.at("changed"), true);
  const auto stored = api.detection(4127);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->at("attributes").at("last_acknowledged_at").is_string());
}

TEST_F(Skills, RemediatingSendsTheStateAndComment) {
  auto c = client();
  auto result = update_detection_state(
      c, {{"id", "4127"}, {"state", "remediated"}, {"comment", "Isolated; LaunchAgent removed"}});
  EXPECT_EQ(result.at("state"), "remediated");
  EXPECT_EQ(result.at("detection").at("remediation").at("comment"),
            "Isolated; LaunchAgent removed");
  const auto stored = api.detection(4127);
  EXPECT_EQ(stored->at("attributes").at("last_remediated_status").at("remediation_state"),
            "remediated");
}

TEST_F(Skills, AStateChangeThatWouldLoseDataIsRefusedBeforeAnyRequest) {
  auto c = client();
  auto comment = failure([&] {
    update_detection_state(c, {{"id", 4127}, {"state", "acknowledged"}, {"comment", "seen"}});
  });
  EXPECT_EQ(comment.kind(), ErrorKind::invalid_input);
  EXPECT_NE(std::string(comment.what()).find("mark_acknowledged takes no comment"),
            std::string::npos);
  auto state = failure([&] { update_detection_state(c, {{"id", 4127}, {"state", "closed"}}); });
  EXPECT_NE(std::string(state.what()).find("not_remediated_false_positive"), std::string::npos);
  EXPECT_TRUE(service.requests().empty());
}

TEST_F(Skills, AWrongTokenIsUnauthorized) {
  auto c = client("not-the-token");
  auto error = failure([&] { list_detections(c, {}, kNow); });
  EXPECT_EQ(error.kind(), ErrorKind::unauthorized);
  EXPECT_NE(std::string(error.what()).find("HTTP 403 Forbidden"), std::string::npos);
}

TEST_F(Skills, RateLimitingIsWaitedOut) {
  api.fail_next(2, Fault::rate_limited(1));
  auto c = client();
  EXPECT_EQ(list_detections(c, {}, kNow).at("count"), 7);
  EXPECT_EQ(waits, (std::vector<std::chrono::milliseconds>{std::chrono::seconds(1),
                                                           std::chrono::seconds(1)}));
}

TEST_F(Skills, ServerFailuresAreUpstream) {
  auto c = client();
  api.fail_next(1, Fault::http_status(502));
  EXPECT_EQ(failure([&] { get_detection(c, {{"id", 4127}}); }).kind(), ErrorKind::upstream);
  api.fail_next(1, Fault::malformed_json());
  auto malformed = failure([&] { list_detections(c, {}, kNow); });
  EXPECT_EQ(malformed.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(malformed.what()).find("not valid JSON"), std::string::npos);
  api.fail_next(1, Fault::close_connection());
  EXPECT_EQ(failure([&] { list_endpoints(c, {}); }).kind(), ErrorKind::upstream);
}

}  // namespace
}  // namespace red_canary

// RedCanary end to end: the real `secpilot` binary loads the built plugin folder and calls the
// Red Canary fake, started in this process on 127.0.0.1, through the host's HTTP client and egress
// allow-list, as a customer's install would call their portal. The host validates every result
// against the manifest's Outputs schema, so a passing call also proves the documented shape.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "fakes/fake_http_service.hpp"
#include "fakes/red_canary_api.hpp"
#include "support/files.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace json = boost::json;
using secpilot::fakes::FakeHttpService;
using secpilot::fakes::RedCanaryApi;
using secpilot::testing::RunResult;
using Fault = RedCanaryApi::Fault;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/red-canary";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class RedCanaryCli : public ::testing::Test {
 protected:
  // A settings file pointing the plugin at `instance_url` with `token`, allowed to reach `port`.
  std::string settings(const std::string& instance_url, const std::string& token,
                       unsigned short port, bool with_egress = true) {
    std::string text = "plugins:\n  RedCanary:\n    settings:\n";
    if (!instance_url.empty()) text += "      InstanceURL: \"" + instance_url + "\"\n";
    text += "    secrets:\n";
    if (!token.empty()) text += "      ApiToken: \"" + token + "\"\n";
    if (with_egress) text += "    egress: [\"127.0.0.1:" + std::to_string(port) + "\"]\n";
    const auto path = temp / ("settings-" + std::to_string(++files) + ".yaml");
    secpilot::testing::write_file(path, text);
    return path.string();
  }
  std::string good_settings() {
    return settings(api.instance_url(), RedCanaryApi::kDefaultToken, service.port());
  }

  // Local mode against this plugin only, whatever the environment says about a daemon.
  RunResult cli(std::vector<std::string> args, const std::string& settings_file) {
    args.insert(args.begin(), {kCli, "--plugins-dir", kPlugin, "--settings", settings_file});
    return secpilot::testing::run(
        args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY", "SECPILOT_SETTINGS"}, .input = {}});
  }
  RunResult invoke(const std::string& skill, const json::object& inputs,
                   const std::string& settings_file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"invoke", "RedCanary." + skill, "--json",
                                     json::serialize(inputs)};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args, settings_file);
  }
  RunResult invoke(const std::string& skill, const json::object& inputs = {}) {
    return invoke(skill, inputs, good_settings());
  }

  static json::object result(const RunResult& run) { return json::parse(run.out).as_object(); }

  std::vector<long> ids(const json::value& detections) {
    std::vector<long> out;
    for (const auto& detection : detections.as_array())
      out.push_back(detection.at("id").to_number<long>());
    return out;
  }

  size_t requests_to(const std::string& path) const {
    const auto requests = service.requests();
    return static_cast<size_t>(
        std::count_if(requests.begin(), requests.end(),
                      [&](const auto& request) { return request.path == path; }));
  }

  FakeHttpService service;
  RedCanaryApi api{service, RED_CANARY_FIXTURES};
  secpilot::testing::TempDir temp;
  int files = 0;
};

TEST_F(RedCanaryCli, ListDetectionsSendsTheTokenAndListsEveryDetection) {
  auto run = invoke("ListDetections");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto out = result(run);
  EXPECT_EQ(ids(out.at("detections")),
            (std::vector<long>{4128, 4127, 4126, 4124, 4123, 4121, 4119}));
  EXPECT_EQ(out.at("detections").at(1).at("hostname"), "mbp-fin-12");
  const auto requests = service.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.front().path, "/openapi/v3/detections");
  EXPECT_EQ(requests.front().header("x-api-key"), RedCanaryApi::kDefaultToken);
}

TEST_F(RedCanaryCli, ListDetectionsFiltersAndFollowsPages) {
  api.set_max_per_page(3);
  auto paged = cli({"invoke", "RedCanary.ListDetections", "--input", "limit=5"}, good_settings());
  ASSERT_EQ(paged.exit_code, 0) << paged.err;
  auto out = result(paged);
  EXPECT_EQ(out.at("count"), 5);
  EXPECT_EQ(out.at("pages_fetched"), 2);
  EXPECT_EQ(out.at("more_available"), true);

  auto filtered = cli({"invoke", "RedCanary.ListDetections", "--input", "severity=high", "--input",
                       "state=open", "--input", "since=2026-11-19"},
                      good_settings());
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(ids(result(filtered).at("detections")), (std::vector<long>{4127, 4126}));
  EXPECT_EQ(service.requests().back().query_value("since"), "2026-11-19T00:00:00Z");
}

TEST_F(RedCanaryCli, GetDetectionTellsTheStoryOfDetection4127) {
  auto run = invoke("GetDetection", {{"id", "4127"}});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto out = result(run);
  EXPECT_EQ(out.at("detection").at("state"), "open");
  EXPECT_EQ(out.at("hosts").at(0).at("hostname"), "mbp-fin-12");
  EXPECT_EQ(out.at("identities").at(0).at("username"), "jchen@corp.example");
  EXPECT_EQ(out.at("techniques"), (json::array{"T1059.004", "T1105", "T1543.001", "T1071.001"}));
  const auto& entities = out.at("entities");
  EXPECT_EQ(entities.at("ip"), (json::array{"203.0.113.45"}));
  EXPECT_EQ(entities.at("domain"), (json::array{"update-check.example.net"}));
  EXPECT_EQ(entities.at("url"), (json::array{"https://update-check.example.net/agent.sh"}));
  EXPECT_EQ(out.at("timeline").as_array().size(), 7u);
}

TEST_F(RedCanaryCli, EndpointsAreListedAndLookedUpByName) {
  auto list =
      cli({"invoke", "RedCanary.ListEndpoints", "--input", "platform=MacOS"}, good_settings());
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(result(list).at("count"), 2);

  auto one = invoke("GetEndpoint", {{"endpoint", "mbp-fin-12"}});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto endpoint = result(one).at("endpoint");
  EXPECT_EQ(endpoint.at("operating_system"), "macOS 13.6.1");
  EXPECT_EQ(endpoint.at("ip_addresses"), (json::array{"192.0.2.112"}));
  EXPECT_EQ(endpoint.at("detection_ids"), (json::array{4127}));
}

TEST_F(RedCanaryCli, UpdateDetectionStateChangesTheDetectionInRedCanary) {
  auto ack = invoke("UpdateDetectionState", {{"id", "4127"}, {"state", "acknowledged"}});
  ASSERT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_EQ(result(ack).at("state"), "acknowledged");
  EXPECT_TRUE(api.detection(4127)->at("attributes").at("last_acknowledged_at").is_string());

  auto fix = invoke(
      "UpdateDetectionState",
      {{"id", "4127"}, {"state", "remediated"}, {"comment", "Isolated, LaunchAgent removed"}});
  ASSERT_EQ(fix.exit_code, 0) << fix.err;
  EXPECT_EQ(result(fix).at("previous_state"), "acknowledged");
  EXPECT_EQ(result(fix).at("state"), "remediated");
  const auto status = api.detection(4127)->at("attributes").at("last_remediated_status");
  EXPECT_EQ(status.at("remediation_state"), "remediated");
  EXPECT_EQ(status.at("comment"), "Isolated, LaunchAgent removed");
  EXPECT_EQ(service.requests().back().method, "PATCH");

  // And a later read sees it.
  auto remediated =
      cli({"invoke", "RedCanary.ListDetections", "--input", "state=remediated"}, good_settings());
  EXPECT_EQ(ids(result(remediated).at("detections")), (std::vector<long>{4127, 4119}));
}

TEST_F(RedCanaryCli, A429IsWaitedOutAsRetryAfterAsks) {
  api.fail_next(1, Fault::rate_limited(1));
  const auto start = std::chrono::steady_clock::now();
  auto run = invoke("ListDetections");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(result(run).at("count"), 7);
  EXPECT_EQ(requests_to("/openapi/v3/detections"), 2u);
  EXPECT_GE(elapsed, std::chrono::seconds(1));
}

TEST_F(RedCanaryCli, PersistentRateLimitingIsRateLimited) {
  api.fail_next(10, Fault::rate_limited(1));
  auto run = invoke("ListDetections");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "(rate_limited)")) << run.err;
  EXPECT_TRUE(contains(run.err, "Red Canary is still rate-limiting this client")) << run.err;
  EXPECT_EQ(requests_to("/openapi/v3/detections"), 4u);  // the first try and three retries
}

TEST_F(RedCanaryCli, AWrongTokenIsUnauthorizedAndPointsAtTheSecret) {
  auto run = invoke("ListDetections", {},
                    settings(api.instance_url(), "rc-revoked-token-1234", service.port()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "(unauthorized)")) << run.err;
  EXPECT_TRUE(contains(run.err, "check the ApiToken secret")) << run.err;
  EXPECT_FALSE(contains(run.err, "rc-revoked-token-1234")) << run.err;

  api.fail_next(1, Fault::http_status(401));
  auto unauthorized = invoke("GetDetection", {{"id", "4127"}});
  EXPECT_TRUE(contains(unauthorized.err, "(unauthorized)")) << unauthorized.err;
}

TEST_F(RedCanaryCli, AMissingSettingSaysWhichAndHowToSetIt) {
  auto no_url =
      invoke("ListDetections", {}, settings("", RedCanaryApi::kDefaultToken, service.port()));
  EXPECT_EQ(no_url.exit_code, 1);
  EXPECT_TRUE(contains(no_url.err, "the setting InstanceURL is not set")) << no_url.err;
  EXPECT_TRUE(contains(no_url.err, "plugins: RedCanary: settings: InstanceURL")) << no_url.err;

  auto no_token = invoke("ListDetections", {}, settings(api.instance_url(), "", service.port()));
  EXPECT_EQ(no_token.exit_code, 1);
  EXPECT_TRUE(contains(no_token.err, "the secret ApiToken is not set")) << no_token.err;
  EXPECT_TRUE(service.requests().empty());
}

TEST_F(RedCanaryCli, ServerErrorsAndMalformedAnswersAreUpstream) {
  api.fail_next(1, Fault::http_status(503));
  auto unavailable = invoke("GetDetection", {{"id", "4127"}});
  EXPECT_EQ(unavailable.exit_code, 1);
  EXPECT_TRUE(contains(unavailable.err, "(upstream)")) << unavailable.err;
  EXPECT_TRUE(contains(unavailable.err, "HTTP 503 Service Unavailable")) << unavailable.err;

  api.fail_next(1, Fault::malformed_json());
  auto malformed = invoke("ListDetections");
  EXPECT_TRUE(contains(malformed.err, "(upstream)")) << malformed.err;
  EXPECT_TRUE(contains(malformed.err, "GET /openapi/v3/detections is not valid JSON"))
      << malformed.err;

  api.fail_next(1, Fault::close_connection());
  auto closed = invoke("ListEndpoints");
  EXPECT_TRUE(contains(closed.err, "(upstream)")) << closed.err;
  EXPECT_TRUE(contains(closed.err, "closed the connection")) << closed.err;
}

TEST_F(RedCanaryCli, AnUnknownDetectionIsNotFound) {
  auto run = invoke("GetDetection", {{"id", "9999"}});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "(not_found)")) << run.err;
  EXPECT_TRUE(contains(run.err, "detection 9999 was not found")) << run.err;
}

TEST_F(RedCanaryCli, AnUnreachablePortalSaysSo) {
  unsigned short closed_port = 0;
  {
    FakeHttpService gone;  // a port that was just free, and is closed again
    closed_port = gone.port();
  }
  auto run = invoke("ListDetections", {},
                    settings("http://127.0.0.1:" + std::to_string(closed_port),
                             RedCanaryApi::kDefaultToken, closed_port));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "(upstream)")) << run.err;
  EXPECT_TRUE(contains(
      run.err, "could not reach Red Canary at http://127.0.0.1:" + std::to_string(closed_port)))
      << run.err;
}

TEST_F(RedCanaryCli, APortalOffTheEgressListIsForbidden) {
  auto run = invoke("ListDetections", {},
                    settings(api.instance_url(), RedCanaryApi::kDefaultToken, service.port(),
                             /*with_egress=*/false));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "(forbidden)")) << run.err;
  EXPECT_TRUE(contains(run.err, "egress")) << run.err;
  EXPECT_TRUE(service.requests().empty());
}

TEST_F(RedCanaryCli, AHangingPortalTimesOutWithinTheCallsTimeout) {
  api.fail_next(1, Fault::hang());
  const auto start = std::chrono::steady_clock::now();
  auto run = invoke("ListDetections", {}, good_settings(), {"--timeout", "2"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(run.exit_code, 1);
  // Whichever comes first: the request's timeout (the host caps it at the call's deadline), or
  // the host's watchdog ending the call at that deadline (two wordings, by when it notices).
  EXPECT_TRUE(contains(run.err, "(timeout): Red Canary at " + api.instance_url() +
                                    " did not answer in time") ||
              contains(run.err, "RedCanary.ListDetections did not finish within 2000 ms") ||
              contains(run.err, "RedCanary.ListDetections ran past its timeout"))
      << run.err;
  EXPECT_LT(elapsed, std::chrono::seconds(15));
}

TEST_F(RedCanaryCli, TheShippedManifestLintsCleanAndDeclaresItsEntities) {
  auto lint = cli({"manifest", "lint", kPlugin + "/red-canary.yaml"}, good_settings());
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out, "") << lint.out;

  auto show = cli({"skills", "show", "RedCanary.GetDetection", "--json"}, good_settings());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto skill = json::parse(show.out).as_object();
  std::vector<std::string> entities;
  for (const auto& entity : skill.at("outputEntities").as_array())
    entities.emplace_back(entity.as_string());
  EXPECT_EQ(entities, (std::vector<std::string>{"host", "user", "ip", "domain", "url", "sha256",
                                                "md5", "mitre_technique"}));
}

}  // namespace

// The shipped API-format Red Canary plugin (manifests/red-canary-api.yaml and its OpenAPI
// subset), built into build/plugins/red-canary-api, against the loopback Red Canary fake: the
// same manifest a customer would install, pointed at the fake instead of their tenant.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/fake_http_service.hpp"
#include "fakes/red_canary_api.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"

namespace secpilot {
namespace {

namespace json = boost::json;
using fakes::RedCanaryApi;

class RedCanaryApiFormat : public ::testing::Test {
 protected:
  RedCanaryApiFormat()
      : red_canary_(service_, std::string(SECPILOT_SOURCE_DIR) + "/tests/fakes/data/red-canary") {
    load(RedCanaryApi::kDefaultToken);
  }

  void load(const std::string& token) {
    plugin::HostOptions options;
    options.plugin_dirs = {std::string(SECPILOT_BINARY_DIR) + "/plugins/red-canary-api"};
    auto settings = config::Settings::parse(
        "plugins:\n  RedCanaryApi:\n    settings: { InstanceURL: \"" + red_canary_.instance_url() +
            "\" }\n    secrets: { ApiToken: \"" + token +
            "\" }\n    egress: [ \"127.0.0.1:" + std::to_string(service_.port()) + "\" ]\n",
        "test-settings.yaml");
    if (!settings) throw std::runtime_error(settings.error().message);
    options.settings = std::move(*settings);
    host_ = std::make_unique<plugin::PluginHost>(std::move(options));
  }

  Expected<json::value> call(const std::string& skill, const std::string& input) {
    const auto* entry = host_->catalog().find(skill);
    if (!entry) return make_error(Status::not_found, "no skill " + skill);
    skills::InvokeOptions options;
    options.timeout = std::chrono::seconds(10);
    auto result = skills::invoke_inline(*entry, input, options);
    if (!result) return std::move(result).error();
    return json::parse(*result);
  }

  fakes::FakeHttpService service_;
  RedCanaryApi red_canary_;
  std::unique_ptr<plugin::PluginHost> host_;
};

TEST_F(RedCanaryApiFormat, TheManifestLoadsWithFourReadOnlySkills) {
  const auto* record = host_->plugin("RedCanaryApi");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->state, plugin::PluginState::Declarative) << record->error;
  const auto skills = host_->catalog().list("RedCanaryApi");
  ASSERT_EQ(skills.size(), 4u);
  for (const auto* skill : skills) {
    EXPECT_TRUE(skill->available()) << skill->full_name << ": " << skill->unavailable_reason;
    EXPECT_EQ(skill->spec->side_effects, manifest::SideEffects::Read) << skill->full_name;
  }
  EXPECT_EQ(host_->catalog().find("RedCanaryApi.ListDetectionIndicators")->spec->output_entities,
            (std::vector<std::string>{"domain", "ip", "sha256", "url"}));
}

TEST_F(RedCanaryApiFormat, ListsDetectionsPageByPageAndSince) {
  auto first = call("RedCanaryApi.ListDetections", R"({"per_page": 2})");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->at("data").as_array().size(), 2u);
  EXPECT_TRUE(first->at("links").as_object().contains("next"));
  auto second = call("RedCanaryApi.ListDetections", R"({"per_page": 2, "page": 2})");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(first->at("data").at(0).at("id"), second->at("data").at(0).at("id"));

  auto recent = call("RedCanaryApi.ListDetections", R"({"since": "2026-11-20T00:00:00Z"})");
  ASSERT_TRUE(recent) << recent.error().message;
  bool found = false;
  for (const auto& detection : recent->at("data").as_array()) {
    EXPECT_GE(std::string(detection.at("attributes").at("time_of_occurrence").as_string()),
              "2026-11-20T00:00:00Z");
    found = found || detection.at("id") == 4127;
  }
  EXPECT_TRUE(found) << json::serialize(*recent);
}

TEST_F(RedCanaryApiFormat, ReadsTheStorylinesDetectionItsTimelineAndIndicators) {
  auto detection = call("RedCanaryApi.GetDetection", R"({"id": 4127})");
  ASSERT_TRUE(detection) << detection.error().message;
  EXPECT_EQ(detection->at("data").at(0).at("attributes").at("severity"), "high");

  auto timeline = call("RedCanaryApi.GetDetectionTimeline", R"({"id": "4127"})");
  ASSERT_TRUE(timeline) << timeline.error().message;
  EXPECT_FALSE(timeline->at("data").as_array().empty());

  auto indicators = call("RedCanaryApi.ListDetectionIndicators", R"({"id": 4127})");
  ASSERT_TRUE(indicators) << indicators.error().message;
  const std::string text = json::serialize(*indicators);
  EXPECT_NE(text.find("update-check.example.net"), std::string::npos);
  EXPECT_NE(text.find("203.0.113.45"), std::string::npos);
}

TEST_F(RedCanaryApiFormat, BadInputWrongTokenAndVendorFailuresAreClear) {
  auto not_a_number = call("RedCanaryApi.GetDetection", R"({"id": "CORP-4127"})");
  ASSERT_FALSE(not_a_number);
  EXPECT_EQ(not_a_number.error().status, Status::invalid_input);
  EXPECT_TRUE(service_.requests().empty());  // refused before any request

  auto missing = call("RedCanaryApi.GetDetection", R"({"id": 999999})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().status, Status::not_found);

  red_canary_.fail_next(1, RedCanaryApi::Fault::rate_limited(0));
  auto after_429 = call("RedCanaryApi.GetDetection", R"({"id": 4127})");
  EXPECT_TRUE(after_429) << after_429.error().message;

  red_canary_.fail_next(1, RedCanaryApi::Fault::http_status(502));
  auto bad_gateway = call("RedCanaryApi.GetDetection", R"({"id": 4127})");
  ASSERT_FALSE(bad_gateway);
  EXPECT_EQ(bad_gateway.error().status, Status::upstream);

  red_canary_.fail_next(1, RedCanaryApi::Fault::malformed_json());
  auto malformed = call("RedCanaryApi.GetDetection", R"({"id": 4127})");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().status, Status::upstream);
  EXPECT_NE(malformed.error().message.find("not JSON"), std::string::npos);

  load("rc-not-the-right-token");
  auto refused = call("RedCanaryApi.ListDetections", "{}");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, Status::unauthorized);
  EXPECT_EQ(refused.error().message.find("rc-not-the-right-token"), std::string::npos);
}

}  // namespace
}  // namespace secpilot

#include "red_canary/client.hpp"

#include <gtest/gtest.h>

#include "red_canary/errors.hpp"
#include "scripted_transport.hpp"

namespace red_canary {
namespace {

using namespace std::chrono_literals;
using testing::json_response;
using testing::Script;

const Subject kList{"the detections list", true};
const Subject kDetection{"detection 4127", false};

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

std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return "";
}

TEST(Client, SendsTheTokenInXApiKeyAndReturnsTheBody) {
  Script script;
  script.responses.push_back(json_response(200, R"({"data": [], "meta": {"total_items": 0}})"));
  auto client = script.client();
  auto body = client.get("detections", {{"since", "2026-11-20T00:00:00Z"}}, kList);
  EXPECT_TRUE(body.contains("data"));
  ASSERT_EQ(script.sent.size(), 1u);
  EXPECT_EQ(script.sent[0].method, "GET");
  EXPECT_EQ(script.sent[0].url,
            "https://corp-example.my.redcanary.co/openapi/v3/detections?since=2026-11-20T00%3A00%"
            "3A00Z");
  EXPECT_EQ(header(script.sent[0], "X-Api-Key"), "secret-token");
}

TEST(Client, PatchSendsAForm) {
  Script script;
  script.responses.push_back(json_response(200, R"({"data": []})"));
  auto client = script.client();
  client.patch_form("detections/4127/update_remediation_state",
                    {{"remediation_state", "remediated"}, {"comment", "Isolated & cleaned"}},
                    kDetection);
  ASSERT_EQ(script.sent.size(), 1u);
  EXPECT_EQ(script.sent[0].method, "PATCH");
  EXPECT_EQ(header(script.sent[0], "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(script.sent[0].body, "remediation_state=remediated&comment=Isolated%20%26%20cleaned");
}

TEST(Client, A429IsRetriedAfterTheRetryAfterItGives) {
  Script script;
  script.responses.push_back(json_response(429, "{}", {{"retry-after", "3"}}));
  script.responses.push_back(json_response(200, R"({"data": []})"));
  auto client = script.client();
  client.get("detections", {}, kList);
  EXPECT_EQ(script.sent.size(), 2u);
  ASSERT_EQ(script.waits.size(), 1u);
  EXPECT_EQ(script.waits[0], 3s);
}

TEST(Client, A429WithoutRetryAfterWaitsTheDefault) {
  Script script;
  script.responses.push_back(json_response(429, "{}"));
  script.responses.push_back(json_response(200, R"({"data": []})"));
  auto client = script.client();
  client.get("detections", {}, kList);
  ASSERT_EQ(script.waits.size(), 1u);
  EXPECT_EQ(script.waits[0], 2s);
}

TEST(Client, PersistentRateLimitingIsRateLimitedWithWhatWasTried) {
  Script script;
  for (int i = 0; i < 4; ++i)
    script.responses.push_back(json_response(429, "{}", {{"retry-after", "1"}}));
  auto client = script.client();
  auto error = failure([&] { client.get("detections", {}, kList); });
  EXPECT_EQ(error.kind(), ErrorKind::rate_limited);
  EXPECT_NE(std::string(error.what()).find("after 3 retries over 3 s"), std::string::npos)
      << error.what();
  EXPECT_EQ(script.sent.size(), 4u);
}

TEST(Client, ARetryAfterLongerThanTheCapFailsAtOnce) {
  Script script;
  script.responses.push_back(json_response(429, "{}", {{"retry-after", "120"}}));
  auto client = script.client();
  auto error = failure([&] { client.get("detections", {}, kList); });
  EXPECT_EQ(error.kind(), ErrorKind::rate_limited);
  EXPECT_NE(std::string(error.what()).find("asks to wait 120 s"), std::string::npos)
      << error.what();
  EXPECT_TRUE(script.waits.empty());
}

TEST(Client, ACancelledWaitEndsTheCall) {
  Script script;
  script.cancel_waits = true;
  script.responses.push_back(json_response(429, "{}", {{"retry-after", "5"}}));
  auto client = script.client();
  EXPECT_EQ(failure([&] { client.get("detections", {}, kList); }).kind(), ErrorKind::cancelled);
  EXPECT_EQ(script.sent.size(), 1u);
}

TEST(Client, ARefusedTokenIsUnauthorizedAndPointsAtTheSecret) {
  for (int status : {401, 403}) {
    Script script;
    script.responses.push_back(json_response(status, R"({"errors": []})"));
    auto client = script.client();
    auto error = failure([&] { client.get("detections", {}, kList); });
    EXPECT_EQ(error.kind(), ErrorKind::unauthorized) << status;
    const std::string message = error.what();
    EXPECT_NE(message.find("HTTP " + std::to_string(status)), std::string::npos) << message;
    EXPECT_NE(message.find("check the ApiToken secret"), std::string::npos) << message;
  }
}

TEST(Client, A404IsAMissingItemOrAWrongInstanceUrl) {
  Script script;
  script.responses.push_back(json_response(404, R"({"errors": []})"));
  script.responses.push_back(
      {404, {{"content-type", "text/html"}}, "<!DOCTYPE html><html>nope</html>"});
  auto client = script.client();
  auto missing = failure([&] { client.get("detections/9999", {}, {"detection 9999", false}); });
  EXPECT_EQ(missing.kind(), ErrorKind::not_found);
  EXPECT_NE(std::string(missing.what()).find("detection 9999 was not found"), std::string::npos);
  auto wrong = failure([&] { client.get("detections", {}, kList); });
  EXPECT_EQ(wrong.kind(), ErrorKind::invalid_input);
  EXPECT_NE(std::string(wrong.what()).find("a web page instead of the API's JSON"),
            std::string::npos)
      << wrong.what();
  EXPECT_NE(std::string(wrong.what()).find("check the setting InstanceURL"), std::string::npos);
}

TEST(Client, ServerErrorsAreUpstream) {
  Script script;
  script.responses.push_back(json_response(503, R"({"error": "maintenance"})"));
  auto client = script.client();
  auto error = failure([&] { client.get("detections", {}, kList); });
  EXPECT_EQ(error.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(error.what()).find("HTTP 503 Service Unavailable"), std::string::npos)
      << error.what();
  EXPECT_NE(std::string(error.what()).find("maintenance"), std::string::npos);
}

TEST(Client, AValidationErrorIsInvalidInput) {
  Script script;
  script.responses.push_back(json_response(422, R"({"errors": ["bad state"]})"));
  auto client = script.client();
  auto error =
      failure([&] { client.patch_form("detections/1/update_remediation_state", {}, kDetection); });
  EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
  EXPECT_NE(std::string(error.what()).find("bad state"), std::string::npos) << error.what();
}

TEST(Client, AMalformedBodyIsUpstreamAndSaysWhatWasWrong) {
  Script script;
  script.responses.push_back(json_response(200, R"({"data": [{"id": 41)"));
  script.responses.push_back(json_response(200, R"([1, 2])"));
  auto client = script.client();
  auto cut = failure([&] { client.get("detections", {}, kList); });
  EXPECT_EQ(cut.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(cut.what()).find("GET /openapi/v3/detections is not valid JSON"),
            std::string::npos)
      << cut.what();
  auto array = failure([&] { client.get("detections", {}, kList); });
  EXPECT_NE(std::string(array.what()).find("not an object"), std::string::npos) << array.what();
}

TEST(Client, ATimeoutNamesThePortalAndKeepsItsStatus) {
  Instance instance{"https://corp-example.my.redcanary.co",
                    "https://corp-example.my.redcanary.co/openapi/v3", "t"};
  ApiClient client(
      instance,
      [](const HttpRequest&) -> HttpResponse {
        throw Error(ErrorKind::timeout, "request to corp-example.my.redcanary.co timed out");
      },
      [](std::chrono::milliseconds) { return true; }, [] { return false; });
  auto error = failure([&] { client.get("detections", {}, kList); });
  EXPECT_EQ(error.kind(), ErrorKind::timeout);
  EXPECT_NE(std::string(error.what())
                .find("Red Canary at https://corp-example.my.redcanary.co did not answer in time: "
                      "request to corp-example.my.redcanary.co timed out"),
            std::string::npos)
      << error.what();
}

TEST(Client, AConnectionFailureNamesThePortalAndSaysWhatToCheck) {
  Instance instance{"https://corp-example.my.redcanary.co",
                    "https://corp-example.my.redcanary.co/openapi/v3", "t"};
  ApiClient client(
      instance,
      [](const HttpRequest&) -> HttpResponse {
        throw Error(ErrorKind::upstream, "connecting to corp-example.my.redcanary.co failed");
      },
      [](std::chrono::milliseconds) { return true; }, [] { return false; });
  auto error = failure([&] { client.get("detections", {}, kList); });
  EXPECT_EQ(error.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(error.what())
                .find("could not reach Red Canary at "
                      "https://corp-example.my.redcanary.co: connecting"),
            std::string::npos)
      << error.what();
  EXPECT_NE(std::string(error.what()).find("check InstanceURL"), std::string::npos);
}

TEST(Client, ACancelledCallSendsNothing) {
  Script script;
  Instance instance{"https://x.my.redcanary.co", "https://x.my.redcanary.co/openapi/v3", "t"};
  ApiClient client(instance, script.transport(), script.waiter(), [] { return true; });
  EXPECT_EQ(failure([&] { client.get("detections", {}, kList); }).kind(), ErrorKind::cancelled);
  EXPECT_TRUE(script.sent.empty());
}

}  // namespace
}  // namespace red_canary

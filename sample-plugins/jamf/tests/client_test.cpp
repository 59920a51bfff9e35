// The conversation with Jamf Pro: token reuse and refresh, bearer auth, throttling, and every
// failure turned into an error that says what to do. Runs against the fake tenant in memory.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "in_memory_tenant.hpp"
#include "jamf/error.hpp"
#include "jamf/error_body.hpp"
#include "jamf/inventory.hpp"

namespace jamf {
namespace {

using secpilot::fakes::JamfProApi;
using Fault = JamfProApi::Fault;
using Scope = JamfProApi::Scope;
using std::chrono::seconds;

const Endpoint kComputer42{"computer 42", "Read Computers", "no computer 42"};

struct ClientTest : ::testing::Test {
  testing::Tenant tenant;

  boost::json::value get_42(JamfClient& client) {
    return client.get_json(client.inventory_path("/42"), {{"section", "GENERAL"}}, kComputer42);
  }

  // The error a call throws.
  template <class F>
  Error failure(F&& call) {
    try {
      call();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "the call succeeded";
    return Error(ErrorKind::internal, "");
  }
};

TEST_F(ClientTest, SendsTheTokenRequestJamfDocuments) {
  auto client = tenant.client();
  get_42(client);
  const HttpRequest& token = tenant.transport.sent.at(0);
  EXPECT_EQ(token.method, "POST");
  EXPECT_EQ(token.url, "https://acme.jamfcloud.example/api/oauth/token");
  EXPECT_EQ(token.body,
            "grant_type=client_credentials&client_id=secpilot-jamf-tests&client_secret=fake-jamf-"
            "secret-0f3a");
  const HttpRequest& call = tenant.transport.sent.at(1);
  EXPECT_EQ(call.url,
            "https://acme.jamfcloud.example/api/v1/computers-inventory/42?section=GENERAL");
  bool bearer = false;
  for (const auto& [name, value] : call.headers)
    bearer |= name == "Authorization" && value.rfind("Bearer eyJfake.", 0) == 0;
  EXPECT_TRUE(bearer);
}

TEST_F(ClientTest, OneTokenServesManyCallsUntilItNearsExpiry) {
  for (int call = 0; call < 3; ++call) {
    auto client = tenant.client();  // a new client per call, as the plugin makes
    EXPECT_EQ(get_42(client).at("general").at("name"), "mbp-fin-12");
  }
  EXPECT_EQ(tenant.api.tokens_issued(), 1);
  tenant.now += seconds{1199 - 60};  // the fake's tokens say expires_in 1199
  auto client = tenant.client();
  get_42(client);
  EXPECT_EQ(tenant.api.tokens_issued(), 2);
}

TEST_F(ClientTest, AnExpiredTokenIsRefreshedOnceAndTheRequestRetried) {
  auto first = tenant.client();
  get_42(first);
  tenant.api.expire_tokens();  // Jamf Pro expired it early; the cache does not know
  auto second = tenant.client();
  EXPECT_EQ(get_42(second).at("id"), "42");
  EXPECT_EQ(tenant.api.tokens_issued(), 2);
  EXPECT_EQ(tenant.transport.count("/computers-inventory/42"), 3);  // ok, 401, ok
}

TEST_F(ClientTest, ATokenRejectedTwiceIsUnauthorized) {
  tenant.api.fail_next(Fault::token_rejected(), 2);
  auto client = tenant.client();
  const Error e = failure([&] { get_42(client); });
  EXPECT_EQ(e.kind(), ErrorKind::unauthorized);
  EXPECT_NE(std::string(e.what()).find("rejected a freshly issued access token for computer 42"),
            std::string::npos)
      << e.what();
  EXPECT_EQ(tenant.api.tokens_issued(), 2);  // one refresh, not a loop
}

TEST_F(ClientTest, AWrongSecretSaysTheCredentialsWereRefused) {
  Connection wrong = tenant.connection();
  wrong.client_secret = "not-the-secret";
  JamfClient client(wrong, tenant.tokens, tenant.transport);
  const Error e = failure([&] { get_42(client); });
  EXPECT_EQ(e.kind(), ErrorKind::unauthorized);
  const std::string message = e.what();
  EXPECT_NE(message.find("Jamf Pro refused the API client credentials (HTTP 401 from "
                         "/api/oauth/token) (invalid_client)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("check the settings ClientId and ClientSecret"), std::string::npos);
  EXPECT_EQ(message.find("not-the-secret"), std::string::npos);
  EXPECT_EQ(tenant.transport.count("/computers-inventory"), 0);
}

TEST_F(ClientTest, ThrottlingIsWaitedOutAsRetryAfterSays) {
  tenant.api.fail_next(Fault::rate_limited(3), 2);
  auto client = tenant.client();
  EXPECT_EQ(get_42(client).at("id"), "42");
  ASSERT_EQ(tenant.transport.waits.size(), 2u);
  EXPECT_EQ(tenant.transport.waits[0], seconds{3});
  EXPECT_EQ(tenant.transport.waits[1], seconds{3});
}

TEST_F(ClientTest, ThrottlingWithoutRetryAfterWaitsTheDefault) {
  tenant.api.fail_next(Fault::rate_limited(-1));
  auto client = tenant.client();
  get_42(client);
  ASSERT_EQ(tenant.transport.waits.size(), 1u);
  EXPECT_EQ(tenant.transport.waits[0], seconds{1});
}

TEST_F(ClientTest, ThrottlingThatDoesNotStopIsRateLimited) {
  tenant.api.fail_next(Fault::rate_limited(1), 4);
  auto client = tenant.client();
  const Error e = failure([&] { get_42(client); });
  EXPECT_EQ(e.kind(), ErrorKind::rate_limited);
  EXPECT_NE(std::string(e.what()).find("3 retries already"), std::string::npos) << e.what();
  EXPECT_EQ(tenant.transport.waits.size(), 3u);
}

TEST_F(ClientTest, ARetryAfterLongerThanTheBoundFailsAtOnce) {
  tenant.api.fail_next(Fault::rate_limited(120));
  auto client = tenant.client();
  const Error e = failure([&] { get_42(client); });
  EXPECT_EQ(e.kind(), ErrorKind::rate_limited);
  EXPECT_NE(std::string(e.what()).find("asked to wait 120 s"), std::string::npos) << e.what();
  EXPECT_TRUE(tenant.transport.waits.empty());
}

TEST_F(ClientTest, ACancelledWaitStopsTheCall) {
  tenant.api.fail_next(Fault::rate_limited(2));
  tenant.transport.cancel_waits = true;
  auto client = tenant.client();
  EXPECT_EQ(failure([&] { get_42(client); }).kind(), ErrorKind::cancelled);
}

TEST_F(ClientTest, TheTokenEndpointIsThrottledToo) {
  tenant.api.fail_next(Fault::rate_limited(2), 1, Scope::token);
  auto client = tenant.client();
  EXPECT_EQ(get_42(client).at("id"), "42");
  EXPECT_EQ(tenant.transport.waits.size(), 1u);
}

TEST_F(ClientTest, ServerErrorsAreUpstream) {
  tenant.api.fail_next(Fault::server_error(502));
  auto client = tenant.client();
  const Error e = failure([&] { get_42(client); });
  EXPECT_EQ(e.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(e.what()).find("Jamf Pro failed on computer 42 (HTTP 502, GET "
                                       "/api/v1/computers-inventory/42) (502 Server Error)"),
            std::string::npos)
      << e.what();

  tenant.api.fail_next(Fault::server_error(503), 1, Scope::token);
  tenant.api.expire_tokens();
  auto next = tenant.client();
  const Error token = failure([&] { get_42(next); });
  EXPECT_EQ(token.kind(), ErrorKind::upstream);
}

TEST_F(ClientTest, MalformedJsonIsUpstreamAndSaysWhat) {
  tenant.api.fail_next(Fault::malformed_json());
  auto client = tenant.client();
  const Error e = failure([&] { get_42(client); });
  EXPECT_EQ(e.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(e.what()).find("with computer 42 that is not valid JSON"),
            std::string::npos)
      << e.what();
}

TEST_F(ClientTest, AMalformedTokenAnswerIsUpstream) {
  tenant.api.fail_next(Fault::malformed_json(), 1, Scope::token);
  auto client = tenant.client();
  const Error e = failure([&] { get_42(client); });
  EXPECT_EQ(e.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(e.what()).find("token endpoint answered HTTP 200 but not with a token"),
            std::string::npos)
      << e.what();
}

TEST_F(ClientTest, NotFoundAndForbidden) {
  auto client = tenant.client();
  const Error missing = failure([&] {
    client.get_json(client.inventory_path("/999"), {},
                    {"computer 999", "Read Computers", "Jamf Pro has no computer with id 999"});
  });
  EXPECT_EQ(missing.kind(), ErrorKind::not_found);
  EXPECT_STREQ(missing.what(), "Jamf Pro has no computer with id 999");

  tenant.api.fail_next(Fault::forbidden());
  const Error denied = failure([&] { get_42(client); });
  EXPECT_EQ(denied.kind(), ErrorKind::unauthorized);
  EXPECT_NE(std::string(denied.what())
                .find("give the API client's API role the privilege 'Read "
                      "Computers'"),
            std::string::npos)
      << denied.what();
}

TEST_F(ClientTest, AnUnknownPathSuggestsTheApiVersionSetting) {
  Connection old = tenant.connection();
  old.inventory_version = "v9";  // a version this Jamf Pro does not serve
  JamfClient client(old, tenant.tokens, tenant.transport);
  const Error e = failure([&] {
    client.get_json(client.inventory_path(), {}, {"the computer inventory", "Read Computers", ""});
  });
  EXPECT_EQ(e.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(e.what()).find("InventoryApiVersion"), std::string::npos) << e.what();
}

TEST_F(ClientTest, TransportFailuresPassThrough) {
  tenant.api.fail_next(Fault::close_connection());
  auto client = tenant.client();
  EXPECT_EQ(failure([&] { get_42(client); }).kind(), ErrorKind::upstream);
  tenant.api.fail_next(Fault::hang());
  EXPECT_EQ(failure([&] { get_42(client); }).kind(), ErrorKind::timeout);
}

TEST(ErrorBody, ReadsJamfAndOAuthErrors) {
  EXPECT_EQ(describe_error_body(R"({"httpStatus":404,"errors":[{"code":"INVALID_ID",
      "description":"Computer with id 9 not found","id":"9","field":null}]})"),
            "INVALID_ID: Computer with id 9 not found");
  EXPECT_EQ(describe_error_body(R"({"error":"invalid_client"})"), "invalid_client");
  EXPECT_EQ(describe_error_body("<html>\n<h1>502 Bad Gateway</h1>\n</html>"), "502 Bad Gateway");
  EXPECT_EQ(describe_error_body(""), "");
  EXPECT_EQ(describe_error_body(std::string(300, 'x')).size(), 203u);
}

}  // namespace
}  // namespace jamf

// Bad HTTP over raw sockets: every byte on the wire is the test's. The daemon runs with small limits
// (1 KiB bodies and headers, 1 s request and idle timeouts) and answers each abuse with the right
// status as an RFC 9457 problem, then carries on.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <thread>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "daemon/raw_http.hpp"

namespace secpilot::testing {
namespace {

using std::chrono::milliseconds;

class DaemonBadHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = std::make_unique<DaemonProcess>(DaemonOptions{.config = R"(limits:
  max_body_bytes: 1024
  max_header_bytes: 1024
  request_timeout_seconds: 1
  idle_timeout_seconds: 1
)"});
    daemon_->start();
  }
  static void TearDownTestSuite() { daemon_.reset(); }

  static std::uint16_t port() { return daemon_->port(); }
  static const std::string& alice() { return daemon_->keys().contributor; }

  // Sends `bytes` on a new connection and reads one response.
  static std::optional<RawResponse> exchange(const std::string& bytes) {
    RawConnection connection(port());
    if (!connection.send(bytes)) return std::nullopt;
    return connection.read_response();
  }

  static void expect_problem(const RawResponse& response, int status, const std::string& what) {
    EXPECT_EQ(response.status, status) << what << "\n" << response.body;
    EXPECT_EQ(response.header("content-type"), "application/problem+json") << what;
    boost::system::error_code error;
    auto body = boost::json::parse(response.body, error);
    ASSERT_FALSE(error) << what << ": not JSON: " << response.body;
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_EQ(body.at("status").to_number<int>(), status) << response.body;
    EXPECT_TRUE(body.as_object().contains("title")) << response.body;
  }

  // The daemon still serves after the abuse.
  static void expect_still_serving() {
    auto healthy = exchange(http_request("GET", "/healthz"));
    ASSERT_TRUE(healthy.has_value());
    EXPECT_EQ(healthy->status, 200);
  }

  static inline std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(DaemonBadHttp, MalformedRequestLineIs400) {
  for (const std::string line : {"THIS IS NOT HTTP\r\n\r\n", "GET\r\nHost: x\r\n\r\n",
                                 "G(T /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                                 "GET /healthz HTTP/1.1 trailing\r\nHost: x\r\n\r\n"}) {
    RawConnection connection(port());
    ASSERT_TRUE(connection.send(line));
    auto response = connection.read_response();
    ASSERT_TRUE(response.has_value()) << "no answer to " << line;
    expect_problem(*response, 400, line);
    EXPECT_TRUE(connection.wait_closed(milliseconds(3000)))
        << "the connection stays open after a malformed request: " << line;
  }
  expect_still_serving();
}

TEST_F(DaemonBadHttp, OversizeBodyIs413) {
  const std::string body = R"({"displayName":")" + std::string(4096, 'x') + R"("})";
  auto response =
      exchange(http_request("POST", "/v1/sessions", bearer(alice()), body, "application/json"));
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 413, "4 KiB body");

  // Chunked, with no Content-Length to refuse up front.
  std::string chunked = "POST /v1/sessions HTTP/1.1\r\nHost: x\r\n" + bearer(alice()) +
                        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 8; ++i)
    chunked += "200\r\n" + std::string(512, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  auto streamed = exchange(chunked);
  ASSERT_TRUE(streamed.has_value());
  expect_problem(*streamed, 413, "4 KiB chunked body");
  expect_still_serving();
}

TEST_F(DaemonBadHttp, OversizeHeadersAre431) {
  auto response =
      exchange(http_request("GET", "/healthz", "X-Fill: " + std::string(2000, 'h') + "\r\n"));
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 431, "2 KB header");
  auto many = std::string();
  for (int i = 0; i < 100; ++i)
    many += "X-H" + std::to_string(i) + ": 0123456789\r\n";
  auto lots = exchange(http_request("GET", "/healthz", many));
  ASSERT_TRUE(lots.has_value());
  expect_problem(*lots, 431, "100 headers");
  expect_still_serving();
}

TEST_F(DaemonBadHttp, SlowClientIsDropped) {
  using Clock = std::chrono::steady_clock;
  {
    // Stops half-way through its headers.
    RawConnection connection(port());
    const auto started = Clock::now();
    ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
    auto response = connection.read_response(milliseconds(5000));
    ASSERT_TRUE(response.has_value()) << "no 408 within 5 s";
    expect_problem(*response, 408, "half a request");
    EXPECT_TRUE(connection.wait_closed(milliseconds(3000)));
    const auto took = Clock::now() - started;
    EXPECT_GE(took, milliseconds(900));
    EXPECT_LT(took, milliseconds(5000));
  }
  {
    // Sends a byte every 100 ms: never idle, never done.
    RawConnection connection(port());
    const auto started = Clock::now();
    const std::string request =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 's') + "\r\n\r\n";
    bool dropped = false;
    for (char c : request) {
      if (!connection.send(std::string(1, c))) {
        dropped = true;
        break;
      }
      // Waiting 100 ms for an answer (or the close) is the dribble's pace.
      if (connection.wait_closed(milliseconds(100))) {
        dropped = true;
        break;
      }
      if (Clock::now() - started > milliseconds(8000)) break;
    }
    EXPECT_TRUE(dropped) << "a client dribbling one byte every 100 ms was never dropped";
    EXPECT_LT(Clock::now() - started, milliseconds(5000));
  }
  expect_still_serving();
}

TEST_F(DaemonBadHttp, IdleKeepAliveConnectionIsClosed) {
  using Clock = std::chrono::steady_clock;
  RawConnection connection(port());
  ASSERT_TRUE(connection.send(http_request("GET", "/healthz")));
  auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  const auto answered = Clock::now();
  EXPECT_TRUE(connection.wait_closed(milliseconds(5000))) << "an idle connection was kept open";
  const auto idle = Clock::now() - answered;
  EXPECT_GE(idle, milliseconds(900));
  EXPECT_LT(idle, milliseconds(4000));
}

TEST_F(DaemonBadHttp, WrongContentTypeOnAJsonRouteIs415) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send(http_request("POST", "/v1/sessions", bearer(alice()),
                                           R"({"displayName":"x"})", "text/plain")));
  auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 415, "text/plain body");
  // A refused request leaves a keep-alive connection usable.
  ASSERT_TRUE(
      connection.send(http_request("POST", "/v1/sessions", bearer(alice()),
                                   R"({"displayName":"x"})", "application/json; charset=utf-8")));
  auto next = connection.read_response();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->status, 201) << next->body;
}

TEST_F(DaemonBadHttp, InvalidJsonIs400) {
  for (const std::string body : {"{nope", "[1, 2, 3]", "\"just a string\"", "{\"a\": 1,}"}) {
    auto response =
        exchange(http_request("POST", "/v1/sessions", bearer(alice()), body, "application/json"));
    ASSERT_TRUE(response.has_value());
    expect_problem(*response, 400, body);
  }
}

TEST_F(DaemonBadHttp, UnknownRouteIs404Problem) {
  // "/" is the web page (tests/web checks it); /ui/ files that do not exist are 404 too.
  for (const std::string target :
       {"/v1/nope", "/v2/sessions", "/ui/nope.js", "/index.html", "/v1/sessions/a/b/c/d"}) {
    auto response = exchange(http_request("GET", target, bearer(alice())));
    ASSERT_TRUE(response.has_value());
    expect_problem(*response, 404, target);
  }
  auto without_key = exchange(http_request("GET", "/v1/nope"));
  ASSERT_TRUE(without_key.has_value());
  expect_problem(*without_key, 404, "unknown route, no key");
}

TEST_F(DaemonBadHttp, WrongMethodIs405WithAllow) {
  auto response = exchange(http_request("DELETE", "/v1/skills", bearer(alice())));
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 405, "DELETE /v1/skills");
  EXPECT_NE(response->header("allow").find("GET"), std::string::npos) << response->header("allow");
}

}  // namespace
}  // namespace secpilot::testing

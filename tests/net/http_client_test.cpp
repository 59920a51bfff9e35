// HttpClient against the loopback test server. Every request goes to 127.0.0.1; names other than
// 127.0.0.1 are either denied by egress before any lookup or mapped to 127.0.0.1 with
// HttpClientOptions::resolve_overrides.
#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "secpilot/net/http_client.hpp"
#include "test_cert.hpp"
#include "test_server.hpp"

namespace secpilot::net {
namespace {

using std::chrono::milliseconds;
using testing::TestServer;
using Clock = std::chrono::steady_clock;

const EgressPolicy kLoopback({"127.0.0.1"});

std::string header(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

boost::json::object json_body(const HttpResponse& response) {
  return boost::json::parse(response.body).as_object();
}

std::string str(const boost::json::value& value) {
  return std::string(value.as_string());
}

milliseconds elapsed_since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

HttpRequest get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

// Passes when `result` is an error with `status` whose message contains `fragment`.
::testing::AssertionResult fails_with(const Expected<HttpResponse>& result, Status status,
                                      std::string_view fragment) {
  if (result) {
    return ::testing::AssertionFailure()
           << "expected " << status_name(status) << ", got HTTP " << result->status;
  }
  const Error& error = result.error();
  if (error.status != status || error.message.find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "expected " << status_name(status) << " mentioning '" << fragment << "', got "
           << status_name(error.status) << ": " << error.message;
  }
  return ::testing::AssertionSuccess();
}

#define EXPECT_ERROR(result, status, fragment) EXPECT_TRUE(fails_with(result, status, fragment))

class HttpClientTest : public ::testing::Test {
 protected:
  TestServer server;
  HttpClient client;
};

// --- basics -----------------------------------------------------------------------------------

TEST_F(HttpClientTest, GetsJsonWithLowerCasedHeaderNames) {
  auto response = client.request(get(server.url("/json")), kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"ok":true,"name":"secpilot"})");
  EXPECT_EQ(header(*response, "content-type"), "application/json");
  EXPECT_EQ(header(*response, "x-test-header"), "Value");
}

TEST_F(HttpClientTest, SendsMethodHostUserAgentContentLengthHeadersAndBody) {
  HttpRequest request = get(server.url("/echo?q=1"));
  request.method = "PUT";
  request.headers = {{"X-Custom", "yes"}, {"Content-Type", "text/plain"}};
  request.body = "payload";
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  const auto echo = json_body(*response);
  EXPECT_EQ(str(echo.at("method")), "PUT");
  EXPECT_EQ(str(echo.at("target")), "/echo?q=1");
  EXPECT_EQ(str(echo.at("body")), "payload");
  const auto& headers = echo.at("headers").as_object();
  EXPECT_EQ(str(headers.at("host")), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(str(headers.at("user-agent")), "secpilot/1.0");
  EXPECT_EQ(str(headers.at("content-length")), "7");
  EXPECT_EQ(str(headers.at("x-custom")), "yes");
  EXPECT_EQ(str(headers.at("content-type")), "text/plain");
}

TEST_F(HttpClientTest, ClientOwnsFramingHeadersButCallerMaySetUserAgent) {
  HttpRequest request = get(server.url("/echo"));
  request.method = "POST";
  request.headers = {{"Host", "evil.example"},
                     {"Content-Length", "999"},
                     {"Transfer-Encoding", "chunked"},
                     {"User-Agent", "plugin/2.0"}};
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  const auto echo = json_body(*response);
  const auto& headers = echo.at("headers").as_object();
  EXPECT_EQ(str(headers.at("host")), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(str(headers.at("content-length")), "0");
  EXPECT_FALSE(headers.contains("transfer-encoding"));
  EXPECT_EQ(str(headers.at("user-agent")), "plugin/2.0");
}

TEST_F(HttpClientTest, HttpErrorStatusIsAValue) {
  auto response = client.request(get(server.url("/nothing-here")), kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "not found");
}

TEST_F(HttpClientTest, HeadReturnsNoBodyWithoutWaitingForOne) {
  HttpRequest request = get(server.url("/large?bytes=5000"));
  request.method = "HEAD";
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(header(*response, "content-length"), "5000");
  EXPECT_TRUE(response->body.empty());
}

TEST_F(HttpClientTest, ReassemblesChunkedBodies) {
  auto response = client.request(get(server.url("/chunked")), kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "hello, chunked world");
  EXPECT_EQ(header(*response, "transfer-encoding"), "chunked");
}

// --- streaming (HttpRequest::on_body_chunk) ---------------------------------------------------

TEST_F(HttpClientTest, StreamsTheBodyAsItArrivesInsteadOfCollectingIt) {
  HttpRequest request = get(server.url("/chunked"));
  std::string streamed;
  int pieces = 0;
  request.on_body_chunk = [&](const HttpResponse& head, std::string_view piece) {
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(header(head, "transfer-encoding"), "chunked");
    EXPECT_TRUE(head.body.empty());
    EXPECT_FALSE(piece.empty());
    streamed += piece;
    ++pieces;
    return true;
  };
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(header(*response, "transfer-encoding"), "chunked");
  EXPECT_EQ(streamed, "hello, chunked world");
  EXPECT_GE(pieces, 1);
  EXPECT_TRUE(response->body.empty());
}

TEST(HttpClientStreaming, StreamedBodiesAreNotBoundByTheResponseLimit) {
  TestServer server;
  HttpClientOptions options;
  options.max_response_bytes = 1024;
  const HttpClient client(options);
  for (const char* path : {"/large?bytes=100000", "/large-chunked?bytes=100000"}) {
    HttpRequest request = get(server.url(path));
    std::size_t bytes = 0;
    bool only_x = true;
    request.on_body_chunk = [&](const HttpResponse&, std::string_view piece) {
      bytes += piece.size();
      only_x = only_x && piece.find_first_not_of('x') == std::string_view::npos;
      return true;
    };
    auto response = client.request(request, kLoopback);
    ASSERT_TRUE(response) << path << ": " << response.error().message;
    EXPECT_EQ(response->status, 200) << path;
    EXPECT_EQ(bytes, 100000u) << path;
    EXPECT_TRUE(only_x) << path;
    EXPECT_TRUE(response->body.empty()) << path;
  }
}

TEST_F(HttpClientTest, ReturningFalseFromTheBodyCallbackStopsReading) {
  // 256 MiB would take a while to read; stopping after the first piece returns at once.
  HttpRequest request = get(server.url("/large-chunked?bytes=268435456"));
  request.timeout = milliseconds(10'000);
  std::size_t bytes = 0;
  int calls = 0;
  request.on_body_chunk = [&](const HttpResponse&, std::string_view piece) {
    bytes += piece.size();
    ++calls;
    return false;
  };
  const auto start = Clock::now();
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(calls, 1);
  EXPECT_GT(bytes, 0u);
  EXPECT_LT(bytes, 1024u * 1024u);
  EXPECT_LT(elapsed_since(start), milliseconds(5'000));
  // The server notices the closed connection; the client is ready for the next request.
  auto next = client.request(get(server.url("/json")), kLoopback);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpClientTest, StreamingDeliversOnlyTheBodyOfTheFinalRedirectHop) {
  HttpRequest request = get(server.url("/redirect/3"));
  request.follow_redirects = true;
  std::string streamed;
  request.on_body_chunk = [&](const HttpResponse&, std::string_view piece) {
    streamed += piece;
    return true;
  };
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(streamed, "arrived");
}

TEST_F(HttpClientTest, StreamingTellsAnErrorDocumentByItsStatus) {
  HttpRequest request = get(server.url("/nothing-here"));
  int status = 0;
  std::string streamed;
  request.on_body_chunk = [&](const HttpResponse& head, std::string_view piece) {
    status = head.status;
    streamed += piece;
    return true;
  };
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(streamed, "not found");
}

TEST_F(HttpClientTest, StreamingAResponseWithoutABodyNeverCallsBack) {
  HttpRequest request = get(server.url("/large?bytes=5000"));
  request.method = "HEAD";
  bool called = false;
  request.on_body_chunk = [&](const HttpResponse&, std::string_view) {
    called = true;
    return true;
  };
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_FALSE(called);
}

TEST_F(HttpClientTest, ManyThreadsShareOneClient) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto response = client.request(get(server.url("/json")), kLoopback);
        if (response && response->status == 200) ++ok;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(ok.load(), 40);
}

// --- limits -----------------------------------------------------------------------------------

TEST(HttpClientLimits, BodyOverTheLimitIsTooLarge) {
  TestServer server;
  HttpClientOptions options;
  options.max_response_bytes = 1024;
  const HttpClient client(options);
  EXPECT_ERROR(client.request(get(server.url("/large?bytes=4096")), kLoopback), Status::too_large,
               "1024 bytes");
  EXPECT_ERROR(client.request(get(server.url("/large-chunked?bytes=8192")), kLoopback),
               Status::too_large, "exceeds the limit");
  auto small = client.request(get(server.url("/large?bytes=1024")), kLoopback);
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->body.size(), 1024u);
}

TEST(HttpClientLimits, HeadersOverTheLimitAreTooLarge) {
  TestServer server;
  HttpClientOptions options;
  options.max_header_bytes = 2048;
  const HttpClient client(options);
  EXPECT_ERROR(client.request(get(server.url("/big-headers?bytes=4096")), kLoopback),
               Status::too_large, "headers");
  EXPECT_TRUE(client.request(get(server.url("/big-headers?bytes=512")), kLoopback));
}

// --- deadlines and cancellation ---------------------------------------------------------------

TEST_F(HttpClientTest, SlowResponseTimesOutNamingThePhase) {
  HttpRequest request = get(server.url("/slow"));
  request.timeout = milliseconds(200);
  const auto start = Clock::now();
  EXPECT_ERROR(client.request(request, kLoopback), Status::timeout,
               "timed out after 200 ms while waiting for the response");
  EXPECT_GE(elapsed_since(start), milliseconds(190));
  EXPECT_LT(elapsed_since(start), milliseconds(2000));
}

TEST(HttpClientDeadlines, RequestTimeoutIsCappedAtMaxTimeout) {
  TestServer server;
  HttpClientOptions options;
  options.max_timeout = milliseconds(150);
  const HttpClient client(options);
  HttpRequest request = get(server.url("/slow"));
  request.timeout = milliseconds(60'000);
  const auto start = Clock::now();
  EXPECT_ERROR(client.request(request, kLoopback), Status::timeout, "after 150 ms");
  EXPECT_LT(elapsed_since(start), milliseconds(2000));
}

TEST(HttpClientDeadlines, DefaultTimeoutAppliesWhenTheRequestHasNone) {
  TestServer server;
  HttpClientOptions options;
  options.default_timeout = milliseconds(150);
  const HttpClient client(options);
  EXPECT_ERROR(client.request(get(server.url("/slow")), kLoopback), Status::timeout,
               "after 150 ms");
}

TEST(HttpClientDeadlines, TlsHandshakeTimeoutNamesThePhase) {
  TestServer silent(std::nullopt, TestServer::Mode::silent);
  const HttpClient client;
  HttpRequest request = get("https://127.0.0.1:" + std::to_string(silent.port()) + "/");
  request.timeout = milliseconds(200);
  EXPECT_ERROR(client.request(request, kLoopback), Status::timeout,
               "while in the TLS handshake with 127.0.0.1:" + std::to_string(silent.port()));
}

TEST_F(HttpClientTest, CancellationAbandonsTheRequest) {
  const auto start = Clock::now();
  const auto cancelled = [&] { return elapsed_since(start) >= milliseconds(100); };
  EXPECT_ERROR(client.request(get(server.url("/slow")), kLoopback, cancelled), Status::cancelled,
               "cancelled while waiting for the response");
  EXPECT_GE(elapsed_since(start), milliseconds(100));
  EXPECT_LT(elapsed_since(start), milliseconds(1000));
}

TEST_F(HttpClientTest, AlreadyCancelledRequestReturnsAtOnce) {
  EXPECT_ERROR(client.request(get(server.url("/json")), kLoopback, [] { return true; }),
               Status::cancelled, "cancelled");
}

// --- egress -----------------------------------------------------------------------------------

TEST_F(HttpClientTest, DeniedHostIsForbiddenBeforeAnyConnection) {
  const EgressPolicy policy({"api.example.com", "127.0.0.1:1"});
  EXPECT_ERROR(client.request(get(server.url("/json")), policy), Status::forbidden,
               "add it to the plugin's egress allow-list");
  EXPECT_ERROR(client.request(get(server.url("/json")), policy), Status::forbidden,
               "127.0.0.1:" + std::to_string(server.port()));
  // Connections are accepted in order: once an allowed request has been served, any connection
  // the denied ones had made would have been counted too.
  ASSERT_TRUE(client.request(get(server.url("/json")), kLoopback));
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(HttpClientTest, PortSpecificEgressAllowsThatPort) {
  const EgressPolicy policy({"127.0.0.1:" + std::to_string(server.port())});
  EXPECT_TRUE(client.request(get(server.url("/json")), policy));
}

// --- redirects --------------------------------------------------------------------------------

TEST_F(HttpClientTest, RedirectsAreReturnedAsIsByDefault) {
  auto response = client.request(get(server.url("/redirect/3")), kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(header(*response, "location"), "/redirect/2");
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(HttpClientTest, FollowsAChainOfAbsoluteAndRelativeRedirects) {
  HttpRequest request = get(server.url("/redirect/4"));
  request.follow_redirects = true;
  auto response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "arrived");
  EXPECT_EQ(server.connections(), 5);

  request.url = server.url("/dir/sub/relative");
  response = client.request(request, kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, R"({"ok":true,"name":"secpilot"})");
}

TEST(HttpClientRedirects, StopsAfterMaxRedirects) {
  TestServer server;
  HttpClientOptions options;
  options.max_redirects = 2;
  const HttpClient client(options);
  HttpRequest request = get(server.url("/redirect/5"));
  request.follow_redirects = true;
  EXPECT_ERROR(client.request(request, kLoopback), Status::upstream, "too many redirects");
  EXPECT_EQ(server.connections(), 3);
  request.url = server.url("/redirect/2");
  EXPECT_TRUE(client.request(request, kLoopback));
}

HttpRequest post_redirect(const TestServer& server, int status, const std::string& location) {
  HttpRequest request =
      get(server.url("/redirect-to?status=" + std::to_string(status) + "&location=" + location));
  request.method = "POST";
  request.body = "data";
  request.headers = {{"Content-Type", "text/plain"}, {"Authorization", "Bearer secret"}};
  request.follow_redirects = true;
  return request;
}

TEST_F(HttpClientTest, Redirect301302303BecomeGetWithoutBody) {
  for (int status : {301, 302, 303}) {
    auto response = client.request(post_redirect(server, status, "/echo"), kLoopback);
    ASSERT_TRUE(response) << response.error().message;
    const auto echo = json_body(*response);
    EXPECT_EQ(str(echo.at("method")), "GET") << status;
    EXPECT_EQ(str(echo.at("body")), "") << status;
    EXPECT_FALSE(echo.at("headers").as_object().contains("content-type")) << status;
  }
}

TEST_F(HttpClientTest, Redirect307308KeepMethodBodyAndSameOriginCredentials) {
  for (int status : {307, 308}) {
    auto response = client.request(post_redirect(server, status, "/echo"), kLoopback);
    ASSERT_TRUE(response) << response.error().message;
    const auto echo = json_body(*response);
    EXPECT_EQ(str(echo.at("method")), "POST") << status;
    EXPECT_EQ(str(echo.at("body")), "data") << status;
    EXPECT_EQ(str(echo.at("headers").at("authorization")), "Bearer secret") << status;
  }
}

TEST_F(HttpClientTest, CrossOriginRedirectDropsCredentials) {
  TestServer other;
  auto response = client.request(post_redirect(server, 307, other.url("/echo")), kLoopback);
  ASSERT_TRUE(response) << response.error().message;
  const auto echo = json_body(*response);
  EXPECT_EQ(str(echo.at("body")), "data");
  EXPECT_FALSE(echo.at("headers").as_object().contains("authorization"));
  EXPECT_EQ(other.connections(), 1);
}

TEST_F(HttpClientTest, EachRedirectHopIsEgressChecked) {
  TestServer other;
  HttpRequest request = get(server.url("/redirect-to?location=" + other.url("/json")));
  request.follow_redirects = true;
  const EgressPolicy only_first({"127.0.0.1:" + std::to_string(server.port())});
  EXPECT_ERROR(client.request(request, only_first), Status::forbidden,
               "redirect blocked: egress to 127.0.0.1:" + std::to_string(other.port()));
  request.url = server.url("/redirect-to?location=http://not-allowed.invalid/x");
  EXPECT_ERROR(client.request(request, kLoopback), Status::forbidden, "not-allowed.invalid:80");
  ASSERT_TRUE(client.request(get(other.url("/json")), kLoopback));
  EXPECT_EQ(other.connections(), 1);
}

// --- bad input and upstream failures ----------------------------------------------------------

TEST_F(HttpClientTest, RejectsBadUrlsMethodsAndHeadersAsInvalidInput) {
  const std::string port = std::to_string(server.port());
  for (const std::string& url : std::vector<std::string>{
           "", "not a url", "/relative/path", "ftp://127.0.0.1:" + port + "/",
           "http://user:pw@127.0.0.1:" + port + "/", "http:///path", "http://127.1:" + port + "/",
           "http://2130706433:" + port + "/", "http://127.0.0.1:99999/",
           "http://bad_host!.example/", "http://[v7.fe]/"}) {
    EXPECT_ERROR(client.request(get(url), EgressPolicy({"*"})), Status::invalid_input, "") << url;
  }
  HttpRequest request = get(server.url("/json"));
  request.method = "";
  EXPECT_ERROR(client.request(request, kLoopback), Status::invalid_input, "method");
  request.method = "GE T";
  EXPECT_ERROR(client.request(request, kLoopback), Status::invalid_input, "method");
  request.method = "GET";
  request.headers = {{"X-Injected", "a\r\nX-Evil: 1"}};
  EXPECT_ERROR(client.request(request, kLoopback), Status::invalid_input, "X-Injected");
  request.headers = {{"Bad Name", "v"}};
  EXPECT_ERROR(client.request(request, kLoopback), Status::invalid_input, "header name");
  EXPECT_EQ(server.connections(), 0);  // nothing here gets as far as a connection
}

TEST(HttpClientUpstream, ConnectionRefusedIsUpstream) {
  unsigned short port = 0;
  {
    TestServer closed;
    port = closed.port();
  }
  const HttpClient client;
  EXPECT_ERROR(client.request(get("http://127.0.0.1:" + std::to_string(port) + "/"), kLoopback),
               Status::upstream, "connecting to 127.0.0.1:" + std::to_string(port) + " failed");
}

TEST(HttpClientUpstream, HostNamesAreResolvedWithTheSystemResolver) {
  // "localhost" must mean loopback only, so no other address is ever contacted; the server
  // listens on 127.0.0.1, so a ::1 answer first also proves the client tries each address.
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  ASSERT_EQ(::getaddrinfo("localhost", "80", &hints, &list), 0);
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    const bool loopback =
        ai->ai_family == AF_INET
            ? (ntohl(reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr.s_addr) >> 24) ==
                  127
            : IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    ASSERT_TRUE(loopback) << "localhost resolves to a non-loopback address on this machine";
  }
  ::freeaddrinfo(list);

  TestServer server;
  const HttpClient client;
  auto response =
      client.request(get(server.url("/echo", "LocalHost")), EgressPolicy({"localhost"}));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(str(json_body(*response).at("headers").at("host")),
            "localhost:" + std::to_string(server.port()));
}

TEST_F(HttpClientTest, ProtocolFailuresAreUpstream) {
  EXPECT_ERROR(client.request(get(server.url("/garbage")), kLoopback), Status::upstream,
               "invalid HTTP response");
  EXPECT_ERROR(client.request(get(server.url("/close")), kLoopback), Status::upstream,
               "closed the connection before sending a response");
}

// --- TLS --------------------------------------------------------------------------------------

// One self-signed certificate for "localhost" and 127.0.0.1, written to a temporary PEM file.
class HttpClientTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    identity_ = new testing::TlsIdentity(testing::make_self_signed({"localhost"}, {"127.0.0.1"}));
    std::string dir_template =
        (std::filesystem::temp_directory_path() / "secpilot-net-test-XXXXXX").string();
    if (::mkdtemp(dir_template.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = new std::filesystem::path(dir_template);
    std::ofstream(*dir_ / "ca.pem") << identity_->cert_pem;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete identity_;
  }
  static std::string ca_file() { return (*dir_ / "ca.pem").string(); }

  // Maps `name` to 127.0.0.1 so that nothing is ever looked up or contacted elsewhere.
  static HttpClientOptions options(std::string_view name, bool trust_test_ca) {
    HttpClientOptions options;
    options.resolve_overrides = {{std::string(name), "127.0.0.1"}};
    if (trust_test_ca) options.ca_file = ca_file();
    return options;
  }

  inline static testing::TlsIdentity* identity_ = nullptr;
  inline static std::filesystem::path* dir_ = nullptr;
  TestServer server{*identity_};
  const EgressPolicy egress{{"localhost", "127.0.0.1", "wrong-name.test"}};
};

TEST_F(HttpClientTls, DefaultTrustStoreRejectsTheSelfSignedCertificate) {
  const HttpClient client(options("localhost", false));
  const std::string authority = "localhost:" + std::to_string(server.port());
  auto result = client.request(get(server.url("/json", "localhost")), egress);
  EXPECT_ERROR(result, Status::upstream, "TLS handshake with " + authority + " failed");
  EXPECT_ERROR(result, Status::upstream, "certificate verify failed");
}

TEST_F(HttpClientTls, CaFileTrustsTheCertificateAndSniIsSent) {
  const HttpClient client(options("localhost", true));
  auto response = client.request(get(server.url("/json", "localhost")), egress);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(server.last_server_name(), "localhost");
}

TEST_F(HttpClientTls, IpAddressIsVerifiedAgainstTheIpSubjectAltName) {
  const HttpClient client(options("localhost", true));
  auto response = client.request(get(server.url("/echo")), egress);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(server.last_server_name(), "");  // no SNI for IP addresses (RFC 6066)
}

TEST_F(HttpClientTls, HostnameMismatchFails) {
  const HttpClient client(options("wrong-name.test", true));
  EXPECT_ERROR(client.request(get(server.url("/json", "wrong-name.test")), egress),
               Status::upstream, "hostname mismatch");
}

TEST_F(HttpClientTls, VerificationCanBeTurnedOffExplicitly) {
  HttpClientOptions opts = options("wrong-name.test", false);
  opts.verify_tls = false;
  const HttpClient client(opts);
  auto response = client.request(get(server.url("/json", "wrong-name.test")), egress);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpClientTls, HttpsToAPlainServerFailsTheHandshake) {
  TestServer plain;
  const HttpClient client(options("localhost", true));
  EXPECT_ERROR(
      client.request(get("https://127.0.0.1:" + std::to_string(plain.port()) + "/"), egress),
      Status::upstream, "TLS handshake with 127.0.0.1");
}

TEST_F(HttpClientTls, RedirectFromHttpsToHttpIsRefused) {
  TestServer plain;
  const HttpClient client(options("localhost", true));
  HttpRequest request = get(server.url("/redirect-to?location=" + plain.url("/json")));
  request.follow_redirects = true;
  EXPECT_ERROR(client.request(request, egress), Status::upstream, "leaves TLS");
  ASSERT_TRUE(client.request(get(plain.url("/json")), egress));
  EXPECT_EQ(plain.connections(), 1);
}

TEST(HttpClientConfig, UnreadableCaFileOrBadOverrideFailsConstruction) {
  HttpClientOptions options;
  options.ca_file = "/nonexistent/secpilot-ca.pem";
  EXPECT_THROW(HttpClient{options}, std::invalid_argument);
  options.ca_file.clear();
  options.resolve_overrides = {{"localhost", "not-an-address"}};
  EXPECT_THROW(HttpClient{options}, std::invalid_argument);
}

}  // namespace
}  // namespace secpilot::net

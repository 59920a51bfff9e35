// HttpServer over loopback: routing, keep-alive, limits, timeouts, event streams, the work pool,
// graceful stop, concurrency and TLS. Clients are raw sockets so that every byte is the test's.
#include "secpilot/server/http_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "net/test_cert.hpp"
#include "secpilot/net/http_client.hpp"
#include "server/raw_client.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::server {
namespace {

using namespace std::chrono_literals;
using testing::get_request;
using testing::post_request;
using testing::RawClient;
using testing::RawResponse;
using Clock = std::chrono::steady_clock;

boost::json::object parse_object(const std::string& text) {
  return boost::json::parse(text).as_object();
}

// The routes most tests use.
Router api_routes() {
  Router router;
  router.get("/healthz",
             [](const Request&, const PathParams&) -> Reply { return text(200, "ok\n"); });
  router.get("/v1/sessions/{id}", [](const Request& request, const PathParams& params) -> Reply {
    return json(200, boost::json::object{{"id", std::string(params["id"])},
                                         {"path", request.path},
                                         {"q", std::string(request.query_param("q").value_or(""))},
                                         {"remote", request.remote_address}});
  });
  router.del("/v1/sessions/{id}",
             [](const Request&, const PathParams&) -> Reply { return no_content(); });
  router.post("/v1/skills/{name}:invoke",
              [](const Request& request, const PathParams& params) -> Reply {
                return json(200, boost::json::object{{"skill", std::string(params["name"])},
                                                     {"body", request.body}});
              });
  router.get("/boom", [](const Request&, const PathParams&) -> Reply {
    throw std::runtime_error("secret internals");
  });
  router.get("/bad-response", [](const Request&, const PathParams&) -> Reply {
    Response response = text(101, "upgrade?");
    response.content_type = "text/plain\r\nX-Injected: yes";
    return response;
  });
  return router;
}

// Signals from a handler to the test, and back.
struct Gate {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
};

class HttpServerTest : public ::testing::Test {
 protected:
  static HttpServerOptions test_options() {
    HttpServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.work_threads = 4;
    return options;
  }

  void start(HttpServerOptions options, Router router, HttpServerHooks hooks = {}) {
    server_ = std::make_unique<HttpServer>(std::move(options), std::move(router), std::move(hooks));
    const Outcome started = server_->start();
    ASSERT_TRUE(started) << started.error().message;
    ASSERT_NE(server_->port(), 0);
  }

  std::uint16_t port() const { return server_->port(); }

  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, RoutesParametersCustomMethods404And405) {
  start(test_options(), api_routes());
  RawClient client(port());
  ASSERT_TRUE(client.connected());

  ASSERT_TRUE(client.send(get_request("/v1/sessions/abc%20d?q=ip+lookup&x=1")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  auto body = parse_object(response->body);
  EXPECT_EQ(body.at("id").as_string(), "abc d");
  EXPECT_EQ(body.at("path").as_string(), "/v1/sessions/abc d");
  EXPECT_EQ(body.at("q").as_string(), "ip lookup");

  ASSERT_TRUE(client.send(post_request("/v1/skills/ThreatIntel.Lookup:invoke", R"({"ip":"1"})")));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  body = parse_object(response->body);
  EXPECT_EQ(body.at("skill").as_string(), "ThreatIntel.Lookup");
  EXPECT_EQ(body.at("body").as_string(), R"({"ip":"1"})");

  ASSERT_TRUE(client.send(get_request("/v1/nowhere")));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->header("content-type"), "application/problem+json");
  body = parse_object(response->body);
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("title").as_string(), "Not Found");

  ASSERT_TRUE(
      client.send("PUT /v1/sessions/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->header("allow"), "GET, HEAD, DELETE, OPTIONS");
  EXPECT_EQ(parse_object(response->body).at("status").as_int64(), 405);

  ASSERT_TRUE(client.send("DELETE /v1/sessions/abc HTTP/1.1\r\nHost: x\r\n\r\n"));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  EXPECT_FALSE(response->has_header("content-length"));
  EXPECT_FALSE(response->has_header("content-type"));

  ASSERT_TRUE(client.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  response = client.read_response(RawClient::kWait, /*head_request=*/true);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("content-length"), "3");  // what GET would send, without the body

  ASSERT_TRUE(client.send("OPTIONS /v1/sessions/abc HTTP/1.1\r\nHost: x\r\n\r\n"));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->header("allow"), "GET, HEAD, DELETE, OPTIONS");

  // Still the same connection, and still usable.
  ASSERT_TRUE(client.send(get_request("/healthz")));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "ok\n");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start(test_options(), api_routes());
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/v1/sessions/one")));
  auto first = client.read_response();
  ASSERT_TRUE(client.send(get_request("/v1/sessions/two")));
  auto second = client.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 200);
  EXPECT_FALSE(first->has_header("connection"));
  EXPECT_EQ(parse_object(first->body).at("remote"), parse_object(second->body).at("remote"));
  EXPECT_EQ(server_->stats().connections, 1u);

  // Two requests in one write are answered in order.
  ASSERT_TRUE(client.send(get_request("/v1/sessions/three") + get_request("/v1/sessions/four")));
  auto third = client.read_response();
  auto fourth = client.read_response();
  ASSERT_TRUE(third && fourth);
  EXPECT_EQ(parse_object(third->body).at("id").as_string(), "three");
  EXPECT_EQ(parse_object(fourth->body).at("id").as_string(), "four");

  // Connection: close is honoured.
  ASSERT_TRUE(client.send(get_request("/healthz", "Connection: close\r\n")));
  auto last = client.read_response();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  start(test_options(), api_routes());
  RawClient keep(port());
  ASSERT_TRUE(keep.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto response = keep.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("connection"), "keep-alive");
  ASSERT_TRUE(keep.send("GET /healthz HTTP/1.0\r\n\r\n"));
  response = keep.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(keep.wait_closed());
}

TEST_F(HttpServerTest, ResponsesCarryContentTypeLengthAndSecurityHeaders) {
  start(test_options(), api_routes());
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/v1/sessions/abc")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("content-type"), "application/json");
  EXPECT_EQ(response->header("content-length"), std::to_string(response->body.size()));
  EXPECT_EQ(response->header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response->header("cache-control"), "no-store");
  EXPECT_TRUE(response->header("date").ends_with(" GMT"));

  ASSERT_TRUE(client.send(get_request("/healthz")));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(response->header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(response->has_header("cache-control"));

  ASSERT_TRUE(client.send(get_request("/boom")));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->header("content-type"), "application/problem+json");
  EXPECT_EQ(response->body.find("secret internals"), std::string::npos);

  ASSERT_TRUE(client.send(get_request("/bad-response")));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_FALSE(response->has_header("x-injected"));
}

TEST_F(HttpServerTest, HooksSeeEveryResponseAndTheRoutePattern) {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::tuple<std::string, std::string, std::string, int>> completed;
  HttpServerHooks hooks;
  hooks.response_headers = [](const Request& request, int status, std::string_view type,
                              Headers& headers) {
    add_default_response_headers(request, status, type, headers);
    headers.emplace_back("Strict-Transport-Security", "max-age=63072000");
    headers.emplace_back("Bad\r\nHeader", "dropped");  // never reaches the wire
  };
  hooks.on_request_complete = [&](const CompletedRequest& done) {
    std::lock_guard lock(mutex);
    completed.emplace_back(std::string(done.method), std::string(done.route),
                           std::string(done.path), done.status);
    EXPECT_GE(done.duration.count(), 0);
    changed.notify_all();
  };
  start(test_options(), api_routes(), hooks);
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/v1/sessions/abc?key=secret")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("strict-transport-security"), "max-age=63072000");
  EXPECT_FALSE(response->has_header("bad"));
  ASSERT_TRUE(client.send(get_request("/missing")));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("strict-transport-security"), "max-age=63072000");
  ASSERT_TRUE(client.send("NOT-HTTP\r\n\r\n"));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->header("strict-transport-security"), "max-age=63072000");

  std::unique_lock lock(mutex);
  ASSERT_TRUE(changed.wait_for(lock, 5s, [&] { return completed.size() == 3; }));
  EXPECT_EQ(completed[0], std::make_tuple(std::string("GET"), std::string("/v1/sessions/{id}"),
                                          std::string("/v1/sessions/abc"), 200));
  EXPECT_EQ(completed[1],
            std::make_tuple(std::string("GET"), std::string(), std::string("/missing"), 404));
  EXPECT_EQ(std::get<3>(completed[2]), 400);
}

// --- limits ---

TEST_F(HttpServerTest, OversizeBodyIs413BeforeTheBodyIsRead) {
  HttpServerOptions options = test_options();
  options.max_body_bytes = 1024;
  start(options, api_routes());
  RawClient client(port());
  ASSERT_TRUE(
      client.send("POST /v1/skills/x:invoke HTTP/1.1\r\nHost: x\r\nContent-Type: "
                  "application/json\r\nContent-Length: 2048\r\n\r\n" +
                  std::string(100, 'a')));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->header("content-type"), "application/problem+json");
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_NE(parse_object(response->body).at("detail").as_string().find("1024"), std::string::npos);
  EXPECT_TRUE(client.wait_closed());

  // A chunked body is counted as it arrives.
  RawClient chunked(port());
  std::string request =
      "POST /v1/skills/x:invoke HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i)
    request += "200\r\n" + std::string(512, 'b') + "\r\n";
  request += "0\r\n\r\n";
  ASSERT_TRUE(chunked.send(request));
  response = chunked.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);

  // Within the limit, a chunked body arrives whole.
  RawClient fits(port());
  ASSERT_TRUE(
      fits.send("POST /v1/skills/x:invoke HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  response = fits.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(parse_object(response->body).at("body").as_string(), "abcde");
}

TEST_F(HttpServerTest, OversizeHeadersAre431) {
  HttpServerOptions options = test_options();
  options.max_header_bytes = 1024;
  start(options, api_routes());
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/healthz", "X-Big: " + std::string(2000, 'a') + "\r\n")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->header("content-type"), "application/problem+json");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(HttpServerTest, MalformedRequestsAre400AndClose) {
  start(test_options(), api_routes());
  for (const std::string bad :
       {"GARBAGE\r\n\r\n", "GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        "GET /healthz HTTX/1.1\r\nHost: x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nBad Header: x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\n\r\n" /* no Host */, "GET no-slash HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
    RawClient client(port());
    ASSERT_TRUE(client.send(bad));
    auto response = client.read_response();
    ASSERT_TRUE(response) << bad;
    EXPECT_EQ(response->status, 400) << bad;
    EXPECT_EQ(response->header("content-type"), "application/problem+json");
    EXPECT_EQ(response->header("connection"), "close");
    EXPECT_TRUE(client.wait_closed()) << bad;
  }
}

TEST_F(HttpServerTest, UnsupportedFramingAndVersionsAreRefused) {
  start(test_options(), api_routes());
  const std::vector<std::pair<std::string, int>> cases = {
      {"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      // chunked must come last, or the body's end is unknown (RFC 9112 §6.3).
      {"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400},
      {"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: "
       "3\r\n\r\n",
       400},
      {"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505},
      {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},  // an HTTP/2 preface
      {"GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: the-unexpected\r\n\r\n", 417},
  };
  for (const auto& [request, status] : cases) {
    RawClient client(port());
    ASSERT_TRUE(client.send(request));
    auto response = client.read_response();
    ASSERT_TRUE(response) << request;
    EXPECT_EQ(response->status, status) << request;
    EXPECT_TRUE(client.wait_closed()) << request;
  }
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
  start(test_options(), api_routes());
  RawClient client(port());
  ASSERT_TRUE(
      client.send("POST /v1/skills/x:invoke HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  "5\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client.read_head(RawClient::kWait, /*skip_interim=*/false);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.send("hello"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(parse_object(response->body).at("body").as_string(), "hello");
}

TEST_F(HttpServerTest, TooManyConnectionsAre503) {
  HttpServerOptions options = test_options();
  options.max_connections = 1;
  start(options, api_routes());
  RawClient first(port());
  ASSERT_TRUE(first.send(get_request("/healthz")));
  ASSERT_TRUE(first.read_response());
  RawClient second(port());
  auto response = second.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->header("retry-after"), "1");
  EXPECT_TRUE(second.wait_closed());
  EXPECT_EQ(server_->stats().rejected, 1u);
}

// --- timeouts ---

TEST_F(HttpServerTest, SlowClientGets408AndIsDropped) {
  HttpServerOptions options = test_options();
  options.request_timeout = 200ms;
  start(options, api_routes());
  RawClient client(port());
  // Dribble a request one byte at a time: activity does not extend the request's deadline.
  const std::string request =
      get_request("/healthz", "X-Padding: " + std::string(200, 'p') + "\r\n");
  const auto started = Clock::now();
  std::size_t sent = 0;
  while (sent < request.size() && !client.readable(20ms)) {
    ASSERT_TRUE(client.send(request.substr(sent, 1)));
    ++sent;
  }
  ASSERT_LT(sent, request.size()) << "the whole request went through";
  auto response = client.read_response();
  const auto elapsed = Clock::now() - started;
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_GE(elapsed, 180ms);
  EXPECT_LT(elapsed, 3s);
}

TEST_F(HttpServerTest, SilentNewConnectionIsClosedAfterTheRequestTimeout) {
  HttpServerOptions options = test_options();
  options.request_timeout = 200ms;
  start(options, api_routes());
  RawClient client(port());
  const auto started = Clock::now();
  EXPECT_EQ(client.read_all(), "");  // closed without a response: it never asked for anything
  const auto elapsed = Clock::now() - started;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 3s);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  HttpServerOptions options = test_options();
  options.idle_timeout = 200ms;
  start(options, api_routes());
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/healthz")));
  ASSERT_TRUE(client.read_response());
  const auto started = Clock::now();
  EXPECT_TRUE(client.wait_closed());
  const auto elapsed = Clock::now() - started;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(client.read_all(100ms), "");
}

// --- event streams ---

// What a stream handler shares with the test.
struct StreamProbe {
  std::mutex mutex;
  std::condition_variable changed;
  std::shared_ptr<EventSink> sink;
  std::optional<StreamEnd> end;
  std::string last_event_id;

  std::shared_ptr<EventSink> wait_for_sink() {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, 5s, [&] { return sink != nullptr; });
    return sink;
  }
  std::optional<StreamEnd> wait_for_end() {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, 5s, [&] { return end.has_value(); });
    return end;
  }
};

Router stream_routes(const std::shared_ptr<StreamProbe>& probe,
                     std::chrono::milliseconds keepalive = 0ms) {
  Router router = api_routes();
  router.get("/v1/events", [probe, keepalive](const Request& request, const PathParams&) -> Reply {
    {
      std::lock_guard lock(probe->mutex);
      probe->last_event_id = std::string(request.header("last-event-id"));
    }
    EventStreamStart start;
    start.options.keepalive_interval = keepalive;
    start.headers.emplace_back("X-Stream", "yes");
    start.on_open = [probe](std::shared_ptr<EventSink> sink) {
      sink->on_close([probe](StreamEnd end) {
        std::lock_guard lock(probe->mutex);
        probe->end = end;
        probe->changed.notify_all();
      });
      std::lock_guard lock(probe->mutex);
      probe->sink = std::move(sink);
      probe->changed.notify_all();
    };
    return start;
  });
  return router;
}

TEST_F(HttpServerTest, EventsArriveIncrementallyAndTheHandlerSeesTheDisconnect) {
  auto probe = std::make_shared<StreamProbe>();
  start(test_options(), stream_routes(probe));
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/v1/events", "Last-Event-ID: 7\r\n")));
  auto head = client.read_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-type"), "text/event-stream");
  EXPECT_EQ(head->header("transfer-encoding"), "chunked");
  EXPECT_EQ(head->header("cache-control"), "no-cache");
  EXPECT_EQ(head->header("x-stream"), "yes");
  EXPECT_EQ(head->header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(head->has_header("content-length"));

  auto sink = probe->wait_for_sink();
  ASSERT_TRUE(sink);
  EXPECT_EQ(probe->last_event_id, "7");
  for (int i = 8; i < 13; ++i) {
    const Event event{"{\"step\":" + std::to_string(i) + "}", "step", std::to_string(i),
                      std::nullopt};
    ASSERT_TRUE(sink->send(event));
    auto chunk = client.read_chunk();  // each event arrives before the next is sent
    ASSERT_TRUE(chunk);
    EXPECT_EQ(*chunk, format_event(event));
  }
  EXPECT_EQ(server_->stats().event_streams, 1u);

  client.close();
  const auto end = probe->wait_for_end();
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, StreamEnd::client_disconnected);
  EXPECT_FALSE(sink->send({"late", "", "", std::nullopt}));
}

TEST_F(HttpServerTest, EventsFromAnotherThreadKeepTheirOrderAndCloseEndsTheStream) {
  auto probe = std::make_shared<StreamProbe>();
  start(test_options(), stream_routes(probe));
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/v1/events")));
  ASSERT_TRUE(client.read_head());
  auto sink = probe->wait_for_sink();
  ASSERT_TRUE(sink);

  std::string expected;
  for (int i = 0; i < 200; ++i)
    expected += format_event({std::to_string(i), "", "", std::nullopt});
  std::thread producer([sink] {
    for (int i = 0; i < 200; ++i) {
      sink->wait_until_buffered_below(16 * 1024, 5s);
      ASSERT_TRUE(sink->send({std::to_string(i), "", "", std::nullopt}));
    }
    sink->close();
  });
  std::string received;
  for (;;) {
    auto chunk = client.read_chunk();
    ASSERT_TRUE(chunk) << "the stream broke after " << received.size() << " bytes";
    if (chunk->empty()) break;  // the last chunk: a clean end
    received += *chunk;
  }
  producer.join();
  EXPECT_EQ(received, expected);
  EXPECT_TRUE(client.wait_closed());
  const auto end = probe->wait_for_end();
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, StreamEnd::closed);
}

TEST_F(HttpServerTest, IdleEventStreamGetsKeepAliveComments) {
  auto probe = std::make_shared<StreamProbe>();
  start(test_options(), stream_routes(probe, 50ms));
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/v1/events")));
  ASSERT_TRUE(client.read_head());
  auto chunk = client.read_chunk();
  ASSERT_TRUE(chunk);
  EXPECT_EQ(*chunk, ": keep-alive\n");
}

TEST_F(HttpServerTest, StopEndsEventStreamsCleanly) {
  auto probe = std::make_shared<StreamProbe>();
  start(test_options(), stream_routes(probe));
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/v1/events")));
  ASSERT_TRUE(client.read_head());
  auto sink = probe->wait_for_sink();
  ASSERT_TRUE(sink);
  ASSERT_TRUE(sink->send({"before stop", "", "", std::nullopt}));
  ASSERT_TRUE(client.read_chunk());
  const auto started = Clock::now();
  server_->stop(10s);
  EXPECT_LT(Clock::now() - started, 5s);  // a stream is not an in-flight request to wait for
  auto last = client.read_chunk();
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, "");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(probe->wait_for_end(), StreamEnd::server_stopping);
}

// --- the work pool and stopping ---

TEST_F(HttpServerTest, SaturatedWorkPoolAnswers503WithRetryAfter) {
  HttpServerOptions options = test_options();
  options.work_threads = 1;
  options.max_queued_requests = 0;
  auto gate = std::make_shared<Gate>();
  Router router = api_routes();
  router.get("/slow", [gate](const Request&, const PathParams&) -> Reply {
    gate->entered.set_value();
    gate->released.wait();
    return text(200, "done");
  });
  start(options, std::move(router));

  RawClient busy(port());
  ASSERT_TRUE(busy.send(get_request("/slow")));
  ASSERT_EQ(gate->entered.get_future().wait_for(5s), std::future_status::ready);
  RawClient refused(port());
  ASSERT_TRUE(refused.send(get_request("/slow")));
  auto response = refused.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->header("retry-after"), "1");
  EXPECT_EQ(response->header("content-type"), "application/problem+json");
  EXPECT_EQ(server_->stats().in_flight, 1u);

  gate->release.set_value();
  response = busy.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  // The refused connection stays usable.
  ASSERT_TRUE(refused.send(get_request("/healthz")));
  response = refused.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpServerTest, GracefulStopFinishesInFlightRequestsThenRefusesConnections) {
  auto gate = std::make_shared<Gate>();
  Router router = api_routes();
  router.get("/slow", [gate](const Request&, const PathParams&) -> Reply {
    gate->entered.set_value();
    gate->released.wait();
    return text(200, "finished");
  });
  start(test_options(), std::move(router));
  RawClient idle(port());
  ASSERT_TRUE(idle.send(get_request("/healthz")));
  ASSERT_TRUE(idle.read_response());
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/slow")));
  ASSERT_EQ(gate->entered.get_future().wait_for(5s), std::future_status::ready);

  const auto started = Clock::now();
  std::thread stopper([&] { server_->stop(10s); });
  // Once the listener is gone, connecting fails.
  bool refused = false;
  while (!refused && Clock::now() - started < 5s) {
    RawClient probe(port());
    refused = !probe.connected();
  }
  EXPECT_TRUE(refused);
  EXPECT_TRUE(idle.wait_closed());  // idle keep-alive connections close at once
  gate->release.set_value();

  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "finished");
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(client.wait_closed());
  stopper.join();
  EXPECT_LT(Clock::now() - started, 5s);
  EXPECT_FALSE(server_->running());
  RawClient after(port());
  EXPECT_FALSE(after.connected());
}

TEST_F(HttpServerTest, StopPastTheGracePeriodCancelsHandlers) {
  auto gate = std::make_shared<Gate>();
  auto saw_cancel = std::make_shared<std::atomic<bool>>(false);
  Router router = api_routes();
  router.get("/forever", [gate, saw_cancel](const Request& request, const PathParams&) -> Reply {
    gate->entered.set_value();
    while (!request.cancelled())
      std::this_thread::sleep_for(5ms);
    saw_cancel->store(true);
    return text(200, "too late");
  });
  start(test_options(), std::move(router));
  RawClient client(port());
  ASSERT_TRUE(client.send(get_request("/forever")));
  ASSERT_EQ(gate->entered.get_future().wait_for(5s), std::future_status::ready);
  const auto started = Clock::now();
  server_->stop(100ms);
  const auto elapsed = Clock::now() - started;
  EXPECT_GE(elapsed, 90ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_TRUE(saw_cancel->load());
  EXPECT_EQ(client.read_all(), "");  // closed without an answer
}

TEST_F(HttpServerTest, HundredConcurrentClientsWithKeepAlive) {
  HttpServerOptions options = test_options();
  start(options, api_routes());
  constexpr int kClients = 100;
  constexpr int kRequests = 20;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> clients;
  clients.reserve(kClients);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      RawClient client(port());
      for (int r = 0; r < kRequests; ++r) {
        const std::string id = std::to_string(c) + "-" + std::to_string(r);
        if (!client.send(get_request("/v1/sessions/" + id))) {
          ++failed;
          return;
        }
        auto response = client.read_response(10s);
        if (!response || response->status != 200 ||
            parse_object(response->body).at("id").as_string() != id) {
          ++failed;
          return;
        }
        ++ok;
      }
    });
  }
  for (auto& thread : clients)
    thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(ok.load(), kClients * kRequests);
  server_->stop(5s);  // counters settle once every connection is done
  EXPECT_EQ(server_->stats().requests, static_cast<std::uint64_t>(kClients * kRequests));
  EXPECT_EQ(server_->stats().connections, 0u);
}

// --- start() errors ---

TEST_F(HttpServerTest, StartReportsAddressProblemsClearly) {
  start(test_options(), api_routes());
  HttpServerOptions same = test_options();
  same.port = port();
  HttpServer second(same, api_routes());
  Outcome result = second.start();
  ASSERT_FALSE(result);
  EXPECT_NE(
      result.error().message.find("address 127.0.0.1:" + std::to_string(port()) + " is in use"),
      std::string::npos)
      << result.error().message;

  HttpServerOptions bad = test_options();
  bad.address = "not-an-address";
  result = HttpServer(bad, api_routes()).start();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("'not-an-address' is not an IP address"),
            std::string::npos);

  HttpServerOptions missing = test_options();
  missing.tls = TlsFiles{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  result = HttpServer(missing, api_routes()).start();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("cannot read the TLS certificate '/nonexistent/cert.pem'"),
            std::string::npos)
      << result.error().message;
}

// --- TLS ---

TEST_F(HttpServerTest, ServesHttpsWithACertificateFromFiles) {
  secpilot::testing::TempDir dir;
  const auto identity = net::testing::make_self_signed({"localhost"}, {"127.0.0.1"});
  secpilot::testing::write_file(dir / "cert.pem", identity.cert_pem);
  secpilot::testing::write_file(dir / "key.pem", identity.key_pem);

  // A key that does not belong to the certificate is refused at start.
  const auto other = net::testing::make_self_signed({"localhost"}, {});
  secpilot::testing::write_file(dir / "other-key.pem", other.key_pem);
  HttpServerOptions mismatched = test_options();
  mismatched.tls = TlsFiles{(dir / "cert.pem").string(), (dir / "other-key.pem").string()};
  const Outcome refused = HttpServer(mismatched, api_routes()).start();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("does not match"), std::string::npos)
      << refused.error().message;

  HttpServerOptions options = test_options();
  options.tls = TlsFiles{(dir / "cert.pem").string(), (dir / "key.pem").string()};
  start(options, api_routes());

  net::HttpClientOptions client_options;
  client_options.ca_file = (dir / "cert.pem").string();
  const net::HttpClient client(client_options);
  const net::EgressPolicy loopback({"127.0.0.1"});
  const std::string base = "https://127.0.0.1:" + std::to_string(port());
  net::HttpRequest get;
  get.url = base + "/healthz";
  get.timeout = 5000ms;
  auto response = client.request(get, loopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok\n");

  net::HttpRequest post;
  post.method = "POST";
  post.url = base + "/v1/skills/TI.Lookup:invoke";
  post.headers = {{"Content-Type", "application/json"}};
  post.body = R"({"ip":"1.2.3.4"})";
  post.timeout = 5000ms;
  response = client.request(post, loopback);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(parse_object(response->body).at("skill").as_string(), "TI.Lookup");

  // Plain HTTP on the TLS port fails the handshake and is closed.
  RawClient plain(port());
  ASSERT_TRUE(plain.send(get_request("/healthz")));
  EXPECT_TRUE(plain.wait_closed());
}

}  // namespace
}  // namespace secpilot::server

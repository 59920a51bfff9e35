// Responses, problem details, default headers, and the event-stream format and sink.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "secpilot/server/event_stream.hpp"
#include "secpilot/server/http_message.hpp"
#include "server/stream_sink.hpp"

namespace secpilot::server {
namespace {

TEST(ServerMessage, JsonResponse) {
  const Response response = json(201, boost::json::object{{"id", "s1"}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"id":"s1"})");
}

TEST(ServerMessage, ProblemDetails) {
  Response response = problem(404, "no session 's1'");
  EXPECT_EQ(response.content_type, "application/problem+json");
  auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "about:blank");
  EXPECT_EQ(body.at("title").as_string(), "Not Found");
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("detail").as_string(), "no session 's1'");
  EXPECT_FALSE(body.contains("instance"));

  response = problem(422, "Invalid input", "2 errors", "https://secpilot.dev/problems/invalid",
                     "/v1/skills/x:invoke",
                     boost::json::object{{"errors", boost::json::array{"a", "b"}}, {"status", 1}});
  body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://secpilot.dev/problems/invalid");
  EXPECT_EQ(body.at("instance").as_string(), "/v1/skills/x:invoke");
  EXPECT_EQ(body.at("errors").as_array().size(), 2u);
  EXPECT_EQ(body.at("status").as_int64(), 422);  // extensions cannot override standard members

  body = boost::json::parse(problem(500, "Oops", "").body).as_object();
  EXPECT_FALSE(body.contains("detail"));
}

TEST(ServerMessage, RequestAccessors) {
  Request request;
  request.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
  request.query = {{"q", "ip lookup"}, {"q", "second"}};
  EXPECT_EQ(request.header("Content-Type"), "application/json");
  EXPECT_EQ(request.header("X-A"), "1");
  EXPECT_EQ(request.header("missing"), "");
  EXPECT_FALSE(request.has_header("missing"));
  EXPECT_EQ(request.query_param("q"), "ip lookup");
  EXPECT_FALSE(request.query_param("Q"));
  EXPECT_FALSE(request.cancelled());
  auto flag = std::make_shared<std::atomic<bool>>(false);
  request.cancellation = flag;
  flag->store(true);
  EXPECT_TRUE(request.cancelled());
}

TEST(ServerMessage, DefaultResponseHeaders) {
  Request request;
  Headers headers;
  add_default_response_headers(request, 200, "application/json", headers);
  EXPECT_EQ(find_header(headers, "x-content-type-options"), "nosniff");
  EXPECT_EQ(find_header(headers, "cache-control"), "no-store");

  headers = {{"Cache-Control", "max-age=60"}};
  add_default_response_headers(request, 200, "application/problem+json", headers);
  EXPECT_EQ(find_header(headers, "cache-control"), "max-age=60");

  headers.clear();
  add_default_response_headers(request, 200, "text/plain; version=0.0.4", headers);
  EXPECT_FALSE(find_header(headers, "cache-control"));
  EXPECT_EQ(find_header(headers, "x-content-type-options"), "nosniff");
}

TEST(ServerEventStreamFormat, FieldsAndLines) {
  EXPECT_EQ(format_event({"hello", "", "", std::nullopt}), "data: hello\n\n");
  EXPECT_EQ(format_event({"a\nb\r\nc\rd", "step", "42", std::chrono::milliseconds(3000)}),
            "retry: 3000\nid: 42\nevent: step\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_event({"", "done", "", std::nullopt}), "event: done\ndata: \n\n");
  EXPECT_EQ(format_event({"x\n", "", "", std::nullopt}), "data: x\n\n");
  EXPECT_EQ(format_comment("keep-alive"), ": keep-alive\n");
  EXPECT_THROW(format_event({"x", "bad\ntype", "", std::nullopt}), std::invalid_argument);
  EXPECT_THROW(format_event({"x", "", std::string("1\0", 2), std::nullopt}), std::invalid_argument);
}

TEST(ServerEventSink, QueuesUntilTakenAndEndsOnce) {
  StreamSink sink(EventStreamOptions{});
  std::vector<StreamEnd> ends;
  sink.on_close([&](StreamEnd end) { ends.push_back(end); });
  EXPECT_TRUE(sink.send({"one", "", "1", std::nullopt}));
  EXPECT_TRUE(sink.comment("hi"));
  EXPECT_EQ(sink.buffered_bytes(), std::string("id: 1\ndata: one\n\n: hi\n").size());
  StreamSink::Batch batch = sink.take();
  EXPECT_EQ(batch.bytes, "id: 1\ndata: one\n\n: hi\n");
  EXPECT_FALSE(batch.end);
  EXPECT_EQ(sink.buffered_bytes(), batch.bytes.size());  // in flight until written
  sink.written();
  EXPECT_EQ(sink.buffered_bytes(), 0u);

  int wakes = 0;
  sink.set_waker([&] { ++wakes; });
  EXPECT_TRUE(sink.take().bytes.empty());  // nothing queued: the writer now waits
  EXPECT_TRUE(sink.send({"two", "", "", std::nullopt}));
  EXPECT_TRUE(sink.send({"three", "", "", std::nullopt}));
  EXPECT_EQ(wakes, 1);  // one wake-up per wait, not per event

  sink.close();
  sink.close();
  EXPECT_TRUE(sink.closed());
  EXPECT_FALSE(sink.send({"late", "", "", std::nullopt}));
  batch = sink.take();
  EXPECT_EQ(batch.bytes, "data: two\n\ndata: three\n\n");  // a producer's close flushes
  ASSERT_TRUE(batch.end);
  EXPECT_EQ(*batch.end, StreamEnd::closed);
  EXPECT_TRUE(batch.flush);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0], StreamEnd::closed);

  StreamEnd late = StreamEnd::failed;
  sink.on_close([&](StreamEnd end) { late = end; });  // already ended: runs at once
  EXPECT_EQ(late, StreamEnd::closed);
}

TEST(ServerEventSink, OverflowEndsTheStreamAsTooSlow) {
  EventStreamOptions options;
  options.max_buffered_bytes = 64;
  StreamSink sink(options);
  std::optional<StreamEnd> ended;
  sink.on_close([&](StreamEnd end) { ended = end; });
  EXPECT_TRUE(sink.send({std::string(30, 'a'), "", "", std::nullopt}));
  EXPECT_FALSE(sink.send({std::string(40, 'b'), "", "", std::nullopt}));
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, StreamEnd::too_slow);
  const StreamSink::Batch batch = sink.take();
  EXPECT_FALSE(batch.flush);  // an abrupt end: nothing more is written
  EXPECT_TRUE(batch.bytes.empty());
}

TEST(ServerEventSink, WaitUntilBufferedBelowIsBackPressure) {
  StreamSink sink(EventStreamOptions{});
  ASSERT_TRUE(sink.send({std::string(100, 'x'), "", "", std::nullopt}));
  EXPECT_FALSE(sink.wait_until_buffered_below(10, std::chrono::milliseconds(20)));
  std::thread writer([&] {
    sink.take();
    sink.written();
  });
  EXPECT_TRUE(sink.wait_until_buffered_below(10, std::chrono::seconds(5)));
  writer.join();
  sink.end(StreamEnd::client_disconnected);
  EXPECT_FALSE(sink.wait_until_buffered_below(10, std::chrono::seconds(5)));
}

TEST(ServerEventSink, RetryGoesFirst) {
  EventStreamOptions options;
  options.retry = std::chrono::milliseconds(1500);
  StreamSink sink(options);
  sink.send({"x", "", "", std::nullopt});
  EXPECT_EQ(sink.take().bytes, "retry: 1500\n\ndata: x\n\n");
}

}  // namespace
}  // namespace secpilot::server

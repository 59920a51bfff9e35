// RequestReader: requests fed in pieces as a socket delivers them, pipelining, refusals.
#include "server/request_reader.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace secpilot::server {
namespace {

// Feeds `pieces` one after the other as a connection does: bytes the reader did not use are
// presented again with the next piece. Returns what is left unused.
std::string feed(RequestReader& reader, std::initializer_list<std::string_view> pieces) {
  std::string pending;
  for (std::string_view piece : pieces) {
    pending.append(piece);
    pending.erase(0, reader.put(pending));
  }
  return pending;
}

TEST(RequestReader, FinalChunkArrivingInPiecesEndsTheBody) {
  // Found by fuzzing (tests/fuzz, http_request): Boost 1.81 asserted on the final chunk's CRLF
  // arriving apart from it, which aborted debug builds of the daemon.
  RequestReader reader({});
  Request request;
  reader.start(request);
  const std::string rest =
      feed(reader, {"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "0\r\n", "\r", "\n"});
  EXPECT_FALSE(reader.take_refusal());
  ASSERT_TRUE(reader.done());
  EXPECT_TRUE(rest.empty());
  EXPECT_TRUE(reader.keep_alive());
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, "");
}

TEST(RequestReader, PipelinedRequestsAreReadOneAfterTheOther) {
  RequestReader reader({});
  Request first;
  reader.start(first);
  const std::string rest =
      feed(reader, {"GET /v1/skills?q=ip%20lookup HTTP/1.1\r\nHost: x\r\n\r\n"
                    "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"});
  ASSERT_TRUE(reader.done());
  reader.keep_alive();
  EXPECT_EQ(first.path, "/v1/skills");
  ASSERT_EQ(first.query.size(), 1u);
  EXPECT_EQ(first.query[0].second, "ip lookup");

  Request second;
  reader.start(second);
  EXPECT_EQ(feed(reader, {rest}), "");
  ASSERT_TRUE(reader.done());
  reader.keep_alive();
  EXPECT_EQ(second.method, "POST");
  EXPECT_EQ(second.body, "{}");
}

TEST(RequestReader, ARequestReadIntoTheLastOnesKeepsNothingOfIt) {
  // A connection reads each request into the Request of the one before (its strings keep their
  // capacity): nothing of the first may show through in the second.
  RequestReader reader({});
  Request request;
  reader.start(request);
  feed(reader, {"POST /v1/skills/A.B:invoke?x=1&y=2 HTTP/1.1\r\nHost: first\r\n"
                "Authorization: Bearer sp_first\r\nX-Extra: 1\r\nContent-Length: 7\r\n\r\n"
                "{\"a\":1}"});
  ASSERT_TRUE(reader.done());
  EXPECT_EQ(request.headers.size(), 4u);
  EXPECT_EQ(request.header("x-extra"), "1");

  reader.start(request);
  feed(reader, {"GET /healthz HTTP/1.0\r\nHOST: second\r\n\r\n"});
  ASSERT_TRUE(reader.done());
  EXPECT_FALSE(reader.keep_alive());
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/healthz");
  EXPECT_EQ(request.path, "/healthz");
  EXPECT_TRUE(request.query.empty());
  EXPECT_TRUE(request.body.empty());
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.headers[0].first, "host");
  EXPECT_EQ(request.headers[0].second, "second");
  EXPECT_FALSE(request.has_header("authorization"));

  // A request refused halfway through its header shows none of the last one's fields either.
  reader.start(request);
  feed(reader, {"GET / HTTP/1.1\r\nHost: third\r\nBad Field: x\r\n\r\n"});
  ASSERT_TRUE(reader.take_refusal());
  EXPECT_LE(request.headers.size(), 1u);
  EXPECT_FALSE(request.has_header("x-extra"));
}

TEST(RequestReader, RefusesWhatTheServerDoesNotServe) {
  const auto status = [](std::string_view bytes, RequestLimits limits = {}) {
    RequestReader reader(limits);
    Request request;
    reader.start(request);
    feed(reader, {bytes});
    const auto refusal = reader.take_refusal();
    return refusal ? refusal->status : 0;
  };
  EXPECT_EQ(status("GET / HTTP/1.1\r\n\r\n"), 400);  // no Host
  EXPECT_EQ(status("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(200, 'x') + "\r\n\r\n",
                   {.max_header_bytes = 100}),
            431);
  EXPECT_EQ(
      status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n", {.max_body_bytes = 10}),
      413);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nHost: x\r\nExpect: later\r\n\r\n"), 417);
}

}  // namespace
}  // namespace secpilot::server

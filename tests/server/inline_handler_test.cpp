// Handlers on the I/O thread (RouteOptions::run_inline): where they run, when they fall back to
// the work pool, and the guarantee that makes it safe: a slow inline handler hands its thread's
// I/O role to a spare thread, so other connections are still served, and stop() still cancels it.
#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "secpilot/server/http_server.hpp"
#include "server/raw_client.hpp"

namespace secpilot::server {
namespace {

using namespace std::chrono_literals;
using testing::get_request;
using testing::RawClient;
using Clock = std::chrono::steady_clock;

std::string thread_name() {
  char name[32] = {};
  ::pthread_getname_np(::pthread_self(), name, sizeof name);
  return name;
}

// Answers with the name of the thread that ran it ("secpilot-io", "secpilot-work").
RouteHandler where_am_i() {
  return [](const Request&, const PathParams&) -> Reply { return text(200, thread_name()); };
}

struct Gate {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
};

class InlineHandlerTest : public ::testing::Test {
 protected:
  static HttpServerOptions options() {
    HttpServerOptions options;
    options.port = 0;
    options.io_threads = 1;  // the worst case: one slow handler could hold all of the I/O
    options.work_threads = 2;
    options.inline_handoff_after = 20ms;
    return options;
  }

  void start(HttpServerOptions options, Router router) {
    server_ = std::make_unique<HttpServer>(std::move(options), std::move(router));
    const Outcome started = server_->start();
    ASSERT_TRUE(started) << started.error().message;
  }

  std::string get(std::string_view target) {
    RawClient client(server_->port());
    if (!client.send(get_request(target))) return "send failed";
    auto response = client.read_response();
    if (!response) return "no response";
    if (response->status != 200) return std::to_string(response->status) + " " + response->body;
    return response->body;
  }

  std::unique_ptr<HttpServer> server_;
};

TEST_F(InlineHandlerTest, RunsWhereTheRouteAndItsCheckSay) {
  Router router;
  router.get("/pool", where_am_i());
  router.get("/inline", where_am_i(), on_io_thread());
  router.get("/declined", where_am_i(),
             RouteOptions{[](const Request&, const PathParams&) { return false; }});
  router.get("/by-param/{where}", where_am_i(),
             RouteOptions{
                 [](const Request&, const PathParams& params) { return params["where"] == "io"; }});
  router.get("/check-throws", where_am_i(), RouteOptions{[](const Request&, const PathParams&) {
               return std::string("x").at(5) == 'x';
             }});
  start(options(), std::move(router));

  EXPECT_EQ(get("/pool"), "secpilot-work");
  EXPECT_EQ(get("/inline"), "secpilot-io");
  EXPECT_EQ(get("/declined"), "secpilot-work");
  EXPECT_EQ(get("/by-param/io"), "secpilot-io");
  EXPECT_EQ(get("/by-param/pool"), "secpilot-work");
  EXPECT_EQ(get("/check-throws"), "secpilot-work");  // a failing check is a no
}

TEST_F(InlineHandlerTest, TurnedOffEverythingRunsOnThePool) {
  Router router;
  router.get("/inline", where_am_i(), on_io_thread());
  HttpServerOptions opts = options();
  opts.inline_handlers = false;
  start(opts, std::move(router));
  EXPECT_EQ(get("/inline"), "secpilot-work");
}

// One I/O thread, and its inline handler blocks: the watchdog starts a spare I/O thread, which
// serves the other connections (inline too, once the slot is free again, or on the pool).
TEST_F(InlineHandlerTest, SlowInlineHandlerHandsItsIoRoleToASpare) {
  auto gate = std::make_shared<Gate>();
  Router router;
  router.get(
      "/stuck",
      [gate](const Request&, const PathParams&) -> Reply {
        gate->entered.set_value();
        gate->released.wait();
        return text(200, "unstuck");
      },
      on_io_thread());
  router.get("/inline", where_am_i(), on_io_thread());
  router.get("/pool", where_am_i());
  start(options(), std::move(router));

  RawClient stuck(server_->port());
  ASSERT_TRUE(stuck.send(get_request("/stuck")));
  ASSERT_EQ(gate->entered.get_future().wait_for(5s), std::future_status::ready);

  // The only slot is taken: these run on the pool, and their answers are written by the spare.
  const auto asked = Clock::now();
  EXPECT_EQ(get("/inline"), "secpilot-work");
  EXPECT_EQ(get("/pool"), "secpilot-work");
  EXPECT_LT(Clock::now() - asked, 2s);
  EXPECT_GE(server_->stats().inline_handoffs, 1u);

  gate->release.set_value();
  auto response = stuck.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "unstuck");
  // The slot is free again.
  EXPECT_EQ(get("/inline").substr(0, 11), "secpilot-io");  // the I/O thread, or a spare
}

// Several inline handlers stuck at once: one spare for each, up to the number of slots; a
// request beyond the slots goes to the pool, and is still answered.
TEST_F(InlineHandlerTest, EveryStuckSlotGetsItsOwnSpare) {
  constexpr int kStuck = 3;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> entered{0};
  Router router;
  router.get(
      "/stuck",
      [&](const Request&, const PathParams&) -> Reply {
        ++entered;
        released.wait();
        return text(200, "unstuck");
      },
      on_io_thread());
  router.get("/pool", where_am_i());
  HttpServerOptions opts = options();
  opts.max_inline_handlers = kStuck;
  start(opts, std::move(router));

  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < kStuck; ++i) {
    clients.push_back(std::make_unique<RawClient>(server_->port()));
    ASSERT_TRUE(clients.back()->send(get_request("/stuck")));
    // The next request is read by a spare once this one holds the thread.
    const auto deadline = Clock::now() + 5s;
    while (entered.load() <= i && Clock::now() < deadline)
      std::this_thread::sleep_for(1ms);
    ASSERT_EQ(entered.load(), i + 1);
  }
  EXPECT_EQ(get("/pool"), "secpilot-work");
  EXPECT_GE(server_->stats().inline_handoffs, static_cast<std::uint64_t>(kStuck));

  release.set_value();
  for (auto& client : clients) {
    auto response = client->read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "unstuck");
  }
  server_->stop(1s);
  EXPECT_FALSE(server_->running());
}

TEST_F(InlineHandlerTest, StopPastTheGracePeriodCancelsInlineHandlers) {
  auto gate = std::make_shared<Gate>();
  auto saw_cancel = std::make_shared<std::atomic<bool>>(false);
  Router router;
  router.get(
      "/forever",
      [gate, saw_cancel](const Request& request, const PathParams&) -> Reply {
        gate->entered.set_value();
        while (!request.cancelled())
          std::this_thread::sleep_for(5ms);
        saw_cancel->store(true);
        return text(200, "too late");
      },
      on_io_thread());
  start(options(), std::move(router));
  RawClient client(server_->port());
  ASSERT_TRUE(client.send(get_request("/forever")));
  ASSERT_EQ(gate->entered.get_future().wait_for(5s), std::future_status::ready);
  const auto started = Clock::now();
  server_->stop(100ms);
  const auto elapsed = Clock::now() - started;
  EXPECT_GE(elapsed, 90ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_TRUE(saw_cancel->load());
  EXPECT_EQ(client.read_all(), "");  // closed without an answer
  EXPECT_FALSE(server_->running());
}

// Many clients, inline and pool routes mixed, with more connections than slots and threads.
TEST_F(InlineHandlerTest, ConcurrentClientsOnInlineAndPoolRoutes) {
  Router router;
  router.get(
      "/inline/{n}",
      [](const Request&, const PathParams& params) -> Reply {
        return text(200, std::string(params["n"]));
      },
      on_io_thread());
  router.get("/pool/{n}", [](const Request&, const PathParams& params) -> Reply {
    return text(200, std::string(params["n"]));
  });
  HttpServerOptions opts = options();
  opts.io_threads = 2;
  start(opts, std::move(router));
  constexpr int kClients = 32;
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      RawClient client(server_->port());
      for (int r = 0; r < kRequests; ++r) {
        const std::string n = std::to_string(c * 1000 + r);
        if (!client.send(get_request((r % 2 ? "/inline/" : "/pool/") + n))) return;
        auto response = client.read_response(10s);
        if (!response || response->status != 200 || response->body != n) return;
        ++ok;
      }
    });
  for (auto& thread : clients)
    thread.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  server_->stop(5s);
  EXPECT_EQ(server_->stats().requests, static_cast<std::uint64_t>(kClients * kRequests));
}

}  // namespace
}  // namespace secpilot::server

// Many threads updating, creating series and scraping at once: exact totals, no torn series.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "secpilot/observability/metrics.hpp"

namespace secpilot::observability {
namespace {

constexpr int kThreads = 8;
constexpr int kIncrements = 100'000;

TEST(MetricsConcurrency, ExactTotalsUnderContention) {
  MetricsRegistry registry;
  auto& requests = registry.counter("requests_total", "h", {"route", "status"});
  Counter& shared = requests.with({"/v1/sessions", "200"});  // one handle, cached
  Gauge& in_flight = registry.gauge("in_flight", "h").with();
  auto& latency = registry.histogram("latency_seconds", "h", {"route"});
  Histogram& observed = latency.with({"/v1/sessions"});

  std::atomic<bool> stop{false};
  std::atomic<int> scrapes{0};
  std::thread scraper([&] {
    while (!stop.load()) {
      const std::string text = registry.render();
      ASSERT_EQ(text.back(), '\n');
      scrapes.fetch_add(1);
    }
  });

  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      const std::string thread_route = "/t" + std::to_string(t);
      for (int i = 0; i < kIncrements; ++i) {
        shared.inc();
        in_flight.inc();
        observed.observe(0.5);  // exact in binary: the sum is exact too
        in_flight.dec();
        // The lookup path: found under the shared lock, or created under the exclusive one.
        requests.with({thread_route, std::to_string(i % 50)}).inc();
      }
    });
  }
  for (auto& worker : workers)
    worker.join();
  stop.store(true);
  scraper.join();

  constexpr std::uint64_t kTotal = std::uint64_t{kThreads} * kIncrements;
  EXPECT_EQ(shared.value(), static_cast<double>(kTotal));
  EXPECT_EQ(in_flight.value(), 0);
  const HistogramSnapshot snapshot = observed.snapshot();
  EXPECT_EQ(snapshot.count, kTotal);
  EXPECT_EQ(snapshot.cumulative[7], 0u);      // le=0.25
  EXPECT_EQ(snapshot.cumulative[8], kTotal);  // le=0.5
  EXPECT_EQ(snapshot.sum, 0.5 * static_cast<double>(kTotal));
  EXPECT_EQ(requests.series_count(), 1u + kThreads * 50);
  for (int t = 0; t < kThreads; ++t)
    for (int s = 0; s < 50; ++s)
      EXPECT_EQ(requests.with({"/t" + std::to_string(t), std::to_string(s)}).value(),
                kIncrements / 50);

  const std::string text = registry.render();
  EXPECT_NE(text.find("requests_total{route=\"/v1/sessions\",status=\"200\"} 800000\n"),
            std::string::npos);
  EXPECT_NE(text.find("latency_seconds_count{route=\"/v1/sessions\"} 800000\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_sum{route=\"/v1/sessions\"} 400000\n"), std::string::npos);
  EXPECT_NE(text.find("in_flight 0\n"), std::string::npos);
  EXPECT_GT(scrapes.load(), 0);
}

TEST(MetricsConcurrency, RegisteringFromManyThreadsYieldsOneFamily) {
  MetricsRegistry registry;
  std::vector<const CounterFamily*> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        auto& family = registry.counter("shared_total", "h", {"k"});
        family.with({std::to_string(i % 10)}).inc();
        registry.gauge("g_" + std::to_string(i % 20), "h").with().inc();
        seen[t] = &family;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (const auto* family : seen)
    EXPECT_EQ(family, seen[0]);
  EXPECT_EQ(seen[0]->series_count(), 10u);
  double total = 0;
  for (int k = 0; k < 10; ++k)
    total += const_cast<CounterFamily*>(seen[0])->with({std::to_string(k)}).value();
  EXPECT_EQ(total, kThreads * 1000.0);
  EXPECT_EQ(registry.gauge("g_0", "h").with().value(), kThreads * 50.0);
}

TEST(MetricsConcurrency, CallbackNeverRunsConcurrentlyWithItself) {
  MetricsRegistry registry;
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  registry.gauge_callback("serialized", "h", {}, [&] {
    if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
    std::this_thread::yield();
    inside.fetch_sub(1);
    return GaugeSamples{{{}, 1}};
  });
  std::vector<std::thread> scrapers;
  for (int t = 0; t < 4; ++t)
    scrapers.emplace_back([&] {
      for (int i = 0; i < 2000; ++i)
        registry.render();
    });
  for (auto& scraper : scrapers)
    scraper.join();
  EXPECT_EQ(overlaps.load(), 0);
}

}  // namespace
}  // namespace secpilot::observability

// The registry's rules: names, label counts, registering again, clashing series, histogram
// buckets and their boundaries.
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "secpilot/observability/metrics.hpp"

namespace secpilot::observability {
namespace {

// Expects `action` to throw std::invalid_argument whose message contains every one of `parts`.
void expect_invalid(const std::function<void()>& action, std::initializer_list<std::string> parts) {
  try {
    action();
    ADD_FAILURE() << "no exception; expected one mentioning " << *parts.begin();
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    for (const std::string& part : parts)
      EXPECT_NE(message.find(part), std::string::npos)
          << "message \"" << message << "\" lacks \"" << part << "\"";
  }
}

TEST(MetricsNames, MetricNames) {
  for (const char* name : {"a", "_", ":", "secpilot_http_requests_total", "rule:job:rate5m", "A9"})
    EXPECT_TRUE(valid_metric_name(name)) << name;
  for (const char* name : {"", "9lives", "a-b", "a b", "a.b", "caf\xC3\xA9", "a{b}"})
    EXPECT_FALSE(valid_metric_name(name)) << name;
}

TEST(MetricsNames, LabelNames) {
  for (const char* name : {"a", "_", "route", "status_code", "A9", "_x"})
    EXPECT_TRUE(valid_label_name(name)) << name;
  for (const char* name : {"", "9a", "a:b", "a-b", "__name__", "__x"})
    EXPECT_FALSE(valid_label_name(name)) << name;
}

TEST(MetricsErrors, InvalidNamesAreRejected) {
  MetricsRegistry registry;
  expect_invalid([&] { registry.counter("http-requests", "h"); },
                 {"invalid metric name", "'http-requests'"});
  expect_invalid([&] { registry.gauge("", "h"); }, {"invalid metric name"});
  expect_invalid(
      [&] {
        registry.counter("ok_total", "h", {"route", "bad-label"});
      },
      {"invalid label name", "'bad-label'", "'ok_total'"});
  expect_invalid([&] { registry.counter("ok_total", "h", {"__reserved"}); },
                 {"invalid label name", "'__reserved'"});
  expect_invalid(
      [&] {
        registry.counter("ok_total", "h", {"route", "route"});
      },
      {"'route'", "repeated"});
  expect_invalid([&] { registry.histogram("lat_seconds", "h", {"le"}); },
                 {"'le'", "reserved", "'lat_seconds'"});
  expect_invalid(
      [&] { registry.gauge_callback("bad name", "h", {}, [] { return GaugeSamples{}; }); },
      {"invalid metric name"});
  // Nothing half-registered.
  EXPECT_EQ(registry.render(), "");
}

TEST(MetricsErrors, WrongNumberOfLabelValues) {
  MetricsRegistry registry;
  auto& requests = registry.counter("requests_total", "h", {"route", "status"});
  expect_invalid([&] { requests.with({"/v1/sessions"}); },
                 {"'requests_total'", "2 label(s) (route, status)", "given 1 value(s)"});
  expect_invalid([&] { requests.with({"a", "b", "c"}); }, {"given 3 value(s)"});
  expect_invalid([&] { requests.with(); }, {"given 0 value(s)"});
  auto& plain = registry.gauge("plain", "h");
  expect_invalid([&] { plain.with({"x"}); }, {"'plain'", "0 label(s) ()", "given 1 value(s)"});
  EXPECT_EQ(requests.series_count(), 0u);
}

TEST(MetricsErrors, RegisteringAgain) {
  MetricsRegistry registry;
  auto& first = registry.counter("calls_total", "Skill calls.", {"skill", "outcome"});
  // The same definition: the same family.
  EXPECT_EQ(&registry.counter("calls_total", "Skill calls.", {"skill", "outcome"}), &first);

  expect_invalid(
      [&] {
        registry.gauge("calls_total", "Skill calls.", {"skill", "outcome"});
      },
      {"'calls_total'", "already registered as a counter"});
  expect_invalid(
      [&] {
        registry.histogram("calls_total", "Skill calls.", {"skill", "outcome"});
      },
      {"already registered as a counter"});
  expect_invalid(
      [&] {
        registry.gauge_callback("calls_total", "Skill calls.", {}, [] { return GaugeSamples{}; });
      },
      {"already registered as a counter"});
  expect_invalid([&] { registry.counter("calls_total", "Skill calls.", {"skill"}); },
                 {"label names (skill, outcome), not (skill)"});
  expect_invalid(
      [&] {
        registry.counter("calls_total", "Other help.", {"skill", "outcome"});
      },
      {"another help text"});

  auto& latency = registry.histogram("latency_seconds", "h", {"route"});
  EXPECT_EQ(&registry.histogram("latency_seconds", "h", {"route"}), &latency);
  expect_invalid(
      [&] {
        registry.histogram("latency_seconds", "h", {"route"}, std::vector<double>{1, 2});
      },
      {"'latency_seconds'", "other buckets"});

  registry.gauge("in_flight", "h");
  expect_invalid(
      [&] { registry.gauge_callback("in_flight", "h", {}, [] { return GaugeSamples{}; }); },
      {"already registered as a gauge"});
  registry.gauge_callback("plugins_up", "h", {"plugin"}, [] { return GaugeSamples{}; });
  expect_invalid([&] { registry.gauge("plugins_up", "h", {"plugin"}); },
                 {"already registered as a callback gauge"});
  expect_invalid(
      [&] {
        registry.gauge_callback("plugins_up", "h", {"plugin"}, [] { return GaugeSamples{}; });
      },
      {"'plugins_up'", "callback gauge is registered once"});
  expect_invalid([&] { registry.gauge_callback("no_callback", "h", {}, nullptr); },
                 {"'no_callback'", "no callback"});
}

TEST(MetricsErrors, SeriesNamesMustNotClash) {
  MetricsRegistry registry;
  registry.histogram("request_seconds", "h");
  expect_invalid([&] { registry.counter("request_seconds_count", "h"); },
                 {"'request_seconds_count'", "clash", "'request_seconds'"});
  expect_invalid([&] { registry.gauge("request_seconds_sum", "h"); }, {"clash"});
  expect_invalid([&] { registry.gauge("request_seconds_bucket", "h"); }, {"clash"});

  registry.counter("upload_bytes_sum", "h");
  expect_invalid([&] { registry.histogram("upload_bytes", "h"); },
                 {"'upload_bytes_sum'", "'upload_bytes'", "clash"});
}

TEST(MetricsErrors, CountersOnlyGoUp) {
  MetricsRegistry registry;
  Counter& counter = registry.counter("c_total", "h").with();
  expect_invalid([&] { counter.add(-1); }, {"only goes up"});
  expect_invalid([&] { counter.add(std::numeric_limits<double>::quiet_NaN()); }, {"only goes up"});
  expect_invalid([&] { counter.add(std::numeric_limits<double>::infinity()); }, {"only goes up"});
  counter.add(0);
  EXPECT_EQ(counter.value(), 0);
}

TEST(MetricsErrors, BucketsMustBeFiniteAndIncreasing) {
  MetricsRegistry registry;
  expect_invalid(
      [&] {
        registry.histogram("h1_seconds", "h", {}, std::vector<double>{1, 0.5});
      },
      {"'h1_seconds'", "strictly increasing"});
  expect_invalid(
      [&] {
        registry.histogram("h2_seconds", "h", {}, std::vector<double>{1, 1});
      },
      {"strictly increasing"});
  expect_invalid(
      [&] {
        registry.histogram("h3_seconds", "h", {},
                           std::vector<double>{std::numeric_limits<double>::quiet_NaN()});
      },
      {"finite"});
  expect_invalid(
      [&] {
        registry.histogram("h4_seconds", "h", {},
                           std::vector<double>{-std::numeric_limits<double>::infinity(), 1});
      },
      {"finite"});
  // A trailing +Inf is implied anyway.
  auto& with_inf = registry.histogram(
      "h5_seconds", "h", {}, std::vector<double>{1, std::numeric_limits<double>::infinity()});
  EXPECT_EQ(std::vector<double>(with_inf.bounds().begin(), with_inf.bounds().end()),
            std::vector<double>{1});
  // No bound at all: only +Inf.
  registry.histogram("h6_seconds", "h", {}, std::vector<double>{}).with().observe(4);
  EXPECT_NE(registry.render().find("h6_seconds_bucket{le=\"+Inf\"} 1\nh6_seconds_sum 4\n"
                                   "h6_seconds_count 1\n"),
            std::string::npos);
}

TEST(MetricsHistogram, ValueOnABoundFallsInThatBucket) {
  MetricsRegistry registry;
  auto& family = registry.histogram("bounds_seconds", "h");
  const std::span<const double> bounds = default_latency_buckets();
  ASSERT_EQ(bounds.size(), 13u);
  EXPECT_EQ(std::vector<double>(bounds.begin(), bounds.end()),
            (std::vector<double>{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}));

  for (std::size_t i = 0; i < bounds.size(); ++i) {
    Histogram& series = family.with();
    const HistogramSnapshot before = series.snapshot();
    series.observe(bounds[i]);
    const HistogramSnapshot after = series.snapshot();
    for (std::size_t b = 0; b <= bounds.size(); ++b)
      EXPECT_EQ(after.cumulative[b] - before.cumulative[b], b >= i ? 1u : 0u)
          << "value " << bounds[i] << ", bucket " << b;
  }
}

TEST(MetricsHistogram, JustAboveABoundFallsInTheNext) {
  MetricsRegistry registry;
  Histogram& series = registry.histogram("above_seconds", "h").with();
  series.observe(std::nextafter(0.001, 1.0));  // just above the first bound
  series.observe(std::nextafter(10.0, 11.0));  // just above the last: +Inf only
  series.observe(-1);                          // below everything: first bucket
  series.observe(0);
  series.observe(std::numeric_limits<double>::quiet_NaN());  // ignored
  series.observe(std::numeric_limits<double>::infinity());   // +Inf
  const HistogramSnapshot snapshot = series.snapshot();
  ASSERT_EQ(snapshot.cumulative.size(), 14u);
  EXPECT_EQ(snapshot.cumulative[0], 2u);   // -1, 0
  EXPECT_EQ(snapshot.cumulative[1], 3u);   // + just above .001
  EXPECT_EQ(snapshot.cumulative[12], 3u);  // le=10
  EXPECT_EQ(snapshot.cumulative[13], 5u);  // +Inf
  EXPECT_EQ(snapshot.count, 5u);
  EXPECT_TRUE(std::isinf(snapshot.sum));
}

TEST(MetricsHistogram, ObservesDurationsInSeconds) {
  MetricsRegistry registry;
  Histogram& series = registry.histogram("duration_seconds", "h").with();
  series.observe(std::chrono::microseconds(2500));  // 0.0025 s: on a bound
  series.observe(std::chrono::seconds(3));
  const HistogramSnapshot snapshot = series.snapshot();
  EXPECT_EQ(snapshot.cumulative[0], 0u);
  EXPECT_EQ(snapshot.cumulative[1], 1u);
  EXPECT_EQ(snapshot.cumulative[11], 2u);  // le=5
  EXPECT_DOUBLE_EQ(snapshot.sum, 3.0025);
}

TEST(MetricsHistogram, BucketHelpers) {
  EXPECT_EQ(linear_buckets(1, 2, 4), (std::vector<double>{1, 3, 5, 7}));
  EXPECT_EQ(exponential_buckets(0.5, 2, 4), (std::vector<double>{0.5, 1, 2, 4}));
  EXPECT_TRUE(linear_buckets(1, 1, 0).empty());
  expect_invalid([] { linear_buckets(0, 0, 3); }, {"width"});
  expect_invalid([] { exponential_buckets(0, 2, 3); }, {"start"});
  expect_invalid([] { exponential_buckets(1, 1, 3); }, {"factor"});
}

TEST(MetricsRegistry, WithReturnsTheSameSeries) {
  MetricsRegistry registry;
  auto& family = registry.counter("same_total", "h", {"a", "b"});
  Counter& first = family.with({"x", "y"});
  const LabelValues values{"x", "y"};
  const std::vector<std::string_view> views{"x", "y"};
  EXPECT_EQ(&family.with(values), &first);
  EXPECT_EQ(&family.with(std::span<const std::string_view>(views)), &first);
  EXPECT_NE(&family.with({"y", "x"}), &first);
  EXPECT_EQ(family.series_count(), 2u);
  first.inc(5);
  EXPECT_EQ(family.with({"x", "y"}).value(), 5);

  // More label values than fit on the stack take the other path.
  std::vector<std::string> names;
  LabelValues many;
  for (int i = 0; i < 12; ++i) {
    names.push_back("l" + std::to_string(i));
    many.push_back(std::to_string(i));
  }
  auto& wide = registry.gauge("wide", "h", names);
  wide.with(many).set(3);
  EXPECT_EQ(wide.with(many).value(), 3);
  EXPECT_EQ(wide.series_count(), 1u);
}

TEST(MetricsRegistry, GaugeSetIncDec) {
  MetricsRegistry registry;
  Gauge& gauge = registry.gauge("g", "h").with();
  gauge.set(10);
  gauge.inc(2.5);
  gauge.dec();
  EXPECT_DOUBLE_EQ(gauge.value(), 11.5);
  gauge.dec(20);
  EXPECT_DOUBLE_EQ(gauge.value(), -8.5);
}

TEST(MetricsRegistry, FamiliesDescribeThemselves) {
  MetricsRegistry registry;
  auto& family =
      registry.histogram("described_seconds", "Described.", {"route"}, std::vector<double>{1, 2});
  EXPECT_EQ(family.name(), "described_seconds");
  EXPECT_EQ(family.help(), "Described.");
  EXPECT_EQ(family.type(), MetricType::histogram);
  EXPECT_EQ(family.label_names(), std::vector<std::string>{"route"});
  EXPECT_EQ(family.with({"/"}).bounds().size(), 2u);
}

}  // namespace
}  // namespace secpilot::observability

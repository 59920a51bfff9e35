// The Prometheus text exposition, byte for byte: golden text for each kind of metric, escaping,
// number formatting and the order of families and series.
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "secpilot/observability/metrics.hpp"

namespace secpilot::observability {
namespace {

using namespace std::string_literals;

TEST(MetricsExposition, CounterWithLabels) {
  MetricsRegistry registry;
  auto& requests =
      registry.counter("secpilot_http_requests_total",
                       "HTTP requests answered, by route and status.", {"route", "status"});
  requests.with({"/v1/sessions", "200"}).inc(3);
  requests.with({"/v1/sessions", "404"}).inc();
  requests.with({"/healthz", "200"}).inc(2);

  EXPECT_EQ(registry.render(),
            "# HELP secpilot_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE secpilot_http_requests_total counter\n"
            "secpilot_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"
            "secpilot_http_requests_total{route=\"/v1/sessions\",status=\"200\"} 3\n"
            "secpilot_http_requests_total{route=\"/v1/sessions\",status=\"404\"} 1\n");
}

TEST(MetricsExposition, CounterWithoutLabelsIsExportedAtZero) {
  MetricsRegistry registry;
  registry.counter("secpilot_reloads_total", "Configuration reloads.");
  EXPECT_EQ(registry.render(),
            "# HELP secpilot_reloads_total Configuration reloads.\n"
            "# TYPE secpilot_reloads_total counter\n"
            "secpilot_reloads_total 0\n");
}

TEST(MetricsExposition, CounterFractionsAndLargeTotals) {
  MetricsRegistry registry;
  auto& family = registry.counter("busy_seconds_total", "", {"kind"});
  auto& cpu = family.with({"cpu"});
  cpu.inc(2);
  cpu.add(0.5);
  family.with({"huge"}).inc(std::numeric_limits<std::uint64_t>::max());
  EXPECT_DOUBLE_EQ(cpu.value(), 2.5);
  EXPECT_EQ(registry.render(),
            "# TYPE busy_seconds_total counter\n"
            "busy_seconds_total{kind=\"cpu\"} 2.5\n"
            "busy_seconds_total{kind=\"huge\"} 18446744073709551615\n");
}

TEST(MetricsExposition, LabelledFamilyWithoutSeriesHasOnlyItsHeader) {
  MetricsRegistry registry;
  registry.counter("secpilot_skill_calls_total", "Skill calls.", {"skill", "outcome"});
  EXPECT_EQ(registry.render(),
            "# HELP secpilot_skill_calls_total Skill calls.\n"
            "# TYPE secpilot_skill_calls_total counter\n");
}

TEST(MetricsExposition, Gauge) {
  MetricsRegistry registry;
  Gauge& in_flight =
      registry.gauge("secpilot_evaluations_in_flight", "Evaluations running now.").with();
  in_flight.inc();
  in_flight.inc();
  in_flight.inc();
  in_flight.dec();
  auto& temperatures = registry.gauge("room_temperature_celsius", "Temperature.", {"room"});
  temperatures.with({"lab"}).set(-2.5);
  temperatures.with({"attic"}).set(0.25);

  EXPECT_EQ(registry.render(),
            "# HELP room_temperature_celsius Temperature.\n"
            "# TYPE room_temperature_celsius gauge\n"
            "room_temperature_celsius{room=\"attic\"} 0.25\n"
            "room_temperature_celsius{room=\"lab\"} -2.5\n"
            "# HELP secpilot_evaluations_in_flight Evaluations running now.\n"
            "# TYPE secpilot_evaluations_in_flight gauge\n"
            "secpilot_evaluations_in_flight 2\n");
}

TEST(MetricsExposition, CallbackGauge) {
  MetricsRegistry registry;
  int scrapes = 0;
  registry.gauge_callback("secpilot_plugin_healthy", "1 when the plugin loaded and is healthy.",
                          {"plugin"}, [&] {
                            ++scrapes;
                            return GaugeSamples{{{"zeta"}, 0}, {{"alpha"}, 1}, {{"mid"}, 1}};
                          });
  const std::string expected =
      "# HELP secpilot_plugin_healthy 1 when the plugin loaded and is healthy.\n"
      "# TYPE secpilot_plugin_healthy gauge\n"
      "secpilot_plugin_healthy{plugin=\"alpha\"} 1\n"
      "secpilot_plugin_healthy{plugin=\"mid\"} 1\n"
      "secpilot_plugin_healthy{plugin=\"zeta\"} 0\n";
  EXPECT_EQ(registry.render(), expected);
  EXPECT_EQ(registry.render(), expected);
  EXPECT_EQ(scrapes, 2);  // evaluated at each scrape, not at registration
}

TEST(MetricsExposition, CallbackGaugeLeavesOutBadSamplesAndSurvivesThrowing) {
  MetricsRegistry registry;
  bool fail = false;
  registry.gauge_callback("plugins_up", "", {"plugin"}, [&] {
    if (fail) throw std::runtime_error("plugin table unavailable");
    return GaugeSamples{{{"b"}, 1}, {{"a", "extra"}, 5}, {{}, 7}, {{"b"}, 2}, {{"a"}, 0}};
  });
  registry.counter("z_total", "");
  EXPECT_EQ(registry.render(),
            "# TYPE plugins_up gauge\n"
            "plugins_up{plugin=\"a\"} 0\n"
            "plugins_up{plugin=\"b\"} 1\n"  // the first of two samples for "b"
            "# TYPE z_total counter\n"
            "z_total 0\n");
  fail = true;
  EXPECT_EQ(registry.render(),
            "# TYPE plugins_up gauge\n"
            "# TYPE z_total counter\n"
            "z_total 0\n");
}

TEST(MetricsExposition, CallbackMayUseTheRegistry) {
  MetricsRegistry registry;
  registry.gauge_callback("a_callback", "", {}, [&] {
    registry.counter("b_registered_during_scrape_total", "").with().inc();
    return GaugeSamples{{{}, 1}};
  });
  const std::string first = registry.render();
  EXPECT_EQ(first.find("# TYPE a_callback gauge\na_callback 1\n"), 0u) << first;
  EXPECT_NE(registry.render().find("b_registered_during_scrape_total 2\n"), std::string::npos);
}

TEST(MetricsExposition, Histogram) {
  MetricsRegistry registry;
  const double buckets[] = {0.125, 0.5, 1};
  auto& latency = registry.histogram("secpilot_http_request_duration_seconds",
                                     "Time to answer a request.", {"route"}, buckets);
  Histogram& sessions = latency.with({"/v1/sessions"});
  sessions.observe(0.0625);
  sessions.observe(0.125);  // on a bound: counted in that bucket
  sessions.observe(0.25);
  sessions.observe(3.0);
  latency.with({"/healthz"}).observe(std::chrono::milliseconds(500));

  EXPECT_EQ(registry.render(),
            "# HELP secpilot_http_request_duration_seconds Time to answer a request.\n"
            "# TYPE secpilot_http_request_duration_seconds histogram\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.125\"} 0\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.5\"} 1\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"1\"} 1\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1\n"
            "secpilot_http_request_duration_seconds_sum{route=\"/healthz\"} 0.5\n"
            "secpilot_http_request_duration_seconds_count{route=\"/healthz\"} 1\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/v1/sessions\",le=\"0.125\"} 2\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/v1/sessions\",le=\"0.5\"} 3\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/v1/sessions\",le=\"1\"} 3\n"
            "secpilot_http_request_duration_seconds_bucket{route=\"/v1/sessions\",le=\"+Inf\"} 4\n"
            "secpilot_http_request_duration_seconds_sum{route=\"/v1/sessions\"} 3.4375\n"
            "secpilot_http_request_duration_seconds_count{route=\"/v1/sessions\"} 4\n");
}

TEST(MetricsExposition, HistogramDefaultLatencyBucketsWithoutLabels) {
  MetricsRegistry registry;
  registry.histogram("secpilot_planner_seconds", "Planning time.").with().observe(0.003);
  EXPECT_EQ(registry.render(),
            "# HELP secpilot_planner_seconds Planning time.\n"
            "# TYPE secpilot_planner_seconds histogram\n"
            "secpilot_planner_seconds_bucket{le=\"0.001\"} 0\n"
            "secpilot_planner_seconds_bucket{le=\"0.0025\"} 0\n"
            "secpilot_planner_seconds_bucket{le=\"0.005\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"0.01\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"0.025\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"0.05\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"0.1\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"0.25\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"0.5\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"1\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"2.5\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"5\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"10\"} 1\n"
            "secpilot_planner_seconds_bucket{le=\"+Inf\"} 1\n"
            "secpilot_planner_seconds_sum 0.003\n"
            "secpilot_planner_seconds_count 1\n");
}

TEST(MetricsExposition, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  auto& family = registry.counter("escaped_total",
                                  "Help with \\ backslash,\nnewline and \"quotes\".", {"value"});
  family.with({"a\\b\"c\nd"}).inc();
  family.with({"caf\xC3\xA9 \xE2\x9C\x93"}).inc();  // valid UTF-8 is kept
  family.with({std::string_view("nul\0byte", 8)}).inc();
  EXPECT_EQ(registry.render(),
            "# HELP escaped_total Help with \\\\ backslash,\\nnewline and \"quotes\".\n"
            "# TYPE escaped_total counter\n"
            "escaped_total{value=\"a\\\\b\\\"c\\nd\"} 1\n"
            "escaped_total{value=\"caf\xC3\xA9 \xE2\x9C\x93\"} 1\n"
            "escaped_total{value=\"nul\0byte\"} 1\n"s);
}

TEST(MetricsExposition, ReplacesInvalidUtf8InLabelValues) {
  MetricsRegistry registry;
  auto& family = registry.counter("utf8_total", "", {"value"});
  family.with({"bad \xFF end"}).inc();
  family.with({"cut \xE2\x9C"}).inc();            // truncated sequence
  family.with({"overlong \xC0\xAF"}).inc();       // overlong '/'
  family.with({"surrogate \xED\xA0\x80"}).inc();  // U+D800
  EXPECT_EQ(registry.render(),
            "# TYPE utf8_total counter\n"
            "utf8_total{value=\"bad \xEF\xBF\xBD end\"} 1\n"
            "utf8_total{value=\"cut \xEF\xBF\xBD\xEF\xBF\xBD\"} 1\n"
            "utf8_total{value=\"overlong \xEF\xBF\xBD\xEF\xBF\xBD\"} 1\n"
            "utf8_total{value=\"surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"} 1\n");
}

TEST(MetricsExposition, FormatsNumbersAsPrometheusReadsThem) {
  MetricsRegistry registry;
  auto& values = registry.gauge("values", "", {"case"});
  values.with({"a_integer"}).set(42);
  values.with({"b_negative_zero"}).set(-0.0);
  values.with({"c_small"}).set(1e-05);
  values.with({"d_large"}).set(1e20);
  values.with({"e_fraction"}).set(0.1);
  values.with({"f_nan"}).set(std::numeric_limits<double>::quiet_NaN());
  values.with({"g_inf"}).set(std::numeric_limits<double>::infinity());
  values.with({"h_minus_inf"}).set(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(registry.render(),
            "# TYPE values gauge\n"
            "values{case=\"a_integer\"} 42\n"
            "values{case=\"b_negative_zero\"} 0\n"
            "values{case=\"c_small\"} 1e-05\n"
            "values{case=\"d_large\"} 1e+20\n"
            "values{case=\"e_fraction\"} 0.1\n"
            "values{case=\"f_nan\"} NaN\n"
            "values{case=\"g_inf\"} +Inf\n"
            "values{case=\"h_minus_inf\"} -Inf\n");
}

TEST(MetricsExposition, FamiliesSortedByNameAndSeriesByLabelValues) {
  MetricsRegistry registry;
  auto& zeta = registry.counter("zeta_total", "", {"b", "a"});
  registry.gauge("alpha", "");
  registry.histogram("mid_seconds", "", {}, std::vector<double>{1});
  registry.gauge_callback("beta", "", {}, [] { return GaugeSamples{{{}, 3}}; });
  // Series created out of order; sorted by values in label-name order ("b" first), not by name.
  zeta.with({"2", "x"}).inc();
  zeta.with({"10", "y"}).inc();
  zeta.with({"1", "z"}).inc();
  zeta.with({"2", "a"}).inc();

  const std::string expected =
      "# TYPE alpha gauge\n"
      "alpha 0\n"
      "# TYPE beta gauge\n"
      "beta 3\n"
      "# TYPE mid_seconds histogram\n"
      "mid_seconds_bucket{le=\"1\"} 0\n"
      "mid_seconds_bucket{le=\"+Inf\"} 0\n"
      "mid_seconds_sum 0\n"
      "mid_seconds_count 0\n"
      "# TYPE zeta_total counter\n"
      "zeta_total{b=\"1\",a=\"z\"} 1\n"
      "zeta_total{b=\"10\",a=\"y\"} 1\n"
      "zeta_total{b=\"2\",a=\"a\"} 1\n"
      "zeta_total{b=\"2\",a=\"x\"} 1\n";
  EXPECT_EQ(registry.render(), expected);
  EXPECT_EQ(registry.render(), expected);

  std::string appended = "prefix\n";
  registry.render_to(appended);
  EXPECT_EQ(appended, "prefix\n" + expected);
}

TEST(MetricsExposition, ContentType) {
  EXPECT_EQ(kContentType, "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace
}  // namespace secpilot::observability

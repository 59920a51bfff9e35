// A small metrics registry and its Prometheus text exposition (format version 0.0.4), for
// secpilotd's /metrics: counters, gauges (set by hand or computed at scrape time by a callback)
// and histograms, each a family of series told apart by label values.
//
//   MetricsRegistry registry;
//   auto& requests = registry.counter("secpilot_http_requests_total", "HTTP requests answered.",
//                                     {"route", "status"});
//   Counter& ok = requests.with({"/v1/sessions", "200"});  // look up once, keep the reference
//   ok.inc();                                               // hot path: one atomic add
//   std::string body = registry.render();                   // serve with kContentType
//
// Threading: everything here is safe to call from any thread at once. Updating a series (inc,
// set, observe) is a relaxed atomic operation and takes no lock. with() takes its family's
// shared lock to find an existing series (exclusive only to create one), so callers on a hot
// path should keep the reference it returns. Registering takes the registry's lock; render()
// takes each lock only briefly, shared, and calls gauge callbacks without the registry's lock
// held, so a callback may itself use the registry.
//
// Lifetime: families and series live as long as their registry and never move, so references to
// them stay valid; series are never removed (a set of things that comes and goes, such as
// plugins, belongs in a callback gauge).
//
// Misuse throws std::invalid_argument with a message naming the metric: an invalid metric or
// label name, a wrong number of label values, a name registered again with another type, help,
// label names or buckets, a name whose series would clash with another family's (a histogram
// "x" owns x_bucket, x_sum and x_count), negative or non-finite counter increments, buckets not
// strictly increasing.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secpilot::observability {

// A series' label values, in the order of its family's label names.
using LabelValues = std::vector<std::string>;

// The Content-Type of render()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_metric_name(std::string_view name) noexcept;
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved by Prometheus).
bool valid_label_name(std::string_view name) noexcept;

// Bucket upper bounds, in seconds, for request and call latencies:
// .001 .0025 .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 (+Inf is implicit).
std::span<const double> default_latency_buckets() noexcept;
// `count` bounds: start, start + width, ... Throws std::invalid_argument unless width > 0.
std::vector<double> linear_buckets(double start, double width, std::size_t count);
// `count` bounds: start, start * factor, ... Throws std::invalid_argument unless start > 0 and
// factor > 1.
std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

// One counter series: a total that only goes up. 64 bytes, so that two series never share a
// cache line.
class alignas(64) Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  // Adds a whole number: one atomic add (lock xadd), exact below 2^64.
  void inc(std::uint64_t n = 1) noexcept { whole_.fetch_add(n, std::memory_order_relaxed); }
  // Adds a fraction (seconds spent, bytes as a double). Throws std::invalid_argument when
  // `amount` is negative, infinite or NaN: a counter never goes down.
  void add(double amount);

  double value() const noexcept {
    return static_cast<double>(whole_.load(std::memory_order_relaxed)) +
           fraction_.load(std::memory_order_relaxed);
  }

 private:
  friend class CounterFamily;
  std::atomic<std::uint64_t> whole_{0};
  std::atomic<double> fraction_{0.0};
};

// One gauge series: a value that goes up and down.
class alignas(64) Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) noexcept { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A histogram series' counts at one moment.
struct HistogramSnapshot {
  std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (== count)
  double sum = 0.0;
  std::uint64_t count = 0;
};

// One histogram series: counts of observations at or below each bound, their sum and count.
class alignas(64) Histogram {
 public:
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Counts `value` in the first bucket whose bound is >= value (a value equal to a bound falls
  // in that bucket), or in +Inf. A NaN is ignored. Lock-free: an atomic add to the bucket and a
  // compare-exchange loop for the sum.
  void observe(double value) noexcept {
    if (value != value) return;
    const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
    counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
  }
  // Observes a duration in seconds.
  template <class Rep, class Period>
  void observe(std::chrono::duration<Rep, Period> elapsed) noexcept {
    observe(std::chrono::duration<double>(elapsed).count());
  }

  // Not an atomic cut across buckets: a scrape racing an observe() may see it in the buckets
  // but not yet in the sum. The +Inf bucket and the count always agree.
  HistogramSnapshot snapshot() const;
  std::span<const double> bounds() const noexcept { return bounds_; }

 private:
  friend class HistogramFamily;
  explicit Histogram(std::span<const double> bounds);

  std::span<const double> bounds_;                        // the family's, which outlives the series
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket (not cumulative), +Inf last
  std::atomic<double> sum_{0.0};
};

enum class MetricType { counter, gauge, histogram };

namespace detail {

// Orders label values as std::vector<std::string>'s operator< does, and compares them with
// views without building strings.
struct LabelValuesLess {
  using is_transparent = void;
  bool operator()(const LabelValues& a, const LabelValues& b) const noexcept { return a < b; }
  bool operator()(const LabelValues& a, std::span<const std::string_view> b) const noexcept;
  bool operator()(std::span<const std::string_view> a, const LabelValues& b) const noexcept;
};

// What every family has; render() appends its exposition text.
class FamilyBase {
 public:
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;
  virtual ~FamilyBase();

  const std::string& name() const noexcept { return name_; }
  const std::string& help() const noexcept { return help_; }
  MetricType type() const noexcept { return type_; }
  const std::vector<std::string>& label_names() const noexcept { return label_names_; }

  virtual void render(std::string& out) const = 0;

 protected:
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names);
  void render_header(std::string& out) const;  // # HELP and # TYPE
  // Throws std::invalid_argument unless there is one value per label name.
  void check_arity(std::size_t value_count) const;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
};

// A family of series of type T, one per set of label values, created on first use.
template <class T>
class SeriesFamily : public FamilyBase {
 public:
  // The series for these label values (one per label name, in order), created at zero the first
  // time. Throws std::invalid_argument for a wrong number of values.
  T& with(std::initializer_list<std::string_view> label_values) {
    return with(std::span<const std::string_view>(label_values.begin(), label_values.size()));
  }
  T& with(std::span<const std::string_view> label_values);
  T& with(const LabelValues& label_values);
  // The one series of a family without labels.
  T& with() { return with(std::span<const std::string_view>()); }

  std::size_t series_count() const;

 protected:
  using FamilyBase::FamilyBase;
  virtual std::unique_ptr<T> make_series() const = 0;
  // Calls f(const LabelValues&, const T&) for each series in label-value order, under the
  // shared lock.
  template <class F>
  void for_each_series(F&& f) const {
    std::shared_lock lock(mutex_);
    for (const auto& [values, series] : series_)
      f(values, *series);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<T>, LabelValuesLess> series_;
};

extern template class SeriesFamily<Counter>;
extern template class SeriesFamily<Gauge>;
extern template class SeriesFamily<Histogram>;

}  // namespace detail

class CounterFamily final : public detail::SeriesFamily<Counter> {
 public:
  void render(std::string& out) const override;

 private:
  friend class MetricsRegistry;
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names);
  std::unique_ptr<Counter> make_series() const override;
};

class GaugeFamily final : public detail::SeriesFamily<Gauge> {
 public:
  void render(std::string& out) const override;

 private:
  friend class MetricsRegistry;
  GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names);
  std::unique_ptr<Gauge> make_series() const override;
};

class HistogramFamily final : public detail::SeriesFamily<Histogram> {
 public:
  std::span<const double> bounds() const noexcept { return bounds_; }
  void render(std::string& out) const override;

 private:
  friend class MetricsRegistry;
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds);
  std::unique_ptr<Histogram> make_series() const override;
  std::vector<double> bounds_;   // strictly increasing, finite, without +Inf
  std::vector<std::string> le_;  // bounds_ as "le" label values
};

// What a callback gauge reports at scrape time: one value per set of label values.
using GaugeSamples = std::vector<std::pair<LabelValues, double>>;
using GaugeCallback = std::function<GaugeSamples()>;

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Registers a family, or returns the one already registered under `name` when type, help,
  // label names (and buckets) are the same; throws std::invalid_argument otherwise. A family
  // without labels starts with its one series at zero, so that it is exported before first use.
  CounterFamily& counter(std::string_view name, std::string_view help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string_view name, std::string_view help,
                     std::vector<std::string> label_names = {});
  // `buckets`: strictly increasing upper bounds; a trailing +Inf may be given and is implied
  // anyway. Label "le" is reserved.
  HistogramFamily& histogram(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names = {},
                             std::span<const double> buckets = default_latency_buckets());

  // A gauge computed at each render(): `callback` returns the current samples (for example one
  // per plugin, 1 if healthy). It is never called concurrently with itself, and runs without the
  // registry's lock held. Samples with the wrong number of label values are left out, as is
  // everything when the callback throws; a repeated set of label values keeps its first value.
  // A name can have only one callback: registering it again throws.
  void gauge_callback(std::string_view name, std::string_view help,
                      std::vector<std::string> label_names, GaugeCallback callback);

  // The exposition text: families sorted by name, each with # HELP (when help is not empty) and
  // # TYPE, then its series sorted by label values. Label values are escaped (\\, \", \n) and
  // invalid UTF-8 in them is replaced by U+FFFD.
  std::string render() const;
  // Appends the same text to `out`.
  void render_to(std::string& out) const;

 private:
  struct State;
  // Defined and used in metrics.cpp only.
  template <class F, class Differs, class Make>
  F& register_family(std::string_view name, std::string_view help,
                     std::vector<std::string>& label_names, MetricType type, Differs differs,
                     Make make);
  std::unique_ptr<State> state_;
};

}  // namespace secpilot::observability

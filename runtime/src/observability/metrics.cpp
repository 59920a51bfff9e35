#include "secpilot/observability/metrics.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <typeinfo>

#include "observability/text_format.hpp"

namespace secpilot::observability {
namespace {

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("metrics: " + message);
}

std::string quote_name(std::string_view name) {
  return "'" + std::string(name) + "'";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out = "(";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += ", ";
    out += names[i];
  }
  return out + ")";
}

bool name_char(char c, bool first, bool colon) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (colon && c == ':') return true;
  return !first && c >= '0' && c <= '9';
}

bool valid_name(std::string_view name, bool colon) noexcept {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, colon)) return false;
  return true;
}

constexpr std::array<double, 13> kLatencyBuckets = {.001, .0025, .005, .01, .025, .05, .1,
                                                    .25,  .5,    1,    2.5, 5,    10};

void check_label_names(std::string_view metric, const std::vector<std::string>& names,
                       bool histogram) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& label = names[i];
    if (!valid_label_name(label))
      fail("invalid label name " + quote_name(label) + " for " + quote_name(metric) +
           ": expected [a-zA-Z_][a-zA-Z0-9_]*, not starting with \"__\"");
    if (histogram && label == "le")
      fail("label name 'le' is reserved for histogram buckets (" + quote_name(metric) + ")");
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == label)
        fail("label name " + quote_name(label) + " repeated in " + quote_name(metric));
  }
}

std::vector<double> checked_buckets(std::string_view metric, std::span<const double> buckets) {
  std::vector<double> bounds(buckets.begin(), buckets.end());
  if (!bounds.empty() && bounds.back() == std::numeric_limits<double>::infinity())
    bounds.pop_back();  // implied
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]))
      fail("histogram " + quote_name(metric) + ": bucket bounds must be finite (+Inf is implied)");
    if (i != 0 && !(bounds[i - 1] < bounds[i]))
      fail("histogram " + quote_name(metric) + ": bucket bounds must be strictly increasing");
  }
  return bounds;
}

// Appends "name{labels} value\n".
void append_sample(std::string& out, std::string_view name, std::span<const std::string> names,
                   const LabelValues& values, double value) {
  out += name;
  text::append_labels(out, names, values);
  out += ' ';
  text::append_value(out, value);
  out += '\n';
}

class CallbackGaugeFamily final : public detail::FamilyBase {
 public:
  CallbackGaugeFamily(std::string name, std::string help, std::vector<std::string> label_names,
                      GaugeCallback callback)
      : FamilyBase(std::move(name), std::move(help), MetricType::gauge, std::move(label_names)),
        callback_(std::move(callback)) {}

  void render(std::string& out) const override {
    GaugeSamples samples;
    try {
      std::lock_guard lock(call_mutex_);
      samples = callback_();
    } catch (...) {
      samples.clear();  // a broken callback costs its own samples, not the scrape
    }
    const std::size_t arity = label_names().size();
    std::erase_if(samples, [&](const auto& sample) { return sample.first.size() != arity; });
    std::stable_sort(samples.begin(), samples.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    samples.erase(std::unique(samples.begin(), samples.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  samples.end());
    render_header(out);
    for (const auto& [values, value] : samples)
      append_sample(out, name(), label_names(), values, value);
  }

 private:
  GaugeCallback callback_;
  mutable std::mutex call_mutex_;
};

std::string_view kind(const detail::FamilyBase& family) {
  if (dynamic_cast<const CallbackGaugeFamily*>(&family) != nullptr) return "callback gauge";
  switch (family.type()) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "metric";
}

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

bool valid_metric_name(std::string_view name) noexcept {
  return valid_name(name, true);
}

bool valid_label_name(std::string_view name) noexcept {
  return valid_name(name, false) && !name.starts_with("__");
}

std::span<const double> default_latency_buckets() noexcept {
  return kLatencyBuckets;
}

std::vector<double> linear_buckets(double start, double width, std::size_t count) {
  if (!(width > 0) || !std::isfinite(start) || !std::isfinite(width))
    fail("linear_buckets: width must be positive and both arguments finite");
  std::vector<double> bounds(count);
  for (std::size_t i = 0; i < count; ++i)
    bounds[i] = start + width * static_cast<double>(i);
  return bounds;
}

std::vector<double> exponential_buckets(double start, double factor, std::size_t count) {
  if (!(start > 0) || !(factor > 1) || !std::isfinite(start) || !std::isfinite(factor))
    fail("exponential_buckets: start must be positive and factor greater than 1");
  std::vector<double> bounds(count);
  double bound = start;
  for (std::size_t i = 0; i < count; ++i, bound *= factor)
    bounds[i] = bound;
  return bounds;
}

// --- series ---

void Counter::add(double amount) {
  if (!(amount >= 0) || !std::isfinite(amount))
    fail("a counter only goes up: cannot add " + std::to_string(amount));
  fraction_.fetch_add(amount, std::memory_order_relaxed);
}

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot snapshot;
  snapshot.cumulative.resize(bounds_.size() + 1);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative[i] = total;
  }
  snapshot.count = total;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

// --- families ---

namespace detail {

namespace {
template <class A, class B>
bool less_views(const A& a, const B& b) noexcept {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](std::string_view x, std::string_view y) { return x < y; });
}
}  // namespace

bool LabelValuesLess::operator()(const LabelValues& a,
                                 std::span<const std::string_view> b) const noexcept {
  return less_views(a, b);
}

bool LabelValuesLess::operator()(std::span<const std::string_view> a,
                                 const LabelValues& b) const noexcept {
  return less_views(a, b);
}

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {}

FamilyBase::~FamilyBase() = default;

void FamilyBase::render_header(std::string& out) const {
  if (!help_.empty()) {
    out += "# HELP ";
    out += name_;
    out += ' ';
    text::append_help(out, help_);
    out += '\n';
  }
  out += "# TYPE ";
  out += name_;
  out += ' ';
  out += type_name(type_);
  out += '\n';
}

void FamilyBase::check_arity(std::size_t value_count) const {
  if (value_count == label_names_.size()) return;
  fail(quote_name(name_) + " has " + std::to_string(label_names_.size()) + " label(s) " +
       joined(label_names_) + " but was given " + std::to_string(value_count) + " value(s)");
}

template <class T>
T& SeriesFamily<T>::with(std::span<const std::string_view> label_values) {
  check_arity(label_values.size());
  {
    std::shared_lock lock(mutex_);
    if (const auto it = series_.find(label_values); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  if (const auto it = series_.find(label_values); it != series_.end()) return *it->second;
  auto [it, inserted] =
      series_.emplace(LabelValues(label_values.begin(), label_values.end()), make_series());
  return *it->second;
}

template <class T>
T& SeriesFamily<T>::with(const LabelValues& label_values) {
  constexpr std::size_t kOnStack = 8;
  if (label_values.size() <= kOnStack) {
    std::array<std::string_view, kOnStack> views;
    std::copy(label_values.begin(), label_values.end(), views.begin());
    return with(std::span<const std::string_view>(views.data(), label_values.size()));
  }
  const std::vector<std::string_view> views(label_values.begin(), label_values.end());
  return with(std::span<const std::string_view>(views));
}

template <class T>
std::size_t SeriesFamily<T>::series_count() const {
  std::shared_lock lock(mutex_);
  return series_.size();
}

template class SeriesFamily<Counter>;
template class SeriesFamily<Gauge>;
template class SeriesFamily<Histogram>;

}  // namespace detail

CounterFamily::CounterFamily(std::string name, std::string help,
                             std::vector<std::string> label_names)
    : SeriesFamily(std::move(name), std::move(help), MetricType::counter, std::move(label_names)) {}

std::unique_ptr<Counter> CounterFamily::make_series() const {
  return std::make_unique<Counter>();
}

void CounterFamily::render(std::string& out) const {
  render_header(out);
  for_each_series([&](const LabelValues& values, const Counter& counter) {
    out += name();
    text::append_labels(out, label_names(), values);
    out += ' ';
    const std::uint64_t whole = counter.whole_.load(std::memory_order_relaxed);
    const double fraction = counter.fraction_.load(std::memory_order_relaxed);
    if (fraction == 0.0) {
      text::append_value(out, whole);  // exact, however large
    } else {
      text::append_value(out, static_cast<double>(whole) + fraction);
    }
    out += '\n';
  });
}

GaugeFamily::GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names)
    : SeriesFamily(std::move(name), std::move(help), MetricType::gauge, std::move(label_names)) {}

std::unique_ptr<Gauge> GaugeFamily::make_series() const {
  return std::make_unique<Gauge>();
}

void GaugeFamily::render(std::string& out) const {
  render_header(out);
  for_each_series([&](const LabelValues& values, const Gauge& gauge) {
    append_sample(out, name(), label_names(), values, gauge.value());
  });
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names, std::vector<double> bounds)
    : SeriesFamily(std::move(name), std::move(help), MetricType::histogram, std::move(label_names)),
      bounds_(std::move(bounds)) {
  le_.reserve(bounds_.size() + 1);
  for (const double bound : bounds_) {
    std::string le;
    text::append_value(le, bound);
    le_.push_back(std::move(le));
  }
  le_.emplace_back("+Inf");
}

std::unique_ptr<Histogram> HistogramFamily::make_series() const {
  return std::unique_ptr<Histogram>(new Histogram(bounds_));
}

void HistogramFamily::render(std::string& out) const {
  render_header(out);
  for_each_series([&](const LabelValues& values, const Histogram& histogram) {
    const HistogramSnapshot snapshot = histogram.snapshot();
    for (std::size_t i = 0; i < le_.size(); ++i) {
      out += name();
      out += "_bucket";
      text::append_labels(out, label_names(), values, "le", le_[i]);
      out += ' ';
      text::append_value(out, snapshot.cumulative[i]);
      out += '\n';
    }
    out += name();
    out += "_sum";
    text::append_labels(out, label_names(), values);
    out += ' ';
    text::append_value(out, snapshot.sum);
    out += '\n';
    out += name();
    out += "_count";
    text::append_labels(out, label_names(), values);
    out += ' ';
    text::append_value(out, snapshot.count);
    out += '\n';
  });
}

// --- registry ---

struct MetricsRegistry::State {
  mutable std::shared_mutex mutex;
  std::map<std::string, std::unique_ptr<detail::FamilyBase>, std::less<>> families;
  // Every sample name a family writes ("x" for a counter, "x_bucket", "x_sum" and "x_count" for a
  // histogram "x"), with the family writing it.
  std::map<std::string, std::string, std::less<>> samples;
};

MetricsRegistry::MetricsRegistry() : state_(std::make_unique<State>()) {}
MetricsRegistry::~MetricsRegistry() = default;

template <class F, class Differs, class Make>
F& MetricsRegistry::register_family(std::string_view name, std::string_view help,
                                    std::vector<std::string>& label_names, MetricType type,
                                    Differs differs, Make make) {
  if (!valid_metric_name(name))
    fail("invalid metric name " + quote_name(name) + ": expected [a-zA-Z_:][a-zA-Z0-9_:]*");
  check_label_names(name, label_names, type == MetricType::histogram);

  std::vector<std::string> sample_names;
  if (type == MetricType::histogram) {
    for (const char* suffix : {"_bucket", "_sum", "_count"})
      sample_names.push_back(std::string(name) + suffix);
  } else {
    sample_names.emplace_back(name);
  }

  std::unique_lock lock(state_->mutex);
  if (const auto it = state_->families.find(name); it != state_->families.end()) {
    detail::FamilyBase& existing = *it->second;
    auto* same_kind = dynamic_cast<F*>(&existing);
    if (same_kind == nullptr || type != existing.type())
      fail(quote_name(name) + " is already registered as a " + std::string(kind(existing)));
    if (existing.help() != help)
      fail(quote_name(name) + " is already registered with another help text");
    if (existing.label_names() != label_names)
      fail(quote_name(name) + " is already registered with label names " +
           joined(existing.label_names()) + ", not " + joined(label_names));
    if (const std::string difference = differs(*same_kind); !difference.empty())
      fail(quote_name(name) + " is already registered with " + difference);
    return *same_kind;
  }
  for (const std::string& sample : sample_names) {
    if (const auto it = state_->samples.find(sample); it != state_->samples.end())
      fail("series " + quote_name(sample) + " of " + quote_name(name) +
           " would clash with those of " + quote_name(it->second));
    if (state_->families.contains(sample))
      fail("series " + quote_name(sample) + " of " + quote_name(name) +
           " would clash with the metric " + quote_name(sample));
  }
  std::unique_ptr<F> created = make();
  F& family = *created;
  state_->families.emplace(std::string(name), std::move(created));
  for (std::string& sample : sample_names)
    state_->samples.emplace(std::move(sample), std::string(name));
  return family;
}

CounterFamily& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names) {
  auto& family = register_family<CounterFamily>(
      name, help, label_names, MetricType::counter,
      [](const CounterFamily&) { return std::string(); },
      [&] {
        return std::unique_ptr<CounterFamily>(
            new CounterFamily(std::string(name), std::string(help), label_names));
      });
  if (family.label_names().empty()) family.with();
  return family;
}

GaugeFamily& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
  auto& family = register_family<GaugeFamily>(
      name, help, label_names, MetricType::gauge, [](const GaugeFamily&) { return std::string(); },
      [&] {
        return std::unique_ptr<GaugeFamily>(
            new GaugeFamily(std::string(name), std::string(help), label_names));
      });
  if (family.label_names().empty()) family.with();
  return family;
}

HistogramFamily& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            std::span<const double> buckets) {
  std::vector<double> bounds = checked_buckets(name, buckets);
  auto& family = register_family<HistogramFamily>(
      name, help, label_names, MetricType::histogram,
      [&](const HistogramFamily& existing) {
        return std::equal(bounds.begin(), bounds.end(), existing.bounds().begin(),
                          existing.bounds().end())
                   ? std::string()
                   : std::string("other buckets");
      },
      [&] {
        return std::unique_ptr<HistogramFamily>(new HistogramFamily(
            std::string(name), std::string(help), label_names, std::move(bounds)));
      });
  if (family.label_names().empty()) family.with();
  return family;
}

void MetricsRegistry::gauge_callback(std::string_view name, std::string_view help,
                                     std::vector<std::string> label_names, GaugeCallback callback) {
  if (!callback) fail("callback gauge " + quote_name(name) + " has no callback");
  register_family<CallbackGaugeFamily>(
      name, help, label_names, MetricType::gauge,
      [](const CallbackGaugeFamily&) {
        return std::string("its own callback (a callback gauge is registered once)");
      },
      [&] {
        return std::make_unique<CallbackGaugeFamily>(std::string(name), std::string(help),
                                                     label_names, std::move(callback));
      });
}

void MetricsRegistry::render_to(std::string& out) const {
  std::vector<const detail::FamilyBase*> families;
  {
    std::shared_lock lock(state_->mutex);
    families.reserve(state_->families.size());
    for (const auto& [name, family] : state_->families)
      families.push_back(family.get());
  }
  // Families never go away, so they can be rendered without the registry's lock: a callback
  // may register metrics, and registering never waits for a scrape.
  for (const detail::FamilyBase* family : families)
    family->render(out);
}

std::string MetricsRegistry::render() const {
  std::string out;
  out.reserve(4096);
  render_to(out);
  return out;
}

}  // namespace secpilot::observability

// HttpServer. Each connection is a C++20 coroutine on its own strand, reading through a small
// Transport interface (plain TCP or TLS), so that Beast's request parser and Asio's coroutine
// machinery are instantiated once, not once per stream type. Requests are parsed by feeding
// bytes to a RequestReader (Beast's parser, in request_reader.cpp); responses are serialized by
// hand (a status line, a few fields and the body). A per-connection watchdog enforces the
// deadlines. This and request_reader.cpp are the server's only translation units that include
// Asio and Beast.
#include "secpilot/server/http_server.hpp"

#include "secpilot/util/ascii.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <future>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "server/inline_governor.hpp"
#include "server/request_reader.hpp"
#include "server/stream_sink.hpp"
#include "server/work_pool.hpp"

namespace secpilot::server {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
// How long a closing connection drains what the client still sends, so that our last response
// is not destroyed by a TCP reset (RFC 9112 §9.6), and how much it drains at most.
constexpr milliseconds kLingerTime{1'000};
constexpr std::size_t kLingerBytes = 256 * 1024;
// Writing a 408 to a client that was too slow to send its request.
constexpr milliseconds kTimeoutReplyTime{2'000};
constexpr auto kNever = Clock::time_point::max();

using Buffers = std::array<asio::const_buffer, 3>;

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
  });
}

bool is_field_value(std::string_view text) {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Fields the server writes itself; a handler's copies are dropped.
bool is_server_owned(std::string_view name) {
  return iequals_ascii(name, "content-length") || iequals_ascii(name, "transfer-encoding") ||
         iequals_ascii(name, "connection") || iequals_ascii(name, "date") ||
         iequals_ascii(name, "content-type") || iequals_ascii(name, "keep-alive");
}

// RFC 9110 §5.6.7 IMF-fixdate, formatted without the C locale's help, once a second per thread.
// Valid until the thread's next call.
std::string_view http_date() {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t formatted = -1;
  thread_local std::array<char, 40> text{};
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != formatted) {
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    const int written =
        std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                      kDays[static_cast<std::size_t>(tm.tm_wday) % 7], tm.tm_mday,
                      kMonths[static_cast<std::size_t>(tm.tm_mon) % 12], tm.tm_year + 1900,
                      tm.tm_hour, tm.tm_min, tm.tm_sec);
    length = written > 0 ? std::min(static_cast<std::size_t>(written), text.size() - 1) : 0;
    formatted = now;
  }
  return {text.data(), length};
}

void append_number(std::string& out, std::size_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void append_status_line(std::string& out, int status) {
  out.append("HTTP/1.1 ");
  append_number(out, static_cast<std::size_t>(status));
  out.push_back(' ');
  out.append(reason_phrase(status));
  out.append("\r\n");
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

// OpenSSL's reason for the most recent error, or `fallback`.
std::string openssl_reason(const error_code& ec) {
  if (ec.category() == asio::error::get_ssl_category()) {
    if (const char* reason = ::ERR_reason_error_string(static_cast<unsigned long>(ec.value()))) {
      return reason;
    }
  }
  return ec.message();
}

// A connection's byte stream: plain TCP or TLS behind one interface, so that everything above
// is compiled once.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual asio::awaitable<void> handshake(error_code& ec) {
    ec = {};
    co_return;
  }
  virtual asio::awaitable<std::size_t> read_some(asio::mutable_buffer buffer, error_code& ec) = 0;
  virtual asio::awaitable<void> write(const Buffers& buffers, error_code& ec) = 0;
  virtual tcp::socket& socket() = 0;
  virtual bool secure() const noexcept = 0;
};

class PlainTransport final : public Transport {
 public:
  explicit PlainTransport(tcp::socket socket) : socket_(std::move(socket)) {}
  asio::awaitable<std::size_t> read_some(asio::mutable_buffer buffer, error_code& ec) override {
    co_return co_await socket_.async_read_some(buffer,
                                               asio::redirect_error(asio::use_awaitable, ec));
  }
  asio::awaitable<void> write(const Buffers& buffers, error_code& ec) override {
    co_await asio::async_write(socket_, buffers, asio::redirect_error(asio::use_awaitable, ec));
  }
  tcp::socket& socket() override { return socket_; }
  bool secure() const noexcept override { return false; }

 private:
  tcp::socket socket_;
};

class TlsTransport final : public Transport {
 public:
  TlsTransport(tcp::socket socket, ssl::context& context) : stream_(std::move(socket), context) {}
  asio::awaitable<void> handshake(error_code& ec) override {
    co_await stream_.async_handshake(ssl::stream_base::server,
                                     asio::redirect_error(asio::use_awaitable, ec));
  }
  asio::awaitable<std::size_t> read_some(asio::mutable_buffer buffer, error_code& ec) override {
    co_return co_await stream_.async_read_some(buffer,
                                               asio::redirect_error(asio::use_awaitable, ec));
  }
  asio::awaitable<void> write(const Buffers& buffers, error_code& ec) override {
    co_await asio::async_write(stream_, buffers, asio::redirect_error(asio::use_awaitable, ec));
  }
  tcp::socket& socket() override { return stream_.next_layer(); }
  bool secure() const noexcept override { return true; }

 private:
  ssl::stream<tcp::socket> stream_;
};

// One request from the first byte to the last byte of its reply. Shared with the work thread
// that runs the handler; the connection reads it only after the work thread is done with it.
struct Job {
  Request request;
  std::string encoded_path;
  Clock::time_point started{};
  unsigned version = 11;
  bool keep_alive = true;
  bool expects_continue = false;
  std::string_view route;  // the matched pattern; points into the router

  const RouteHandler* handler = nullptr;
  PathParams params;
  std::shared_ptr<std::atomic<bool>> cancel;
  std::optional<Reply> reply;
  std::shared_ptr<StreamSink> sink;

  bool head() const noexcept { return request.method == "HEAD"; }

  // Back to a fresh job, but for the buffers of the request and its path, which the next request
  // is read into (the reader clears them).
  void reuse() {
    Request kept_request = std::move(request);
    std::string kept_path = std::move(encoded_path);
    *this = Job{};
    request = std::move(kept_request);
    encoded_path = std::move(kept_path);
  }

  // Runs on a work thread.
  void execute() noexcept {
    try {
      reply = (*handler)(request, params);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: the handler failed: {}", request.method, route, e.what());
      reply = problem(500, "the request failed unexpectedly; the server log has the details");
    } catch (...) {
      spdlog::error("{} {}: the handler failed with a non-standard exception", request.method,
                    route);
      reply = problem(500, "the request failed unexpectedly; the server log has the details");
    }
    auto* stream = std::get_if<EventStreamStart>(&*reply);
    if (stream == nullptr || head()) return;
    sink = std::make_shared<StreamSink>(stream->options);
    if (!stream->on_open) return;
    try {
      stream->on_open(sink);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: opening the event stream failed: {}", request.method, route, e.what());
      sink->end(StreamEnd::failed);
      sink.reset();
      reply = problem(500, "the event stream could not start; the server log has the details");
    } catch (...) {
      sink->end(StreamEnd::failed);
      sink.reset();
      reply = problem(500, "the event stream could not start; the server log has the details");
    }
  }
};

enum class PoolOutcome { ran, rejected, cancelled };

// Carries a coroutine's completion handler through the work pool and posts it back to the
// coroutine's executor (the connection's strand) when the job has run.
template <class Handler>
class PoolTask final : public WorkPool::Task {
 public:
  PoolTask(Handler handler, std::shared_ptr<Job> job)
      : handler_(std::move(handler)), job_(std::move(job)) {}
  void run() noexcept override { job_->execute(); }
  void complete() noexcept override { finish(PoolOutcome::ran); }
  void cancel() noexcept override { finish(PoolOutcome::cancelled); }
  void finish(PoolOutcome outcome) noexcept {
    auto executor = asio::get_associated_executor(handler_);
    asio::post(executor,
               [handler = std::move(handler_), outcome]() mutable { std::move(handler)(outcome); });
  }

 private:
  Handler handler_;
  std::shared_ptr<Job> job_;
};

asio::awaitable<PoolOutcome> run_on_pool(WorkPool& pool, std::shared_ptr<Job> job) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(PoolOutcome)>(
      [&pool](auto handler, std::shared_ptr<Job> job) {
        auto* task = new PoolTask<decltype(handler)>(std::move(handler), std::move(job));
        std::unique_ptr<WorkPool::Task> owned(task);
        if (!pool.try_submit(owned)) task->finish(PoolOutcome::rejected);
      },
      asio::use_awaitable, std::move(job));
}

class Connection;

// Everything the server shares between its connections, its threads and stop().
struct ServerCore {
  ServerCore(HttpServerOptions opts, Router routes, HttpServerHooks server_hooks);

  Outcome start();
  void stop(milliseconds grace);
  asio::awaitable<void> accept_loop();
  void reject(tcp::socket& socket);
  void add_connection(const std::shared_ptr<Connection>& connection);
  void remove_connection(Connection* connection);
  std::vector<std::shared_ptr<Connection>> connection_list();
  // Waits until no connection is left or `deadline` passes; true when none is left.
  bool wait_for_connections(Clock::time_point deadline);
  // The route's check says yes and a slot is free: the handler may run on this thread.
  InlineGovernor::Call inline_call(const InlineCheck* check, const Request& request,
                                   const PathParams& params,
                                   const std::shared_ptr<std::atomic<bool>>& cancel);
  // A thread that serves I/O in place of one held by a slow inline handler (InlineGovernor).
  bool start_spare();
  void join_spares();

  const HttpServerOptions options;
  const Router router;
  const HttpServerHooks hooks;
  const unsigned io_thread_count;

  std::atomic<bool> stopping{false};
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<bool> is_running{false};
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> event_streams{0};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> rejected{0};

  std::mutex lifecycle_mutex;  // start() and stop()
  bool started = false;
  bool stopped = false;

  std::mutex connections_mutex;
  std::condition_variable connections_changed;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;

  std::unique_ptr<WorkPool> pool;
  std::unique_ptr<InlineGovernor> governor;  // none when handlers never run inline
  std::mutex spares_mutex;
  struct Spare {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Spare> spares;
  std::optional<ssl::context> tls;
  // Declared after everything a connection refers to: destroying the io_context destroys the
  // coroutines still suspended in it.
  asio::io_context ioc;
  std::optional<asio::strand<asio::io_context::executor_type>> accept_strand;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::vector<std::thread> io_threads;
};

// What a connection is doing, for deadlines and for stop().
enum class Phase { handshake, idle, reading, handling, writing, streaming, closing };

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerCore& server, std::unique_ptr<Transport> transport, std::string remote)
      : server_(server),
        transport_(std::move(transport)),
        remote_(std::move(remote)),
        executor_(transport_->socket().get_executor()),
        deadline_timer_(executor_),
        wake_timer_(executor_) {}

  ~Connection() { server_.remove_connection(this); }

  const asio::any_io_executor& executor() const noexcept { return executor_; }

  static asio::awaitable<void> run(std::shared_ptr<Connection> self) {
    asio::co_spawn(self->executor_, watchdog(self), asio::detached);
    try {
      co_await self->serve();
      co_await self->linger_and_close();
    } catch (const std::exception& e) {
      spdlog::error("HTTP connection from {} failed: {}", self->remote_, e.what());
    }
    self->close_now();  // also ends the watchdog, which holds the connection too
  }

  // stop(): no new requests on this connection (runs on the strand).
  void begin_shutdown() {
    if (phase_ == Phase::idle || phase_ == Phase::handshake) close_now();
    if (sink_) sink_->end(StreamEnd::server_stopping);
  }

  // stop() after the grace period (runs on the strand).
  void force_close() {
    if (job_ && job_->cancel) job_->cancel->store(true);
    if (sink_) sink_->end(StreamEnd::server_stopping);
    close_now();
  }

 private:
  enum class ReadOutcome { request, closed, error };
  struct ReadResult {
    ReadOutcome outcome = ReadOutcome::closed;
    Response error;
  };

  const HttpServerOptions& options() const noexcept { return server_.options; }

  // --- deadlines ---

  void set_deadline(milliseconds timeout, Phase phase) {
    phase_ = phase;
    timed_out_ = false;
    deadline_ = Clock::now() + timeout;
    // The watchdog sleeps until the old deadline; wake it when the new one is earlier.
    if (deadline_ < deadline_timer_.expiry()) deadline_timer_.cancel();
  }
  void clear_deadline(Phase phase) {
    phase_ = phase;
    deadline_ = kNever;
  }

  static asio::awaitable<void> watchdog(std::shared_ptr<Connection> self) {
    while (!self->closed_) {
      self->deadline_timer_.expires_at(self->deadline_);
      error_code ec;
      co_await self->deadline_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (self->closed_) break;
      if (Clock::now() >= self->deadline_) {
        self->deadline_ = kNever;
        self->on_deadline();
      }
    }
  }

  void on_deadline() {
    timed_out_ = true;
    if (phase_ == Phase::reading) {
      // Abort the read but keep the socket: serve() answers 408 before closing.
      error_code ignored;
      transport_->socket().cancel(ignored);
      return;
    }
    if (sink_) sink_->end(StreamEnd::too_slow);
    close_now();
  }

  void close_now() {
    if (closed_) return;
    closed_ = true;
    if (sink_) sink_->end(StreamEnd::failed);
    error_code ignored;
    transport_->socket().close(ignored);
    deadline_timer_.cancel();
    wake_timer_.cancel();
  }

  // --- the request loop ---

  asio::awaitable<void> serve() {
    error_code ec;
    if (transport_->secure()) {
      set_deadline(options().request_timeout, Phase::handshake);
      co_await transport_->handshake(ec);
      if (ec || timed_out_ || closed_) {
        if (ec && !closed_)
          spdlog::debug("TLS handshake with {} failed: {}", remote_, ec.message());
        close_now();
        co_return;
      }
      phase_ = Phase::idle;  // the first request's deadline still counts from the accept
    } else {
      set_deadline(options().request_timeout, Phase::idle);
    }
    bool first = true;
    std::shared_ptr<Job> job;
    while (!closed_) {
      // The last request's job, unless a work thread or a stream still holds it: its request's
      // strings keep their capacity, so reading the next one allocates nothing.
      job_.reset();
      if (job && job.use_count() == 1) {
        job->reuse();
      } else {
        job = std::make_shared<Job>();
      }
      job_ = job;
      ReadResult read = co_await read_request(*job, first);
      first = false;
      if (read.outcome == ReadOutcome::closed) break;
      if (read.outcome == ReadOutcome::error) {
        unread_request_ = true;  // the client may still be sending it
        co_await respond(*job, std::move(read.error), false,
                         std::min(options().send_timeout, kTimeoutReplyTime));
        break;
      }
      if (!co_await handle(job)) break;
    }
    job_.reset();
  }

  // Reads one request into `job`. The first request's deadline was set by serve().
  asio::awaitable<ReadResult> read_request(Job& job, bool first) {
    const auto& opts = options();
    job.request.remote_address = remote_;
    job.request.secure = transport_->secure();
    reader_.start(job.request);

    bool started = false;
    bool header_checked = false;
    if (!first) {
      if (server_.stopping.load() && buffer_.size() == 0) co_return ReadResult{};
      set_deadline(opts.idle_timeout, Phase::idle);
    }
    for (;;) {
      if (buffer_.size() > 0) {
        if (!started) {
          started = true;
          job.started = Clock::now();
          if (!first) {
            set_deadline(opts.request_timeout, Phase::reading);
          } else {
            phase_ = Phase::reading;  // the deadline counts from the accept
          }
        }
        const std::size_t used =
            reader_.put({static_cast<const char*>(buffer_.data().data()), buffer_.size()});
        buffer_.consume(used);
        if (auto refused = reader_.take_refusal()) {
          co_return ReadResult{ReadOutcome::error, std::move(*refused)};
        }
        if (!header_checked && reader_.header_done()) {
          header_checked = true;
          job.version = reader_.version();
          job.expects_continue = reader_.expects_continue();
          job.encoded_path = reader_.encoded_path();
          if (reader_.take_send_continue()) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            error_code wec;
            const Buffers buffers{asio::buffer(kContinue)};
            co_await transport_->write(buffers, wec);
            if (wec || closed_) co_return ReadResult{};
          }
        }
        if (reader_.done()) break;
      }
      error_code ec;
      const std::size_t n = co_await transport_->read_some(buffer_.prepare(kReadChunk), ec);
      buffer_.commit(n);
      if (closed_) co_return ReadResult{};
      if (timed_out_) {
        if (!started) co_return ReadResult{};  // an idle connection: close quietly
        co_return ReadResult{
            ReadOutcome::error,
            problem(408, "the request was not received within " +
                             std::to_string(opts.request_timeout.count()) + " ms")};
      }
      if (ec) co_return ReadResult{};  // the client went away (mid-request or not)
    }
    clear_deadline(Phase::handling);

    job.keep_alive = reader_.keep_alive();
    co_return ReadResult{ReadOutcome::request, {}};
  }

  // Routes and answers one request; false when the connection must close.
  asio::awaitable<bool> handle(std::shared_ptr<Job> job) {
    const bool keep_alive = job->keep_alive;
    RouteMatch match = server_.router.match(job->request.method, job->encoded_path);
    job->route = match.pattern;
    if (match.handler == nullptr) {
      Response response = !match.path_found() ? not_found(job->request)
                          : job->request.method == "OPTIONS"
                              ? options_allowed(match.allow)
                              : method_not_allowed(job->request, match.pattern, match.allow);
      co_return co_await respond(*job, std::move(response), keep_alive);
    }
    job->handler = match.handler;
    job->params = std::move(match.params);
    // One flag per connection: it is only ever set when the connection is given up.
    if (!cancel_) cancel_ = std::make_shared<std::atomic<bool>>(false);
    job->cancel = cancel_;
    job->request.cancellation = job->cancel;

    phase_ = Phase::handling;
    ++server_.in_flight;
    PoolOutcome outcome = PoolOutcome::ran;
    if (auto call = server_.inline_call(match.run_inline, job->request, job->params, job->cancel)) {
      job->execute();
    } else {
      outcome = co_await run_on_pool(*server_.pool, job);
    }
    --server_.in_flight;
    // A handler that ran inline may return after stop() gave up on it (cancel_all): its answer
    // is dropped, as a pool handler's is.
    if (closed_ || outcome == PoolOutcome::cancelled || job->cancel->load()) {
      if (job->sink) job->sink->end(StreamEnd::failed);
      co_return false;
    }
    if (outcome == PoolOutcome::rejected) {
      ++server_.rejected;
      Response busy = problem(503, "the server is busy; retry shortly");
      busy.headers.emplace_back("Retry-After", "1");
      co_return co_await respond(*job, std::move(busy), keep_alive);
    }
    if (auto* response = std::get_if<Response>(&*job->reply)) {
      co_return co_await respond(*job, std::move(*response), keep_alive);
    }
    co_await stream(*job, std::get<EventStreamStart>(*job->reply));
    co_return false;
  }

  // --- writing ---

  void append_fields(std::string& head, const Headers& headers) const {
    for (const auto& [name, value] : headers) {
      if (is_server_owned(name)) continue;
      if (!is_token(name) || !is_field_value(value)) {
        spdlog::warn("dropped invalid response header '{}'", name);
        continue;
      }
      head += name;
      head += ": ";
      head += value;
      head += "\r\n";
    }
  }

  void report(const Job& job, int status, std::size_t body_bytes, bool aborted, bool stream) {
    ++server_.completed;
    if (!server_.hooks.on_request_complete) return;
    CompletedRequest record;
    record.method = job.request.method;
    record.route = job.route;
    record.path = job.encoded_path.empty()
                      ? std::string_view(job.request.target).substr(0, job.request.target.find('?'))
                      : std::string_view(job.encoded_path);
    record.remote_address = remote_;
    record.status = status;
    if (job.started != Clock::time_point{}) {
      record.duration =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - job.started);
    }
    record.request_body_bytes = job.request.body.size();
    record.response_body_bytes = body_bytes;
    record.event_stream = stream;
    record.aborted = aborted;
    try {
      server_.hooks.on_request_complete(record);
    } catch (const std::exception& e) {
      spdlog::error("the request-completion hook failed: {}", e.what());
    }
  }

  void apply_headers_hook(const Job& job, int status, std::string_view content_type,
                          Headers& headers) const {
    if (!server_.hooks.response_headers) return;
    try {
      server_.hooks.response_headers(job.request, status, content_type, headers);
    } catch (const std::exception& e) {
      spdlog::error("the response-headers hook failed: {}", e.what());
    }
  }

  // Writes `response`; false when the connection must close (after it, or because it failed).
  asio::awaitable<bool> respond(Job& job, Response response, bool keep_alive,
                                std::optional<milliseconds> write_limit = std::nullopt) {
    if (closed_) co_return false;
    keep_alive = keep_alive && !server_.stopping.load();
    if (job.started == Clock::time_point{}) job.started = Clock::now();
    if (response.status < 200 || response.status > 599 || !is_field_value(response.content_type)) {
      // Interim responses would break the framing, and a CR or LF would split the header.
      spdlog::error("{} {}: the handler returned an invalid response (status {})",
                    job.request.method, job.route, response.status);
      response = problem(500, "the request failed unexpectedly; the server log has the details");
    }
    const int status = response.status;
    const bool bodiless = status == 204 || status == 304;
    if (bodiless) response.body.clear();
    if (!bodiless && response.content_type.empty() && !response.body.empty()) {
      response.content_type = "application/octet-stream";
    }
    apply_headers_hook(job, status, bodiless ? std::string_view{} : response.content_type,
                       response.headers);

    // The connection's buffer: it keeps its capacity from one response to the next.
    std::string& head = head_;
    head.clear();
    append_status_line(head, status);
    head.append("Date: ").append(http_date()).append("\r\n");
    if (!bodiless) {
      if (!response.content_type.empty()) {
        head.append("Content-Type: ").append(response.content_type).append("\r\n");
      }
      head.append("Content-Length: ");
      append_number(head, response.body.size());
      head.append("\r\n");
    }
    if (!keep_alive) {
      head.append("Connection: close\r\n");
    } else if (job.version == 10) {
      head.append("Connection: keep-alive\r\n");
    }
    append_fields(head, response.headers);
    head.append("\r\n");

    const bool send_body = !job.head() && !response.body.empty();
    set_deadline(write_limit.value_or(options().send_timeout), Phase::writing);
    error_code ec;
    const Buffers buffers{asio::buffer(head),
                          send_body ? asio::buffer(response.body) : asio::const_buffer{}};
    co_await transport_->write(buffers, ec);
    const bool failed = ec || closed_ || timed_out_;
    clear_deadline(Phase::idle);
    report(job, status, send_body ? response.body.size() : 0, failed, false);
    co_return !failed && keep_alive;
  }

  // Writes the event stream until it ends; the connection closes afterwards.
  asio::awaitable<void> stream(Job& job, EventStreamStart& start) {
    // Chunked framing shows a client the difference between the end of the stream and a broken
    // connection; HTTP/1.0 has only the close.
    const bool chunked = job.version == 11;
    Headers headers = std::move(start.headers);
    if (!find_header(headers, "cache-control")) headers.emplace_back("Cache-Control", "no-cache");
    headers.emplace_back("X-Accel-Buffering", "no");  // tell reverse proxies not to buffer
    apply_headers_hook(job, 200, "text/event-stream", headers);
    std::string head;
    append_status_line(head, 200);
    head.append("Date: ").append(http_date()).append("\r\nContent-Type: text/event-stream\r\n");
    if (chunked && !job.head()) head += "Transfer-Encoding: chunked\r\n";
    head += "Connection: close\r\n";
    append_fields(head, headers);
    head += "\r\n";

    std::shared_ptr<StreamSink> sink = job.sink;
    const auto end_with = [&](StreamEnd reason) {
      if (sink) sink->end(reason);
    };
    set_deadline(options().send_timeout, Phase::writing);
    error_code ec;
    const Buffers head_buffers{asio::buffer(head)};
    co_await transport_->write(head_buffers, ec);
    if (ec || closed_ || timed_out_ || !sink) {
      end_with(timed_out_ ? StreamEnd::too_slow : StreamEnd::client_disconnected);
      clear_deadline(Phase::closing);
      report(job, 200, 0, ec || closed_ || timed_out_, true);
      co_return;
    }
    clear_deadline(Phase::streaming);

    sink_ = sink;
    ++server_.event_streams;
    sink->set_waker([weak = weak_from_this(), executor = executor_] {
      asio::post(executor, [weak] {
        if (auto self = weak.lock()) self->wake_timer_.cancel();
      });
    });
    asio::co_spawn(executor_, watch_for_disconnect(shared_from_this(), sink), asio::detached);
    if (server_.stopping.load()) sink->end(StreamEnd::server_stopping);

    const auto keepalive = sink->options().keepalive_interval;
    std::size_t sent = 0;
    bool aborted = false;
    for (;;) {
      StreamSink::Batch batch = sink->take();
      if (batch.bytes.empty() && !batch.end) {
        if (keepalive.count() > 0) {
          wake_timer_.expires_after(keepalive);
        } else {
          wake_timer_.expires_at(kNever);
        }
        co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (closed_) {
          end_with(StreamEnd::failed);
          aborted = true;
          break;
        }
        if (!ec) sink->comment("keep-alive");  // the timer ran out: nothing was sent for a while
        continue;
      }
      if (!batch.bytes.empty()) {
        char size_line[24];
        const int size_length =
            std::snprintf(size_line, sizeof size_line, "%zx\r\n", batch.bytes.size());
        static constexpr std::string_view kCrlf = "\r\n";
        set_deadline(options().send_timeout, Phase::writing);
        const Buffers buffers =
            chunked ? Buffers{asio::buffer(size_line, static_cast<std::size_t>(size_length)),
                              asio::buffer(batch.bytes), asio::buffer(kCrlf)}
                    : Buffers{asio::buffer(batch.bytes)};
        co_await transport_->write(buffers, ec);
        clear_deadline(Phase::streaming);
        sink->written();
        if (ec || closed_ || timed_out_) {
          end_with(timed_out_ ? StreamEnd::too_slow : StreamEnd::client_disconnected);
          aborted = true;
          break;
        }
        sent += batch.bytes.size();
      }
      if (batch.end) {
        if (batch.flush && chunked) {
          static constexpr std::string_view kLastChunk = "0\r\n\r\n";
          set_deadline(options().send_timeout, Phase::writing);
          const Buffers buffers{asio::buffer(kLastChunk)};
          co_await transport_->write(buffers, ec);
          clear_deadline(Phase::streaming);
        }
        aborted = !batch.flush;
        break;
      }
    }
    sink->set_waker(nullptr);
    sink_.reset();
    --server_.event_streams;
    report(job, 200, sent, aborted, true);
    // The disconnect watcher still reads: no lingering close, which would read too.
    close_now();
  }

  // A client says nothing while it receives events; a read ends when it disconnects.
  static asio::awaitable<void> watch_for_disconnect(std::shared_ptr<Connection> self,
                                                    std::shared_ptr<StreamSink> sink) {
    std::array<char, 256> ignored;
    for (;;) {
      error_code ec;
      co_await self->transport_->read_some(asio::buffer(ignored), ec);
      if (ec || self->closed_) break;
    }
    sink->end(self->closed_ ? StreamEnd::failed : StreamEnd::client_disconnected);
    self->wake_timer_.cancel();
  }

  // Half-closes and, when the client may still be sending (a refused or pipelined request),
  // drains what it sends for a moment before closing: closing a socket with unread data sends a
  // reset, which can destroy our last response before the client reads it.
  asio::awaitable<void> linger_and_close() {
    if (closed_) co_return;
    phase_ = Phase::closing;
    error_code ec;
    tcp::socket& socket = transport_->socket();
    socket.shutdown(tcp::socket::shutdown_send, ec);
    if (!ec && (unread_request_ || buffer_.size() > 0 || socket.available(ec) > 0)) {
      set_deadline(kLingerTime, Phase::closing);
      std::array<char, 4096> drain;
      std::size_t drained = 0;
      while (!closed_ && drained < kLingerBytes) {
        drained += co_await socket.async_read_some(asio::buffer(drain),
                                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
      }
    }
    close_now();
  }

  ServerCore& server_;
  std::unique_ptr<Transport> transport_;
  const std::string remote_;
  asio::any_io_executor executor_;
  asio::steady_timer deadline_timer_;
  asio::steady_timer wake_timer_;  // wakes the event-stream writer
  boost::beast::flat_buffer buffer_;
  RequestReader reader_{{options().max_header_bytes, options().max_body_bytes}};
  Clock::time_point deadline_ = kNever;
  Phase phase_ = Phase::handshake;
  bool timed_out_ = false;
  bool closed_ = false;
  bool unread_request_ = false;                // a request was refused before it was read in full
  std::shared_ptr<Job> job_;                   // the request in progress
  std::shared_ptr<StreamSink> sink_;           // the event stream in progress
  std::shared_ptr<std::atomic<bool>> cancel_;  // the requests' cancellation flag
  std::string head_;                           // the response head being written
};

}  // namespace

// --- ServerCore ---

namespace {

Error bind_error(const std::string& where, const error_code& ec) {
  if (ec == asio::error::address_in_use) {
    return make_error(Status::invalid_input,
                      "address " + where +
                          " is in use: another program (or another secpilotd) is listening "
                          "there; stop it or choose another port");
  }
  if (ec == asio::error::access_denied) {
    return make_error(Status::forbidden, "permission denied listening on " + where +
                                             ": ports below 1024 need root or "
                                             "CAP_NET_BIND_SERVICE; choose a port above 1023");
  }
  if (ec == boost::system::errc::address_not_available) {
    return make_error(Status::invalid_input,
                      "cannot listen on " + where +
                          ": the address is not assigned to any network interface of this host");
  }
  return make_error(Status::internal, "cannot listen on " + where + ": " + ec.message());
}

Expected<ssl::context> load_tls(const TlsFiles& files) {
  for (const auto& [what, file] :
       {std::pair<const char*, const std::string&>{"certificate", files.cert_file},
        std::pair<const char*, const std::string&>{"private key", files.key_file}}) {
    if (file.empty()) {
      return make_error(Status::invalid_input,
                        std::string("TLS is enabled but no ") + what + " file is configured");
    }
    if (::access(file.c_str(), R_OK) != 0) {
      return make_error(Status::invalid_input, std::string("cannot read the TLS ") + what + " '" +
                                                   file + "': " + std::strerror(errno));
    }
  }
  ssl::context context(ssl::context::tls_server);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_compression |
                      ssl::context::single_dh_use);
  ::SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  error_code ec;
  context.use_certificate_chain_file(files.cert_file, ec);
  if (ec) {
    return make_error(Status::invalid_input,
                      "TLS certificate '" + files.cert_file +
                          "' is not a PEM certificate chain: " + openssl_reason(ec));
  }
  context.use_private_key_file(files.key_file, ssl::context::pem, ec);
  const auto mismatch = [&] {
    ::ERR_clear_error();
    return make_error(Status::invalid_input, "TLS private key '" + files.key_file +
                                                 "' does not match the certificate '" +
                                                 files.cert_file + "'");
  };
  if (ec && openssl_reason(ec) == "key values mismatch") return mismatch();
  if (ec) {
    return make_error(
        Status::invalid_input,
        "TLS private key '" + files.key_file +
            "' cannot be loaded (it must be PEM and not encrypted): " + openssl_reason(ec));
  }
  if (::SSL_CTX_check_private_key(context.native_handle()) != 1) return mismatch();
  return context;
}

void log_coroutine_failure(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("HTTP server: {}", e.what());
  } catch (...) {
    spdlog::error("HTTP server: unknown exception");
  }
}

unsigned default_threads(unsigned requested, unsigned per_core, unsigned minimum) {
  if (requested > 0) return requested;
  return std::max(minimum, per_core * std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

ServerCore::ServerCore(HttpServerOptions opts, Router routes, HttpServerHooks server_hooks)
    : options(std::move(opts)),
      router(std::move(routes)),
      hooks(std::move(server_hooks)),
      io_thread_count(default_threads(options.io_threads, 1, 1)),
      // Never the hint 1, which tells Asio that no other thread will ever run handlers: spares do.
      ioc(static_cast<int>(std::max(2u, io_thread_count))) {}

Outcome ServerCore::start() {
  std::lock_guard lock(lifecycle_mutex);
  if (started) return make_error(Status::invalid_input, "the HTTP server was already started");

  std::string host = options.address;
  if (host == "localhost") host = "127.0.0.1";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    return make_error(Status::invalid_input,
                      "listen address '" + options.address +
                          "' is not an IP address (for example 127.0.0.1, ::1 or 0.0.0.0)");
  }
  const tcp::endpoint endpoint(address, options.port);
  const std::string where = format_endpoint(endpoint);

  if (options.tls) {
    auto context = load_tls(*options.tls);
    if (!context) return std::move(context).error();
    tls.emplace(std::move(context).value());
  }

  accept_strand.emplace(asio::make_strand(ioc));
  acceptor.emplace(*accept_strand);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor.reset();
    return bind_error(where, ec);
  }
  bound_port = acceptor->local_endpoint(ec).port();

  pool = std::make_unique<WorkPool>(default_threads(options.work_threads, 2, 4),
                                    options.max_queued_requests);
  if (options.inline_handlers) {
    const unsigned slots =
        options.max_inline_handlers > 0 ? options.max_inline_handlers : io_thread_count;
    governor = std::make_unique<InlineGovernor>(slots, options.inline_handoff_after,
                                                [this] { return start_spare(); });
  }
  keep_running.emplace(ioc.get_executor());
  asio::co_spawn(*accept_strand, accept_loop(), log_coroutine_failure);
  io_threads.reserve(io_thread_count);
  for (unsigned i = 0; i < io_thread_count; ++i) {
    io_threads.emplace_back([this] {
      for (;;) {
        try {
          ioc.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("HTTP server I/O thread: {}", e.what());
        }
      }
    });
    ::pthread_setname_np(io_threads.back().native_handle(), "secpilot-io");
  }
  started = true;
  is_running = true;
  return Done{};
}

asio::awaitable<void> ServerCore::accept_loop() {
  for (;;) {
    error_code ec;
    tcp::socket socket =
        co_await acceptor->async_accept(asio::any_io_executor(asio::make_strand(ioc)),
                                        asio::redirect_error(asio::use_awaitable, ec));
    if (!acceptor->is_open() || stopping.load() || ec == asio::error::operation_aborted) {
      co_return;  // the socket, if any, closes with it
    }
    if (ec) {
      // Out of descriptors or memory: back off instead of spinning on the error.
      spdlog::warn("HTTP server: accepting a connection failed: {}", ec.message());
      asio::steady_timer pause(*accept_strand, milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (open_connections.load() >= options.max_connections) {
      reject(socket);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    const auto peer = socket.remote_endpoint(ec);
    std::string remote = ec ? std::string("unknown") : format_endpoint(peer);
    std::unique_ptr<Transport> transport;
    if (tls) {
      transport = std::make_unique<TlsTransport>(std::move(socket), *tls);
    } else {
      transport = std::make_unique<PlainTransport>(std::move(socket));
    }
    auto connection = std::make_shared<Connection>(*this, std::move(transport), std::move(remote));
    add_connection(connection);
    asio::co_spawn(connection->executor(), Connection::run(connection), log_coroutine_failure);
  }
}

void ServerCore::reject(tcp::socket& socket) {
  ++rejected;
  error_code ec;
  if (!tls) {
    const Response busy =
        problem(503, "the server has too many open connections (" +
                         std::to_string(options.max_connections) + "); retry shortly");
    const std::string reply =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + busy.content_type +
        "\r\nContent-Length: " + std::to_string(busy.body.size()) +
        "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + busy.body;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(reply), ec);  // best effort: never wait for this client
    socket.shutdown(tcp::socket::shutdown_send, ec);
  }
  socket.close(ec);
}

void ServerCore::add_connection(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(connections_mutex);
  connections.emplace(connection.get(), connection);
  ++open_connections;
}

void ServerCore::remove_connection(Connection* connection) {
  {
    std::lock_guard lock(connections_mutex);
    if (connections.erase(connection) == 0) return;
    --open_connections;
  }
  connections_changed.notify_all();
}

std::vector<std::shared_ptr<Connection>> ServerCore::connection_list() {
  std::vector<std::shared_ptr<Connection>> list;
  std::lock_guard lock(connections_mutex);
  list.reserve(connections.size());
  for (const auto& [raw, weak] : connections) {
    if (auto connection = weak.lock()) list.push_back(std::move(connection));
  }
  return list;
}

bool ServerCore::wait_for_connections(Clock::time_point deadline) {
  std::unique_lock lock(connections_mutex);
  return connections_changed.wait_until(lock, deadline, [&] { return connections.empty(); });
}

InlineGovernor::Call ServerCore::inline_call(const InlineCheck* check, const Request& request,
                                             const PathParams& params,
                                             const std::shared_ptr<std::atomic<bool>>& cancel) {
  if (governor == nullptr || check == nullptr) return {};
  try {
    if (!(*check)(request, params)) return {};
  } catch (const std::exception& e) {
    spdlog::error("{} {}: the inline check failed: {}", request.method, request.path, e.what());
    return {};
  }
  return governor->begin(cancel);
}

bool ServerCore::start_spare() {
  std::lock_guard lock(spares_mutex);
  // Spares that left since the last one started are joined here, so that the list stays short.
  std::erase_if(spares, [](Spare& spare) {
    if (!spare.done->load()) return false;
    spare.thread.join();
    return true;
  });
  try {
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([this, done] {
      while (governor->keep_spare()) {
        if (ioc.stopped()) {
          std::this_thread::sleep_for(milliseconds(1));  // stop() is about to count it out
          continue;
        }
        try {
          ioc.run_one_for(milliseconds(20));
        } catch (const std::exception& e) {
          spdlog::error("HTTP server I/O thread: {}", e.what());
        }
      }
      done->store(true);
    });
    ::pthread_setname_np(thread.native_handle(), "secpilot-io+");
    spares.push_back({std::move(thread), std::move(done)});
    spdlog::debug(
        "HTTP server: a handler has run on an I/O thread for over {} ms; a spare thread "
        "serves I/O until it returns",
        options.inline_handoff_after.count());
    return true;
  } catch (const std::exception& e) {
    spdlog::error("HTTP server: no spare I/O thread for a slow handler: {}", e.what());
    return false;
  }
}

void ServerCore::join_spares() {
  std::lock_guard lock(spares_mutex);
  for (auto& spare : spares)
    spare.thread.join();
  spares.clear();
}

void ServerCore::stop(milliseconds grace) {
  std::lock_guard lock(lifecycle_mutex);
  if (!started || stopped) return;
  stopped = true;
  stopping = true;
  const auto deadline = Clock::now() + grace;

  // Refuse new connections before anything else.
  std::promise<void> acceptor_closed;
  asio::post(*accept_strand, [&] {
    error_code ignored;
    acceptor->close(ignored);
    acceptor_closed.set_value();
  });
  acceptor_closed.get_future().wait();

  for (auto& connection : connection_list()) {
    asio::post(connection->executor(), [connection] { connection->begin_shutdown(); });
  }
  if (!wait_for_connections(deadline)) {
    // Handlers running inline hold their connection's strand: tell them directly.
    if (governor) governor->cancel_all();
    for (auto& connection : connection_list()) {
      asio::post(connection->executor(), [connection] { connection->force_close(); });
    }
  }
  // Jobs still queued are cancelled; running handlers are waited for (they see cancelled()).
  pool->shutdown();
  if (!wait_for_connections(Clock::now() + std::chrono::seconds(5))) {
    spdlog::warn("HTTP server: {} connections did not close in time", open_connections.load());
  }
  if (governor) governor->stop();  // no more spares; those running leave
  keep_running.reset();
  ioc.stop();
  for (auto& thread : io_threads)
    thread.join();
  io_threads.clear();
  join_spares();
  is_running = false;
}

struct HttpServer::Impl : ServerCore {
  using ServerCore::ServerCore;
};

HttpServer::HttpServer(HttpServerOptions options, Router router, HttpServerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(hooks))) {}

HttpServer::~HttpServer() {
  impl_->stop(milliseconds{0});
}

Outcome HttpServer::start() {
  try {
    return impl_->start();
  } catch (const std::exception& e) {
    return make_error(Status::internal, std::string("cannot start the HTTP server: ") + e.what());
  }
}

std::uint16_t HttpServer::port() const noexcept {
  return impl_->bound_port.load();
}

bool HttpServer::running() const noexcept {
  return impl_->is_running.load();
}

HttpServerStats HttpServer::stats() const noexcept {
  HttpServerStats stats;
  stats.connections = impl_->open_connections.load();
  stats.in_flight = impl_->in_flight.load();
  stats.event_streams = impl_->event_streams.load();
  stats.requests = impl_->completed.load();
  stats.rejected = impl_->rejected.load();
  stats.inline_handoffs = impl_->governor ? impl_->governor->handoffs() : 0;
  return stats;
}

void HttpServer::stop(milliseconds grace) {
  impl_->stop(grace);
}

}  // namespace secpilot::server

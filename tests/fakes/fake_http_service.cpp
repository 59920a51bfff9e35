// Blocking Beast on one thread per connection keeps the fake short; waiting is done with poll() on
// the client's socket and a stop pipe, never with sleeps.
#include "fakes/fake_http_service.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

namespace secpilot::fakes {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Request to_request(const http::request<http::string_body>& raw) {
  Request request;
  request.method = std::string(raw.method_string());
  request.target = std::string(raw.target());
  request.body = raw.body();
  for (const auto& field : raw)
    request.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  if (auto target = boost::urls::parse_origin_form(raw.target())) {
    request.path = std::string(target->path());
    for (const auto& param : target->params())
      request.query.emplace_back(std::string(param.key), std::string(param.value));
  } else {
    request.path = request.target;
  }
  return request;
}

}  // namespace

std::optional<std::string> Request::query_value(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return value;
  return std::nullopt;
}

std::optional<std::string> Request::header(std::string_view lower_case_name) const {
  for (const auto& [key, value] : headers)
    if (key == lower_case_name) return value;
  return std::nullopt;
}

Response Response::json(int status, const boost::json::value& body) {
  return {
      status, {{"Content-Type", "application/json"}}, boost::json::serialize(body), Action::answer};
}

Response Response::text(int status, std::string body, std::string content_type) {
  return {status, {{"Content-Type", std::move(content_type)}}, std::move(body), Action::answer};
}

Response Response::close_connection() {
  Response response;
  response.action = Action::close;
  return response;
}

Response Response::hang_up_never() {
  Response response;
  response.action = Action::hang;
  return response;
}

struct FakeHttpService::Impl {
  asio::io_context ioc;  // never run: all I/O here is blocking
  tcp::acceptor acceptor{ioc};
  unsigned short port = 0;
  int stop_pipe[2] = {-1, -1};
  std::thread accept_thread;

  mutable std::mutex mutex;  // guards the members below
  std::vector<Handler> handlers;
  std::vector<Request> requests;
  std::vector<std::thread> workers;
  std::set<int> live_fds;

  explicit Impl(unsigned short wanted_port) {
    if (::pipe(stop_pipe) != 0) throw std::runtime_error("pipe() failed");
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), wanted_port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept_thread = std::thread([this] { accept_loop(); });
  }

  ~Impl() {
    const char byte = 's';
    [[maybe_unused]] auto written = ::write(stop_pipe[1], &byte, 1);  // wakes every poll()
    accept_thread.join();
    std::vector<std::thread> joining;
    {
      std::lock_guard lock(mutex);
      for (int fd : live_fds)
        ::shutdown(fd, SHUT_RDWR);  // wakes blocking reads
      joining.swap(workers);
    }
    for (auto& worker : joining)
      worker.join();
    ::close(stop_pipe[0]);
    ::close(stop_pipe[1]);
  }

  // Waits until the peer of `fd` hangs up (what it sends is discarded) or the service stops.
  void wait_for_peer(int fd) const {
    for (;;) {
      pollfd fds[2] = {{fd, POLLIN | POLLRDHUP, 0}, {stop_pipe[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
      if (fds[1].revents != 0) return;
      if (fds[0].revents == 0) continue;
      char sink[4096];
      const auto n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
    }
  }

  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{acceptor.native_handle(), POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) continue;
      if (fds[1].revents != 0) return;
      error_code ec;
      tcp::socket socket(ioc);
      acceptor.accept(socket, ec);
      if (ec) continue;
      std::lock_guard lock(mutex);
      live_fds.insert(socket.native_handle());
      workers.emplace_back([this, s = std::move(socket)]() mutable { serve_connection(s); });
    }
  }

  // The head announces one byte more than the body holds; the connection then closes.
  static void write_cut(tcp::socket& socket, const Response& response, unsigned version) {
    http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
    for (const auto& [name, value] : response.headers)
      head.insert(name, value);
    head.content_length(response.body.size() + 1);
    http::response_serializer<http::empty_body> serializer{head};
    error_code ec;
    http::write_header(socket, serializer, ec);
    if (!ec) asio::write(socket, asio::buffer(response.body), ec);
  }

  void serve_connection(tcp::socket& socket) {
    const int fd = socket.native_handle();
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> raw;
      error_code ec;
      http::read(socket, buffer, raw, ec);
      if (ec) break;
      const Response response = answer(to_request(raw));
      if (response.action == Response::Action::close) break;
      if (response.action == Response::Action::hang) {
        wait_for_peer(fd);
        break;
      }
      if (response.action == Response::Action::cut) {
        write_cut(socket, response, raw.version());
        break;
      }
      http::response<http::string_body> out{static_cast<http::status>(response.status),
                                            raw.version()};
      for (const auto& [name, value] : response.headers)
        out.insert(name, value);
      out.keep_alive(raw.keep_alive());
      out.body() = response.body;
      out.prepare_payload();
      http::write(socket, out, ec);
      if (ec || !raw.keep_alive()) break;
    }
    {
      std::lock_guard lock(mutex);
      live_fds.erase(fd);
    }
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  Response answer(Request request) {
    std::vector<Handler> current;
    {
      std::lock_guard lock(mutex);
      requests.push_back(request);
      current = handlers;
    }
    for (const auto& handler : current)
      if (auto response = handler(request)) return std::move(*response);
    return Response::json(
        404, boost::json::object{{"error", "no route for " + request.method + " " + request.path}});
  }
};

FakeHttpService::FakeHttpService(unsigned short port) : impl_(std::make_unique<Impl>(port)) {}

FakeHttpService::~FakeHttpService() = default;

void FakeHttpService::add_handler(Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handlers.push_back(std::move(handler));
}

unsigned short FakeHttpService::port() const {
  return impl_->port;
}

std::string FakeHttpService::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<Request> FakeHttpService::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

void FakeHttpService::clear_requests() {
  std::lock_guard lock(impl_->mutex);
  impl_->requests.clear();
}

}  // namespace secpilot::fakes

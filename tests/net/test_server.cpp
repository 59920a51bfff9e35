// The loopback test server: blocking Beast on one thread per connection, which keeps it short.
// Waiting is done with poll() on the client's socket and a stop pipe, never with sleeps.
#include "test_server.hpp"

#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace secpilot::net::testing {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr int kSlowLimitMs = 5000;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string to_hex(std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[n % 16]);
    n /= 16;
  } while (n != 0);
  return out;
}

std::string chunked_head() {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
         "Connection: close\r\n\r\n";
}

std::string chunk(std::string_view data) {
  return to_hex(data.size()) + "\r\n" + std::string(data) + "\r\n";
}

}  // namespace

struct TestServer::Impl {
  std::optional<TlsIdentity> identity;
  Mode mode;
  asio::io_context ioc;  // never run: all I/O here is blocking
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  unsigned short port = 0;
  int stop_pipe[2] = {-1, -1};
  std::atomic<int> connections{0};
  std::thread accept_thread;

  std::mutex mutex;  // guards the members below
  std::vector<std::thread> workers;
  std::set<int> live_fds;
  std::string server_name;

  Impl(std::optional<TlsIdentity> id, Mode m) : identity(std::move(id)), mode(m) {
    if (::pipe(stop_pipe) != 0) throw std::runtime_error("pipe() failed");
    if (identity) {
      tls.emplace(ssl::context::tls_server);
      tls->use_certificate_chain(asio::buffer(identity->cert_pem));
      tls->use_private_key(asio::buffer(identity->key_pem), ssl::context::pem);
    }
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
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
    {
      std::lock_guard lock(mutex);
      for (int fd : live_fds)
        ::shutdown(fd, SHUT_RDWR);  // wakes blocking reads
    }
    std::vector<std::thread> joining;
    {
      std::lock_guard lock(mutex);
      joining.swap(workers);
    }
    for (auto& worker : joining)
      worker.join();
    ::close(stop_pipe[0]);
    ::close(stop_pipe[1]);
  }

  // Waits until the peer of `fd` hangs up (data it sends is discarded), the server stops, or
  // `timeout_ms` passes (-1: no limit).
  void wait_for_peer(int fd, int timeout_ms) const {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      int wait = -1;
      if (timeout_ms >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return;
        wait = static_cast<int>(left.count());
      }
      pollfd fds[2] = {{fd, POLLIN | POLLRDHUP, 0}, {stop_pipe[0], POLLIN, 0}};
      if (::poll(fds, 2, wait) < 0 || fds[1].revents != 0) return;
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
      ++connections;
      std::lock_guard lock(mutex);
      live_fds.insert(socket.native_handle());
      workers.emplace_back([this, s = std::move(socket)]() mutable { serve_connection(s); });
    }
  }

  void serve_connection(tcp::socket& socket) {
    const int fd = socket.native_handle();
    if (mode == Mode::silent) {
      wait_for_peer(fd, -1);
    } else if (tls) {
      ssl::stream<tcp::socket&> stream(socket, *tls);
      error_code ec;
      stream.handshake(ssl::stream_base::server, ec);
      if (!ec) {
        const char* name = ::SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
        {
          std::lock_guard lock(mutex);
          server_name = name != nullptr ? name : "";
        }
        serve_requests(stream, fd);
      }
    } else {
      serve_requests(socket, fd);
    }
    {
      std::lock_guard lock(mutex);
      live_fds.erase(fd);
    }
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  template <class Stream>
  void serve_requests(Stream& stream, int fd) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      error_code ec;
      http::read(stream, buffer, req, ec);
      if (ec) return;
      if (!respond(stream, fd, req) || !req.keep_alive()) return;
    }
  }

  std::string base_url() const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port);
  }

  // Writes the response for `req`; false when the connection must close.
  template <class Stream>
  bool respond(Stream& stream, int fd, const http::request<http::string_body>& req) {
    error_code ec;
    const auto raw = [&](const std::string& bytes) {
      asio::write(stream, asio::buffer(bytes), ec);
      return false;
    };
    auto target = boost::urls::parse_origin_form(req.target());
    if (!target) return reply(stream, req, http::status::bad_request, "bad target");
    const std::string path = target->path();
    const auto param = [&](std::string_view key, std::string fallback) {
      auto it = target->params().find(key);
      return it == target->params().end() ? fallback : std::string((*it).value);
    };
    const auto size_param = [&] { return std::stoul(param("bytes", "0")); };

    if (path == "/json") {
      return reply(stream, req, http::status::ok, R"({"ok":true,"name":"secpilot"})",
                   "application/json", {{"X-Test-Header", "Value"}});
    }
    if (path == "/echo") {
      boost::json::object headers;
      for (const auto& field : req) {
        headers[lower(field.name_string())] = std::string(field.value());
      }
      boost::json::object echo{{"method", std::string(req.method_string())},
                               {"target", std::string(req.target())},
                               {"headers", std::move(headers)},
                               {"body", req.body()}};
      return reply(stream, req, http::status::ok, boost::json::serialize(echo), "application/json");
    }
    if (path == "/large") {
      return reply(stream, req, http::status::ok, std::string(size_param(), 'x'));
    }
    if (path == "/large-chunked") {
      std::size_t left = size_param();
      std::string head = chunked_head();
      asio::write(stream, asio::buffer(head), ec);
      while (left > 0 && !ec) {
        const std::size_t n = std::min<std::size_t>(left, 1024);
        asio::write(stream, asio::buffer(chunk(std::string(n, 'x'))), ec);
        left -= n;
      }
      return raw("0\r\n\r\n");
    }
    if (path == "/chunked") {
      std::string response = chunked_head();
      for (std::string_view piece : {"hello", ", ", "chunked", " world"})
        response += chunk(piece);
      return raw(response + "0\r\n\r\n");
    }
    if (path == "/big-headers") {
      return reply(stream, req, http::status::ok, "ok", "text/plain",
                   {{"X-Big", std::string(size_param(), 'h')}});
    }
    if (path == "/slow") {
      wait_for_peer(fd, kSlowLimitMs);
      return reply(stream, req, http::status::ok, "late");
    }
    if (path.rfind("/redirect/", 0) == 0) {
      const int n = std::stoi(path.substr(std::string_view("/redirect/").size()));
      if (n <= 0) return reply(stream, req, http::status::ok, "arrived");
      const std::string next = "/redirect/" + std::to_string(n - 1);
      return reply(stream, req, http::status::found, "", "text/plain",
                   {{"Location", n % 2 == 0 ? base_url() + next : next}});
    }
    if (path == "/dir/sub/relative") {
      return reply(stream, req, http::status::found, "", "text/plain",
                   {{"Location", "../../json"}});
    }
    if (path == "/redirect-to") {
      const auto status = static_cast<http::status>(std::stoi(param("status", "302")));
      return reply(stream, req, status, "", "text/plain", {{"Location", param("location", "/")}});
    }
    if (path == "/garbage") return raw("this is not HTTP at all\r\n\r\n");
    if (path == "/close") return false;
    return reply(stream, req, http::status::not_found, "not found");
  }

  template <class Stream>
  bool reply(Stream& stream, const http::request<http::string_body>& req, http::status status,
             std::string body, std::string_view content_type = "text/plain",
             std::vector<std::pair<std::string, std::string>> extra = {}) {
    http::response<http::string_body> res{status, req.version()};
    res.set(http::field::content_type, content_type);
    for (const auto& [name, value] : extra)
      res.insert(name, value);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    error_code ec;
    http::write(stream, res, ec);
    return !ec;
  }
};

TestServer::TestServer(std::optional<TlsIdentity> tls, Mode mode)
    : impl_(std::make_unique<Impl>(std::move(tls), mode)) {}

TestServer::~TestServer() = default;

unsigned short TestServer::port() const {
  return impl_->port;
}

std::string TestServer::url(std::string_view path, std::string_view host) const {
  return std::string(impl_->tls ? "https://" : "http://") + std::string(host) + ":" +
         std::to_string(impl_->port) + std::string(path);
}

int TestServer::connections() const {
  return impl_->connections.load();
}

std::string TestServer::last_server_name() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->server_name;
}

}  // namespace secpilot::net::testing

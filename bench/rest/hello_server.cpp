// hello_server: the reference of the REST benchmark (bench/rest/run.sh). A bare asynchronous
// Boost.Beast HTTP/1.1 server with keep-alive that answers every GET or POST with the same small
// JSON body, and 405 to anything else. It has what any server needs (an async accept loop, one
// strand per connection, a read buffer reused across requests, Content-Length, keep-alive) and
// nothing more: no routing, no auth, no timeouts, no logging. It runs its one io_context on as
// many threads as secpilotd's I/O pool (std::thread::hardware_concurrency(), or --threads N).
//
//   hello_server [--port N] [--threads N]
//
// Prints "hello_server: listening on port N" on stdout once it accepts connections (port 0, the
// default, picks a free port on 127.0.0.1), and stops on SIGTERM or SIGINT.
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kBody = R"({"message":"hello","ok":true})";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket&& socket) : stream_(std::move(socket)) {}

  void start() {
    // Run on the connection's strand, as the accept handler runs on the acceptor's.
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    request_ = {};
    http::async_read(
        stream_, buffer_, request_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return close();
    const bool known =
        request_.method() == http::verb::get || request_.method() == http::verb::post;
    response_ = {known ? http::status::ok : http::status::method_not_allowed, request_.version()};
    response_.set(http::field::server, "hello_server");
    response_.set(http::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    response_.body() = known ? kBody : std::string_view{};
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                        self->on_write(write_ec);
                      });
  }

  void on_write(beast::error_code ec) {
    if (ec) return close();
    if (!response_.keep_alive()) return close();
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, const tcp::endpoint& endpoint)
      : ioc_(ioc), acceptor_(asio::make_strand(ioc)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                             if (!ec) {
                               socket.set_option(tcp::no_delay(true), ec);
                               std::make_shared<Session>(std::move(socket))->start();
                             }
                             if (self->acceptor_.is_open()) self->accept();
                           });
  }

  void stop() {
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
};

unsigned parse_number(const char* text, const char* what) {
  char* end = nullptr;
  const unsigned long value = std::strtoul(text, &end, 10);
  if (end == text || *end != '\0' || value > 65535) {
    std::fprintf(stderr, "hello_server: %s must be a number from 0 to 65535\n", what);
    std::exit(2);
  }
  return static_cast<unsigned>(value);
}

}  // namespace

int main(int argc, char** argv) {
  unsigned port = 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--port" && i + 1 < argc) {
      port = parse_number(argv[++i], "--port");
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = std::max(1u, parse_number(argv[++i], "--threads"));
    } else {
      std::fprintf(stderr, "usage: hello_server [--port N] [--threads N]\n");
      return 2;
    }
  }

  try {
    asio::io_context ioc(static_cast<int>(threads));
    auto listener = std::make_shared<Listener>(
        ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    listener->accept();

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) {
      listener->stop();
      ioc.stop();
    });

    std::printf("hello_server: listening on port %u (%u threads)\n",
                static_cast<unsigned>(listener->port()), threads);
    std::fflush(stdout);

    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned i = 1; i < threads; ++i)
      pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& thread : pool)
      thread.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hello_server: %s\n", e.what());
    return 1;
  }
  return 0;
}

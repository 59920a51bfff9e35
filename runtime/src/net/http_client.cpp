// HttpClient: one connection per request on a private io_context, driven in short slices so that
// the deadline and the caller's cancellation are honoured in every phase. The only shared state is
// the TLS context, which is built in the constructor and never changed afterwards. This is the
// only translation unit of the runtime that includes Asio and Beast.
#include "secpilot/net/http_client.hpp"

#include "secpilot/util/ascii.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace secpilot::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
namespace urls = boost::urls;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

// How often `cancelled` is polled while an operation is in flight.
constexpr std::chrono::milliseconds kPollInterval{50};

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 9110 token characters: what a method or a header name may contain.
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
  });
}

bool is_header_value(std::string_view text) {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Headers whose value the client owns: the caller's copies are dropped.
bool is_client_owned(std::string_view name) {
  return iequals_ascii(name, "host") || iequals_ascii(name, "content-length") ||
         iequals_ascii(name, "transfer-encoding") || iequals_ascii(name, "connection");
}

// Headers that carry credentials: dropped when a redirect leaves the origin.
bool is_credential(std::string_view name) {
  return iequals_ascii(name, "authorization") || iequals_ascii(name, "cookie") ||
         iequals_ascii(name, "proxy-authorization");
}

// One hop's destination, parsed from an absolute URL.
struct Target {
  bool tls = false;
  std::string host;  // a lower-cased name without a root dot, or an IP address without brackets
  bool host_is_ip = false;
  std::uint16_t port = 0;
  std::string host_header;  // "example.com", "example.com:8443", "[::1]:8080"
  std::string target;       // "/path?query"

  std::string authority() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  }
  // For messages: no query string (it may hold an API key) and no fragment.
  std::string display() const {
    const auto query = target.find('?');
    return (tls ? "https://" : "http://") + authority() + target.substr(0, query);
  }
};

// "127.1", "2130706433" and "0x7f.1" are host names to a URL parser but addresses to
// getaddrinfo(); refusing them keeps the egress check and the connection in agreement.
bool looks_numeric(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  if (last.empty()) return false;
  if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return true;
  }
  return last.size() > 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X');
}

bool is_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

Expected<Target> parse_target(std::string_view text) {
  const auto invalid = [&](std::string_view why) {
    return make_error(Status::invalid_input,
                      "invalid URL '" + std::string(text) + "': " + std::string(why));
  };
  if (text.empty()) return make_error(Status::invalid_input, "the request has no URL");
  auto parsed = urls::parse_absolute_uri(text);
  if (!parsed) {
    // parse_absolute_uri rejects fragments; retry as a URI and drop the fragment.
    parsed = urls::parse_uri(text);
    if (!parsed) return invalid("not an absolute http:// or https:// URL");
  }
  const urls::url_view& url = *parsed;
  Target target;
  if (url.scheme_id() == urls::scheme::https) {
    target.tls = true;
  } else if (url.scheme_id() != urls::scheme::http) {
    return invalid("unsupported scheme '" + std::string(url.scheme()) +
                   "' (only http and https are supported)");
  }
  if (!url.has_authority()) return invalid("no host");
  if (url.has_userinfo()) {
    return invalid("credentials in URLs are not supported; send an Authorization header");
  }
  switch (url.host_type()) {
    case urls::host_type::ipv4:
    case urls::host_type::ipv6:
      target.host = url.host_address();
      target.host_is_ip = true;
      break;
    case urls::host_type::name: {
      std::string name = to_lower(url.host_name());
      if (name.size() > 1 && name.back() == '.') name.pop_back();
      if (!is_host_name(name)) return invalid("'" + name + "' is not a valid host name");
      if (looks_numeric(name)) {
        return invalid("'" + name + "' is neither a host name nor a dotted-quad IPv4 address");
      }
      target.host = std::move(name);
      break;
    }
    default:
      return invalid("no usable host");
  }
  const std::uint16_t default_port = target.tls ? 443 : 80;
  target.port = default_port;
  if (url.has_port() && !url.port().empty()) {
    const std::string_view text = url.port();
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535) {
      return invalid("port '" + std::string(text) + "' is out of range");
    }
    target.port = static_cast<std::uint16_t>(port);
  }
  target.host_header =
      url.host_type() == urls::host_type::ipv6 ? "[" + target.host + "]" : target.host;
  if (target.port != default_port) target.host_header += ":" + std::to_string(target.port);
  target.target = url.encoded_path();
  if (target.target.empty()) target.target = "/";
  if (url.has_query()) {
    target.target += '?';
    target.target += url.encoded_query();
  }
  return target;
}

Error upstream(std::string message) {
  return make_error(Status::upstream, std::move(message));
}

// The text of an error, without Asio's "(SSL routines)" suffix on OpenSSL errors.
std::string describe(const error_code& ec) {
  if (ec.category() == asio::error::get_ssl_category()) {
    if (const char* reason = ::ERR_reason_error_string(static_cast<unsigned long>(ec.value()))) {
      return reason;
    }
  }
  if (ec == ssl::error::stream_truncated) return "connection closed without a TLS close_notify";
  return ec.message();
}

// The deadline and cancellation of one request() call, shared by all of its hops.
class Call {
 public:
  Call(std::chrono::milliseconds budget, const std::function<bool()>& cancelled)
      : budget_(budget), deadline_(Clock::now() + budget), cancelled_(cancelled) {}

  // An error if the caller has cancelled or the deadline has passed; `phase` says where we were.
  std::optional<Error> interrupted(const Target& target, std::string_view phase) const {
    if (cancelled_ && cancelled_()) {
      return make_error(Status::cancelled, "request to " + target.display() +
                                               " was cancelled while " + std::string(phase));
    }
    if (Clock::now() >= deadline_) {
      return make_error(Status::timeout, "request to " + target.display() + " timed out after " +
                                             std::to_string(budget_.count()) + " ms while " +
                                             std::string(phase));
    }
    return std::nullopt;
  }

  // How long to block before checking again.
  Clock::duration slice() const {
    Clock::duration left = std::max(deadline_ - Clock::now(), Clock::duration::zero());
    if (cancelled_) left = std::min<Clock::duration>(left, kPollInterval);
    return left;
  }

 private:
  std::chrono::milliseconds budget_;
  Clock::time_point deadline_;
  const std::function<bool()>& cancelled_;
};

// Runs `ioc` until `done` is set by a completion handler. On timeout or cancellation the socket
// is closed, which completes the pending operation with operation_aborted, and the error returned.
std::optional<Error> run_until(asio::io_context& ioc, tcp::socket& socket, const bool& done,
                               const Call& call, const Target& target, std::string_view phase) {
  while (!done) {
    if (auto error = call.interrupted(target, phase)) {
      error_code ignored;
      socket.close(ignored);
      ioc.restart();
      ioc.run_for(std::chrono::seconds(1));  // let the aborted handlers run; they finish at once
      return error;
    }
    ioc.restart();
    ioc.run_for(call.slice());
  }
  return std::nullopt;
}

// getaddrinfo() on a detached thread: Asio's resolver joins its thread on shutdown, so an
// abandoned lookup would block the caller until the system resolver gave up.
struct DnsLookup {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  int error = 0;
  int system_error = 0;  // errno, when error is EAI_SYSTEM
  std::vector<tcp::endpoint> endpoints;

  void run(const std::string& host, const std::string& service) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    const int saved_errno = errno;
    std::vector<tcp::endpoint> found;
    for (const addrinfo* ai = list; rc == 0 && ai != nullptr; ai = ai->ai_next) {
      if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
      tcp::endpoint endpoint;
      if (ai->ai_addrlen > endpoint.capacity()) continue;
      std::memcpy(endpoint.data(), ai->ai_addr, ai->ai_addrlen);
      endpoint.resize(ai->ai_addrlen);
      found.push_back(endpoint);
    }
    if (list != nullptr) ::freeaddrinfo(list);
    {
      std::lock_guard lock(mutex);
      error = rc;
      system_error = saved_errno;
      endpoints = std::move(found);
      done = true;
    }
    done_cv.notify_all();
  }
};

std::string dns_error(const DnsLookup& lookup) {
  return lookup.error == EAI_SYSTEM ? std::strerror(lookup.system_error)
                                    : ::gai_strerror(lookup.error);
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::optional<std::string> header_value(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals_ascii(key, name)) return value;
  }
  return std::nullopt;
}

// A blocking stream for Beast's synchronous HTTP algorithms whose every read_some/write_some is an
// asynchronous operation on the request's io_context, driven by run_until(). Beast's parser and
// serializer are therefore instantiated once, for this type, not once per transport and handler.
// After a timeout or cancellation every operation fails with operation_aborted and `interruption`
// holds the error to report.
class DrivenStream {
 public:
  DrivenStream(asio::io_context& ioc, tcp::socket& socket, ssl::stream<tcp::socket>* tls,
               const Call& call, const Target& target)
      : ioc_(ioc), socket_(socket), tls_(tls), call_(call), target_(target) {}

  void set_phase(std::string_view phase) { phase_ = phase; }
  const std::optional<Error>& interruption() const { return interruption_; }

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      const asio::mutable_buffer buffer(*it);
      if (buffer.size() > 0) return read_one(buffer, ec);
    }
    ec = {};
    return 0;
  }
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, error_code& ec) {
    std::vector<asio::const_buffer> list;
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      list.emplace_back(*it);
    }
    return write_list(list, ec);
  }
  // The throwing overloads that the stream concepts require; Beast's error_code overloads of
  // read and write never call them.
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    error_code ec;
    const std::size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  std::size_t read_one(asio::mutable_buffer buffer, error_code& ec);
  std::size_t write_list(const std::vector<asio::const_buffer>& list, error_code& ec);
  // Runs the operation started by `start` to completion, or until interrupted.
  template <class Start>
  std::size_t drive(Start&& start, error_code& ec) {
    if (interruption_) {
      ec = asio::error::operation_aborted;
      return 0;
    }
    bool done = false;
    std::size_t transferred = 0;
    start([&](const error_code& e, std::size_t n) {
      ec = e;
      transferred = n;
      done = true;
    });
    if (auto error = run_until(ioc_, socket_, done, call_, target_, phase_)) {
      interruption_ = std::move(error);
      ec = asio::error::operation_aborted;
      return 0;
    }
    return transferred;
  }

  asio::io_context& ioc_;
  tcp::socket& socket_;
  ssl::stream<tcp::socket>* tls_;
  const Call& call_;
  const Target& target_;
  std::string_view phase_;
  std::optional<Error> interruption_;
};

std::size_t DrivenStream::read_one(asio::mutable_buffer buffer, error_code& ec) {
  return drive(
      [&](auto handler) {
        if (tls_ != nullptr) {
          tls_->async_read_some(buffer, std::move(handler));
        } else {
          socket_.async_read_some(buffer, std::move(handler));
        }
      },
      ec);
}

std::size_t DrivenStream::write_list(const std::vector<asio::const_buffer>& list, error_code& ec) {
  return drive(
      [&](auto handler) {
        if (tls_ != nullptr) {
          tls_->async_write_some(list, std::move(handler));
        } else {
          socket_.async_write_some(list, std::move(handler));
        }
      },
      ec);
}

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  // Shared by every request; only read after construction (SSL_new() on a shared SSL_CTX is
  // thread-safe). Mutable because Asio's stream constructor takes a non-const reference.
  mutable ssl::context tls{ssl::context::tls_client};
  std::vector<std::pair<std::string, asio::ip::address>> overrides;

  explicit Impl(HttpClientOptions opts) : options(std::move(opts)) {
    ::SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    error_code ec;
    tls.set_default_verify_paths(ec);  // no system store is not fatal: ca_file may suffice
    if (!options.ca_file.empty()) {
      tls.load_verify_file(options.ca_file, ec);
      if (ec) {
        throw std::invalid_argument("cannot load CA file '" + options.ca_file +
                                    "': " + describe(ec));
      }
    }
    tls.set_verify_mode(options.verify_tls ? ssl::verify_peer : ssl::verify_none);
    for (const auto& [name, address] : options.resolve_overrides) {
      auto parsed = asio::ip::make_address(address, ec);
      if (ec) {
        throw std::invalid_argument("resolve override for '" + name + "': '" + address +
                                    "' is not an IP address");
      }
      std::string key = to_lower(name);
      if (key.size() > 1 && key.back() == '.') key.pop_back();
      overrides.emplace_back(std::move(key), parsed);
    }
  }

  Expected<HttpResponse> run(const HttpRequest& request, const EgressPolicy& egress,
                             const std::function<bool()>& cancelled) const;
  Expected<HttpResponse> exchange(const Target& target, const std::string& method,
                                  const Headers& headers, const std::string& body,
                                  const HttpRequest& request, const Call& call) const;
  Expected<std::vector<tcp::endpoint>> resolve(const Target& target, const Call& call) const;
  Expected<HttpResponse> transact(DrivenStream& stream, const Target& target,
                                  const std::string& method, const Headers& headers,
                                  const std::string& body, const HttpRequest& request) const;
};

Expected<std::vector<tcp::endpoint>> HttpClient::Impl::resolve(const Target& target,
                                                               const Call& call) const {
  if (target.host_is_ip) {
    return std::vector<tcp::endpoint>{{asio::ip::make_address(target.host), target.port}};
  }
  for (const auto& [name, address] : overrides) {
    if (name == target.host) return std::vector<tcp::endpoint>{{address, target.port}};
  }
  const std::string phase = "resolving " + target.host;
  if (auto error = call.interrupted(target, phase)) return *error;
  auto lookup = std::make_shared<DnsLookup>();
  try {
    std::thread([lookup, host = target.host, service = std::to_string(target.port)] {
      lookup->run(host, service);
    }).detach();
  } catch (const std::system_error& e) {
    return upstream("DNS lookup of " + target.host + " could not start: " + e.what());
  }
  std::unique_lock lock(lookup->mutex);
  while (!lookup->done) {
    lock.unlock();
    if (auto error = call.interrupted(target, phase)) return *error;  // the thread finishes alone
    lock.lock();
    lookup->done_cv.wait_for(lock, call.slice(), [&] { return lookup->done; });
  }
  if (lookup->error != 0) {
    return upstream("DNS lookup of " + target.host + " failed: " + dns_error(*lookup));
  }
  if (lookup->endpoints.empty()) {
    return upstream("DNS lookup of " + target.host + " returned no addresses");
  }
  return std::move(lookup->endpoints);
}

Expected<HttpResponse> HttpClient::Impl::exchange(const Target& target, const std::string& method,
                                                  const Headers& headers, const std::string& body,
                                                  const HttpRequest& request,
                                                  const Call& call) const {
  auto endpoints = resolve(target, call);
  if (!endpoints) return std::move(endpoints).error();

  asio::io_context ioc{1};
  std::optional<ssl::stream<tcp::socket>> tls_stream;
  std::optional<tcp::socket> plain;
  if (target.tls) {
    tls_stream.emplace(ioc, tls);
  } else {
    plain.emplace(ioc);
  }
  tcp::socket& socket = target.tls ? tls_stream->next_layer() : *plain;

  bool done = false;
  error_code ec;
  asio::async_connect(socket, *endpoints, [&](const error_code& e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  if (auto error =
          run_until(ioc, socket, done, call, target, "connecting to " + target.authority())) {
    return *error;
  }
  if (ec) return upstream("connecting to " + target.authority() + " failed: " + describe(ec));
  socket.set_option(tcp::no_delay(true), ec);

  if (target.tls) {
    SSL* ssl = tls_stream->native_handle();
    if (!target.host_is_ip) {
      SSL_set_tlsext_host_name(ssl, target.host.c_str());  // SNI is for names only (RFC 6066)
    }
    if (options.verify_tls) {
      // OpenSSL checks the name during chain verification, so a mismatch shows in the verify
      // result as "hostname mismatch" (the same check as ssl::host_name_verification).
      ::SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      const int set = target.host_is_ip ? ::X509_VERIFY_PARAM_set1_ip_asc(::SSL_get0_param(ssl),
                                                                          target.host.c_str())
                                        : ::SSL_set1_host(ssl, target.host.c_str());
      if (set != 1) return make_error(Status::internal, "cannot set the TLS peer name");
    }
    done = false;
    tls_stream->async_handshake(ssl::stream_base::client, [&](const error_code& e) {
      ec = e;
      done = true;
    });
    if (auto error = run_until(ioc, socket, done, call, target,
                               "in the TLS handshake with " + target.authority())) {
      return *error;
    }
    if (ec) {
      const bool closed = ec == ssl::error::stream_truncated || ec == asio::error::eof ||
                          ec == asio::error::connection_reset;
      std::string message =
          "TLS handshake with " + target.authority() + " failed: " +
          (closed ? "the server closed the connection (is it an https port?)" : describe(ec));
      const long verify = ::SSL_get_verify_result(ssl);
      if (verify != X509_V_OK) {
        message += std::string(" (") + ::X509_verify_cert_error_string(verify) + ")";
      }
      return upstream(std::move(message));
    }
  }

  DrivenStream stream(ioc, socket, target.tls ? &*tls_stream : nullptr, call, target);
  auto response = transact(stream, target, method, headers, body, request);
  if (stream.interruption()) return *stream.interruption();
  error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  return response;
}

Expected<HttpResponse> HttpClient::Impl::transact(DrivenStream& stream, const Target& target,
                                                  const std::string& method, const Headers& headers,
                                                  const std::string& body,
                                                  const HttpRequest& request) const {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target.target);
  req.version(11);
  req.set(http::field::host, target.host_header);
  bool has_user_agent = false;
  for (const auto& [name, value] : headers) {
    if (is_client_owned(name)) continue;
    has_user_agent = has_user_agent || iequals_ascii(name, "user-agent");
    req.insert(name, value);
  }
  if (!has_user_agent) req.set(http::field::user_agent, options.user_agent);
  req.set(http::field::connection, "close");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.content_length(body.size());
  }
  req.body() = body;

  error_code ec;
  stream.set_phase("sending the request");
  http::write(stream, req, ec);
  if (ec) {
    return upstream("sending the request to " + target.authority() + " failed: " + describe(ec));
  }

  const auto read_error = [&](const error_code& e, bool have_header) -> Error {
    if (e == http::error::body_limit) {
      return make_error(Status::too_large,
                        "response body from " + target.authority() + " exceeds the limit of " +
                            std::to_string(options.max_response_bytes) + " bytes");
    }
    if (e == http::error::header_limit) {
      return make_error(Status::too_large, "response headers from " + target.authority() +
                                               " exceed the limit of " +
                                               std::to_string(options.max_header_bytes) + " bytes");
    }
    if (e == http::error::end_of_stream || e == http::error::partial_message ||
        e == ssl::error::stream_truncated || e == asio::error::eof ||
        e == asio::error::connection_reset) {
      return upstream(target.authority() + " closed the connection before " +
                      (have_header ? "the response body was complete" : "sending a response"));
    }
    if (e.category() == http::make_error_code(http::error::bad_version).category()) {
      return upstream("invalid HTTP response from " + target.authority() + ": " + describe(e));
    }
    return upstream("reading the response from " + target.authority() + " failed: " + describe(e));
  };

  boost::beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;
  for (;;) {
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    // A streamed body does not accumulate, so only the deadline bounds it.
    if (request.on_body_chunk) {
      parser->body_limit(boost::none);
    } else {
      parser->body_limit(static_cast<std::uint64_t>(options.max_response_bytes));
    }
    if (method == "HEAD") parser->skip(true);
    stream.set_phase("waiting for the response");
    http::read_header(stream, buffer, *parser, ec);
    if (ec) return read_error(ec, false);
    const unsigned status = parser->get().result_int();
    if (status < 100 || status >= 200 || status == 101) break;  // skip interim responses
  }
  HttpResponse response;
  response.status = static_cast<int>(parser->get().result_int());
  for (const auto& field : parser->get()) {
    response.headers.emplace_back(to_lower(field.name_string()), std::string(field.value()));
  }
  if (parser->is_done()) {
    response.body = std::move(parser->get().body());
  } else if (request.on_body_chunk) {
    // Streamed: the same parser state continues with a body that writes into a fixed buffer
    // (string_body would reserve the whole Content-Length up front). The body of a redirect that
    // will be followed is read and dropped.
    const bool followed = request.follow_redirects && is_redirect(response.status) &&
                          header_value(response.headers, "location").has_value();
    http::response_parser<http::buffer_body> streaming(std::move(*parser));
    std::vector<char> piece(16 * 1024);
    stream.set_phase("reading the response body");
    while (!streaming.is_done()) {
      streaming.get().body().data = piece.data();
      streaming.get().body().size = piece.size();
      http::read_some(stream, buffer, streaming, ec);
      if (ec == http::error::need_buffer) ec = {};  // the piece is full: deliver it
      if (ec) return read_error(ec, true);
      const std::size_t used = piece.size() - streaming.get().body().size;
      if (used == 0 || followed) continue;
      if (!request.on_body_chunk(response, std::string_view(piece.data(), used))) {
        break;  // the caller has what it needs; exchange() closes the connection
      }
    }
  } else {
    stream.set_phase("reading the response body");
    http::read(stream, buffer, *parser, ec);
    if (ec) return read_error(ec, true);
    response.body = std::move(parser->get().body());
  }
  return response;
}

Expected<HttpResponse> HttpClient::Impl::run(const HttpRequest& request, const EgressPolicy& egress,
                                             const std::function<bool()>& cancelled) const {
  if (request.method.empty()) return make_error(Status::invalid_input, "the HTTP method is empty");
  if (!is_token(request.method)) {
    return make_error(Status::invalid_input, "invalid HTTP method '" + request.method + "'");
  }
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name)) {
      return make_error(Status::invalid_input, "invalid HTTP header name '" + name + "'");
    }
    if (!is_header_value(value)) {
      return make_error(Status::invalid_input,
                        "the value of HTTP header '" + name + "' contains CR, LF or NUL");
    }
  }
  auto first = parse_target(request.url);
  if (!first) return std::move(first).error();
  Target target = std::move(first).value();

  std::chrono::milliseconds budget =
      request.timeout.count() > 0 ? request.timeout : options.default_timeout;
  budget = std::min(budget, options.max_timeout);
  const Call call(budget, cancelled);

  std::string method = request.method;
  std::string body = request.body;
  Headers headers = request.headers;
  urls::url current;
  if (request.follow_redirects) current = urls::parse_uri(request.url).value();

  for (int redirects = 0;; ++redirects) {
    if (!egress.allows(target.host, target.port)) {
      const std::string host =
          target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
      return make_error(Status::forbidden, std::string(redirects > 0 ? "redirect blocked: " : "") +
                                               "egress to " + target.authority() +
                                               " is not allowed for this plugin; add it to " +
                                               "the plugin's egress allow-list (\"" + host +
                                               "\" or \"" + target.authority() + "\") to allow it");
    }
    auto response = exchange(target, method, headers, body, request, call);
    if (!response || !request.follow_redirects || !is_redirect(response->status)) return response;
    const auto location = header_value(response->headers, "location");
    if (!location) return response;
    if (redirects >= options.max_redirects) {
      return upstream("too many redirects: stopped after " + std::to_string(redirects) + " at " +
                      target.display() + " (max_redirects is " +
                      std::to_string(options.max_redirects) + ")");
    }
    auto reference = urls::parse_uri_reference(*location);
    urls::url next;
    if (!reference || !urls::resolve(current, *reference, next)) {
      return upstream("invalid redirect from " + target.display() + ": Location '" + *location +
                      "' is not a valid URL");
    }
    next.remove_fragment();
    auto parsed = parse_target(next.buffer());
    if (!parsed) {
      return upstream("invalid redirect from " + target.display() + ": " + parsed.error().message);
    }
    Target hop = std::move(parsed).value();
    if (target.tls && !hop.tls) {
      return upstream("refusing to follow a redirect from " + target.display() + " to " +
                      hop.display() + ": it leaves TLS");
    }
    if (hop.host != target.host || hop.port != target.port || hop.tls != target.tls) {
      std::erase_if(headers, [](const auto& header) { return is_credential(header.first); });
    }
    const int status = response->status;
    if ((status == 301 || status == 302 || status == 303) && method != "HEAD" && method != "GET") {
      method = "GET";
      body.clear();
      std::erase_if(headers, [](const auto& header) {
        return iequals_ascii(header.first, "content-type") ||
               iequals_ascii(header.first, "content-encoding");
      });
    }
    current = std::move(next);
    target = std::move(hop);
  }
}

HttpClient::HttpClient(HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

Expected<HttpResponse> HttpClient::request(const HttpRequest& request, const EgressPolicy& egress,
                                           const std::function<bool()>& cancelled) const {
  try {
    return impl_->run(request, egress, cancelled);
  } catch (const std::exception& e) {
    return make_error(Status::internal, std::string("HTTP client error: ") + e.what());
  }
}

}  // namespace secpilot::net

#include "server/request_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "secpilot/util/ascii.hpp"

namespace secpilot::server {

namespace http = boost::beast::http;
namespace urls = boost::urls;
using boost::system::error_code;

struct RequestReader::Parser {
  std::optional<http::request_parser<http::string_body>> beast;
};

namespace {

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether the unparsed request line is well formed but for an HTTP version other than 1.x
// ("PRI * HTTP/2.0"): the parser only knows that the version is not one it takes.
bool names_another_version(std::string_view data) {
  const std::string_view line = data.substr(0, data.find("\r\n"));
  const auto space = line.rfind(' ');
  if (space == std::string_view::npos) return false;
  const std::string_view version = line.substr(space + 1);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return version.size() == 8 && version.substr(0, 5) == "HTTP/" && digit(version[5]) &&
         version[6] == '.' && digit(version[7]);
}

// The answer to a request the parser gave up on; `rest` is what it had not used.
Response parse_failure(const RequestLimits& limits, const error_code& ec, std::string_view rest) {
  if (ec == http::error::header_limit) {
    return problem(431, "the request line and header fields exceed " +
                            std::to_string(limits.max_header_bytes) + " bytes");
  }
  if (ec == http::error::body_limit) {
    return problem(413,
                   "the request body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (ec == http::error::bad_version && names_another_version(rest)) {
    return problem(505, "only HTTP/1.0 and HTTP/1.1 are supported");
  }
  return problem(400, "malformed HTTP request: " + ec.message());
}

}  // namespace

RequestReader::RequestReader(RequestLimits limits)
    : limits_(limits), parser_(std::make_unique<Parser>()) {}

RequestReader::~RequestReader() = default;

void RequestReader::start(Request& request) {
  auto& parser = parser_->beast.emplace();
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(limits_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(static_cast<std::uint64_t>(limits_.max_body_bytes));
  parser.eager(true);
  request_ = &request;
  refusal_.reset();
  encoded_path_.clear();
  version_ = 11;
  expects_continue_ = false;
  header_checked_ = false;
  send_continue_ = false;
}

bool RequestReader::done() const noexcept {
  return parser_->beast && parser_->beast->is_done();
}

std::optional<Response> RequestReader::take_refusal() {
  auto refusal = std::move(refusal_);
  refusal_.reset();
  return refusal;
}

std::size_t RequestReader::put(std::string_view bytes) {
  auto& parser = *parser_->beast;
  std::size_t total = 0;
  while (!refusal_ && !parser.is_done() && total < bytes.size()) {
    // Boost 1.81's chunk parser asserts (debug builds: the asan preset) when the final chunk
    // "0\r\n" comes back with fewer than five bytes (boostorg/beast#2861, fixed in later Boost).
    // What is left of a chunked body is always at least "0\r\n\r\n": wait for five bytes.
    if (parser.is_header_done() && parser.chunked() && bytes.size() - total < 5) break;
    error_code ec;
    const std::size_t used =
        parser.put(boost::asio::const_buffer(bytes.data() + total, bytes.size() - total), ec);
    total += used;
    if (ec && ec != http::error::need_more) {
      if (request_->method.empty()) {
        request_->method = std::string(parser.get().method_string());
        request_->target = std::string(parser.get().target());
      }
      refusal_ = parse_failure(limits_, ec, bytes.substr(total));
      break;
    }
    if (!header_checked_ && parser.is_header_done()) {
      header_checked_ = true;
      refusal_ = check_header();
      send_continue_ = !refusal_ && expects_continue_ && !parser.is_done() && total == bytes.size();
    }
    if (ec || used == 0) break;  // needs more bytes than `bytes` holds
  }
  return total;
}

// Checks what the parser does not: version, Host, Transfer-Encoding, Expect and the target.
// Fills the request's method, target, path and query.
std::optional<Response> RequestReader::check_header() {
  const auto& message = parser_->beast->get();
  Request& request = *request_;
  version_ = message.version();
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  if (version_ != 10 && version_ != 11) {
    return problem(505, "only HTTP/1.0 and HTTP/1.1 are supported");
  }
  if (version_ == 11 && message.count(http::field::host) != 1) {
    return problem(400, "an HTTP/1.1 request must have exactly one Host header");
  }
  if (message.count(http::field::transfer_encoding) > 0) {
    const std::string_view coding = trim_blanks(message[http::field::transfer_encoding]);
    if (version_ == 10 || message.count(http::field::transfer_encoding) > 1) {
      return problem(400, "invalid Transfer-Encoding");
    }
    if (!iequals_ascii(coding, "chunked")) {
      if (to_lower(coding).find("chunked") != std::string::npos) {
        return problem(400, "invalid Transfer-Encoding '" + std::string(coding) +
                                "': chunked must be the last coding");
      }
      return problem(501, "Transfer-Encoding '" + std::string(coding) +
                              "' is not supported; send the body with Content-Length or chunked");
    }
  }
  if (message.count(http::field::expect) > 0) {
    if (!iequals_ascii(trim_blanks(message[http::field::expect]), "100-continue")) {
      return problem(417, "only 'Expect: 100-continue' is supported");
    }
    expects_continue_ = version_ == 11;
  }
  const std::string_view target = message.target();
  auto url = !target.empty() && target.front() == '/' ? urls::parse_origin_form(target)
                                                      : urls::parse_absolute_uri(target);
  if (!url) {
    return problem(400, "the request target is not a valid path ('/...') or absolute URL");
  }
  encoded_path_ = std::string(url->encoded_path());
  if (encoded_path_.empty()) encoded_path_ = "/";
  request.path = url->path();
  if (request.path.empty()) request.path = "/";
  for (const auto& param : url->params()) {
    request.query.emplace_back(param.key, param.value);
  }
  return std::nullopt;
}

bool RequestReader::finish() {
  http::request<http::string_body> message = parser_->beast->release();
  Request& request = *request_;
  request.method = std::string(message.method_string());
  request.body = std::move(message.body());
  request.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    request.headers.emplace_back(to_lower(field.name_string()), std::string(field.value()));
  }
  return message.keep_alive();
}

}  // namespace secpilot::server

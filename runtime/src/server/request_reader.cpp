#include "server/request_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "secpilot/util/ascii.hpp"

namespace secpilot::server {

namespace http = boost::beast::http;
namespace urls = boost::urls;
using boost::system::error_code;

namespace {

// Beast's parser without a message of its own: the request line, the fields (names lower-cased)
// and the body go straight into the Request. A connection reuses its Request from one request to
// the next, so its strings keep their capacity and a request is read without allocating.
using BeastText = boost::beast::string_view;

class RequestParser final : public http::basic_parser<true> {
 public:
  explicit RequestParser(Request& request) : request_(request) {}

  unsigned version() const noexcept { return version_; }
  // The fields of this request (request_.headers may hold more, left from an earlier one, until
  // the header is done).
  std::size_t fields() const noexcept { return fields_; }

 private:
  void on_request_impl(http::verb, BeastText method, BeastText target, int version,
                       error_code&) override {
    request_.method.assign(method.data(), method.size());
    request_.target.assign(target.data(), target.size());
    version_ = static_cast<unsigned>(version);
  }
  void on_response_impl(int, BeastText, int, error_code& ec) override {
    ec = http::error::bad_line_ending;  // unreachable: this parser reads requests
  }
  void on_field_impl(http::field, BeastText name, BeastText value, error_code&) override {
    auto& headers = request_.headers;
    if (fields_ == headers.size()) headers.emplace_back();
    auto& [lower_name, field_value] = headers[fields_++];
    lower_name.resize(name.size());
    std::transform(name.begin(), name.end(), lower_name.begin(),
                   [](char c) { return to_lower_ascii(c); });
    field_value.assign(value.data(), value.size());
  }
  void on_header_impl(error_code&) override { request_.headers.resize(fields_); }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    // The parser has checked a declared length against the body limit already.
    if (length) request_.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(BeastText body, error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, BeastText, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, BeastText body, error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  Request& request_;
  unsigned version_ = 11;
  std::size_t fields_ = 0;
};

// How many fields named `name` (lower case) the request has, and the first one's value.
std::size_t count_fields(const Headers& headers, std::string_view name, std::string_view* first) {
  std::size_t count = 0;
  for (const auto& [field, value] : headers) {
    if (field != name) continue;
    if (count++ == 0 && first != nullptr) *first = value;
  }
  return count;
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

struct RequestReader::Parser {
  std::optional<RequestParser> beast;
};

RequestReader::RequestReader(RequestLimits limits)
    : limits_(limits), parser_(std::make_unique<Parser>()) {}

RequestReader::~RequestReader() = default;

void RequestReader::start(Request& request) {
  // The request may be the one a connection read its last request into: what the parser fills
  // field by field starts empty (the headers are overwritten in place and cut to size).
  request.method.clear();
  request.target.clear();
  request.path.clear();
  request.query.clear();
  request.body.clear();
  auto& parser = parser_->beast.emplace(request);
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
      if (!parser.is_header_done()) request_->headers.resize(parser.fields());
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
  const auto& parser = *parser_->beast;
  Request& request = *request_;
  version_ = parser.version();
  if (version_ != 10 && version_ != 11) {
    return problem(505, "only HTTP/1.0 and HTTP/1.1 are supported");
  }
  if (version_ == 11 && count_fields(request.headers, "host", nullptr) != 1) {
    return problem(400, "an HTTP/1.1 request must have exactly one Host header");
  }
  std::string_view coding;
  if (const auto codings = count_fields(request.headers, "transfer-encoding", &coding)) {
    coding = trim_blanks(coding);
    if (version_ == 10 || codings > 1) {
      return problem(400, "invalid Transfer-Encoding");
    }
    if (!iequals_ascii(coding, "chunked")) {
      if (to_lower_ascii(coding).find("chunked") != std::string::npos) {
        return problem(400, "invalid Transfer-Encoding '" + std::string(coding) +
                                "': chunked must be the last coding");
      }
      return problem(501, "Transfer-Encoding '" + std::string(coding) +
                              "' is not supported; send the body with Content-Length or chunked");
    }
  }
  std::string_view expectation;
  if (count_fields(request.headers, "expect", &expectation) > 0) {
    if (!iequals_ascii(trim_blanks(expectation), "100-continue")) {
      return problem(417, "only 'Expect: 100-continue' is supported");
    }
    expects_continue_ = version_ == 11;
  }
  const std::string_view target = request.target;
  auto url = !target.empty() && target.front() == '/' ? urls::parse_origin_form(target)
                                                      : urls::parse_absolute_uri(target);
  if (!url) {
    return problem(400, "the request target is not a valid path ('/...') or absolute URL");
  }
  encoded_path_.assign(url->encoded_path());
  if (encoded_path_.empty()) encoded_path_ = "/";
  url->path(urls::string_token::assign_to(request.path));
  if (request.path.empty()) request.path = "/";
  for (const auto& param : url->params()) {
    request.query.emplace_back(param.key, param.value);
  }
  return std::nullopt;
}

bool RequestReader::keep_alive() const {
  return parser_->beast->keep_alive();
}

}  // namespace secpilot::server

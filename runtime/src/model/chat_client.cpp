// One request = up to max_attempts HTTP attempts. An attempt that fails before the model said
// anything (429, 5xx, a refused connection) is retried after the delay the endpoint asks for, or
// an exponential backoff; one that breaks off in the middle of a stream is not, because part of
// the answer may already have been shown.
#include "secpilot/model/chat_client.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "model/http_errors.hpp"
#include "model/retry_policy.hpp"
#include "model/stream_accumulator.hpp"
#include "model/wire_format.hpp"
#include "net/sse_parser.hpp"
#include "secpilot/model/redaction.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::model {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr std::size_t kMaxDocumentBytes = 16 * 1024 * 1024;

struct Attempt {
  Expected<ChatCompletion> result;
  bool retryable = false;
  std::optional<milliseconds> retry_after = std::nullopt;
};

bool sliced_wait(milliseconds delay, const CallControl& control) {
  const auto until = steady_clock::now() + delay;
  while (!control.is_cancelled()) {
    const auto now = steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<steady_clock::duration>(until - now, milliseconds(50)));
  }
  return false;
}

std::string seconds_text(steady_clock::duration duration) {
  const auto ms = std::chrono::duration_cast<milliseconds>(duration).count();
  return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

// The body of one streamed attempt: server-sent events when the endpoint answers with them,
// otherwise a JSON document (an error, or a server that ignored "stream": true).
class StreamReader {
 public:
  explicit StreamReader(const CallControl& control) : accumulator_(control.on_text) {}

  bool on_chunk(const net::HttpResponse& head, std::string_view chunk) {
    if (!event_stream_ && document_.empty()) event_stream_ = is_event_stream(head, chunk);
    if (!event_stream_) {
      if (document_.size() + chunk.size() > kMaxDocumentBytes) return false;
      document_ += chunk;
      return true;
    }
    const bool more = parser_.feed(chunk, on_event());
    if (parser_.overflowed())
      error_ = make_error(Status::too_large,
                          "the model endpoint sent a stream line longer than the parser's limit");
    return more;
  }

  bool event_stream() const noexcept { return event_stream_; }
  const std::string& document() const noexcept { return document_; }
  std::string progress() const { return accumulator_.progress(); }
  std::optional<Error>& error() noexcept { return error_; }

  // After the last chunk: the completion, or why the stream is unusable.
  Expected<ChatCompletion> finish() {
    if (!error_) parser_.finish(on_event());
    if (error_) return std::move(*error_);
    if (!accumulator_.done() && !accumulator_.finished())
      return make_error(Status::upstream, "the model endpoint's stream ended " + progress() +
                                              " without finishing — the answer is incomplete; "
                                              "ask again");
    return accumulator_.take();
  }

 private:
  static bool is_event_stream(const net::HttpResponse& head, std::string_view first_chunk) {
    if (head.status / 100 != 2) return false;
    for (const auto& [name, value] : head.headers)
      if (name == "content-type")
        return to_lower_ascii(value).find("event-stream") != std::string::npos;
    return first_chunk.starts_with("data:");  // no Content-Type at all: judge by the bytes
  }

  net::SseParser::OnEvent on_event() {
    return [this](const net::SseEvent& event) {
      if (auto added = accumulator_.add(event); !added) {
        error_ = std::move(added).error();
        return false;
      }
      return !accumulator_.done();  // stop reading at [DONE]: some servers keep the line open
    };
  }

  net::SseParser parser_;
  detail::StreamAccumulator accumulator_;
  std::optional<Error> error_;
  std::string document_;
  bool event_stream_ = false;
};

}  // namespace

ChatClient::ChatClient(const net::HttpClient& http, ModelOptions options, RetryWait wait)
    : http_(http), options_(std::move(options)), wait_(wait ? std::move(wait) : sliced_wait) {
  auto endpoint = resolve_endpoint(options_);
  if (!endpoint) throw std::invalid_argument(endpoint.error().message);
  endpoint_ = std::move(*endpoint);
}

Expected<ChatCompletion> ChatClient::complete(const ChatRequest& request,
                                              const CallControl& control) const {
  net::HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = endpoint_.url;
  http_request.headers = endpoint_.headers;
  http_request.headers.emplace_back("Content-Type", "application/json");
  http_request.headers.emplace_back("Accept",
                                    options_.stream ? "text/event-stream" : "application/json");
  http_request.body = detail::request_body(request, options_);

  // A transport error: retried only when nothing of the answer has arrived yet.
  const auto transport_failure = [&](Error error, const StreamReader& reader) -> Attempt {
    if (reader.event_stream())
      return {make_error(Status::upstream, "the model endpoint's stream broke off " +
                                               reader.progress() + ": " + error.message +
                                               " — the answer is incomplete; ask again")};
    switch (error.status) {
      case Status::timeout:
        return {make_error(Status::timeout,
                           "the model endpoint " + endpoint_.display +
                               " did not answer in time: " + error.message +
                               " — raise model.request_timeout_seconds or "
                               "model.loop.time_limit_seconds, or use a faster model")};
      case Status::upstream:
        return {make_error(Status::upstream, "cannot reach the model endpoint " +
                                                 endpoint_.display + ": " + error.message +
                                                 " — check model.base_url and that the server "
                                                 "runs"),
                true};
      case Status::cancelled:
        return {make_error(Status::cancelled, "the request to the model was cancelled")};
      default:
        return {make_error(error.status, "model endpoint: " + error.message)};
    }
  };

  const auto attempt_once = [&](int attempt, milliseconds timeout) -> Attempt {
    StreamReader reader(control);
    http_request.timeout = timeout;
    if (options_.stream)
      http_request.on_body_chunk = [&reader](const net::HttpResponse& head,
                                             std::string_view chunk) {
        return reader.on_chunk(head, chunk);
      };
    auto response = http_.request(http_request, endpoint_.egress,
                                  [&control] { return control.is_cancelled(); });
    if (!response) return transport_failure(std::move(response).error(), reader);
    if (options_.stream && reader.event_stream()) return {reader.finish()};
    if (reader.error()) return {std::move(*reader.error())};
    if (options_.stream && reader.document().size() >= kMaxDocumentBytes)
      return {make_error(Status::too_large, "the model endpoint's answer exceeds " +
                                                std::to_string(kMaxDocumentBytes) + " bytes")};
    const std::string& text = options_.stream ? reader.document() : response->body;
    if (response->status / 100 == 2) return {detail::parse_completion(text)};
    const auto said = detail::parse_error_body(text);
    return {detail::http_failure(response->status, said, options_, endpoint_, attempt),
            detail::is_retryable_status(response->status, said.code),
            detail::requested_delay(response->headers, std::chrono::system_clock::now())};
  };

  const auto start = steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    if (control.is_cancelled())
      return make_error(Status::cancelled, "the request to the model was cancelled");
    const auto now = steady_clock::now();
    if (now >= control.deadline)
      return make_error(Status::timeout, "no time was left to ask the model (after " +
                                             seconds_text(now - start) + ")");
    const auto left = std::chrono::duration_cast<milliseconds>(control.deadline - now);
    Attempt outcome =
        attempt_once(attempt, std::max(milliseconds(1), std::min(options_.request_timeout, left)));
    if (outcome.result) return std::move(outcome.result);
    // Provider messages are quoted in errors; none may carry the key.
    Error error = std::move(outcome.result).error();
    error.message = SecretRedactor({options_.api_key}, 1)(error.message);
    if (!outcome.retryable || attempt >= options_.max_attempts) return error;
    const milliseconds delay = outcome.retry_after.value_or(detail::backoff_delay(attempt));
    if (steady_clock::now() + delay >= control.deadline) {
      error.message +=
          " — a retry would have to wait " + seconds_text(delay) + ", beyond the time left";
      return error;
    }
    if (!wait_(delay, control))
      return make_error(Status::cancelled, "the request to the model was cancelled");
  }
}

namespace {

// The HTTP client first, so that it is built before the chat client that refers to it.
struct OwningChatClient final : ChatModel {
  OwningChatClient(net::HttpClientOptions http_options, ModelOptions options)
      : http(std::move(http_options)), client(http, std::move(options)) {}
  Expected<ChatCompletion> complete(const ChatRequest& request,
                                    const CallControl& control) const override {
    return client.complete(request, control);
  }
  net::HttpClient http;
  ChatClient client;
};

}  // namespace

std::shared_ptr<const ChatModel> make_chat_client(net::HttpClientOptions http,
                                                  ModelOptions options) {
  return std::make_shared<const OwningChatClient>(std::move(http), std::move(options));
}

}  // namespace secpilot::model

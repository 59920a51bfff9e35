#include "fakes/openai_compatible_api.hpp"

#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace secpilot::fakes {
namespace {

namespace json = boost::json;

std::string shown(const json::value& value) {
  std::string text = json::serialize(value);
  if (text.size() > 120) text = text.substr(0, 120) + "...";
  return text;
}

// Empty when `actual` has everything `expected` has; otherwise where it differs.
std::string subset_mismatch(const json::value& expected, const json::value& actual,
                            const std::string& path) {
  if (expected.is_object()) {
    if (!actual.is_object()) return path + ": expected an object, got " + shown(actual);
    for (const auto& [key, value] : expected.as_object()) {
      const std::string at = path + "/" + std::string(key);
      const json::value* found = actual.as_object().if_contains(key);
      if (!found) return at + ": missing";
      if (auto mismatch = subset_mismatch(value, *found, at); !mismatch.empty()) return mismatch;
    }
    return {};
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.as_array().size() != expected.as_array().size())
      return path + ": expected " + std::to_string(expected.as_array().size()) + " elements, got " +
             shown(actual);
    for (std::size_t i = 0; i < expected.as_array().size(); ++i)
      if (auto mismatch = subset_mismatch(expected.as_array()[i], actual.as_array()[i],
                                          path + "/" + std::to_string(i));
          !mismatch.empty())
        return mismatch;
    return {};
  }
  if (expected != actual) return path + ": expected " + shown(expected) + ", got " + shown(actual);
  return {};
}

std::string expectation_mismatch(const json::object& expect, const Request& request) {
  if (const json::value* path = expect.if_contains("path");
      path && request.path != path->as_string())
    return "path: expected " + std::string(path->as_string()) + ", got " + request.path;
  if (const json::value* query = expect.if_contains("query")) {
    for (const auto& [name, value] : query->as_object()) {
      const auto actual = request.query_value(name);
      if (!actual || *actual != value.as_string())
        return "query " + std::string(name) + ": expected " + std::string(value.as_string()) +
               ", got " + actual.value_or("nothing");
    }
  }
  if (const json::value* headers = expect.if_contains("headers")) {
    for (const auto& [name, value] : headers->as_object()) {
      const auto actual = request.header(name);
      if (value.is_null() && actual) return "header " + std::string(name) + ": must be absent";
      if (!value.is_null() && (!actual || *actual != value.as_string()))
        return "header " + std::string(name) + ": expected " + std::string(value.as_string()) +
               ", got " + actual.value_or("nothing");
    }
  }
  const bool checks_body = expect.contains("body") || expect.contains("last_message");
  if (!checks_body) return {};
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  if (ec) return "the body is not JSON: " + ec.message();
  if (const json::value* subset = expect.if_contains("body"))
    if (auto mismatch = subset_mismatch(*subset, body, "body"); !mismatch.empty()) return mismatch;
  if (const json::value* last = expect.if_contains("last_message")) {
    const json::value* messages =
        body.is_object() ? body.as_object().if_contains("messages") : nullptr;
    if (!messages || !messages->is_array() || messages->as_array().empty())
      return "body/messages: missing or empty";
    return subset_mismatch(*last, messages->as_array().back(), "last message");
  }
  return {};
}

Response scripted_response(const json::object& spec) {
  if (const json::value* close = spec.if_contains("close"); close && close->as_bool())
    return Response::close_connection();
  Response response;
  if (const json::value* status = spec.if_contains("status"))
    response.status = static_cast<int>(status->to_number<long long>());
  bool has_type = false;
  if (const json::value* headers = spec.if_contains("headers")) {
    for (const auto& [name, value] : headers->as_object()) {
      has_type = has_type || std::string(name) == "Content-Type";
      response.headers.emplace_back(std::string(name), std::string(value.as_string()));
    }
  }
  std::string type = "application/json";
  if (const json::value* document = spec.if_contains("json")) {
    response.body = json::serialize(*document);
  } else if (const json::value* events = spec.if_contains("sse")) {
    for (const json::value& event : events->as_array())
      response.body +=
          "data: " + (event.is_string() ? std::string(event.as_string()) : json::serialize(event)) +
          "\n\n";
    type = "text/event-stream";
  } else if (const json::value* raw = spec.if_contains("sse_text")) {
    response.body = std::string(raw->as_string());
    type = "text/event-stream";
  } else if (const json::value* text = spec.if_contains("text")) {
    response.body = std::string(text->as_string());
    type = "text/plain; charset=utf-8";
  }
  if (!has_type) response.headers.emplace_back("Content-Type", type);
  if (const json::value* cut = spec.if_contains("cut"); cut && cut->as_bool())
    response.action = Response::Action::cut;
  return response;
}

Response refusal(const std::string& reason) {
  return Response::json(400,
                        json::object{{"error", json::object{{"message", "fake server: " + reason},
                                                            {"type", "invalid_request_error"},
                                                            {"code", "fake_expectation_failed"}}}});
}

}  // namespace

struct OpenAiCompatibleApi::State {
  mutable std::mutex mutex;
  std::deque<Exchange> script;
  std::vector<Request> requests;
  std::vector<std::string> problems;

  Response play(const Request& request) {
    std::lock_guard lock(mutex);
    requests.push_back(request);
    const std::string which = "request " + std::to_string(requests.size());
    if (script.empty()) {
      problems.push_back(which + ": the script has no more exchanges");
      return refusal(problems.back());
    }
    const Exchange exchange = std::move(script.front());
    script.pop_front();
    try {
      if (auto mismatch = expectation_mismatch(exchange.expect, request); !mismatch.empty()) {
        problems.push_back(which + ": " + mismatch);
        return refusal(problems.back());
      }
      return scripted_response(exchange.response);
    } catch (const std::exception& e) {  // a value of the wrong type in the script
      problems.push_back(which + ": the script's exchange is malformed: " + e.what());
      return refusal(problems.back());
    }
  }
};

OpenAiCompatibleApi::OpenAiCompatibleApi(FakeHttpService& service)
    : state_(std::make_shared<State>()) {
  service.add_handler([state = state_](const Request& request) -> std::optional<Response> {
    const std::string_view tail = "/chat/completions";
    if (request.method != "POST" || !std::string_view(request.path).ends_with(tail))
      return std::nullopt;
    return state->play(request);
  });
}

OpenAiCompatibleApi::~OpenAiCompatibleApi() = default;

void OpenAiCompatibleApi::load(const std::filesystem::path& script) {
  const auto fail = [&](const std::string& what) {
    throw std::runtime_error(script.string() + ": " + what);
  };
  std::ifstream file(script);
  if (!file) fail("cannot read the script");
  std::stringstream text;
  text << file.rdbuf();
  boost::system::error_code ec;
  const json::value document = json::parse(text.str(), ec);
  if (ec) fail("not JSON: " + ec.message());
  const json::value* exchanges =
      document.is_object() ? document.as_object().if_contains("exchanges") : nullptr;
  if (!exchanges || !exchanges->is_array()) fail("no \"exchanges\" list");
  for (const json::value& item : exchanges->as_array()) {
    const json::value* response =
        item.is_object() ? item.as_object().if_contains("response") : nullptr;
    if (!response || !response->is_object()) fail("an exchange has no \"response\" object");
    const json::value* expect = item.as_object().if_contains("expect");
    if (expect && !expect->is_object()) fail("an exchange's \"expect\" is not an object");
    add({expect ? expect->as_object() : json::object(), response->as_object()});
  }
}

void OpenAiCompatibleApi::add(Exchange exchange) {
  std::lock_guard lock(state_->mutex);
  state_->script.push_back(std::move(exchange));
}

std::vector<Request> OpenAiCompatibleApi::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::vector<std::string> OpenAiCompatibleApi::problems() const {
  std::lock_guard lock(state_->mutex);
  return state_->problems;
}

std::size_t OpenAiCompatibleApi::pending() const {
  std::lock_guard lock(state_->mutex);
  return state_->script.size();
}

}  // namespace secpilot::fakes

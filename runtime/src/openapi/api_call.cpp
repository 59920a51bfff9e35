#include "openapi/api_call.hpp"

#include <algorithm>
#include <thread>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include "secpilot/util/ascii.hpp"

namespace secpilot::openapi {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kMaxAttempts = 3;             // first try plus retries after 429
constexpr std::size_t kExcerptBytes = 300;  // of an error body, in messages
constexpr auto kRetryPoll = std::chrono::milliseconds(20);

// A value as it goes into a URL or form: strings as they are, other scalars as JSON.
std::string as_text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_bool()) return value.get_bool() ? "true" : "false";
  return json::serialize(value);
}

std::string encoded(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

// One line of a response body, for an error message.
std::string excerpt(std::string_view body, const plugin::PluginEnvironment& env) {
  std::string text(body.substr(0, kExcerptBytes));
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  text = env.redact(text);
  if (body.size() > kExcerptBytes) text += "...";
  return text.empty() ? std::string() : ": " + text;
}

std::optional<std::string> header(const net::HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return std::nullopt;
}

// Retry-After in seconds (the HTTP-date form reads as one second).
std::chrono::milliseconds retry_after(const net::HttpResponse& response) {
  auto value = header(response, "retry-after");
  if (!value) return std::chrono::seconds(1);
  try {
    return std::chrono::seconds(std::max(0L, std::stol(*value)));
  } catch (const std::exception&) {
    return std::chrono::seconds(1);
  }
}

// The path of `url` when it has one beyond "/".
std::string path_of(std::string_view url) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return {};
  std::string path(parsed->encoded_path());
  return path == "/" ? std::string() : path;
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

}  // namespace

ApiCall::ApiCall(Operation operation, Endpoint endpoint, std::shared_ptr<ApiAuth> auth,
                 std::shared_ptr<const plugin::PluginEnvironment> environment)
    : operation_(std::move(operation)),
      endpoint_(std::move(endpoint)),
      auth_(std::move(auth)),
      environment_(std::move(environment)) {}

Expected<std::string> ApiCall::base_url() const {
  const std::string server = operation_.servers.empty() ? "" : operation_.servers.front();
  const bool server_absolute = server.find("://") != std::string::npos;
  std::string replacement;
  if (!endpoint_.url_setting.empty()) {
    auto value = environment_->setting(endpoint_.url_setting);
    if (!value || value->empty())
      return make_error(
          Status::invalid_input,
          "the setting " + endpoint_.url_setting +
              " has no value: set it to your "
              "instance's URL under plugins: " +
              environment_->name +
              ": settings: in the settings file, or with `secpilot plugins settings " +
              environment_->name + " --set " + endpoint_.url_setting + "=https://...`");
    replacement = *value;
  } else if (!endpoint_.url.empty()) {
    auto value = environment_->with_settings(endpoint_.url);
    if (!value) return std::move(value).error();
    replacement = *value;
  }
  if (replacement.empty()) {
    if (!server_absolute)
      return make_error(Status::invalid_input,
                        operation_.id +
                            " has no absolute server URL in the spec: give the group "
                            "an EndpointUrl, or an EndpointUrlSettingName");
    return without_trailing_slash(server);
  }
  replacement = without_trailing_slash(replacement);
  if (path_of(replacement).empty()) replacement += path_of(server);
  return without_trailing_slash(replacement);
}

Expected<std::string> ApiCall::call(
    std::string_view input, Clock::time_point deadline,
    const std::shared_ptr<const std::atomic<bool>>& cancelled) const {
  const plugin::PluginEnvironment& env = *environment_;
  boost::system::error_code syntax;
  auto parsed = json::parse(input, syntax);
  if (syntax || !parsed.is_object())
    return make_error(Status::invalid_input, "the inputs are not a JSON object");
  const json::object& inputs = parsed.get_object();
  auto base = base_url();
  if (!base) return std::move(base).error();
  if (auth_->kind() != ApiAuth::Kind::none && cleartext_off_loopback(*base))
    return make_error(Status::invalid_input,
                      "refusing to send credentials over plain http to " + *base +
                          ": set the base URL to https:// (http is accepted only on loopback)");

  // The path, with its placeholders filled in.
  std::string path = operation_.path;
  net::HttpRequest request;
  request.method = operation_.method;
  request.headers = {{"Accept", "application/json"}};
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& parameter : operation_.parameters) {
    const json::value* value = inputs.if_contains(parameter.input);
    if (!value || value->is_null()) continue;
    switch (parameter.in) {
      case ParameterIn::path: {
        const std::string placeholder = "{" + parameter.name + "}";
        for (auto at = path.find(placeholder); at != std::string::npos; at = path.find(placeholder))
          path.replace(at, placeholder.size(), encoded(as_text(*value)));
        break;
      }
      case ParameterIn::query:
        if (value->is_array() && parameter.explode) {
          for (const auto& item : value->get_array())
            query.emplace_back(parameter.name, as_text(item));
        } else if (value->is_array()) {
          std::string joined;
          for (const auto& item : value->get_array())
            joined += (joined.empty() ? "" : ",") + as_text(item);
          query.emplace_back(parameter.name, joined);
        } else {
          query.emplace_back(parameter.name, as_text(*value));
        }
        break;
      case ParameterIn::header:
        request.headers.emplace_back(parameter.name, as_text(*value));
        break;
    }
  }
  boost::urls::url url(*base + path);
  for (const auto& [name, value] : query)
    url.params().append({name, value});
  request.url = std::string(url.buffer());

  if (operation_.body) {
    const RequestBody& body = *operation_.body;
    const bool form = body.content_type == "application/x-www-form-urlencoded";
    json::object fields;
    if (body.properties.empty()) {
      for (const auto& [name, value] : inputs)
        if (name == "body" || name == "request_body") {
          if (value.is_object())
            fields = value.get_object();
          else
            request.body = json::serialize(value);
        }
    }
    for (const auto& property : body.properties)
      if (const json::value* value = inputs.if_contains(property.input); value && !value->is_null())
        fields[property.name] = *value;
    if (request.body.empty()) {
      if (form) {
        for (const auto& [name, value] : fields)
          request.body +=
              (request.body.empty() ? "" : "&") + encoded(name) + "=" + encoded(as_text(value));
      } else {
        request.body = json::serialize(fields);
      }
    }
    request.headers.emplace_back("Content-Type", body.content_type);
  }

  const std::function<bool()> is_cancelled = [&cancelled] {
    return cancelled && cancelled->load();
  };
  const auto remaining = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  };
  bool token_retried = false;
  for (int attempt = 1;; ++attempt) {
    if (remaining().count() <= 0)
      return make_error(Status::timeout, operation_.id + " ran out of time");
    net::HttpRequest attempt_request = request;
    attempt_request.timeout = remaining();
    if (auto authed = auth_->apply(attempt_request, *base, env, remaining(), is_cancelled); !authed)
      return std::move(authed).error();
    auto response = env.http->request(attempt_request, env.egress, is_cancelled);
    if (!response)
      return make_error(response.error().status, operation_.method + " " + *base + path + ": " +
                                                     env.redact(response.error().message));
    const int status = response->status;
    const std::string where =
        operation_.method + " " + *base + path + " answered HTTP " + std::to_string(status);
    if (status == 401 && !token_retried && auth_->forget_token()) {
      token_retried = true;  // the token may have expired early: fetch a new one, once
      continue;
    }
    if (status == 429) {
      const auto wait = retry_after(*response);
      if (attempt >= kMaxAttempts || wait >= remaining())
        return make_error(
            Status::rate_limited,
            where + " (rate limited); retry after " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(wait).count()) +
                " s");
      // Waits in short steps so that a cancelled call stops waiting at once.
      for (const auto until = Clock::now() + wait; Clock::now() < until;) {
        if (is_cancelled()) return make_error(Status::cancelled, operation_.id + " was cancelled");
        std::this_thread::sleep_for(std::min<Clock::duration>(kRetryPoll, until - Clock::now()));
      }
      continue;
    }
    if (status == 401 || status == 403)
      return make_error(Status::unauthorized, where + excerpt(response->body, env) +
                                                  " — check the plugin's credentials in its "
                                                  "settings and secrets");
    if (status == 404) return make_error(Status::not_found, where + excerpt(response->body, env));
    if (status >= 500 || status < 200 || (status >= 300 && status < 400))
      return make_error(Status::upstream, where + excerpt(response->body, env));
    if (status >= 400)
      return make_error(Status::invalid_input, where + excerpt(response->body, env));
    if (response->body.empty() || status == 204) return std::string("{}");
    json::parse(response->body, syntax);
    if (syntax)
      return make_error(Status::upstream, where + " with a body that is not JSON (" +
                                              syntax.message() + ")" +
                                              excerpt(response->body, env));
    return std::move(response->body);
  }
}

}  // namespace secpilot::openapi

// A client for Red Canary's REST API v3: sends the token in X-Api-Key, honours 429 Retry-After
// within bounds, turns every other failure into an Error a person can act on, and parses the
// JSON envelope ({data, meta, links}).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "red_canary/http.hpp"
#include "red_canary/instance.hpp"

namespace red_canary {

struct RetryPolicy {
  int max_retries = 3;                          // 429s retried per request
  std::chrono::seconds max_wait{10};            // a longer Retry-After fails at once
  std::chrono::seconds wait_without_header{2};  // when a 429 has no usable Retry-After
};

// What a request is for, to word its errors: "detection 4127", "the detections list".
struct Subject {
  std::string what;
  bool collection = false;  // a 404 on a collection means InstanceURL is wrong, not a missing item
};

class ApiClient {
 public:
  ApiClient(Instance instance, Transport transport, Waiter waiter, Cancelled cancelled,
            RetryPolicy retry = {});

  // GET <api_url>/<path>?<query>: the response's JSON object.
  boost::json::object get(std::string_view path, const Fields& query, const Subject& subject);
  // PATCH <api_url>/<path> with an application/x-www-form-urlencoded body.
  boost::json::object patch_form(std::string_view path, const Fields& form, const Subject& subject);

  const Instance& instance() const noexcept { return instance_; }
  int requests_sent() const noexcept { return requests_sent_; }

 private:
  boost::json::object send(HttpRequest request, std::string_view path, const Subject& subject);
  HttpResponse exchange(const HttpRequest& request);

  Instance instance_;
  Transport transport_;
  Waiter waiter_;
  Cancelled cancelled_;
  RetryPolicy retry_;
  int requests_sent_ = 0;
};

// "a=1&b=x%20y": percent-encoded as a URL query or a form body.
std::string encode_fields(const Fields& fields);

}  // namespace red_canary

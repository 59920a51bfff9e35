// A Transport that answers from a script and records what it was sent, and a Waiter that records
// the waits instead of sleeping: for tests of the client's status handling and of paging.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "red_canary/client.hpp"
#include "red_canary/errors.hpp"

namespace red_canary::testing {

inline HttpResponse json_response(int status, std::string body, Fields headers = {}) {
  headers.emplace_back("content-type", "application/json");
  return {status, std::move(headers), std::move(body)};
}

struct Script {
  std::deque<HttpResponse> responses;
  std::vector<HttpRequest> sent;
  std::vector<std::chrono::milliseconds> waits;
  bool cancel_waits = false;

  Transport transport() {
    return [this](const HttpRequest& request) {
      sent.push_back(request);
      if (responses.empty()) throw Error(ErrorKind::internal, "the script has no more responses");
      HttpResponse next = std::move(responses.front());
      responses.pop_front();
      return next;
    };
  }
  Waiter waiter() {
    return [this](std::chrono::milliseconds delay) {
      waits.push_back(delay);
      return !cancel_waits;
    };
  }
  ApiClient client() {
    Instance instance{"https://corp-example.my.redcanary.co",
                      "https://corp-example.my.redcanary.co/openapi/v3", "secret-token"};
    return ApiClient(instance, transport(), waiter(), [] { return false; });
  }
};

}  // namespace red_canary::testing

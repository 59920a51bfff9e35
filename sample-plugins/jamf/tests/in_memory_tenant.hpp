// The fake Jamf Pro tenant wired to jamf_core without sockets: a Transport that hands each
// request to JamfProApi::handle(), a TokenCache on a clock the test moves, and waits that are
// recorded instead of slept.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/url/parse.hpp>

#include "fakes/jamf_pro_api.hpp"
#include "jamf/client.hpp"
#include "jamf/error.hpp"
#include "jamf/http.hpp"
#include "jamf/token_cache.hpp"

namespace jamf::testing {

inline std::string fixture() {
  return std::string(JAMF_FIXTURES) + "/computers.json";
}

class InMemoryTransport final : public Transport {
 public:
  explicit InMemoryTransport(secpilot::fakes::JamfProApi& api) : api_(api) {}

  HttpResponse send(const HttpRequest& request) override {
    sent.push_back(request);
    const auto url = boost::urls::parse_uri(request.url).value();
    secpilot::fakes::Request in;
    in.method = request.method;
    in.target = std::string(url.encoded_target());
    in.path = std::string(url.path());
    for (const auto& param : url.params())
      in.query.emplace_back(std::string(param.key), std::string(param.value));
    for (const auto& [name, value] : request.headers) {
      std::string lower = name;
      for (char& c : lower)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      in.headers.emplace_back(lower, value);
    }
    in.body = request.body;
    auto out = api_.handle(in);
    if (!out) return {404, {}, "no route"};
    using Action = secpilot::fakes::Response::Action;
    if (out->action == Action::close)
      throw Error(ErrorKind::upstream, "could not reach Jamf Pro: the connection was closed");
    if (out->action == Action::hang)
      throw Error(ErrorKind::timeout, "could not reach Jamf Pro: the request timed out");
    HttpResponse response{out->status, {}, out->body};
    for (const auto& [name, value] : out->headers) {
      std::string lower = name;
      for (char& c : lower)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      response.headers.emplace_back(lower, value);
    }
    return response;
  }

  bool wait(std::chrono::milliseconds delay) override {
    waits.push_back(delay);
    return !cancel_waits;
  }

  // Requests whose URL contains `fragment`.
  int count(const std::string& fragment) const {
    int n = 0;
    for (const auto& request : sent)
      n += request.url.find(fragment) != std::string::npos ? 1 : 0;
    return n;
  }

  std::vector<HttpRequest> sent;
  std::vector<std::chrono::milliseconds> waits;
  bool cancel_waits = false;

 private:
  secpilot::fakes::JamfProApi& api_;
};

// A tenant, the plugin instance's token cache on a test clock, and a client per "call".
struct Tenant {
  secpilot::fakes::JamfProApi api{fixture()};
  InMemoryTransport transport{api};
  std::chrono::steady_clock::time_point now{std::chrono::hours{1000}};
  TokenCache tokens{[this] { return now; }};

  Connection connection(int page_size = 100) const {
    Connection c;
    c.base_url = "https://acme.jamfcloud.example";
    c.client_id = secpilot::fakes::JamfProApi::Options{}.client_id;
    c.client_secret = secpilot::fakes::JamfProApi::Options{}.client_secret;
    c.page_size = page_size;
    return c;
  }
  JamfClient client(int page_size = 100) {
    return JamfClient(connection(page_size), tokens, transport);
  }
};

}  // namespace jamf::testing

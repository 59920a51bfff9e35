// A stateful fake of Red Canary's REST API v3 (https://<subdomain>.my.redcanary.co/openapi/v3/),
// mounted on a FakeHttpService, for the RedCanary connector's tests.
//
// It follows the request and response shapes Red Canary and its integrators publish (see
// docs/plugins/red-canary.md, "Published API shapes"): the `X-Api-Key` header, a 403 for a missing
// or wrong token, JSON:API-flavoured envelopes ({data: [...], meta: {api_version, total_items},
// links}) with `data` an array even for one resource, page/per_page paging with `links.next` and
// `meta.total_items`, detections with timeline, detectors and marked indicators, endpoints,
// endpoint users, and the PATCH state changes mark_acknowledged and update_remediation_state.
// Data comes from the fixture folder (tests/fakes/data/red-canary); state changes are kept.
//
// Faults can be injected for the next N API requests: 429 with Retry-After, any HTTP status,
// a malformed JSON body, a closed connection, or no answer at all.
//
// Where Red Canary publishes nothing, the fake chooses (and the connector must not depend on it):
// detections are listed newest first by time_of_occurrence, and `since` keeps those that occurred
// at or after it; per_page defaults to 50 (the first-party Python client's default) and is capped
// at 100; filter_query=<attribute>:<value> matches any string attribute, ignoring case; error
// bodies are {"errors": [{"status", "detail"}]}; paths outside /openapi/v3/ get the portal's HTML
// 404 page, as a wrong subdomain does.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "fakes/fake_http_service.hpp"

namespace secpilot::fakes {

class RedCanaryApi {
 public:
  // The token the fake accepts unless told otherwise.
  static constexpr const char* kDefaultToken = "rc-test-0f6c2b1e9a7d4c3b8e5f1a2d";

  struct Fault {
    enum class Kind {
      rate_limited,      // 429 Too Many Requests with Retry-After: retry_after_seconds
      status,            // an empty-bodied JSON error with this HTTP status (500, 502, 401, ...)
      malformed_json,    // 200 with a body cut in the middle of the JSON
      close_connection,  // the connection closes without an answer
      hang,              // no answer until the client gives up
    };
    Kind kind = Kind::status;
    int status = 500;
    int retry_after_seconds = 1;

    static Fault rate_limited(int retry_after_seconds) {
      return {Kind::rate_limited, 429, retry_after_seconds};
    }
    static Fault http_status(int status) { return {Kind::status, status, 0}; }
    static Fault malformed_json() { return {Kind::malformed_json, 200, 0}; }
    static Fault close_connection() { return {Kind::close_connection, 0, 0}; }
    static Fault hang() { return {Kind::hang, 0, 0}; }
  };

  // Loads the fixtures from `fixtures_dir` and serves them under <service>/openapi/v3/ to
  // requests that carry `X-Api-Key: api_token`. Throws std::runtime_error naming a fixture file
  // that is missing or malformed.
  RedCanaryApi(FakeHttpService& service, const std::filesystem::path& fixtures_dir,
               std::string api_token = kDefaultToken);
  ~RedCanaryApi();
  RedCanaryApi(const RedCanaryApi&) = delete;
  RedCanaryApi& operator=(const RedCanaryApi&) = delete;

  // What a customer sets as the plugin's InstanceURL: the portal's base address.
  std::string instance_url() const;

  // The next `count` requests under /openapi/v3/ get `fault` instead of an answer (before the
  // token is checked, as a rate limiter or a failing proxy in front of the API would).
  void fail_next(int count, Fault fault);

  // per_page is capped at this (default 100), as the plugin cannot know the server's cap.
  void set_max_per_page(int max_per_page);

  // The detection's current resource object (with any state change applied), or nullopt.
  std::optional<boost::json::object> detection(long id) const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the handler, which the service may outlive us with
};

}  // namespace secpilot::fakes

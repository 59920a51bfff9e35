// One call's conversation with Jamf Pro: the OAuth client-credentials token (from the instance's
// TokenCache, fetched when missing or near expiry), bearer authentication on every request, one
// token refresh and retry when Jamf Pro answers 401, bounded waits on 429 Retry-After, and every
// failure turned into a jamf::Error that says what failed and what to do.
#pragma once

#include <chrono>
#include <string>

#include <boost/json/value.hpp>

#include "jamf/http.hpp"
#include "jamf/settings.hpp"
#include "jamf/token_cache.hpp"
#include "jamf/url_encoding.hpp"

namespace jamf {

// What a request is for, so that its failures can be explained.
struct Endpoint {
  std::string what;       // "the computer inventory", "computer 42", ...
  std::string privilege;  // the API role privilege it needs, e.g. "Read Computers"
  std::string not_found;  // the message for a 404; empty means a 404 is an upstream failure
};

// How patient the client is with HTTP 429.
struct RetryPolicy {
  int max_retries = 3;                   // 429s in a row before giving up
  std::chrono::seconds max_wait{10};     // the longest Retry-After honoured within a call
  std::chrono::seconds default_wait{1};  // when Retry-After is missing or not in seconds
};

class JamfClient {
 public:
  JamfClient(Connection connection, TokenCache& tokens, Transport& transport,
             RetryPolicy retry = {})
      : connection_(std::move(connection)), tokens_(tokens), transport_(transport), retry_(retry) {}

  const Connection& connection() const { return connection_; }

  // GET <BaseURL><path>?<query> and its JSON body.
  boost::json::value get_json(const std::string& path, const Parameters& query,
                              const Endpoint& endpoint);
  // POST <BaseURL><path> with a JSON body, and the JSON answer.
  boost::json::value post_json(const std::string& path, const boost::json::value& body,
                               const Endpoint& endpoint);

  // "/api/v1/computers-inventory[<suffix>]", with the configured InventoryApiVersion.
  std::string inventory_path(const std::string& suffix = "") const;
  // "/api/v1/computers-inventory-detail/<id>": every section of one computer.
  std::string inventory_detail_path(const std::string& id) const;

 private:
  HttpResponse authorized(HttpRequest request, const Endpoint& endpoint);
  IssuedToken fetch_token();
  // Waits out a 429 (or throws rate_limited / cancelled); `attempts` counts them per request.
  void wait_after_throttle(const HttpResponse& response, int& attempts, const std::string& what);
  boost::json::value checked_json(const HttpResponse& response, const Endpoint& endpoint,
                                  const std::string& request_line);

  Connection connection_;
  TokenCache& tokens_;
  Transport& transport_;
  RetryPolicy retry_;
};

}  // namespace jamf

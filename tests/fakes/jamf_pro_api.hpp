// A fake Jamf Pro tenant for the Jamf connector's tests, following the Jamf Pro API's published
// request and response shapes (developer.jamf.com):
//
//   POST /api/oauth/token                     form: grant_type=client_credentials, client_id,
//                                             client_secret → {access_token, scope, token_type,
//                                             expires_in}; 401 {"error": "invalid_client"}
//   GET  /api/v{1..4}/computers-inventory      section= (repeated or comma-separated), page,
//                                             page-size, sort (field:asc|desc,...), filter (RSQL)
//                                             → {totalCount, results}
//   GET  /api/v{1..4}/computers-inventory/{id} section= → one record
//   GET  /api/v{1..4}/computers-inventory-detail/{id}   → one record, every section
//   POST /api/v2/mdm/commands                 {clientData: [{managementId}], commandData:
//                                             {commandType: DEVICE_LOCK, pin, message}} → 201
//                                             [{id, href}]
//
// Every API call needs `Authorization: Bearer <token>` with a token this fake issued and that has
// not expired; otherwise 401. Errors use the Jamf Pro API's {"httpStatus", "errors": [{"code",
// "description", "id", "field"}]}. The RSQL filter supports ==, != (with '*' wildcards), <, <=,
// >, >= (and =lt= =le= =gt= =ge=), =in=, =out=, ';' / and, ',' / or, and parentheses, with
// quoted ("..." or '...', backslash escapes) or bare arguments; comparisons ignore case, and
// date-times compare as times.
//
// The computers come from a fixture file: {"computers": [<full inventory records>]}.
// Thread-safe: the service calls handle() from one thread per connection.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "fakes/fake_http_service.hpp"

namespace secpilot::fakes {

class JamfProApi {
 public:
  struct Options {
    std::string client_id = "secpilot-jamf-tests";
    std::string client_secret = "fake-jamf-secret-0f3a";
    std::chrono::seconds token_lifetime{1200};  // expires_in of issued tokens
  };

  // A failure to answer with instead of the real thing.
  struct Fault {
    enum class Kind {
      rate_limited,      // 429 with Retry-After (omitted when retry_after < 0)
      server_error,      // `status` (5xx) with a short text body
      malformed_json,    // 200 whose JSON body is cut off
      token_rejected,    // 401 INVALID_TOKEN even for a valid token, which is then revoked
      forbidden,         // 403 INVALID_PRIVILEGE: the API role lacks the privilege
      close_connection,  // closes the connection without answering
      hang,              // never answers
    };
    Kind kind = Kind::server_error;
    int status = 500;
    int retry_after = 1;

    static Fault rate_limited(int retry_after_seconds = 1) {
      return {Kind::rate_limited, 429, retry_after_seconds};
    }
    static Fault server_error(int status = 500) { return {Kind::server_error, status, 0}; }
    static Fault malformed_json() { return {Kind::malformed_json, 200, 0}; }
    static Fault token_rejected() { return {Kind::token_rejected, 401, 0}; }
    static Fault forbidden() { return {Kind::forbidden, 403, 0}; }
    static Fault close_connection() { return {Kind::close_connection, 0, 0}; }
    static Fault hang() { return {Kind::hang, 0, 0}; }
  };

  // Which requests a fault applies to.
  enum class Scope {
    api,           // every call but the token endpoint
    token,         // POST /api/oauth/token only
    mdm_commands,  // POST /api/v2/mdm/commands only
    any,
  };

  // One MDM command this fake accepted.
  struct MdmCommand {
    std::string uuid;
    std::string command_type;
    std::string management_id;
    std::string pin;
    std::optional<std::string> message;
  };

  explicit JamfProApi(const std::filesystem::path& computers_fixture);
  JamfProApi(const std::filesystem::path& computers_fixture, Options options);

  // Adds this tenant's handler to `service`; it must outlive the service's use of it.
  void mount(FakeHttpService& service);

  // Answers one request (what the mounted handler does), or nullopt when the path is not Jamf's.
  std::optional<Response> handle(const Request& request);

  // --- What happened.
  int tokens_issued() const;
  std::vector<MdmCommand> mdm_commands() const;

  // --- Faults.
  // The next `count` requests in `scope` get `fault` instead of an answer, in the order queued.
  void fail_next(Fault fault, int count = 1, Scope scope = Scope::api);
  // Every token issued so far expires now: the next API call with one of them gets 401.
  void expire_tokens();

 private:
  struct Token {
    std::chrono::steady_clock::time_point expires_at;
  };

  std::optional<Response> take_fault(const Request& request);
  Response issue_token(const Request& request);
  std::optional<Response> check_bearer(const Request& request);
  Response list_computers(const Request& request);
  Response one_computer(const std::string& id, const Request& request, bool every_section);
  Response mdm_command(const Request& request);

  Options options_;
  boost::json::array computers_;  // immutable after construction

  mutable std::mutex mutex_;  // guards the members below
  std::map<std::string, Token> tokens_;
  int tokens_issued_ = 0;
  std::deque<std::pair<Scope, Fault>> faults_;
  std::vector<MdmCommand> commands_;
};

}  // namespace secpilot::fakes

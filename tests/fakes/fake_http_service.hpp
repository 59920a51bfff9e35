// A loopback HTTP server for fakes of third-party services (Red Canary, Jamf Pro, ...) that cannot
// run here. Each fake is a set of handlers that follow the vendor's published request and response
// shapes; the connector under test talks to it exactly as it would talk to the real service.
//
// Blocking Beast, one thread per connection, HTTP/1.1 keep-alive; listens on 127.0.0.1 only.
// Every request is recorded so that tests can assert what the connector sent.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace secpilot::fakes {

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // as sent: path and query
  std::string path;                                          // percent-decoded, no query
  std::vector<std::pair<std::string, std::string>> query;    // percent-decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;

  // The first query parameter or header (name matched exactly; header names lower-case).
  std::optional<std::string> query_value(std::string_view name) const;
  std::optional<std::string> header(std::string_view lower_case_name) const;
};

struct Response {
  enum class Action {
    answer,  // send this response
    close,   // close the connection without answering (a network failure)
    hang,    // never answer; wait until the client gives up or the service stops (a timeout)
    cut,     // send the status, headers and body, promising one byte more, then close: a
             // connection lost in the middle of the body (a stream cut off)
  };
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Action action = Action::answer;

  static Response json(int status, const boost::json::value& body);
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response close_connection();
  static Response hang_up_never();
};

// Answers a request, or returns nullopt when the request is not for this handler.
using Handler = std::function<std::optional<Response>(const Request&)>;

class FakeHttpService {
 public:
  // Listens on 127.0.0.1:`port` (0: an ephemeral port) and starts serving at once.
  explicit FakeHttpService(unsigned short port = 0);
  ~FakeHttpService();  // stops accepting, wakes hanging handlers, joins every thread
  FakeHttpService(const FakeHttpService&) = delete;
  FakeHttpService& operator=(const FakeHttpService&) = delete;

  // Handlers are tried in the order they were added; a request none answers gets a JSON 404.
  // Handlers run on connection threads, concurrently: they guard their own state.
  void add_handler(Handler handler);

  unsigned short port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>"

  std::vector<Request> requests() const;  // every request received so far, in arrival order
  void clear_requests();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace secpilot::fakes

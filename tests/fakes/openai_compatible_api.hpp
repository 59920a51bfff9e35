// A scripted OpenAI-compatible chat-completions server, mounted on a FakeHttpService, for the
// model client's and the function-calling loop's tests. It replays recorded exchanges in order:
// each pairs what the request must look like with the response to send (one JSON document, a
// server-sent event stream, or a stream cut off by a lost connection). Every request is kept so
// that tests can assert what the client sent (headers, model, messages, tools, stream options).
//
// Script files (tests/fakes/data/openai/*.json):
//   {"scenario": "...", "source": "where the shapes come from",
//    "exchanges": [{"expect": {...}, "response": {...}}, ...]}
// expect (all optional):
//   "path": "/v1/chat/completions"            exact, percent-decoded, no query
//   "query": {"api-version": "2024-10-21"}    each parameter must be present with that value
//   "headers": {"api-key": "k", "authorization": null}   lower-case names; null = must be absent
//   "body": {...}                             a subset of the request's JSON body: objects match
//                                             key by key, arrays element by element (same
//                                             length), other values exactly
//   "last_message": {"role": "tool"}          a subset of the last element of body.messages
// response:
//   "status": 200 (default), "headers": {"Name": "value"},
//   one of: "json": <document>  |  "sse": [<chunk object> | "<raw data, e.g. [DONE]>", ...]
//           "sse_text": "<exact event-stream bytes>"  |  "text": "<body>"
//   "cut": true   the connection closes after the body, in the middle of the response
//   "close": true the connection closes without any answer (nothing else is used)
// A request that breaks an expectation, or comes after the script ran out, is answered 400 with
// the reason, and the reason is kept in problems().
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "fakes/fake_http_service.hpp"

namespace secpilot::fakes {

class OpenAiCompatibleApi {
 public:
  struct Exchange {
    boost::json::object expect;
    boost::json::object response;
  };

  // Answers POST requests whose path ends in /chat/completions, on any prefix (/v1,
  // /openai/v1, /openai/deployments/<name>).
  explicit OpenAiCompatibleApi(FakeHttpService& service);
  ~OpenAiCompatibleApi();
  OpenAiCompatibleApi(const OpenAiCompatibleApi&) = delete;
  OpenAiCompatibleApi& operator=(const OpenAiCompatibleApi&) = delete;

  // Appends the exchanges of a script file. Throws std::runtime_error naming the file and what is
  // wrong with it.
  void load(const std::filesystem::path& script);
  void add(Exchange exchange);

  std::vector<Request> requests() const;      // the chat requests received, in order
  std::vector<std::string> problems() const;  // broken expectations, requests past the script
  std::size_t pending() const;                // exchanges not played yet

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the handler, which may outlive a test's scope
};

}  // namespace secpilot::fakes

// libFuzzer target: raw bytes from a client through what secpilotd does with them before a
// handler runs: the server's RequestReader (Beast's parser with the daemon's default limits and
// the server's own header checks), the router holding every daemon route, and the JSON body
// reader. Bytes arrive in chunks of the size the first byte picks, and a connection may carry
// several (pipelined) requests, as on a socket.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/routes.hpp"
#include "secpilot/api/api.hpp"
#include "secpilot/server/router.hpp"
#include "server/request_reader.hpp"

namespace {

namespace server = secpilot::server;
namespace api = secpilot::api;

const server::Router& routes() {
  // Matching never runs a handler, so an empty context is enough.
  static const server::Router router = [] {
    server::Router r;
    api::add_routes(r, std::make_shared<api::ApiContext>());
    return r;
  }();
  return router;
}

// What the server does with a complete request before its handler runs.
bool route(server::RequestReader& reader, server::Request& request) {
  const bool keep_alive = reader.keep_alive();
  (void)routes().match(request.method, reader.encoded_path());
  (void)api::json_body(request);
  (void)api::resume_after(request);
  return keep_alive;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = std::size_t{data[0]} + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  server::RequestReader reader({});  // the daemon's default limits (config `limits:`)
  auto request = std::make_unique<server::Request>();
  reader.start(*request);
  std::string pending;  // read from the "socket", not yet used by the reader
  std::size_t at = 0;
  for (int requests = 0; requests < 16;) {
    pending.erase(0, reader.put(pending));
    if (reader.take_refusal()) break;  // answered, and the connection closes
    (void)reader.take_send_continue();
    if (reader.done()) {
      ++requests;
      if (!route(reader, *request)) break;
      reader.start(*request);  // as a connection does: the next request reuses the last one's
      continue;
    }
    if (at >= bytes.size()) break;  // the client stopped sending
    pending.append(bytes.substr(at, chunk));
    at += chunk;
  }
  return 0;
}

// The web page (runtime/web, embedded at build time) from the daemon's own origin: GET / and
// GET /ui/{file}, from memory, with strong ETags, and headers that keep the page to its own code
// (docs/web.md). The page holds no data: it signs in with an API key and calls the API, so these
// routes need no key. They are not API operations and are not in docs/openapi.json.
#include <algorithm>

#include "api/routes.hpp"
#include "api/web_assets.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::api {
namespace {

// No inline script or style, no plugins, no frames, no form posts; the page talks only to us.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void add_security_headers(server::Headers& headers) {
  headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  headers.emplace_back("X-Frame-Options", "DENY");
  headers.emplace_back("X-Content-Type-Options", "nosniff");
  headers.emplace_back("Referrer-Policy", "no-referrer");
}

const WebAsset* find_asset(std::string_view name) {
  const auto assets = web_assets();
  const auto it = std::find_if(assets.begin(), assets.end(),
                               [name](const WebAsset& asset) { return asset.name == name; });
  return it == assets.end() ? nullptr : &*it;
}

// RFC 9110 13.1.2: If-None-Match is "*" or a list of entity tags, compared weakly.
bool none_match_fails(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string_view tag = trim_blanks(if_none_match.substr(0, comma));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

server::Response serve(const server::Request& request, std::string_view name) {
  server::Response response;
  const WebAsset* asset = find_asset(name);
  if (asset == nullptr) {
    response = server::problem(404, "the web page has no file named '" + std::string(name) + "'");
  } else {
    // Names are not fingerprinted, so browsers revalidate every time: a 304 costs a few bytes.
    response.headers.emplace_back("ETag", asset->etag);
    response.headers.emplace_back("Cache-Control", "no-cache");
    if (none_match_fails(request.header("if-none-match"), asset->etag)) {
      response.status = 304;
      response.content_type.clear();
    } else {
      response.body = asset->body;
      response.content_type = asset->content_type;
    }
  }
  add_security_headers(response.headers);
  return response;
}

}  // namespace

void add_web_routes(server::Router& router, const Shared& /*shared*/) {
  // Served from memory at once: on the I/O thread. Added in a loop rather than as
  // router.get("/...") so that tests/openapi, which reads those calls as API routes, skips them.
  for (const std::string_view pattern : {"/", "/ui/{file}"}) {
    router.get(
        pattern,
        [](const server::Request& request, const server::PathParams& params) {
          return server::Reply(
              serve(request, params.contains("file") ? params["file"] : "index.html"));
        },
        server::on_io_thread());
  }
}

}  // namespace secpilot::api

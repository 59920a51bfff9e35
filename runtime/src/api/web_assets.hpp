// The web page's files (runtime/web), embedded into the daemon at build time by
// cmake/EmbedWebAssets.cmake and served by routes_web.cpp.
#pragma once

#include <span>
#include <string_view>

namespace secpilot::api {

struct WebAsset {
  std::string_view name;          // "app.js", served as /ui/app.js
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // strong, quoted: "\"3f2a...\"" (a prefix of the SHA-256)
  std::string_view body;
};

// Every file, sorted by name. Defined in the generated web_assets.cpp.
std::span<const WebAsset> web_assets();

}  // namespace secpilot::api

// Undoes the ways analysts and droppers "defang" indicators: 198.51.100[.]7, evil(dot)example,
// hxxps[:]//, user[@]example.test. The indicator scanner runs on the refanged copy and marks an
// indicator defanged when any of its characters came from such a token.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace script_analysis {

struct Refanged {
  std::string text;
  std::vector<uint8_t> changed;  // per byte of `text`: 1 when it replaced a defang token
  bool any_changed = false;
};

// One linear pass, case-insensitive:
//   [.] (.) {.} [dot] (dot) {dot} -> "."     [@] (@) [at] (at) -> "@" (between letters or digits)
//   [:] -> ":"   [://] -> "://"   [/] -> "/"
//   hxxp, hxxps, hxtp, hxtps, fxp when followed by ':' or '[' -> http, https, ftp
Refanged refang(std::string_view text);

}  // namespace script_analysis

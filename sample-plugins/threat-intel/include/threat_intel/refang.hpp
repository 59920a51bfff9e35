// Undoes the usual ways analysts "defang" indicators so they cannot be clicked or resolved:
// 1.2.3[.]4, example(dot)com, hxxps[:]//, user[@]example.com, example \. com, "user [at] example
// [dot] com". Shared by the lookup (one indicator) and the extractor (free text).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace threat_intel {

struct Refanged {
  std::string text;
  // One flag per byte of `text`: 1 where the byte came from a defang token, so the extractor can
  // tell which indicators were written defanged.
  std::vector<uint8_t> changed;
  bool any_changed = false;
};

// One linear pass. Replaces, case-insensitively:
//   [.] (.) {.} [dot] (dot) {dot}     -> "."     (spaces around them are dropped between words)
//   [@] (@) {@} [at] (at) {at}        -> "@"     (likewise)
//   [:] [://] [/] and their ()/{} forms -> ":" "://" "/"
//   hxxp hxxps hxtp hxtps hxxxp fxp fxps, when followed by ':' or a bracket -> http https ftp ftps
//   \. between two letters or digits  -> "."
// Everything else is copied unchanged.
Refanged refang(std::string_view text);

}  // namespace threat_intel

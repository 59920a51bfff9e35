// libFuzzer target: bytes from an untrusted runner through FrameDecoder, fed in chunks of the
// sizes the input itself picks (a socket splits frames anywhere). next() is drained after each
// chunk; once it failed it must keep failing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runner/frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size (1..256): small chunks split headers, large ones
  // carry several frames.
  const std::size_t chunk = std::size_t{data[0]} + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  // A small limit so that the fuzzer reaches the oversized-length path with short inputs.
  secpilot::runner::FrameDecoder decoder(4096);
  bool broken = false;
  for (std::size_t at = 0; at < bytes.size() && !broken; at += chunk) {
    decoder.feed(bytes.substr(at, chunk));
    for (;;) {
      auto message = decoder.next();
      if (!message) {
        broken = true;
        break;
      }
      if (!*message) break;
      if (!(*message)->contains("type")) std::abort();  // the decoder promised a "type"
    }
  }
  if (broken && decoder.next()) std::abort();  // after an error the stream stays broken
  return 0;
}

// Shannon entropy in bits per byte (0 to 8): plain scripts sit around 4.5 to 5.2, base64 blobs
// near 6, compressed or encrypted data near 8.
#pragma once

#include <string_view>

namespace script_analysis {

double shannon_entropy(std::string_view bytes) noexcept;

}  // namespace script_analysis

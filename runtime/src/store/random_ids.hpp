// Identifiers and API-key secrets from the operating system's CSPRNG (OpenSSL RAND_bytes).
#pragma once

#include <string>

namespace secpilot::store {

// A random UUID (version 4), lower-case: "0b7c6f1e-2a4d-4c8e-9f10-3d5e7a9b1c2d".
std::string new_id();
// An API-key secret: "sp_" followed by 32 random bytes in base64url without padding (43 chars).
std::string new_key_secret();

}  // namespace secpilot::store

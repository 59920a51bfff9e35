#include "store/random_ids.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "store/sqlite_db.hpp"

namespace secpilot::store {
namespace {

template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    sqlite::fail(Status::internal, "the system's random number generator failed");
  return bytes;
}

}  // namespace

std::string new_id() {
  auto bytes = random_bytes<16>();
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char digits[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    id += digits[bytes[i] >> 4];
    id += digits[bytes[i] & 0x0F];
  }
  return id;
}

std::string new_key_secret() {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto bytes = random_bytes<32>();
  std::string secret = "sp_";
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    count += 8;
    while (count >= 6) {
      count -= 6;
      secret += alphabet[(bits >> count) & 0x3F];
    }
  }
  if (count > 0) secret += alphabet[(bits << (6 - count)) & 0x3F];
  return secret;
}

}  // namespace secpilot::store

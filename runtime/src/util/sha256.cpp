#include "secpilot/util/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace secpilot {
namespace {

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using Digest = std::unique_ptr<EVP_MD_CTX, DigestDeleter>;

std::string to_hex(const unsigned char* bytes, unsigned size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex(size * 2, '0');
  for (unsigned i = 0; i < size; ++i) {
    hex[2 * i] = digits[bytes[i] >> 4];
    hex[2 * i + 1] = digits[bytes[i] & 0xF];
  }
  return hex;
}

Digest new_digest() {
  Digest ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
  return ctx;
}

std::string finish(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned size = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &size);
  return to_hex(out.data(), size);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  // Hashed on every authenticated request: the algorithm is fetched once, not on every call
  // (EVP_sha256() makes EVP_DigestInit_ex fetch it, under a lock of OpenSSL's, each time).
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned size = 0;
  if (sha256 == nullptr ||
      EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, sha256, nullptr) != 1) {
    Digest ctx = new_digest();
    EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
    return finish(ctx.get());
  }
  return to_hex(out.data(), size);
}

Expected<std::string> sha256_file_hex(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return make_error(Status::not_found,
                      "cannot read " + path.string() + ": " + std::strerror(errno));
  Digest ctx = new_digest();
  std::array<char, 64 * 1024> buffer{};
  while (file) {
    file.read(buffer.data(), buffer.size());
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(file.gcount()));
  }
  if (file.bad()) return make_error(Status::internal, "error while reading " + path.string());
  return finish(ctx.get());
}

}  // namespace secpilot

#include "jamf/token_cache.hpp"

#include <algorithm>

namespace jamf {

std::chrono::seconds TokenCache::margin(std::chrono::seconds lifetime) {
  return std::min(std::chrono::seconds{60}, lifetime / 4);
}

std::string TokenCache::get(const Connection& connection,
                            const std::function<IssuedToken()>& fetch) {
  std::lock_guard lock(mutex_);
  const bool usable =
      owner_ && owner_->same_credentials(connection) && !token_.empty() && now_() < refresh_at_;
  if (usable) return token_;
  token_.clear();
  owner_.reset();
  IssuedToken issued = fetch();
  const auto lifetime = std::max(std::chrono::seconds{0}, issued.lifetime);
  owner_ = connection;
  token_ = std::move(issued.value);
  refresh_at_ = now_() + lifetime - margin(lifetime);
  return token_;
}

void TokenCache::invalidate(const std::string& token) {
  std::lock_guard lock(mutex_);
  if (token == token_) {
    token_.clear();
    owner_.reset();
  }
}

}  // namespace jamf

// Who is calling: bearer API keys (from the store, or bootstrap hashes in the config), the role
// each key carries, what each role may do, and a per-key rate limit.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "secpilot/api/api.hpp"
#include "secpilot/server/http_message.hpp"

namespace secpilot::api {

// The permission table (docs/operations.md). Roles are cumulative: owner ⊇ contributor ⊇ reader.
enum class Permission {
  read,             // plugins, skills, one's own sessions and evaluations   (reader+)
  toggle_for_self,  // enable or disable a plugin for oneself                (reader+)
  prompt,           // sessions, prompts, direct skill calls, cancellation   (contributor+)
  upload_manifest,  // add a manifest (owner, or contributor when roles.upload_manifests says)
  administer,       // org-wide toggles, settings, keys, audit               (owner)
};

bool allowed(const config::DaemonConfig& config, store::Role role, Permission permission);

class Authenticator {
 public:
  explicit Authenticator(std::shared_ptr<ApiContext> context) : context_(std::move(context)) {}

  // The caller's identity, or the 401/403/429 problem to answer with. Every failure is audited.
  std::variant<orchestrator::Identity, server::Response> authenticate(
      const server::Request& request, Permission permission);

 private:
  bool within_rate_limit(const std::string& key_id, std::chrono::seconds& retry_after);

  std::shared_ptr<ApiContext> context_;
  std::mutex mutex_;
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refreshed{};
  };
  std::map<std::string, Bucket> buckets_;
};

}  // namespace secpilot::api

// Who is calling: bearer API keys (from the store, or bootstrap hashes in the config), the role
// each key carries, what each role may do, a per-key rate limit, and a limit on failed attempts per
// client address (so that keys cannot be guessed at speed).
#pragma once

#include <string>

#include "api/token_buckets.hpp"
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
  std::shared_ptr<ApiContext> context_;
  TokenBuckets requests_by_key_;
  TokenBuckets failures_by_address_;
};

}  // namespace secpilot::api

#include "api/auth.hpp"

#include <cctype>
#include <cmath>

#include "api/errors.hpp"
#include "secpilot/util/sha256.hpp"

namespace secpilot::api {
namespace {

int rank(store::Role role) {
  switch (role) {
    case store::Role::owner:
      return 3;
    case store::Role::contributor:
      return 2;
    case store::Role::reader:
      return 1;
  }
  return 0;
}

store::Role to_store_role(config::Role role) {
  switch (role) {
    case config::Role::owner:
      return store::Role::owner;
    case config::Role::contributor:
      return store::Role::contributor;
    case config::Role::reader:
      return store::Role::reader;
  }
  return store::Role::reader;
}

server::Response too_many_requests(std::string detail, std::chrono::seconds retry_after) {
  auto response = server::problem(
      429, "Too Many Requests",
      std::move(detail) + "; retry after " + std::to_string(retry_after.count()) + " s");
  response.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return response;
}

server::Response unauthorized(std::string detail) {
  auto response = server::problem(401, "Unauthorized", std::move(detail));
  response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"secpilot\"");
  return response;
}

// The client's address without its port ("127.0.0.1:53412" → "127.0.0.1", "[::1]:53412" → "::1"):
// failed sign-ins count per host, not per connection.
std::string client_host(const std::string& remote_address) {
  if (remote_address.starts_with('[')) {
    const auto close = remote_address.find(']');
    return remote_address.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  }
  return remote_address.substr(0, remote_address.rfind(':'));
}

}  // namespace

bool allowed(const config::DaemonConfig& config, store::Role role, Permission permission) {
  switch (permission) {
    case Permission::read:
    case Permission::toggle_for_self:
      return rank(role) >= rank(store::Role::reader);
    case Permission::prompt:
      return rank(role) >= rank(store::Role::contributor);
    case Permission::upload_manifest:
      return rank(role) >= rank(to_store_role(config.roles.upload_manifests));
    case Permission::administer:
      return role == store::Role::owner;
  }
  return false;
}

std::variant<orchestrator::Identity, server::Response> Authenticator::authenticate(
    const server::Request& request, Permission permission) {
  const std::string_view header = request.header("authorization");
  constexpr std::string_view scheme = "Bearer ";
  const double failures_per_minute = context_->config->limits.failed_auth_per_minute;
  std::chrono::seconds retry_after{0};
  const std::string client = client_host(request.remote_address);
  // A client address that keeps failing is refused before its key is even looked at, so that
  // guessing gets no answer at all.
  if (!failures_by_address_.has_token(client, failures_per_minute, retry_after))
    return too_many_requests("too many failed sign-ins from your address", retry_after);
  auto audit_failure = [&](std::string_view reason, const std::string& actor) {
    // A failed sign-in has no actor; a known key lacking a permission is not guessing.
    std::chrono::seconds ignored{0};
    if (actor.empty()) failures_by_address_.take(client, failures_per_minute, ignored);
    context_->store->queue_audit(
        {.actor = actor.empty() ? "anonymous" : actor,
         .action = "auth.failure",
         .target = request.method + " " + request.path,
         .outcome = store::AuditOutcome::denied,
         .details = {{"reason", reason}, {"remote", request.remote_address}}});
  };
  // The scheme is case-insensitive (RFC 9110); the token is not.
  auto is_bearer = [&] {
    if (header.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(header[i])) !=
          std::tolower(static_cast<unsigned char>(scheme[i])))
        return false;
    return true;
  };
  if (!is_bearer()) {
    audit_failure("no bearer token", "");
    return unauthorized(
        "send an API key as `Authorization: Bearer <key>` (an owner creates one with `secpilot "
        "keys create`, or `secpilotd --create-key NAME --role ROLE` on the server)");
  }
  const std::string secret(header.substr(scheme.size()));

  orchestrator::Identity who;
  auto key = context_->store->find_key_by_secret(secret);
  if (!key && key.error().message.find("was revoked") != std::string::npos) {
    audit_failure("revoked key", "");
    return unauthorized(key.error().message + "; ask an owner for a new one");
  }
  if (key) {
    who = {key->user, key->role, key->id};
    auto touched = context_->store->touch_key(key->id);
    (void)touched;
  } else {
    const std::string hash = sha256_hex(secret);
    const config::BootstrapApiKey* match = nullptr;
    for (const auto& bootstrap : context_->config->api_keys)
      if (bootstrap.sha256 == hash) match = &bootstrap;
    if (!match) {
      audit_failure("unknown key", "");
      return unauthorized("unknown API key");
    }
    who = {match->user.empty() ? match->name : match->user, to_store_role(match->role),
           "config:" + match->name};
  }

  if (!allowed(*context_->config, who.role, permission)) {
    audit_failure("role " + std::string(store::to_string(who.role)) + " lacks the permission",
                  who.user);
    return server::problem(403, "Forbidden",
                           "your role (" + std::string(store::to_string(who.role)) +
                               ") may not do this; see the permission table in "
                               "docs/operations.md");
  }
  if (!requests_by_key_.take(who.key_id, context_->config->limits.rate_limit_per_minute,
                             retry_after))
    return too_many_requests("this API key made too many requests", retry_after);
  return who;
}

}  // namespace secpilot::api

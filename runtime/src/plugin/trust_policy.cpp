#include "plugin/trust_policy.hpp"

#include <algorithm>

#include "secpilot/util/ascii.hpp"

namespace secpilot::plugin {
namespace {

bool lists(const std::vector<std::string>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& item) { return iequals_ascii(item, name); });
}

}  // namespace

TrustDecision decide_trust(const config::Settings& settings, std::string_view plugin,
                           std::string_view publisher,
                           const std::vector<LibraryDigest>& libraries) {
  if (lists(settings.trusted_plugins(), plugin))
    return {true, TrustDecision::Source::name, "name, in security.trusted_plugins"};
  if (libraries.empty()) return {};
  auto all_listed = [&](const std::vector<std::string>& hashes) {
    return std::all_of(libraries.begin(), libraries.end(), [&](const auto& library) {
      return library.actual &&
             std::find(hashes.begin(), hashes.end(), *library.actual) != hashes.end();
    });
  };
  if (all_listed(settings.trusted_sha256()))
    return {true, TrustDecision::Source::sha256, "SHA-256, in security.trusted_sha256"};
  if (all_listed(settings.first_party_sha256()))
    return {true, TrustDecision::Source::first_party,
            "SHA-256, a first-party library shipped with secpilot (share/secpilot/"
            "first-party.sha256)"};
  const bool pinned = std::all_of(libraries.begin(), libraries.end(), [](const auto& library) {
    return library.pinned && library.actual && *library.pinned == *library.actual;
  });
  if (!publisher.empty() && pinned && lists(settings.trusted_publishers(), publisher))
    return {true, TrustDecision::Source::publisher,
            "publisher " + std::string(publisher) +
                ", in security.trusted_publishers, with matching SHA-256 pins"};
  return {};
}

IsolationDecision decide_isolation(const config::Settings& settings, std::string_view plugin,
                                   std::optional<manifest::Isolation> requested,
                                   const TrustDecision& trust) {
  using config::IsolationMode;
  const auto& policy = settings.isolation();
  if (auto mode = policy.override_for(plugin))
    return {*mode, "security.isolation_overrides names it"};
  if (requested == manifest::Isolation::Process)
    return {IsolationMode::process, "its manifest asks for Isolation: Process"};
  if (trust.trusted) return {IsolationMode::in_process, "trusted by " + trust.by};
  const std::string source = policy.untrusted == IsolationMode::process
                                 ? "not trusted; security.isolation defaults to process"
                                 : "not trusted; security.isolation is in_process";
  if (requested == manifest::Isolation::InProcess && policy.untrusted == IsolationMode::process)
    return {IsolationMode::process,
            source + "; its manifest's Isolation: InProcess needs the plugin to be trusted"};
  return {policy.untrusted, source};
}

std::string manifest_publisher(const manifest::Manifest& manifest) {
  for (const auto& [key, value] : manifest.descriptor.extra)
    if (iequals_ascii(key, "Publisher") && value.is_string()) return std::string(value.as_string());
  return {};
}

std::optional<manifest::Isolation> requested_isolation(const manifest::Manifest& manifest) {
  std::optional<manifest::Isolation> requested;
  for (const auto& group : manifest.groups) {
    if (!group.native || !group.native->isolation) continue;
    if (*group.native->isolation == manifest::Isolation::Process) return group.native->isolation;
    requested = group.native->isolation;
  }
  return requested;
}

}  // namespace secpilot::plugin

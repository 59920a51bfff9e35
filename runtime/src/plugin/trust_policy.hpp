// Whether the daemon trusts a plugin (security.trusted_*), and so where its library runs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/config/settings.hpp"
#include "secpilot/manifest/manifest.hpp"

namespace secpilot::plugin {

// One Native library of a plugin, as found on disk.
struct LibraryDigest {
  std::filesystem::path path;
  std::optional<std::string> pinned;  // the manifest's Sha256, lower-case hex
  std::optional<std::string> actual;  // its SHA-256 now; unset when it could not be read
};

struct TrustDecision {
  enum class Source { none, name, sha256, first_party, publisher };
  bool trusted = false;
  Source source = Source::none;
  std::string by;  // what trusts it ("name, in security.trusted_plugins"); empty when untrusted
};

// Trusted by name (trusted_plugins), by content (every library's SHA-256 in trusted_sha256, or in
// the first-party list shipped with secpilot), or by publisher (trusted_publishers) only when every library is pinned by the manifest and
// matches its pin: a manifest can claim any publisher, so the claim alone proves nothing.
TrustDecision decide_trust(const config::Settings& settings, std::string_view plugin,
                           std::string_view publisher, const std::vector<LibraryDigest>& libraries);

struct IsolationDecision {
  config::IsolationMode mode = config::IsolationMode::process;
  std::string why;
};

// security.isolation_overrides wins; then a manifest asking for Process gets it; a trusted
// plugin runs in process; an untrusted one gets security.isolation (process by default), even
// when its manifest asks for InProcess, since an untrusted manifest cannot lift its own sandbox.
IsolationDecision decide_isolation(const config::Settings& settings, std::string_view plugin,
                                   std::optional<manifest::Isolation> requested,
                                   const TrustDecision& trust);

// Descriptor.Publisher as written, or empty.
std::string manifest_publisher(const manifest::Manifest& manifest);

// What the manifest's Native groups ask for: Process when any asks for it.
std::optional<manifest::Isolation> requested_isolation(const manifest::Manifest& manifest);

}  // namespace secpilot::plugin

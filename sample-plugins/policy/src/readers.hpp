// The two policy readers behind parse_policies(): one per shape. Both throw InputError with a
// message relative to the policy (the caller says which policy it was).
#pragma once

#include <string>
#include <vector>

#include "json_reader.hpp"
#include "policy/directory.hpp"
#include "policy/model.hpp"

namespace policy::detail {

// Microsoft Entra conditionalAccessPolicy, as Microsoft Graph returns it.
Policy read_entra_policy(const ObjectReader& object, Directory& directory,
                         std::vector<std::string>& notes);

// The generic shape of docs/plugins/policy.md.
Policy read_generic_policy(const ObjectReader& object, Directory& directory,
                           std::vector<std::string>& notes);

// True when the object looks like an Entra policy (it has conditions or grantControls).
bool looks_like_entra(const ObjectReader& object);
// True when the object looks like a generic-shape policy.
bool looks_like_generic(const ObjectReader& object);

// Reads a state: enabled/on, disabled/off, enabledForReportingButNotEnforced/report-only.
State read_state(const std::optional<std::string>& text, const std::string& path);

// The strength an authentication strength policy demands, from its allowed combinations when
// known, else from the built-in ids and names.
Strength strength_of(std::string_view id, std::string_view name,
                     const std::vector<std::string>& combinations);

}  // namespace policy::detail

namespace policy::detail {

// Session controls in the words both shapes produce, so that they compare.
std::string sign_in_frequency_phrase(bool every_time, double value, std::string_view unit);
std::string persistent_browser_phrase(std::string_view mode);  // always | never
std::string app_control_phrase(std::string_view type);         // monitorOnly | blockDownloads | ...
std::string continuous_access_phrase(std::string_view mode);
inline constexpr const char* kAppEnforcedRestrictions = "app-enforced restrictions";
inline constexpr const char* kTokenProtection = "token protection";
inline constexpr const char* kResilienceDefaultsDisabled = "resilience defaults disabled";

// Reads one risk level list (signInRiskLevels, userRiskLevels, sign_in_risk, user_risk).
Flags read_risk_levels(const std::vector<std::string>& levels, const std::string& path);

}  // namespace policy::detail

namespace policy::detail {

// Lower case without '-', '_' or spaces: "Mobile-Desktop" and "mobileAppsAndDesktopClients"
// compare as words.
std::string word_key(std::string_view text);

// Client app types and platforms by name, in Entra's and the generic shape's spellings;
// nullopt when unknown. "unknownFutureValue" is 0.
std::optional<Flags> client_app_flags(std::string_view name);
std::optional<Flags> platform_flags(std::string_view name);
inline constexpr const char* kClientAppNames =
    "all, browser, mobileAppsAndDesktopClients, exchangeActiveSync and other";
inline constexpr const char* kPlatformNames =
    "all, android, iOS, windows, windowsPhone, macOS and linux";

// A list of client app types (empty: all) or platforms (empty: none), or fail naming `path`.
Flags read_client_apps(const std::vector<std::string>& types, const std::string& path);
Flags read_platform_list(const std::vector<std::string>& names, const std::string& path);

}  // namespace policy::detail

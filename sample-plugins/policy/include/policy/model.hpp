// A conditional-access policy, whichever shape it came in (Microsoft Entra / Graph JSON or the
// generic shape of docs/plugins/policy.md): to whom and what it applies, under which conditions,
// and what it does (block, grant with requirements, session controls).
//
// Identifiers are canonical so that both shapes compare: lower case, and namespaced inside user
// and location selections ("group:<id>", "role:<template id>", "guests"; "location:<id>",
// "alltrusted"). Apps are app ids (lower case) and the suites "office365" and
// "microsoftadminportals".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/selection.hpp"

namespace policy {

using Flags = std::uint32_t;

// Client app types (conditions.clientAppTypes).
inline constexpr Flags kBrowser = 1;
inline constexpr Flags kMobileAndDesktop = 2;
inline constexpr Flags kExchangeActiveSync = 4;
inline constexpr Flags kOtherClients = 8;
inline constexpr Flags kAllClientApps = 15;
inline constexpr Flags kLegacyClients = kExchangeActiveSync | kOtherClients;
inline constexpr Flags kModernClients = kBrowser | kMobileAndDesktop;

// Device platforms; kOtherPlatforms stands for those "all" holds and no name does.
inline constexpr Flags kAndroid = 1;
inline constexpr Flags kIos = 2;
inline constexpr Flags kWindows = 4;
inline constexpr Flags kWindowsPhone = 8;
inline constexpr Flags kMacos = 16;
inline constexpr Flags kLinux = 32;
inline constexpr Flags kOtherPlatforms = 64;
inline constexpr Flags kAllPlatforms = 127;

// Risk levels (signInRiskLevels, userRiskLevels); a condition not set holds them all.
inline constexpr Flags kRiskNone = 1;
inline constexpr Flags kRiskLow = 2;
inline constexpr Flags kRiskMedium = 4;
inline constexpr Flags kRiskHigh = 8;
inline constexpr Flags kAllRiskLevels = 15;

// User-selection collection names.
inline constexpr const char* kGuests = "guests";
inline constexpr const char* kGroupPrefix = "group:";
inline constexpr const char* kRolePrefix = "role:";
// Location-selection names.
inline constexpr const char* kAllTrusted = "alltrusted";
inline constexpr const char* kLocationPrefix = "location:";
// App suites.
inline constexpr const char* kOffice365 = "office365";
inline constexpr const char* kAdminPortals = "microsoftadminportals";

enum class State { Enabled, ReportOnly, Disabled };

// Cloud apps, or user actions (registering security information or devices), which Entra keeps
// apart: a policy on all cloud apps does not apply to a user action.
struct AppTarget {
  enum class Kind { Apps, UserActions };
  Kind kind = Kind::Apps;
  Selection selection = Selection::everything();
};

struct Conditions {
  Selection users;
  AppTarget apps;
  Flags client_apps = kAllClientApps;
  Flags platforms = kAllPlatforms;
  Selection locations = Selection::everything();
  Flags sign_in_risk = kAllRiskLevels;
  Flags user_risk = kAllRiskLevels;
  // Conditions that narrow the policy but are not reasoned about (device filters, authentication
  // flows, authentication contexts, ...), in words. Their presence turns "certain" into
  // "possible" wherever the policy is the one that must apply.
  std::vector<std::string> unmodelled;
};

// How strong the authentication a control demands is.
enum class Strength { None, Mfa, Passwordless, PhishingResistant };

// One grant control: a built-in ("mfa", "compliantDevice", "domainJoinedDevice",
// "approvedApplication", "compliantApplication", "passwordChange"), "authenticationStrength",
// "termsOfUse" or "customControl".
struct Control {
  std::string name;
  std::string id;       // strength, terms of use or custom control id
  std::string display;  // e.g. the strength's display name
  Strength strength = Strength::None;
  bool operator==(const Control&) const = default;
};

struct Grant {
  bool block = false;
  bool any_of = false;  // operator OR; AND otherwise
  std::vector<Control> controls;
  bool requires_something() const { return block || !controls.empty(); }
};

struct Policy {
  std::string id;
  std::string name;
  State state = State::Enabled;
  Conditions conditions;
  Grant grant;
  // Session controls in words ("sign-in frequency every 4 hours"), sorted: compared as a set.
  std::vector<std::string> session;
  std::string shape;  // "entra" or "generic"
};

}  // namespace policy

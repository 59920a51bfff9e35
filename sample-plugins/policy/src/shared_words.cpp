// What both readers share: states, risk levels and the words for session controls.
#include <cmath>

#include "readers.hpp"

namespace policy::detail {

State read_state(const std::optional<std::string>& text, const std::string& path) {
  if (!text) return State::Enabled;
  std::string key;
  for (char c : lower(*text))
    if (c != '-' && c != '_' && c != ' ') key += c;
  if (key == "enabled" || key == "on") return State::Enabled;
  if (key == "disabled" || key == "off") return State::Disabled;
  if (key == "enabledforreportingbutnotenforced" || key == "reportonly") return State::ReportOnly;
  fail(path + " is '" + *text +
       "': use enabled, disabled or enabledForReportingButNotEnforced (report-only)");
}

Flags read_risk_levels(const std::vector<std::string>& levels, const std::string& path) {
  Flags flags = 0;
  bool ignored = false;
  for (const auto& level : levels) {
    const std::string key = lower(level);
    if (key == "none")
      flags |= kRiskNone;
    else if (key == "low")
      flags |= kRiskLow;
    else if (key == "medium")
      flags |= kRiskMedium;
    else if (key == "high")
      flags |= kRiskHigh;
    else if (key == "hidden" || key == "unknownfuturevalue")
      ignored = true;
    else
      fail(path + " holds '" + level + "': risk levels are none, low, medium and high");
  }
  (void)ignored;  // "hidden" levels match no sign-in we can reason about
  return flags == 0 ? kAllRiskLevels : flags;
}

std::string sign_in_frequency_phrase(bool every_time, double value, std::string_view unit) {
  if (every_time) return "sign-in frequency: every time";
  const auto count = static_cast<long long>(std::llround(value));
  std::string word = lower(unit).starts_with("day") ? "day" : "hour";
  return "sign-in frequency: every " + std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

std::string persistent_browser_phrase(std::string_view mode) {
  return "persistent browser sessions: " + lower(mode);
}

std::string app_control_phrase(std::string_view type) {
  const std::string key = lower(type);
  std::string words = key == "monitoronly"      ? "monitor only"
                      : key == "blockdownloads" ? "block downloads"
                      : key == "mcasconfigured" ? "custom policy"
                                                : std::string(type);
  return "Conditional Access App Control (" + words + ")";
}

std::string continuous_access_phrase(std::string_view mode) {
  const std::string key = lower(mode);
  std::string words = key == "strictenforcement" ? "strict enforcement"
                      : key == "strictlocation"  ? "strict location"
                                                 : key;
  return "continuous access evaluation: " + words;
}

}  // namespace policy::detail

namespace policy::detail {

std::string word_key(std::string_view text) {
  std::string key;
  for (char c : lower(text))
    if (c != '-' && c != '_' && c != ' ') key += c;
  return key;
}

std::optional<Flags> client_app_flags(std::string_view name) {
  const std::string key = word_key(name);
  if (key == "all") return kAllClientApps;
  if (key == "browser") return kBrowser;
  if (key == "mobileappsanddesktopclients" || key == "mobiledesktop" || key == "mobile" ||
      key == "desktop")
    return kMobileAndDesktop;
  if (key == "exchangeactivesync" || key == "eassupported" || key == "easunsupported" ||
      key == "eas")
    return kExchangeActiveSync;
  if (key == "other" || key == "otherclients") return kOtherClients;
  if (key == "legacy") return kLegacyClients;
  if (key == "modern") return kModernClients;
  if (key == "unknownfuturevalue") return Flags{0};
  return std::nullopt;
}

std::optional<Flags> platform_flags(std::string_view name) {
  const std::string key = word_key(name);
  if (key == "all") return kAllPlatforms;
  if (key == "android") return kAndroid;
  if (key == "ios") return kIos;
  if (key == "windows") return kWindows;
  if (key == "windowsphone") return kWindowsPhone;
  if (key == "macos") return kMacos;
  if (key == "linux") return kLinux;
  if (key == "unknownfuturevalue") return Flags{0};
  return std::nullopt;
}

Flags read_client_apps(const std::vector<std::string>& types, const std::string& path) {
  Flags flags = 0;
  for (const auto& type : types) {
    const auto flag = client_app_flags(type);
    if (!flag) fail(path + " holds '" + type + "': client app types are " + kClientAppNames);
    flags |= *flag;
  }
  return flags == 0 ? kAllClientApps : flags;
}

Flags read_platform_list(const std::vector<std::string>& names, const std::string& path) {
  Flags flags = 0;
  for (const auto& name : names) {
    const auto flag = platform_flags(name);
    if (!flag) fail(path + " holds '" + name + "': platforms are " + kPlatformNames);
    flags |= *flag;
  }
  return flags;
}

}  // namespace policy::detail

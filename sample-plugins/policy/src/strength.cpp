#include <algorithm>

#include "readers.hpp"

namespace policy::detail {
namespace {

// Microsoft's built-in authentication strengths.
constexpr std::string_view kMfaId = "00000000-0000-0000-0000-000000000002";
constexpr std::string_view kPasswordlessId = "00000000-0000-0000-0000-000000000003";
constexpr std::string_view kPhishingResistantId = "00000000-0000-0000-0000-000000000004";

Strength combination_strength(std::string_view combination) {
  const std::string c = lower(combination);
  if (c == "fido2" || c == "windowshelloforbusiness" || c == "x509certificatemultifactor")
    return Strength::PhishingResistant;
  if (c == "devicebasedpush") return Strength::Passwordless;
  if (c.find(',') != std::string::npos || c == "federatedmultifactor" ||
      c.starts_with("temporaryaccesspass"))
    return Strength::Mfa;
  return Strength::None;  // one factor: password, sms, federatedSingleFactor, ...
}

}  // namespace

Strength strength_of(std::string_view id, std::string_view name,
                     const std::vector<std::string>& combinations) {
  if (!combinations.empty()) {
    Strength weakest = Strength::PhishingResistant;
    for (const auto& combination : combinations)
      weakest = std::min(weakest, combination_strength(combination));
    return weakest;
  }
  const std::string key = lower(id);
  if (key == kPhishingResistantId) return Strength::PhishingResistant;
  if (key == kPasswordlessId) return Strength::Passwordless;
  if (key == kMfaId) return Strength::Mfa;
  const std::string text = lower(name);
  if (text.find("phishing") != std::string::npos) return Strength::PhishingResistant;
  if (text.find("passwordless") != std::string::npos) return Strength::Passwordless;
  return Strength::Mfa;  // a custom strength whose combinations were not exported
}

}  // namespace policy::detail

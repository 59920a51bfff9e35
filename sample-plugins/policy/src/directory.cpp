#include "policy/directory.hpp"
#include "policy/model.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace policy {
namespace {

// Template ids from Microsoft's "Microsoft Entra built-in roles" reference. `administrator`
// marks the fourteen roles of Microsoft's "Require multifactor authentication for
// administrators" policy template.
constexpr std::array kRoles{
    WellKnownRole{"62e90394-69f5-4237-9190-012177145e10", "Global Administrator", true},
    WellKnownRole{"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", true},
    WellKnownRole{"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator",
                  true},
    WellKnownRole{"194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", true},
    WellKnownRole{"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator", true},
    WellKnownRole{"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", true},
    WellKnownRole{"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", true},
    WellKnownRole{"fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", true},
    WellKnownRole{"c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator", true},
    WellKnownRole{"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", true},
    WellKnownRole{"158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", true},
    WellKnownRole{"729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", true},
    WellKnownRole{"966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator", true},
    WellKnownRole{"b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator", true},
    WellKnownRole{"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator", false},
    WellKnownRole{"3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator", false},
    WellKnownRole{"f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader", false},
    WellKnownRole{"5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", false},
    WellKnownRole{"5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator", false},
    WellKnownRole{"d29b2b05-8046-44ba-8758-1e26182fcf32", "Directory Synchronization Accounts",
                  false},
};

constexpr std::array kApps{
    WellKnownApp{"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", true},
    WellKnownApp{"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online", true},
    WellKnownApp{"00000004-0000-0ff1-ce00-000000000000", "Skype for Business Online", true},
    WellKnownApp{"cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services", true},
    WellKnownApp{"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API",
                 false},
    WellKnownApp{"00000003-0000-0000-c000-000000000000", "Microsoft Graph", false},
};

}  // namespace

std::span<const WellKnownRole> well_known_roles() {
  return kRoles;
}
std::span<const WellKnownApp> well_known_apps() {
  return kApps;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void Directory::add_name(std::string_view id, std::string_view name) {
  const std::string key = lower(id);
  names_[key] = std::string(name);
  ids_.emplace(lower(name), key);
}

void Directory::remember_label(std::string_view canonical, std::string_view original) {
  labels_.emplace(std::string(canonical), std::string(original));
}

std::string Directory::name_of(std::string_view id) const {
  for (std::string_view prefix : {kGroupPrefix, kRolePrefix, kLocationPrefix, ""}) {
    if (!id.starts_with(prefix)) continue;
    if (auto it = names_.find(lower(id.substr(prefix.size()))); it != names_.end())
      return it->second;
  }
  if (id.starts_with(kRolePrefix))
    return role_name(id.substr(std::string_view(kRolePrefix).size()));
  for (const auto& app : kApps)
    if (app.id == id) return std::string(app.name);
  if (auto it = labels_.find(id); it != labels_.end()) return it->second;
  for (std::string_view prefix : {kGroupPrefix, kLocationPrefix})
    if (id.starts_with(prefix)) return std::string(id.substr(prefix.size()));
  return std::string(id);
}

std::string Directory::role_name(std::string_view role_id) const {
  const std::string key = lower(role_id);
  if (auto it = names_.find(key); it != names_.end()) return it->second;
  for (const auto& role : kRoles)
    if (role.id == key) return std::string(role.name);
  if (auto it = labels_.find(kRolePrefix + key); it != labels_.end()) return it->second;
  return std::string(role_id);
}

std::string Directory::app_name(std::string_view app_id) const {
  if (app_id == kOffice365) return "Office 365";
  if (app_id == kAdminPortals) return "Microsoft Admin Portals";
  return name_of(app_id);
}

std::optional<std::string> Directory::role_id(std::string_view name_or_id) const {
  const std::string key = lower(name_or_id);
  for (const auto& role : kRoles)
    if (role.id == key || lower(role.name) == key) return std::string(role.id);
  if (auto id = id_of_name(key)) return id;
  return std::nullopt;
}

std::optional<std::string> Directory::app_id(std::string_view name_or_id) const {
  const std::string key = lower(name_or_id);
  for (const auto& app : kApps)
    if (app.id == key || lower(app.name) == key) return std::string(app.id);
  if (auto id = id_of_name(key)) return id;
  return std::nullopt;
}

std::optional<std::string> Directory::id_of_name(std::string_view name) const {
  if (auto it = ids_.find(lower(name)); it != ids_.end()) return it->second;
  return std::nullopt;
}

bool Directory::is_administrator_role(std::string_view role_id) const {
  return std::any_of(kRoles.begin(), kRoles.end(), [&](const WellKnownRole& role) {
    return role.administrator && role.id == role_id;
  });
}

Universe Directory::users_universe() const {
  return {};
}

Universe Directory::apps_universe() const {
  Universe universe;
  universe.membership = [](std::string_view app, std::string_view suite) {
    if (suite != kOffice365) return Membership::Unknown;
    for (const auto& known : kApps)
      if (known.id == app) return known.in_office365 ? Membership::Member : Membership::NotMember;
    return Membership::Unknown;
  };
  return universe;
}

Universe Directory::locations_universe() const {
  Universe universe;
  universe.collections_in_general_position = false;
  return universe;
}

}  // namespace policy

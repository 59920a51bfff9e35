// Names for the identifiers policies hold: the well-known Entra role template ids and Microsoft
// app ids built in, the names a caller passes (input `names`), and the spelling each id first
// appeared with. Also the known facts about app suites (Exchange Online is in Office365).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "policy/selection.hpp"

namespace policy {

struct WellKnownRole {
  std::string_view id;  // role template id
  std::string_view name;
  bool administrator;  // in Microsoft's "Require MFA for administrators" template
};
std::span<const WellKnownRole> well_known_roles();

struct WellKnownApp {
  std::string_view id;
  std::string_view name;
  bool in_office365;
};
std::span<const WellKnownApp> well_known_apps();

// Lower case, for comparing ids and names.
std::string lower(std::string_view text);

class Directory {
 public:
  // Names given by the caller: id (any kind) to display name.
  void add_name(std::string_view id, std::string_view name);
  // The spelling an id or name first appeared with in the input, for display.
  void remember_label(std::string_view canonical, std::string_view original);

  // A display name for a canonical id: given names first, then the built-in tables, then the
  // original spelling.
  std::string name_of(std::string_view id) const;
  std::string role_name(std::string_view role_id) const;
  std::string app_name(std::string_view app_id) const;

  // Resolves a name to an id: well-known role names to template ids, well-known app names to
  // app ids, names the caller gave to their ids. Empty when unknown.
  std::optional<std::string> role_id(std::string_view name_or_id) const;
  std::optional<std::string> app_id(std::string_view name_or_id) const;
  std::optional<std::string> id_of_name(std::string_view name) const;

  bool is_administrator_role(std::string_view role_id) const;

  Universe users_universe() const;
  Universe apps_universe() const;
  Universe locations_universe() const;

 private:
  std::map<std::string, std::string, std::less<>> names_;   // canonical id -> given name
  std::map<std::string, std::string, std::less<>> ids_;     // lower-case name -> canonical id
  std::map<std::string, std::string, std::less<>> labels_;  // canonical id -> first spelling
};

}  // namespace policy

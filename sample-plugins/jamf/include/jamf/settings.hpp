// The plugin's settings, read and checked on every call (a daemon may change them between
// calls), with errors that name the setting and say how to set it.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace jamf {

// Reads a setting or secret by name; nullopt when it has no value.
using SettingReader = std::function<std::optional<std::string>(const char* name)>;

// Where and as whom to reach Jamf Pro.
struct Connection {
  std::string base_url;  // "https://acme.jamfcloud.com", never ending in '/'
  std::string client_id;
  std::string client_secret;
  int page_size = 100;                   // results asked for per inventory request
  std::string inventory_version = "v1";  // the computers-inventory API version: v1 ... v4

  bool same_credentials(const Connection& other) const {
    return base_url == other.base_url && client_id == other.client_id &&
           client_secret == other.client_secret;
  }
};

inline constexpr int kMaxPageSize = 2000;

// BaseURL, ClientId, ClientSecret (required), PageSize and InventoryApiVersion (optional).
// Throws jamf::Error: unauthorized when one of the three is missing, invalid_input when a value
// is malformed (BaseURL must be https://, or http:// to this machine only).
Connection read_connection(const SettingReader& setting);

// A whole number setting within [low, high], or `fallback` when unset or empty.
int read_int_setting(const SettingReader& setting, const char* name, int fallback, int low,
                     int high);

}  // namespace jamf

#include "jamf/settings.hpp"

#include <charconv>

#include "jamf/error.hpp"

namespace jamf {
namespace {

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

std::string required(const SettingReader& setting, const char* name, const std::string& how) {
  auto value = setting(name);
  std::string text = value ? trimmed(*value) : std::string();
  if (text.empty())
    throw Error(ErrorKind::unauthorized,
                std::string("the Jamf plugin's setting '") + name + "' is not set: " + how);
  return text;
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// Checks the shape of BaseURL and returns it without a trailing '/'.
std::string checked_base_url(std::string url) {
  const std::string lowered = lower(url);
  const bool https = lowered.rfind("https://", 0) == 0;
  const bool http = lowered.rfind("http://", 0) == 0;
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::invalid_input,
                 "the setting 'BaseURL' is '" + url + "': " + why +
                     " — use your Jamf Pro address, e.g. https://acme.jamfcloud.com");
  };
  if (!https && !http) throw bad("it must start with https://");
  const std::size_t host_from = https ? 8 : 7;
  const std::size_t host_end = url.find_first_of("/?#", host_from);
  const std::string authority = url.substr(host_from, host_end - host_from);
  if (authority.empty()) throw bad("it has no host name");
  if (authority.find('@') != std::string::npos)
    throw bad("it must not contain a user name or password (those go in ClientId/ClientSecret)");
  if (host_end != std::string::npos && url[host_end] != '/')
    throw bad("it must not have a query or fragment");
  std::string host = lower(authority);
  host = host.front() == '[' ? host.substr(0, host.find(']') + 1) : host.substr(0, host.find(':'));
  if (http && !is_loopback_host(host))
    throw bad(
        "plain http:// would send the client secret unencrypted; it must start with https://");
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

}  // namespace

int read_int_setting(const SettingReader& setting, const char* name, int fallback, int low,
                     int high) {
  auto value = setting(name);
  const std::string text = value ? trimmed(*value) : std::string();
  if (text.empty()) return fallback;
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number < low || number > high)
    throw Error(ErrorKind::invalid_input, std::string("the setting '") + name + "' is '" + text +
                                              "': use a whole number from " + std::to_string(low) +
                                              " to " + std::to_string(high));
  return number;
}

Connection read_connection(const SettingReader& setting) {
  Connection connection;
  connection.base_url = checked_base_url(required(
      setting, "BaseURL",
      "set it to your Jamf Pro address, e.g. https://acme.jamfcloud.com (settings file: "
      "plugins: {Jamf: {settings: {BaseURL: ...}}}; daemon: secpilot plugins settings Jamf --set "
      "BaseURL=https://acme.jamfcloud.com)"));
  connection.client_id = required(
      setting, "ClientId",
      "set it to the Client ID of a Jamf Pro API client (Settings > System > API roles and "
      "clients) (settings file: plugins: {Jamf: {settings: {ClientId: ...}}}; daemon: secpilot "
      "plugins settings Jamf --set ClientId=...)");
  connection.client_secret =
      required(setting, "ClientSecret",
               "it is a secret: put the API client's secret under plugins: {Jamf: {secrets: "
               "{ClientSecret: ...}}} in the settings file (daemon: secpilot plugins settings Jamf "
               "--secret ClientSecret)");
  connection.page_size = read_int_setting(setting, "PageSize", 100, 1, kMaxPageSize);
  if (auto version = setting("InventoryApiVersion")) {
    const std::string text = lower(trimmed(*version));
    if (!text.empty()) {
      if (text != "v1" && text != "v2" && text != "v3" && text != "v4")
        throw Error(ErrorKind::invalid_input,
                    "the setting 'InventoryApiVersion' is '" + *version +
                        "': use v1, v2, v3 or v4 (the version of /api/vN/computers-inventory your "
                        "Jamf Pro serves)");
      connection.inventory_version = text;
    }
  }
  return connection;
}

}  // namespace jamf

#include "json_fields.hpp"
#include "readers.hpp"
#include "text_util.hpp"

namespace incident {

User user_from_account(const boost::json::object& account) {
  User user;
  const std::string upn = first_text(account, {"userPrincipalName", "upn"});
  const std::string name = first_text(account, {"accountName", "name"});
  const std::string domain = first_text(account, {"domainName", "ntDomain"});
  if (!upn.empty())
    user.name = upn;
  else if (!name.empty() && !domain.empty())
    user.name = domain + "\\" + name;
  else
    user.name = name;
  user.display_name = text(account, "displayName");
  return user;
}

std::string os_text(std::string_view platform, std::string_view version) {
  // Sentinel writes osFamily "Unknown" for platforms outside its list (macOS among them).
  std::string out(iequals(platform, "unknown") ? std::string_view() : platform);
  if (!version.empty()) out += (out.empty() ? "" : " ") + std::string(version);
  return out;
}

std::string element(std::string_view array, std::size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]";
}

}  // namespace incident

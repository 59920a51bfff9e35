// The security entities a result yields, keyed by secpilot's entity type names so that the
// planner can chain them into other skills' inputs. Values are checked against each type's shape
// (a "domain" that is not a host name is dropped), kept once, in order of first appearance.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace red_canary {

class EntitySet {
 public:
  // Types: host, user, ip, domain, url, sha256, md5, mitre_technique.
  void add(std::string_view type, std::string_view value);
  // Every http:// or https:// URL in free text (a command line), and its host as a domain.
  void add_urls_in(std::string_view text);

  // {host: [...], user: [...], ...}: every type, empty arrays included.
  boost::json::object to_json() const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

}  // namespace red_canary

// InstanceURL is what a person copies from the browser, so the parser accepts a trailing slash
// or the API path itself, and rejects anything that would send the token somewhere unexpected.
#include "red_canary/instance.hpp"

#include <boost/url/parse.hpp>

#include "red_canary/errors.hpp"

namespace red_canary {
namespace {

constexpr const char* kHowToSetUrl =
    "set it to your Red Canary portal's address, https://<subdomain>.my.redcanary.co: in the "
    "settings file under plugins: RedCanary: settings: InstanceURL, or on a daemon with "
    "`secpilot plugins settings RedCanary --set InstanceURL=https://<subdomain>.my.redcanary.co`";

constexpr const char* kHowToSetToken =
    "generate a token in the Red Canary portal (your profile, Generate API Authentication Token) "
    "and put it in the settings file under plugins: RedCanary: secrets: ApiToken, or on a daemon "
    "run `secpilot plugins settings RedCanary --secret ApiToken` (it reads the token from stdin)";

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "[::1]" || host == "::1" || host.rfind("127.", 0) == 0;
}

Error bad_url(const std::string& url, const std::string& why) {
  return Error(ErrorKind::invalid_input,
               "the setting InstanceURL is '" + url + "', which " + why + ": " + kHowToSetUrl);
}

}  // namespace

Instance read_instance(const std::optional<std::string>& instance_url,
                       const std::optional<std::string>& api_token) {
  if (!instance_url || instance_url->empty())
    throw Error(ErrorKind::unauthorized,
                std::string("the setting InstanceURL is not set: ") + kHowToSetUrl);
  if (!api_token || api_token->empty())
    throw Error(ErrorKind::unauthorized,
                std::string("the secret ApiToken is not set: ") + kHowToSetToken);

  const std::string& text = *instance_url;
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) throw bad_url(text, "is not an absolute URL");
  const auto scheme = parsed->scheme();
  if (scheme != "https" && scheme != "http") throw bad_url(text, "is not an https:// address");
  if (!parsed->has_authority() || parsed->encoded_host().empty())
    throw bad_url(text, "has no host name");
  if (parsed->has_userinfo())
    throw bad_url(text, "carries a user name or password (the token goes in the ApiToken secret)");
  if (parsed->has_query() || parsed->has_fragment())
    throw bad_url(text, "has a query or fragment (give the portal's address only)");
  const std::string host(parsed->encoded_host());
  if (scheme == "http" && !is_loopback(host))
    throw bad_url(text, "uses plain http:// (the API token would travel unencrypted)");

  std::string path(parsed->encoded_path());
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  if (path == "/openapi/v3") path.clear();  // the API address pasted instead of the portal's
  if (!path.empty())
    throw bad_url(text, "has a path (" + path + "); give the portal's address only");

  Instance instance;
  instance.portal_url = std::string(scheme) + "://" + std::string(parsed->encoded_authority());
  instance.api_url = instance.portal_url + "/openapi/v3";
  instance.api_token = *api_token;
  return instance;
}

}  // namespace red_canary

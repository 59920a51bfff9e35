// ListEndpoints and GetEndpoint. Red Canary's documented endpoint filter is
// filter_query=<attribute>:<value> (its example: platform:Windows); the plugin sends it and also
// checks each item itself, so a server that ignores a filter still gives the right answer.
#include <algorithm>
#include <string>

#include <boost/json/array.hpp>

#include "inputs.hpp"
#include "json_access.hpp"
#include "red_canary/endpoint.hpp"
#include "red_canary/envelope.hpp"
#include "red_canary/errors.hpp"
#include "red_canary/paging.hpp"
#include "red_canary/skills.hpp"
#include "text.hpp"

namespace red_canary {
namespace json = boost::json;

namespace {

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxPerPage = 100;
constexpr int kMaxPages = 10;

std::string attribute(const json::object& item, std::string_view name) {
  return detail::lower(detail::string_at(item, {"attributes", name}).value_or(""));
}

// "ws-fin-07" names "ws-fin-07.corp.example" too: people often leave the domain out.
bool names_host(const json::object& item, const std::string& wanted) {
  const std::string hostname = attribute(item, "hostname");
  if (hostname == wanted) return true;
  return wanted.find('.') == std::string::npos && hostname.substr(0, hostname.find('.')) == wanted;
}

json::object endpoint_by_hostname(ApiClient& client, const std::string& hostname) {
  const std::string wanted = detail::lower(hostname);
  PageQuery query;
  query.path = "endpoints";
  query.subject = {"the endpoints list", true};
  query.per_page = kMaxPerPage;
  query.max_pages = kMaxPages;
  // The exact name through the server's filter first (one request), then a scan for short names.
  query.query = {{"filter_query", "hostname:" + hostname}};
  auto found = collect(client, query, 1, [&](const json::object& item) {
    return attribute(item, "hostname") == wanted;
  });
  if (found.items.empty()) {
    query.query.clear();
    found = collect(client, query, 1,
                    [&](const json::object& item) { return names_host(item, wanted); });
    if (found.items.empty())
      throw Error(ErrorKind::not_found,
                  "no Red Canary endpoint is named '" + hostname + "' (" +
                      std::to_string(found.scanned) + " endpoints looked at" +
                      (found.more_available ? ", more exist: give the endpoint's id instead" : "") +
                      ")");
  }
  return endpoint_summary(found.items.front());
}

}  // namespace

json::object list_endpoints(ApiClient& client, const json::object& input) {
  const std::size_t limit = detail::limit_input(input, kDefaultLimit, kMaxLimit);
  const auto platform = detail::optional_text(input, "platform");
  const auto hostname = detail::optional_text(input, "hostname");

  PageQuery query;
  query.path = "endpoints";
  query.subject = {"the endpoints list", true};
  query.per_page = hostname ? kMaxPerPage : std::min(limit, kMaxPerPage);
  query.max_pages = kMaxPages;
  if (platform) query.query.emplace_back("filter_query", "platform:" + *platform);

  const std::string wanted_platform = detail::lower(platform.value_or(""));
  const std::string wanted_name = detail::lower(hostname.value_or(""));
  const auto keep = [&](const json::object& item) {
    if (platform && attribute(item, "platform") != wanted_platform) return false;
    return !hostname || attribute(item, "hostname").find(wanted_name) != std::string::npos;
  };
  const Collected collected = collect(client, query, limit, keep);

  json::array endpoints;
  for (const auto& item : collected.items)
    endpoints.push_back(endpoint_summary(item));
  json::array by_server;
  json::array by_plugin;
  if (platform) by_server.push_back("platform");
  if (hostname) by_plugin.push_back("hostname");
  return json::object{
      {"count", endpoints.size()},
      {"endpoints", std::move(endpoints)},
      {"more_available", collected.more_available},
      {"pages_fetched", collected.pages},
      {"filters", json::object{{"platform", detail::or_null(platform)},
                               {"hostname", detail::or_null(hostname)},
                               {"applied_by_server", std::move(by_server)},
                               {"applied_by_plugin", std::move(by_plugin)}}},
  };
}

json::object get_endpoint(ApiClient& client, const json::object& input) {
  const auto endpoint = detail::optional_text(input, "endpoint");
  if (!endpoint)
    throw Error(ErrorKind::invalid_input,
                "the input 'endpoint' is missing: give an endpoint id (1187) or a host name "
                "(mbp-fin-12)");
  if (auto id = detail::parse_number(*endpoint)) {
    const std::string what = "endpoint " + *endpoint;
    auto resource = single_item(client.get("endpoints/" + *endpoint, {}, {what, false}), what);
    return json::object{{"endpoint", endpoint_summary(resource)}, {"matched_by", "id"}};
  }
  return json::object{{"endpoint", endpoint_by_hostname(client, *endpoint)},
                      {"matched_by", "hostname"}};
}

}  // namespace red_canary

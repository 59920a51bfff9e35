// Network activity: connections to an IP, range, domain or URL; top talkers.
#include <cctype>

#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

bool mentions_network(const Request& r) {
  return r.has_any({"connect",        "connects",
                    "connected",      "connecting",
                    "connection",     "connections",
                    "communicate",    "communicated",
                    "communicating",  "communication",
                    "communications", "traffic",
                    "talk",           "talked",
                    "talking",        "contact",
                    "contacted",      "beacon",
                    "beaconing",      "reach",
                    "reached",        "network",
                    "outbound",       "inbound",
                    "callback",       "c2",
                    "visited",        "browsed",
                    "resolved",       "dns",
                    "access",         "accessed",
                    "went to"});
}

bool mentions_email(const Request& r) {
  return r.has_any({"email", "emails", "e-mail", "e-mails", "mail", "mails", "message", "messages",
                    "phish", "phishing", "sender", "inbox"});
}

bool firewall(const Request& r) {
  return r.has_any({"firewall", "firewalls", "cef", "commonsecuritylog", "palo alto", "fortinet",
                    "fortigate", "check point", "proxy"});
}

std::string url_host(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  const size_t end = url.find_first_of("/:?#", start);
  std::string host(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
  for (char& c : host)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

bool has_network_indicator(const Request& r) {
  return !r.entities.ips.empty() || !r.entities.cidrs.empty() || !r.entities.domains.empty() ||
         !r.entities.urls.empty();
}

int score_connections(const Request& r) {
  if (!has_network_indicator(r) || mentions_email(r)) return 0;
  return mentions_network(r) ? 80 : 50;
}

Generated build_connections(const Request& r) {
  Generated g;
  const bool sentinel = firewall(r);
  const std::string time_column = sentinel ? "TimeGenerated" : "Timestamp";
  const std::string ip_column = sentinel ? "DestinationIP" : "RemoteIP";
  const TimeWindow window = window_or_default(r, 7, g);
  std::vector<std::string> conditions;
  std::vector<std::string> described;
  if (!r.entities.ips.empty()) {
    conditions.push_back(equals_any(ip_column, r.entities.ips, false));
    described.push_back(join_words(r.entities.ips));
  }
  for (const auto& cidr : r.entities.cidrs) {
    conditions.push_back("ipv4_is_in_range(" + ip_column + ", " + kql_literal(cidr) + ")");
    described.push_back("the range " + cidr);
  }
  std::vector<std::string> hosts = r.entities.domains;
  for (const auto& url : r.entities.urls)
    hosts.push_back(url_host(url));
  for (const auto& host : hosts) {
    conditions.push_back((sentinel ? "DestinationHostName has " : "RemoteUrl has ") +
                         kql_literal(host));
    described.push_back(host);
  }
  std::string any;
  for (size_t i = 0; i < conditions.size(); ++i)
    any += (i ? " or " : "") + conditions[i];
  std::string query;
  if (sentinel) {
    g.tables = {"CommonSecurityLog"};
    query = "CommonSecurityLog\n" + time_filter("TimeGenerated", window) + "\n| where " + any +
            "\n| project TimeGenerated, DeviceVendor, DeviceProduct, SourceIP, SourcePort, "
            "DestinationIP, DestinationPort, DestinationHostName, RequestURL, DeviceAction, "
            "SentBytes, ReceivedBytes\n| sort by TimeGenerated desc";
  } else {
    g.tables = {"DeviceNetworkEvents"};
    query = "DeviceNetworkEvents\n" + time_filter("Timestamp", window) + "\n| where " + any + "\n";
    if (!r.entities.hosts.empty())
      query += "| where " + hosts_condition("DeviceName", r.entities.hosts) + "\n";
    query +=
        "| project Timestamp, DeviceName, ActionType, RemoteIP, RemotePort, RemoteUrl, "
        "LocalIP, InitiatingProcessFileName, InitiatingProcessCommandLine, "
        "InitiatingProcessAccountName\n| sort by Timestamp desc";
  }
  g.query = std::move(query);
  g.explanation = "Lists " +
                  std::string(sentinel ? "firewall and proxy (CEF) events"
                                       : "network connections from devices") +
                  " to " + join_words(described) + " in " + window.phrase +
                  (sentinel ? "" : ", with the process that made each connection") +
                  ", newest first.";
  if (!hosts.empty())
    g.assumptions.push_back(std::string(sentinel ? "DestinationHostName" : "RemoteUrl") +
                            " is matched with has, so subdomains of " + hosts.front() +
                            " match too.");
  if (!r.entities.urls.empty())
    g.assumptions.push_back(
        "A URL is matched by its host name: network events record the host, "
        "not the full path.");
  return g;
}

int score_top_talkers(const Request& r) {
  if (r.has_any({"top talkers", "top talker", "most connections", "most traffic", "noisiest",
                 "busiest", "chattiest", "most network"}))
    return 88;
  if (r.has("top") && r.has_any({"destinations", "remote ips", "remote ip", "ports", "talkers"}))
    return 80;
  return 0;
}

Generated build_top_talkers(const Request& r) {
  Generated g;
  const TimeWindow window = window_or_default(r, 1, g);
  const int count = r.entities.count.value_or(10);
  const bool by_destination = r.has_any({"destination", "destinations", "remote ip", "remote ips"});
  const bool sentinel = firewall(r);
  std::string query;
  if (sentinel) {
    g.tables = {"CommonSecurityLog"};
    const std::string key = by_destination ? "DestinationIP" : "SourceIP";
    query = "CommonSecurityLog\n" + time_filter("TimeGenerated", window) + "\n" +
            "| summarize Events = count(), BytesSent = sum(SentBytes), BytesReceived = "
            "sum(ReceivedBytes), Peers = dcount(" +
            std::string(by_destination ? "SourceIP" : "DestinationIP") + ") by " + key + "\n" +
            "| top " + std::to_string(count) + " by Events desc";
  } else {
    g.tables = {"DeviceNetworkEvents"};
    const std::string key = by_destination ? "RemoteIP" : "DeviceName";
    query = "DeviceNetworkEvents\n" + time_filter("Timestamp", window) + "\n" +
            "| where ActionType in (\"ConnectionSuccess\", \"ConnectionRequest\")\n" +
            "| summarize Connections = count(), Peers = dcount(" +
            std::string(by_destination ? "DeviceName" : "RemoteIP") +
            "), Ports = make_set(RemotePort, 20) by " + key + "\n" + "| top " +
            std::to_string(count) + " by Connections desc";
  }
  g.query = std::move(query);
  g.explanation = "Ranks the " + std::to_string(count) + " " +
                  (by_destination ? "remote addresses"
                   : sentinel     ? "source addresses"
                                  : "devices") +
                  " with the most " + (sentinel ? "firewall events" : "connections") + " in " +
                  window.phrase + ", with how many distinct peers each had.";
  if (!r.entities.count)
    g.assumptions.push_back("No number was given, so the query returns the top 10.");
  g.assumptions.push_back(
      "Talkers are ranked by number of connections: Defender's network "
      "events do not record bytes transferred.");
  if (sentinel) g.assumptions.back() = "Talkers are ranked by number of firewall events.";
  return g;
}

}  // namespace

void add_network_intents(std::vector<Intent>& list) {
  list.push_back({"network_connections",
                  "Connections from devices (or firewall events) to an "
                  "IP address, range, domain or URL",
                  "Which devices connected to 198.51.100.23 in the last 7 days?", score_connections,
                  build_connections});
  list.push_back({"top_talkers", "Devices or remote addresses with the most connections",
                  "Top 20 talkers in the last 24 hours", score_top_talkers, build_top_talkers});
}

}  // namespace kql_skills

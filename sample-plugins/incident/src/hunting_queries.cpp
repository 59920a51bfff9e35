#include "hunting_queries.hpp"

#include "text_util.hpp"
#include "triage.hpp"

namespace incident {
namespace {

// A KQL verbatim string literal: @"...", with " doubled; line breaks become spaces.
std::string kql_string(std::string_view value) {
  std::string out = "@\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

std::string kql_list(const std::vector<std::string>& values) {
  std::vector<std::string> literals;
  for (const auto& value : values)
    literals.push_back(kql_string(value));
  return "(" + join(literals, ", ") + ")";
}

constexpr std::size_t kMaxCommandLines = 5;
constexpr std::size_t kCommandLineFragment = 120;

}  // namespace

std::vector<HuntingQuery> hunting_queries(const Entities& entities) {
  std::vector<HuntingQuery> queries;
  std::vector<std::string> ips, hosts;
  for (const auto& ip : entities.ips())
    if (!ip.internal) ips.push_back(ip.address);
  for (const auto& domain : entities.domains())
    hosts.push_back(domain.name);
  if (!ips.empty() || !hosts.empty()) {
    std::vector<std::string> conditions;
    if (!ips.empty()) conditions.push_back("RemoteIP in " + kql_list(ips));
    if (!hosts.empty()) conditions.push_back("RemoteUrl has_any " + kql_list(hosts));
    queries.push_back(
        {"Devices that connected to the incident's IPs or domains",
         "DeviceNetworkEvents\n| where Timestamp > ago(30d)\n| where " + join(conditions, " or ") +
             "\n| summarize Connections = count(), FirstSeen = min(Timestamp), LastSeen = "
             "max(Timestamp) by DeviceName, RemoteIP, RemoteUrl\n| order by FirstSeen asc"});
  }
  std::vector<std::string> sha256, sha1, md5;
  for (const auto& file : hashed_files(entities)) {
    if (!file.sha256.empty()) sha256.push_back(file.sha256);
    if (!file.sha1.empty()) sha1.push_back(file.sha1);
    if (!file.md5.empty()) md5.push_back(file.md5);
  }
  if (!sha256.empty() || !sha1.empty() || !md5.empty()) {
    std::vector<std::string> conditions;
    if (!sha256.empty()) conditions.push_back("SHA256 in " + kql_list(sha256));
    if (!sha1.empty()) conditions.push_back("SHA1 in " + kql_list(sha1));
    if (!md5.empty()) conditions.push_back("MD5 in " + kql_list(md5));
    queries.push_back({"Devices where the incident's files were seen",
                       "DeviceFileEvents\n| where Timestamp > ago(30d)\n| where " +
                           join(conditions, " or ") +
                           "\n| project Timestamp, DeviceName, FolderPath, FileName, SHA256, "
                           "InitiatingProcessCommandLine\n| order by Timestamp asc"});
  }
  std::vector<std::string> fragments;
  for (const auto& process : entities.processes()) {
    if (fragments.size() == kMaxCommandLines) break;
    // The start of the command line is what a re-run on another device would share.
    add_unique(fragments, utf8_prefix(process.command_line, kCommandLineFragment));
  }
  if (!fragments.empty()) {
    std::vector<std::string> conditions;
    for (const auto& fragment : fragments)
      conditions.push_back("ProcessCommandLine contains " + kql_string(fragment));
    queries.push_back({"The same command lines on other devices",
                       "DeviceProcessEvents\n| where Timestamp > ago(30d)\n| where " +
                           join(conditions, "\n    or ") +
                           "\n| project Timestamp, DeviceName, AccountName, FileName, "
                           "ProcessCommandLine\n| order by Timestamp asc"});
  }
  return queries;
}

}  // namespace incident

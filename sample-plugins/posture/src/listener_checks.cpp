#include "posture/listener_checks.hpp"

#include <algorithm>
#include <tuple>

#include "text_util.hpp"

namespace posture {
namespace {

constexpr CheckInfo kRiskyListeners{
    "network.risky_listeners",
    "No risky service listens beyond loopback",
    "network",
    "CIS Debian Linux 12 v1.0.1 2.1.22 Ensure only approved services are listening on a network "
    "interface (and the section 2 items on telnet, FTP, rpcbind, Samba, ...)",
    Severity::high,
    "Stop and disable what is not needed ('systemctl disable --now UNIT', 'apt purge PACKAGE'); "
    "bind what must stay to 127.0.0.1 (e.g. 'bind 127.0.0.1' for Redis, 'bind-address = "
    "127.0.0.1' for MySQL) or allow it only from trusted addresses in the firewall."};

struct RiskyPort {
  std::string_view protocol;  // "tcp", "udp" or "any"
  std::uint16_t port;
  std::string_view service;
  Severity severity;
  std::string_view why;
};

constexpr RiskyPort kRiskyPorts[] = {
    {"tcp", 21, "ftp", Severity::high, "FTP sends passwords and files in clear text"},
    {"tcp", 23, "telnet", Severity::critical, "telnet is a clear-text remote shell"},
    {"udp", 69, "tftp", Severity::high, "TFTP serves files with no authentication"},
    {"any", 111, "rpcbind", Severity::medium,
     "rpcbind maps RPC services for anyone who asks and amplifies DDoS traffic"},
    {"udp", 137, "netbios-ns", Severity::high, "NetBIOS name service leaks host and user names"},
    {"udp", 138, "netbios-dgm", Severity::high, "NetBIOS datagrams belong on the LAN only"},
    {"tcp", 139, "netbios-ssn", Severity::high, "SMB over NetBIOS is a common attack path"},
    {"udp", 161, "snmp", Severity::medium, "SNMP v1/v2c community strings are clear text"},
    {"tcp", 445, "smb", Severity::high, "SMB file sharing is a common attack and worm path"},
    {"tcp", 512, "rexec", Severity::critical, "rexec logs in with clear-text passwords"},
    {"tcp", 513, "rlogin", Severity::critical, "rlogin trusts host names and sends clear text"},
    {"tcp", 514, "rsh", Severity::critical, "rsh runs commands with host-based trust"},
    {"tcp", 873, "rsync", Severity::medium, "an rsync daemon often serves modules to anyone"},
    {"tcp", 1433, "mssql", Severity::medium, "a database should not face the network directly"},
    {"any", 2049, "nfs", Severity::medium, "NFS exports trust client addresses"},
    {"tcp", 2375, "docker", Severity::critical,
     "the Docker API without TLS gives root on the host to anyone who connects"},
    {"tcp", 3306, "mysql", Severity::high, "a database should not face the network directly"},
    {"tcp", 3389, "rdp", Severity::medium, "remote desktop is a frequent brute-force target"},
    {"tcp", 5432, "postgresql", Severity::medium,
     "a database should not face the network directly"},
    {"tcp", 5900, "vnc", Severity::high, "VNC often has weak or no passwords"},
    {"tcp", 6379, "redis", Severity::high,
     "Redis has no authentication by default and can be made to write files"},
    {"tcp", 9200, "elasticsearch", Severity::high,
     "Elasticsearch without security serves and deletes every index to anyone"},
    {"any", 11211, "memcached", Severity::high,
     "memcached has no authentication and amplifies DDoS traffic"},
    {"tcp", 27017, "mongodb", Severity::high,
     "MongoDB without authentication serves every database to anyone"},
};

struct KnownPort {
  std::uint16_t port;
  std::string_view service;
};
constexpr KnownPort kKnownPorts[] = {
    {22, "ssh"},    {25, "smtp"},        {53, "dns"},        {67, "dhcp"},   {68, "dhcp-client"},
    {80, "http"},   {110, "pop3"},       {123, "ntp"},       {143, "imap"},  {443, "https"},
    {465, "smtps"}, {587, "submission"}, {631, "ipp"},       {993, "imaps"}, {995, "pop3s"},
    {5353, "mdns"}, {8080, "http-alt"},  {8443, "https-alt"}};

const RiskyPort* risky(const Listener& listener) {
  for (const auto& risky_port : kRiskyPorts)
    if (risky_port.port == listener.port &&
        (risky_port.protocol == "any" || risky_port.protocol == listener.protocol))
      return &risky_port;
  return nullptr;
}

std::string endpoint(const Listener& listener) {
  const std::string address =
      listener.ip_version == 6 ? "[" + listener.address + "]" : listener.address;
  return listener.protocol + " " + address + ":" + std::to_string(listener.port);
}

}  // namespace

std::string_view service_name(std::string_view protocol, std::uint16_t port) {
  for (const auto& risky_port : kRiskyPorts)
    if (risky_port.port == port &&
        (risky_port.protocol == "any" || risky_port.protocol == protocol))
      return risky_port.service;
  for (const auto& known : kKnownPorts)
    if (known.port == port) return known.service;
  return "";
}

ListenerScan scan_listeners(const RootFs& fs) {
  ListenerScan scan;
  struct Table {
    const char* path;
    const char* protocol;
    bool ipv6;
  };
  for (const Table& table :
       {Table{"/proc/net/tcp", "tcp", false}, Table{"/proc/net/tcp6", "tcp", true},
        Table{"/proc/net/udp", "udp", false}, Table{"/proc/net/udp6", "udp", true}}) {
    const FileText file = fs.read(table.path);
    if (file.state != FileText::State::ok) continue;
    scan.available = true;
    scan.files.emplace_back(table.path);
    for (auto& listener :
         parse_proc_net(file.text, table.path, table.protocol, table.ipv6, scan.problems))
      scan.listeners.push_back(std::move(listener));
  }
  auto key = [](const Listener& l) {
    return std::tie(l.protocol, l.port, l.ip_version, l.address);
  };
  std::stable_sort(scan.listeners.begin(), scan.listeners.end(),
                   [&](const Listener& a, const Listener& b) { return key(a) < key(b); });
  // SO_REUSEPORT and per-worker sockets list one service several times.
  scan.listeners.erase(
      std::unique(scan.listeners.begin(), scan.listeners.end(),
                  [&](const Listener& a, const Listener& b) { return key(a) == key(b); }),
      scan.listeners.end());
  return scan;
}

CheckResult check_listeners(const ListenerScan& scan) {
  if (!scan.available) {
    CheckResult result = make_result(
        kRiskyListeners, Status::not_applicable,
        "no socket table under the root (proc/net/tcp): listening services are visible only on "
        "a running system (root /) or in a captured proc/net folder");
    result.evidence.push_back({"/proc/net/tcp", 0, "missing", ""});
    return result;
  }
  CheckResult result = make_result(kRiskyListeners, Status::pass, "");
  Severity worst = Severity::info;
  std::vector<std::string> found;
  size_t exposed = 0;
  for (const auto& listener : scan.listeners) {
    if (listener.exposure == "loopback") continue;
    ++exposed;
    const RiskyPort* port = risky(listener);
    if (!port) continue;
    worst = std::max(worst, port->severity);
    found.push_back(std::string(port->service) + " on " + endpoint(listener));
    result.evidence.push_back(
        {listener.file, listener.line, endpoint(listener) + " (" + std::string(port->service) + ")",
         std::string(port->why) + (listener.exposure == "all"
                                       ? "; it listens on every interface"
                                       : "; it listens on " + listener.address)});
  }
  for (const auto& problem : scan.problems)
    result.evidence.push_back(problem);
  if (found.empty()) {
    result.detail = std::to_string(scan.listeners.size()) + " listening socket(s), " +
                    std::to_string(exposed) +
                    " beyond loopback, none of them a known risky service";
    return result;
  }
  result.status = Status::fail;
  result.severity = worst;
  result.detail = "risky service(s) reachable beyond loopback: " + join(found);
  return result;
}

}  // namespace posture

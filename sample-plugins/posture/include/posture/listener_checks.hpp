// Listening services: every socket in <root>/proc/net/{tcp,tcp6,udp,udp6}, and a check that no
// well-known risky service (telnet, FTP, rpcbind, SMB, databases, caches, ...) listens beyond
// loopback (CIS Debian Linux 12 v1.0.1 2.1.22 and the service items of section 2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "posture/check.hpp"
#include "posture/proc_net.hpp"
#include "posture/root_fs.hpp"

namespace posture {

struct ListenerScan {
  bool available = false;  // at least one socket table could be read
  std::vector<std::string> files;
  std::vector<Listener> listeners;  // deduplicated, sorted by protocol, port, address
  std::vector<Evidence> problems;
};

ListenerScan scan_listeners(const RootFs& fs);
CheckResult check_listeners(const ListenerScan& scan);

// The service usually on a port ("ssh", "redis"), or "" when unknown.
std::string_view service_name(std::string_view protocol, std::uint16_t port);

}  // namespace posture

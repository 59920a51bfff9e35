// Listening sockets from the kernel's socket tables, /proc/net/tcp, tcp6, udp and udp6: a TCP
// socket in state LISTEN (0A), or a UDP socket bound and unconnected (state 07, no remote end).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "posture/check.hpp"

namespace posture {

struct Listener {
  std::string protocol;  // "tcp" or "udp"
  int ip_version = 4;
  std::string address;  // "0.0.0.0", "127.0.0.1", "::", "::1", ...
  std::uint16_t port = 0;
  std::uint32_t uid = 0;
  std::string exposure;  // "loopback", "all" (every interface) or "address" (one address)
  std::string file;      // host path, "/proc/net/tcp"
  int line = 0;
};

// Parses one table; `protocol` is "tcp" or "udp", `ipv6` says which address format. Lines that
// do not parse go to `problems`. Addresses are in this machine's byte order, as the kernel that
// wrote the file used its own.
std::vector<Listener> parse_proc_net(std::string_view text, std::string_view file,
                                     std::string_view protocol, bool ipv6,
                                     std::vector<Evidence>& problems);

}  // namespace posture

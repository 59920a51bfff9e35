#include "posture/proc_net.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "text_util.hpp"

namespace posture {
namespace {

constexpr std::string_view kTcpListen = "0A";
constexpr std::string_view kUdpUnconnected = "07";

bool parse_hex32(std::string_view text, std::uint32_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return error == std::errc() && end == text.data() + text.size();
}

// "0100007F:0277" -> address text and port. The address words are the kernel's in-memory
// 32-bit words printed as hex, so copying them back in this machine's order restores the bytes.
bool parse_endpoint(std::string_view text, bool ipv6, std::string& address, std::uint16_t& port,
                    bool& zero) {
  const size_t colon = text.find(':');
  const size_t hex_digits = ipv6 ? 32 : 8;
  if (colon != hex_digits) return false;
  std::uint32_t port_value = 0;
  if (!parse_hex32(text.substr(colon + 1), port_value) || port_value > 0xFFFF) return false;
  port = static_cast<std::uint16_t>(port_value);
  unsigned char bytes[16] = {};
  for (size_t word = 0; word < hex_digits / 8; ++word) {
    std::uint32_t value = 0;
    if (!parse_hex32(text.substr(word * 8, 8), value)) return false;
    std::memcpy(bytes + word * 4, &value, 4);
  }
  char buffer[INET6_ADDRSTRLEN] = {};
  if (!::inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes, buffer, sizeof buffer)) return false;
  address = buffer;
  zero = true;
  for (size_t i = 0; i < hex_digits / 2; ++i)
    zero = zero && bytes[i] == 0;
  return true;
}

std::string exposure_of(const std::string& address, bool ipv6) {
  if (!ipv6) {
    if (address.starts_with("127.")) return "loopback";
    return address == "0.0.0.0" ? "all" : "address";
  }
  if (address == "::1" || address.starts_with("::ffff:127.")) return "loopback";
  return address == "::" || address == "::ffff:0.0.0.0" ? "all" : "address";
}

}  // namespace

std::vector<Listener> parse_proc_net(std::string_view text, std::string_view file,
                                     std::string_view protocol, bool ipv6,
                                     std::vector<Evidence>& problems) {
  std::vector<Listener> listeners;
  for (const auto& line : split_lines(text)) {
    const auto fields = split_blanks(line.text);
    if (fields.empty() || fields[0] == "sl") continue;  // the header
    if (fields.size() < 8 || fields[0].back() != ':') {
      problems.push_back({std::string(file), line.number, std::string(trim(line.text)),
                          "not a socket table line: skipped"});
      continue;
    }
    Listener listener;
    bool local_zero = false, remote_zero = false;
    std::string remote;
    std::uint16_t remote_port = 0;
    if (!parse_endpoint(fields[1], ipv6, listener.address, listener.port, local_zero) ||
        !parse_endpoint(fields[2], ipv6, remote, remote_port, remote_zero)) {
      problems.push_back({std::string(file), line.number, std::string(trim(line.text)),
                          "unreadable address: skipped"});
      continue;
    }
    const std::string_view state = fields[3];
    const bool listening = protocol == "tcp"
                               ? state == kTcpListen
                               : state == kUdpUnconnected && remote_zero && remote_port == 0;
    if (!listening) continue;
    listener.protocol = std::string(protocol);
    listener.ip_version = ipv6 ? 6 : 4;
    listener.uid = static_cast<std::uint32_t>(parse_integer(fields[7]).value_or(0));
    listener.exposure = exposure_of(listener.address, ipv6);
    listener.file = std::string(file);
    listener.line = line.number;
    listeners.push_back(std::move(listener));
  }
  return listeners;
}

}  // namespace posture

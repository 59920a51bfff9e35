// Host firewall presence, from the configuration that loads at boot: nftables
// (/etc/nftables.conf with rules, nftables.service enabled), ufw (/etc/ufw/ufw.conf
// ENABLED=yes, ufw.service enabled) or iptables-persistent (/etc/iptables/rules.v4 or rules.v6
// with rules, netfilter-persistent.service enabled).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "posture/check.hpp"
#include "posture/root_fs.hpp"

namespace posture {

std::vector<CheckResult> check_firewall(const RootFs& fs);

// What an nftables ruleset holds: rules inside chains, and whether a chain's policy drops.
struct NftSummary {
  int tables = 0;
  int chains = 0;
  int rules = 0;
  bool drop_policy = false;
  std::vector<std::string> includes;  // include "..." patterns, as written
};
NftSummary summarize_nft(std::string_view text);

}  // namespace posture

// Kernel parameters set at boot, as systemd-sysctl and `sysctl --system` apply them: *.conf
// files from /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and
// /lib/sysctl.d (a name in an earlier folder hides the same name in later ones), applied in
// file-name order wherever they live, later assignments winning; then /etc/sysctl.conf, unless a
// sysctl.d file (Debian's 99-sysctl.conf link) already is it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "posture/check.hpp"
#include "posture/root_fs.hpp"

namespace posture {

struct SysctlEntry {
  std::string
      key;  // dotted form, e.g. "net.ipv4.ip_forward" (or a glob: "net.ipv4.conf.*.rp_filter")
  std::string value;
  std::string file;  // host path
  int line = 0;
  std::string text;        // the line, trimmed
  bool glob = false;       // the key has wildcards
  bool exclusion = false;  // "-key" alone: keeps globs from setting this key
};

struct SysctlConfig {
  std::vector<std::string> files;    // applied, in order
  std::vector<SysctlEntry> entries;  // in the order they are applied
  std::vector<Evidence> notes;       // lines that are not assignments, masked files, ...

  // The entry that sets `key` at boot: an explicit assignment beats any glob (as in
  // systemd-sysctl), the last one winning; else the last matching glob. nullptr when nothing
  // sets it, or an exclusion keeps globs off it.
  const SysctlEntry* lookup(std::string_view key) const;
};

SysctlConfig load_sysctl_config(const RootFs& fs);

// "net/ipv4/ip_forward" -> "net.ipv4.ip_forward" (systemd's rule: when the first separator is
// a slash, slashes and dots swap roles).
std::string normalize_sysctl_key(std::string_view key);

}  // namespace posture

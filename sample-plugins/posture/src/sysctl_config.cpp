#include "posture/sysctl_config.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "text_util.hpp"

namespace posture {
namespace {

constexpr std::string_view kSysctlDirs[] = {"/etc/sysctl.d", "/run/sysctl.d",
                                            "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
                                            "/lib/sysctl.d"};
constexpr std::string_view kSysctlConf = "/etc/sysctl.conf";

void parse_file(const RootFs& fs, const std::string& path, SysctlConfig& config) {
  const FileText file = fs.read(path);
  if (file.state != FileText::State::ok) {
    config.notes.push_back({path, 0, "unreadable", "not applied: " + file.error});
    return;
  }
  config.files.push_back(path);
  for (const auto& line : split_lines(file.text)) {
    std::string_view text = trim(line.text);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    SysctlEntry entry;
    entry.file = path;
    entry.line = line.number;
    entry.text = std::string(text);
    const bool dash = text.front() == '-';
    if (dash) text.remove_prefix(1);
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
      if (!dash) {
        config.notes.push_back(
            {path, line.number, entry.text, "not an assignment: systemd-sysctl ignores it"});
        continue;
      }
      entry.exclusion = true;
    }
    entry.key = normalize_sysctl_key(trim(text.substr(0, equals)));
    if (!entry.exclusion) entry.value = std::string(trim(text.substr(equals + 1)));
    entry.glob = entry.key.find_first_of("*?[") != std::string::npos;
    if (entry.key.empty()) {
      config.notes.push_back({path, line.number, entry.text, "no key: ignored"});
      continue;
    }
    config.entries.push_back(std::move(entry));
  }
}

}  // namespace

std::string normalize_sysctl_key(std::string_view key) {
  std::string normal(key);
  const size_t first = normal.find_first_of("./");
  if (first != std::string::npos && normal[first] == '/')
    for (char& c : normal)
      c = c == '/' ? '.' : c == '.' ? '/' : c;
  return normal;
}

const SysctlEntry* SysctlConfig::lookup(std::string_view key) const {
  const SysctlEntry* explicit_entry = nullptr;
  const SysctlEntry* glob_entry = nullptr;
  const std::string wanted(key);
  for (const auto& entry : entries) {
    if (!entry.glob && entry.key == wanted) explicit_entry = &entry;
    if (entry.glob && ::fnmatch(entry.key.c_str(), wanted.c_str(), 0) == 0) glob_entry = &entry;
  }
  if (explicit_entry) return explicit_entry->exclusion ? nullptr : explicit_entry;
  return glob_entry;
}

SysctlConfig load_sysctl_config(const RootFs& fs) {
  SysctlConfig config;
  std::map<std::string, std::string> by_name;  // file name -> host path of the one applied
  for (const auto dir : kSysctlDirs)
    for (const auto& name : fs.list(dir).names)
      if (name.ends_with(".conf") && !by_name.count(name))
        by_name[name] = join_host_path(dir, name);
  const auto conf_local = fs.resolve(kSysctlConf);
  const auto dev_null = fs.resolve("/dev/null");
  bool conf_linked = false;
  for (const auto& [name, path] : by_name) {  // std::map iterates in file-name order
    const auto local = fs.resolve(path);
    if (local && local == dev_null) {
      config.notes.push_back({path, 0, "-> /dev/null", "masked: hides files of the same name"});
      continue;
    }
    conf_linked = conf_linked || (local && local == conf_local);
    parse_file(fs, path, config);
  }
  if (!conf_linked && fs.lstat(kSysctlConf)) {
    parse_file(fs, std::string(kSysctlConf), config);
    config.notes.push_back(
        {std::string(kSysctlConf), 0, "applied last",
         "as `sysctl --system` does; systemd-sysctl reads it at boot only through a "
         "/etc/sysctl.d/99-sysctl.conf link, which this host does not have"});
  }
  return config;
}

}  // namespace posture

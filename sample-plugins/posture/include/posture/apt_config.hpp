// APT's configuration as apt reads it: /etc/apt/apt.conf.d/* (names of letters, digits, '_',
// '-' and '.', with no extension or ".conf", in name order) and then /etc/apt/apt.conf, in apt's
// syntax: 'A::B "value";', nested 'A { B "value"; "list item"; };', '//' and '/* */' comments,
// and '#clear A::B;'.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "posture/root_fs.hpp"

namespace posture {

struct AptValue {
  std::string value;
  std::string file;  // host path
  int line = 0;
};

struct AptConfig {
  bool present = false;  // /etc/apt exists
  std::vector<std::string> files;
  std::map<std::string, std::vector<AptValue>> values;  // full key, lower case -> in read order

  // The value apt uses for a single-valued key: the last one read; nullptr when unset.
  const AptValue* scalar(std::string_view key) const;
  // Every value of a list key, in order.
  std::vector<AptValue> list(std::string_view key) const;
};

AptConfig load_apt_config(const RootFs& fs);
void parse_apt_config(std::string_view text, std::string_view file, AptConfig& config);

}  // namespace posture

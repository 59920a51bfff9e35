// The OpenSSH server configuration as sshd reads it: /etc/ssh/sshd_config with its Include
// directives expanded in place (glob patterns in lexical order, relative paths under /etc/ssh,
// at most 16 levels), each directive tagged with the Match block it belongs to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "posture/root_fs.hpp"

namespace posture {

struct SshdDirective {
  std::string keyword;            // lower case, e.g. "permitrootlogin"
  std::vector<std::string> args;  // unquoted; a trailing "# comment" is dropped, as sshd does
  std::string text;               // the line as written, trimmed
  std::string file;               // host path
  int line = 0;
  std::string match;  // "" in the global section, else the Match criteria, e.g. "User backup"
};

// Something sshd would complain about or that kept a file from being read.
struct SshdProblem {
  std::string file;
  int line = 0;
  std::string keyword;  // lower case, when the problem is about one directive
  std::string message;
};

struct SshdConfig {
  FileText::State state = FileText::State::missing;  // of /etc/ssh/sshd_config itself
  std::string error;
  std::vector<std::string> files;  // every file read, in order
  std::vector<SshdDirective> directives;
  std::vector<SshdProblem> problems;

  // The directive that decides `keyword` for every connection, or nullptr when it is unset and
  // sshd's default applies. sshd keeps the first value it reads; a "Match all" block applies to
  // every connection and overrides the global section.
  const SshdDirective* effective(std::string_view keyword) const;
  // The first value of `keyword` in each other Match block: it overrides the effective value
  // for the connections that block matches.
  std::vector<const SshdDirective*> conditional(std::string_view keyword) const;
};

inline constexpr std::string_view kSshdConfigPath = "/etc/ssh/sshd_config";

SshdConfig load_sshd_config(const RootFs& fs);

// Parses one configuration line into a directive (keyword and arguments); false for blank lines
// and comments. Exposed for tests.
bool parse_sshd_line(std::string_view line, SshdDirective& directive);

}  // namespace posture

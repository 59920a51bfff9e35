// A PAM service file (/etc/pam.d/NAME) with its @include lines expanded in place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "posture/root_fs.hpp"

namespace posture {

struct PamRule {
  std::string type;     // auth, account, password, session (a leading '-' removed)
  std::string control;  // required, requisite, [default=die], ...
  std::string module;   // file name only: "pam_faillock.so"
  std::vector<std::string> args;
  std::string file;  // host path
  int line = 0;
  std::string text;  // the line, trimmed
};

struct PamStack {
  FileText::State state = FileText::State::missing;  // of the service file itself
  std::string error;
  std::string file;  // host path of the service file
  std::vector<PamRule> rules;

  // Rules of `type` using `module` ("pam_pwquality.so"), in stack order.
  std::vector<const PamRule*> find(std::string_view type, std::string_view module) const;
};

// Loads /etc/pam.d/<service>.
PamStack load_pam_stack(const RootFs& fs, std::string_view service);

// "deny=4" among a rule's arguments -> "4"; nullptr when absent. A bare flag ("preauth") is
// found with has_arg().
const std::string* arg_value(const PamRule& rule, std::string_view name, std::string& storage);
bool has_arg(const PamRule& rule, std::string_view flag);

}  // namespace posture

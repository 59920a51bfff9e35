// Line-oriented "key value" and "key = value" files: login.defs, pwquality.conf,
// faillock.conf, ufw.conf.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "posture/check.hpp"
#include "posture/root_fs.hpp"

namespace posture {

struct KeyValue {
  std::string key;
  std::string value;  // "" for a bare flag such as "even_deny_root"
  std::string file;   // host path
  int line = 0;
  std::string text;  // the line, trimmed
};

enum class Separator {
  blanks,  // "PASS_MAX_DAYS  90": only whole-line '#' comments (login.defs)
  equals,  // "minlen = 14": '#' starts a comment anywhere; quotes around the value are removed
};

std::vector<KeyValue> parse_key_values(std::string_view text, std::string_view file,
                                       Separator separator);

// The last entry for `key` (these files are read top to bottom, later lines winning).
const KeyValue* last_value(const std::vector<KeyValue>& entries, std::string_view key);

Evidence evidence_of(const KeyValue& entry, std::string note = "");

}  // namespace posture

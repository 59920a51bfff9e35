// One assessed check: what it looks at, how it turned out, what was seen and how to fix it.
// Every check family produces these; the assessment scores and sorts them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace posture {

enum class Severity { info, low, medium, high, critical };
enum class Status { pass, fail, not_applicable, error };

std::string_view to_string(Severity severity);
std::string_view to_string(Status status);

// Something seen on the host: a file and line (line 0 when the value does not come from one line,
// such as a setting's default or a file's mode), the value seen there, and what it means.
struct Evidence {
  std::string file;
  int line = 0;
  std::string value;
  std::string note;
};

struct CheckResult {
  std::string id;         // stable, e.g. "ssh.permit_root_login"
  std::string title;      // what a passing host has, e.g. "SSH root login is disabled"
  std::string family;     // ssh, password, sysctl, files, updates, firewall, network
  std::string reference;  // the benchmark recommendation it follows, or why it has none
  Severity severity = Severity::medium;  // of this outcome: a failure may be worse than another
  Status status = Status::not_applicable;
  std::string detail;  // one sentence: the outcome and why
  std::vector<Evidence> evidence;
  std::string fix;  // what to change, concretely
};

// The fixed part of a check, declared once per check so ids, titles and fixes stay together.
struct CheckInfo {
  std::string_view id;
  std::string_view title;
  std::string_view family;
  std::string_view reference;
  Severity severity;  // the severity of a failure unless the finding says otherwise
  std::string_view fix;
};

// A result for `info` with the given outcome; severity starts at the check's own.
CheckResult make_result(const CheckInfo& info, Status status, std::string detail);

// Adds evidence, or, when the same file line is already there, adds only its note to that item:
// one line that sets two things is shown once.
void add_evidence(std::vector<Evidence>& evidence, Evidence item);

}  // namespace posture

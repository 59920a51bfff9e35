#include "posture/check.hpp"

namespace posture {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
    case Severity::critical:
      return "critical";
  }
  return "info";
}

std::string_view to_string(Status status) {
  switch (status) {
    case Status::pass:
      return "pass";
    case Status::fail:
      return "fail";
    case Status::not_applicable:
      return "not_applicable";
    case Status::error:
      return "error";
  }
  return "error";
}

CheckResult make_result(const CheckInfo& info, Status status, std::string detail) {
  CheckResult result;
  result.id = info.id;
  result.title = info.title;
  result.family = info.family;
  result.reference = info.reference;
  result.severity = info.severity;
  result.status = status;
  result.detail = std::move(detail);
  result.fix = info.fix;
  return result;
}

void add_evidence(std::vector<Evidence>& evidence, Evidence item) {
  for (auto& existing : evidence) {
    if (item.line == 0 || existing.file != item.file || existing.line != item.line) continue;
    if (!item.note.empty() && existing.note.find(item.note) == std::string::npos)
      existing.note += existing.note.empty() ? item.note : "; " + item.note;
    return;
  }
  evidence.push_back(std::move(item));
}

}  // namespace posture

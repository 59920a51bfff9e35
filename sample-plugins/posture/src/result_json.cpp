#include "posture/result_json.hpp"

#include "posture/listener_checks.hpp"

namespace posture {
namespace {

namespace json = boost::json;

std::int64_t count(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}

json::array evidence_json(const std::vector<Evidence>& evidence) {
  json::array items;
  for (const auto& item : evidence) {
    json::object entry{{"file", item.file}};
    if (item.line > 0) entry["line"] = item.line;
    entry["value"] = item.value;
    if (!item.note.empty()) entry["note"] = item.note;
    items.push_back(std::move(entry));
  }
  return items;
}

json::object risk_json(const CheckResult& check) {
  return {{"id", check.id},
          {"title", check.title},
          {"severity", to_string(check.severity)},
          {"detail", check.detail},
          {"evidence", evidence_json(check.evidence)},
          {"fix", check.fix},
          {"reference", check.reference}};
}

json::object walk_json(const Assessment& assessment) {
  const WalkResult& walk = assessment.walk;
  json::object object{
      {"ran", assessment.walk_ran},
      {"complete", assessment.walk_ran && walk.complete},
      {"entries", count(walk.entries)},
      {"directories", count(walk.directories)},
      {"unreadable_directories", count(walk.unreadable_directories)},
      {"other_filesystems", json::value_from(walk.other_filesystems)},
      {"other_filesystem_count", count(walk.other_filesystem_count)},
      {"skipped", json::value_from(walk.skipped_container_storage)},
      {"elapsed_ms", walk.elapsed.count()},
      {"max_entries", count(assessment.walk_limits.max_entries)},
      {"max_seconds", static_cast<double>(assessment.walk_limits.max_time.count()) / 1000.0}};
  if (!walk.stopped_by.empty()) object["stopped_by"] = walk.stopped_by;
  return object;
}

}  // namespace

json::object check_json(const CheckResult& check) {
  return {{"id", check.id},
          {"title", check.title},
          {"family", check.family},
          {"severity", to_string(check.severity)},
          {"status", to_string(check.status)},
          {"detail", check.detail},
          {"evidence", evidence_json(check.evidence)},
          {"fix", check.fix},
          {"reference", check.reference}};
}

json::object assessment_json(const Assessment& assessment) {
  json::object summary{{"checks", count(assessment.checks.size())},
                       {"pass", 0},
                       {"fail", 0},
                       {"not_applicable", 0},
                       {"error", 0}};
  json::object failed{{"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}};
  json::array checks;
  for (const auto& check : assessment.checks) {
    auto& count = summary[to_string(check.status)];
    count = count.as_int64() + 1;
    if (check.status == Status::fail && check.severity != Severity::info) {
      auto& by_severity = failed[to_string(check.severity)];
      by_severity = by_severity.as_int64() + 1;
    }
    checks.push_back(check_json(check));
  }
  json::array risks;
  for (const CheckResult* risk : prioritized_risks(assessment.checks))
    risks.push_back(risk_json(*risk));
  json::array listeners;
  for (const auto& listener : assessment.listeners)
    listeners.push_back({{"protocol", listener.protocol},
                         {"ip_version", listener.ip_version},
                         {"address", listener.address},
                         {"port", static_cast<std::int64_t>(listener.port)},
                         {"exposure", listener.exposure},
                         {"service", service_name(listener.protocol, listener.port)},
                         {"uid", static_cast<std::int64_t>(listener.uid)},
                         {"file", listener.file},
                         {"line", listener.line}});
  return {{"root", assessment.root},
          {"live", assessment.live},
          {"score", assessment.score},
          {"summary", std::move(summary)},
          {"failed_by_severity", std::move(failed)},
          {"risks", std::move(risks)},
          {"checks", std::move(checks)},
          {"listeners", std::move(listeners)},
          {"file_walk", walk_json(assessment)},
          {"elapsed_ms", assessment.elapsed.count()}};
}

}  // namespace posture

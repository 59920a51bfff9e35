#include <algorithm>

#include <boost/json.hpp>

#include "jamf/computer.hpp"
#include "jamf/computer_filter.hpp"
#include "jamf/error.hpp"
#include "jamf/health.hpp"
#include "jamf/inputs.hpp"
#include "jamf/inventory.hpp"
#include "jamf/skills.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

// The most computers one call examines; a larger fleet is reported as not examined in full.
constexpr std::size_t kMaxExamined = 20000;

struct Unhealthy {
  Computer computer;
  std::vector<Problem> problems;
  int worst = 0;
};

std::optional<MacosVersion> minimum_os(const Inputs& in, const SettingReader& settings) {
  if (auto text = in.text("min_os_version")) {
    auto version = MacosVersion::parse(*text);
    if (!version)
      throw Error(ErrorKind::invalid_input, "the input 'min_os_version' is '" + *text +
                                                "': use a macOS version such as 15.7 or 26.1");
    return version;
  }
  auto text = settings("MinimumMacOSVersion");
  if (!text || text->find_first_not_of(' ') == std::string::npos) return std::nullopt;
  auto version = MacosVersion::parse(*text);
  if (!version)
    throw Error(ErrorKind::invalid_input, "the setting 'MinimumMacOSVersion' is '" + *text +
                                              "': use a macOS version such as 15.7 or 26.1");
  return version;
}

json::object problem_json(const Problem& problem) {
  return {{"check", problem.check},
          {"severity", problem.severity},
          {"detail", problem.detail},
          {"fix", problem.fix}};
}

json::value or_null(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

json::object unhealthy_json(const Unhealthy& entry) {
  const Computer& c = entry.computer;
  json::array problems;
  for (const auto& problem : entry.problems)
    problems.push_back(problem_json(problem));
  return {
      {"id", c.id},
      {"name", or_null(c.general.name)},
      {"serial_number", or_null(c.hardware.serial)},
      {"username", or_null(c.user.username)},
      {"email", or_null(c.user.email)},
      {"os_version", or_null(c.os.version)},
      {"last_check_in", c.general.last_contact
                            ? json::value(format_timestamp(*c.general.last_contact))
                            : json::value(nullptr)},
      {"problems", std::move(problems)},
  };
}

}  // namespace

json::object find_unhealthy_computers(JamfClient& client, const json::object& input,
                                      const SettingReader& settings, Timestamp now) {
  const Inputs in(input);
  HealthCriteria criteria;
  criteria.minimum_os = minimum_os(in, settings);
  criteria.max_check_in_age_days =
      static_cast<int>(in.integer("max_days_since_check_in", 1, 3650)
                           .value_or(read_int_setting(settings, "MaxCheckInAgeDays", 7, 1, 3650)));
  criteria.as_of = in.time("as_of").value_or(now);
  const auto limit = static_cast<std::size_t>(in.integer("limit", 1, 1000).value_or(100));

  InventoryQuery query;
  ComputerFilter scope;
  scope.name = in.text("name");
  query.filter = to_rsql(scope);
  query.sections.assign(std::begin(kHealthSections), std::end(kHealthSections));
  query.sort = "id:asc";
  const InventoryResult found = fetch_inventory(client, query, kMaxExamined);

  std::vector<Unhealthy> unhealthy;
  for (const auto& record : found.records) {
    Computer computer = parse_computer(record);
    auto problems = find_problems(computer, criteria);
    if (problems.empty()) continue;
    int worst = 0;
    for (const auto& problem : problems)
      worst = std::max(worst, severity_rank(problem.severity));
    unhealthy.push_back({std::move(computer), std::move(problems), worst});
  }
  std::stable_sort(unhealthy.begin(), unhealthy.end(), [](const auto& a, const auto& b) {
    if (a.worst != b.worst) return a.worst > b.worst;
    return a.problems.size() > b.problems.size();
  });

  json::array computers;
  for (std::size_t i = 0; i < unhealthy.size() && i < limit; ++i)
    computers.push_back(unhealthy_json(unhealthy[i]));
  json::array skipped;
  if (!criteria.minimum_os)
    skipped.push_back(json::value(
        "os_out_of_date: no minimum macOS version — pass min_os_version or set the setting "
        "MinimumMacOSVersion"));
  return {
      {"as_of", format_timestamp(criteria.as_of)},
      {"criteria",
       {{"min_os_version",
         criteria.minimum_os ? json::value(criteria.minimum_os->text()) : json::value(nullptr)},
        {"max_days_since_check_in", criteria.max_check_in_age_days}}},
      {"skipped_checks", std::move(skipped)},
      {"total_count", found.total_count},
      {"examined", found.records.size()},
      {"examined_all", !found.truncated()},
      {"unhealthy_count", unhealthy.size()},
      {"healthy_count", found.records.size() - unhealthy.size()},
      {"returned", computers.size()},
      {"computers", std::move(computers)},
  };
}

}  // namespace jamf

#include "posture/update_checks.hpp"

#include "text_util.hpp"

namespace posture {
namespace {

constexpr CheckInfo kUnattended{
    "updates.unattended_upgrades",
    "Security updates install automatically",
    "updates",
    "CIS Debian Linux 12 v1.0.1 1.2.2.1 Ensure updates, patches, and additional security "
    "software are installed (unattended-upgrades keeps doing it between reviews)",
    Severity::medium,
    "Run 'apt install unattended-upgrades' and 'dpkg-reconfigure -plow unattended-upgrades' "
    "(it writes APT::Periodic::Update-Package-Lists \"1\" and APT::Periodic::Unattended-Upgrade "
    "\"1\" to /etc/apt/apt.conf.d/20auto-upgrades), and keep the security origin in "
    "Unattended-Upgrade::Origins-Pattern in /etc/apt/apt.conf.d/50unattended-upgrades."};

Evidence evidence_of(const AptValue& value, std::string_view key, std::string note = "") {
  return {value.file, value.line, std::string(key) + " \"" + value.value + "\"", std::move(note)};
}

// A periodic interval in days ("1"), or "always"; 0 and nonsense turn the job off.
bool turned_on(const AptValue* value) {
  if (!value) return false;
  if (iequals(trim(value->value), "always")) return true;
  return parse_integer(value->value).value_or(0) > 0;
}

}  // namespace

CheckResult check_unattended_upgrades(const RootFs& fs, const AptConfig& config) {
  if (!config.present) {
    CheckResult result = make_result(kUnattended, Status::not_applicable,
                                     "/etc/apt does not exist: not an APT-based system");
    result.evidence.push_back({"/etc/apt", 0, "missing", ""});
    return result;
  }
  CheckResult result = make_result(kUnattended, Status::pass, "");
  std::vector<std::string> problems;

  const bool installed = fs.stat("/usr/bin/unattended-upgrade").has_value();
  result.evidence.push_back({"/usr/bin/unattended-upgrade", 0, installed ? "present" : "missing",
                             installed ? "" : "the unattended-upgrades package is not installed"});
  if (!installed) problems.push_back("the unattended-upgrades package is not installed");

  if (const AptValue* enable = config.scalar("APT::Periodic::Enable");
      enable && parse_integer(enable->value).value_or(1) == 0) {
    result.evidence.push_back(
        evidence_of(*enable, "APT::Periodic::Enable", "turns off every periodic APT job"));
    problems.push_back("APT::Periodic::Enable is 0");
  }
  struct Periodic {
    std::string_view key;
    std::string_view missing;
  };
  for (const Periodic& periodic :
       {Periodic{"APT::Periodic::Update-Package-Lists", "package lists are not refreshed"},
        Periodic{"APT::Periodic::Unattended-Upgrade",
                 "upgrades are not installed by themselves"}}) {
    const AptValue* value = config.scalar(periodic.key);
    if (value) result.evidence.push_back(evidence_of(*value, periodic.key));
    if (!turned_on(value)) {
      if (!value)
        result.evidence.push_back({"/etc/apt/apt.conf.d/20auto-upgrades", 0,
                                   std::string(periodic.key) + " not set", "off by default"});
      problems.push_back(std::string(periodic.missing) + " (" + std::string(periodic.key) +
                         (value ? " \"" + value->value + "\")" : " not set)"));
    }
  }

  std::vector<AptValue> origins = config.list("Unattended-Upgrade::Origins-Pattern");
  for (auto& origin : config.list("Unattended-Upgrade::Allowed-Origins"))
    origins.push_back(std::move(origin));
  const AptValue* security = nullptr;
  for (const auto& origin : origins)
    if (to_lower(origin.value).find("security") != std::string::npos) {
      security = &origin;
      break;
    }
  if (security) {
    result.evidence.push_back({security->file, security->line, "\"" + security->value + "\"",
                               "a security origin unattended-upgrades installs from"});
  } else {
    result.evidence.push_back(
        {"/etc/apt/apt.conf.d/50unattended-upgrades", 0,
         origins.empty() ? "no Origins-Pattern or Allowed-Origins"
                         : std::to_string(origins.size()) + " origin(s), none of them security",
         ""});
    problems.push_back("no security origin in Unattended-Upgrade::Origins-Pattern");
  }

  if (problems.empty()) {
    result.detail =
        "unattended-upgrades refreshes the package lists and installs security "
        "updates every day";
  } else {
    result.status = Status::fail;
    result.detail = "security updates are not installed automatically: " + join(problems, "; ");
  }
  return result;
}

}  // namespace posture

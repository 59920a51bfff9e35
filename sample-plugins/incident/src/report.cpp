#include "incident/report.hpp"

#include "markdown.hpp"
#include "report_sections.hpp"
#include "text_util.hpp"

namespace incident {

std::optional<Audience> parse_audience(std::string_view text) {
  const std::string key = compact_key(text);
  if (key == "ciso" || key == "executive" || key == "exec" || key == "leadership")
    return Audience::ciso;
  if (key == "socanalyst" || key == "analyst" || key == "soc") return Audience::soc_analyst;
  if (key == "itadmin" || key == "admin" || key == "it" || key == "sysadmin")
    return Audience::it_admin;
  return std::nullopt;
}

std::string_view audience_name(Audience audience) noexcept {
  switch (audience) {
    case Audience::ciso:
      return "ciso";
    case Audience::it_admin:
      return "it_admin";
    case Audience::soc_analyst:
      break;
  }
  return "soc_analyst";
}

Report write_report(const Summary& summary, Audience audience) {
  Report report;
  report.audience = audience;
  report.source_kind = summary.incident.shape == "session" ? "session" : "incident";
  const std::string& title = summary.incident.title;
  switch (audience) {
    case Audience::ciso:
      report.title = "Security incident briefing: " + title;
      report.sections = ciso_sections(summary);
      break;
    case Audience::soc_analyst:
      report.title =
          (report.source_kind == "session" ? "Investigation report: " : "Incident report: ") +
          title;
      report.sections = analyst_sections(summary);
      break;
    case Audience::it_admin:
      report.title = "Remediation plan: " + title;
      report.sections = admin_sections(summary);
      break;
  }
  report.markdown = "# " + md::text(report.title) + "\n";
  for (const auto& section : report.sections)
    report.markdown += "\n## " + section.title + "\n\n" + section.markdown;
  return report;
}

boost::json::object report_json(const Report& report, const Summary& summary) {
  boost::json::array sections;
  for (const auto& section : report.sections)
    sections.push_back(
        {{"id", section.id}, {"title", section.title}, {"markdown", section.markdown}});
  return {{"title", report.title},
          {"audience", audience_name(report.audience)},
          {"source_kind", report.source_kind},
          {"source_shape", summary.incident.shape},
          {"severity", severity_name(summary.incident.severity)},
          {"status", summary.incident.status},
          {"word_count", md::word_count(report.markdown)},
          {"sections", std::move(sections)},
          {"markdown", report.markdown}};
}

std::string short_host_name(std::string_view host) {
  return std::string(host.substr(0, host.find('.')));
}

std::string account_short_name(std::string_view user) {
  if (auto at = user.find('@'); at != std::string_view::npos) user = user.substr(0, at);
  if (auto slash = user.rfind('\\'); slash != std::string_view::npos) user = user.substr(slash + 1);
  return std::string(user);
}

Platform platform_of(std::string_view os) {
  if (icontains(os, "windows")) return Platform::windows;
  if (icontains(os, "mac") || icontains(os, "darwin") || icontains(os, "os x"))
    return Platform::macos;
  if (icontains(os, "linux") || icontains(os, "ubuntu") || icontains(os, "debian") ||
      icontains(os, "red hat") || icontains(os, "rhel"))
    return Platform::gnu_linux;
  return Platform::unknown;
}

}  // namespace incident

// The sections of each audience's report (report_ciso.cpp, report_analyst.cpp, report_admin.cpp).
#pragma once

#include <vector>

#include "incident/report.hpp"

namespace incident {

std::vector<ReportSection> ciso_sections(const Summary& summary);
std::vector<ReportSection> analyst_sections(const Summary& summary);
std::vector<ReportSection> admin_sections(const Summary& summary);

// Helpers the templates share.

// "ws-fin-07" for ws-fin-07.corp.example: the name people say.
std::string short_host_name(std::string_view host);

// "jchen" for jchen@corp.example or CORP\jchen.
std::string account_short_name(std::string_view user);

// (gnu_linux: `linux` is a predefined macro under GNU dialects.)
enum class Platform { windows, macos, gnu_linux, unknown };
Platform platform_of(std::string_view os);

}  // namespace incident

// `secpilot manifest lint FILE...`: every problem as file:line:col: error|warning: what — fix.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "secpilot/manifest/parser.hpp"

namespace secpilot::cli {
namespace {

std::string_view severity_name(manifest::Severity severity) {
  switch (severity) {
    case manifest::Severity::Error:
      return "error";
    case manifest::Severity::Warning:
      return "warning";
    case manifest::Severity::Note:
      return "note";
  }
  return "error";
}

void lint(const GlobalOptions& options, const std::vector<std::string>& files, int& exit_code) {
  std::size_t errors = 0, warnings = 0;
  boost::json::array report;
  for (const auto& file : files) {
    for (const auto& diagnostic : manifest::lint_file(file)) {
      if (diagnostic.severity == manifest::Severity::Error) ++errors;
      if (diagnostic.severity == manifest::Severity::Warning) ++warnings;
      if (options.json)
        report.push_back({{"file", diagnostic.where.file},
                          {"line", diagnostic.where.line},
                          {"column", diagnostic.where.column},
                          {"severity", severity_name(diagnostic.severity)},
                          {"message", diagnostic.message},
                          {"fix", diagnostic.fix}});
      else
        std::cout << manifest::format_diagnostic(diagnostic) << '\n';
    }
  }
  if (options.json)
    print_json(report);
  else
    std::cerr << files.size() << " file(s): " << errors << " error(s), " << warnings
              << " warning(s)\n";
  exit_code = errors ? kFailed : kOk;
}

}  // namespace

void add_manifest_commands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();  // kept alive by the callback
  auto* manifest = app.add_subcommand("manifest", "Check plugin manifests");
  manifest->require_subcommand(1);
  auto* lint_command = manifest->add_subcommand(
      "lint", "Report every problem in the manifests; exit 0 when clean, 1 on errors");
  lint_command->add_option("FILE", *files, "Manifest files (.yaml, .yml, .json)")
      ->required()
      ->check(CLI::ExistingFile);
  lint_command->callback([&options, &exit_code, files] { lint(options, *files, exit_code); });
}

}  // namespace secpilot::cli

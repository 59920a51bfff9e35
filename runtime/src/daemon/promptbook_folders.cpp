#include "daemon/promptbook_folders.hpp"

#include <spdlog/spdlog.h>

#include "secpilot/util/executable.hpp"

namespace secpilot::daemon {

std::vector<std::filesystem::path> promptbook_folders(const config::DaemonConfig& config) {
  if (config.promptbook_dirs) return *config.promptbook_dirs;
  const auto here = executable_dir();
  if (here.empty()) return {};
  std::error_code error;
  // The same places `secpilot promptbook` looks: the build tree, then an installation.
  for (const char* relative : {"../promptbooks", "../share/secpilot/promptbooks"})
    if (const auto folder = (here / relative).lexically_normal();
        std::filesystem::is_directory(folder, error))
      return {folder};
  return {};
}

std::shared_ptr<const promptbook::Registry> load_promptbooks(
    const std::vector<std::filesystem::path>& folders, const skills::Catalog& catalog) {
  auto registry = std::make_shared<const promptbook::Registry>(folders, &catalog);
  std::size_t broken = 0;
  for (const auto& file : registry->files())
    if (file.broken()) ++broken;
  if (broken > 0)
    spdlog::warn("promptbooks: {} loaded, {} broken (GET /v1/promptbooks says why)",
                 registry->list().size(), broken);
  else
    spdlog::info("promptbooks: {} loaded", registry->list().size());
  return registry;
}

}  // namespace secpilot::daemon

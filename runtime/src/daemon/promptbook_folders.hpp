// Where the daemon finds promptbooks, and loading them against the plugins it has.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "secpilot/config/daemon_config.hpp"
#include "secpilot/promptbook/registry.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::daemon {

// promptbook_dirs as configured or, when the config says nothing, the promptbooks folder of the
// build or installation beside the executable (<bin>/../promptbooks, else
// <bin>/../share/secpilot/promptbooks), when there is one.
std::vector<std::filesystem::path> promptbook_folders(const config::DaemonConfig& config);

// The promptbooks of `folders`, their direct calls linted against `catalog`; logs how many loaded
// and how many are broken (each broken file is logged by the registry with its reason).
std::shared_ptr<const promptbook::Registry> load_promptbooks(
    const std::vector<std::filesystem::path>& folders, const skills::Catalog& catalog);

}  // namespace secpilot::daemon

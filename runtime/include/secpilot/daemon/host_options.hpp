// How the daemon's config becomes a plugin host's options: plugin folders, settings and secrets
// (those owners set through the API override the file's), HTTP, result limits, the model for GPT
// skills. Shared by the daemon and `secpilotd --mcp-stdio`, so both load the same plugins the
// same way.
#pragma once

#include <memory>

#include "secpilot/config/daemon_config.hpp"
#include "secpilot/model/chat.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/store/store.hpp"

namespace secpilot::daemon {

// `store` and `model` may be null: settings from the config only; GPT skills unavailable.
plugin::HostOptions host_options(const config::DaemonConfig& config,
                                 std::shared_ptr<store::Store> store,
                                 std::shared_ptr<const model::ChatModel> model);

}  // namespace secpilot::daemon

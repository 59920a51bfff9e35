// JSON views of plugins and skills, shared by the command line and the API so both say the same.
// Secrets are never included: only whether each setting has a value.
#pragma once

#include <boost/json/object.hpp>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::plugin {

// Summary (list views) or full detail (show views).
boost::json::object describe_plugin(const PluginRecord& record, const skills::Catalog& catalog,
                                    bool detailed);
boost::json::object describe_skill(const skills::SkillEntry& entry, bool detailed);

}  // namespace secpilot::plugin

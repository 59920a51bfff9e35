// The skill catalog promptbook lint tests check direct calls against: the skills of
// tests/promptbook/catalog/intel.yaml (Intel.Lookup, Intel.Connections, Intel.Query, and
// Intel.Write, which cannot run here), read without loading anything.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "secpilot/manifest/parser.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::testing {

inline skills::Catalog promptbook_test_catalog() {
  const auto path = std::filesystem::path(SECPILOT_SOURCE_DIR) / "tests" / "promptbook" /
                    "catalog" / "intel.yaml";
  auto parsed = manifest::parse_manifest_file(path);
  EXPECT_TRUE(parsed.manifest) << path;
  skills::Catalog catalog;
  if (!parsed.manifest) return catalog;
  auto shared = std::make_shared<const manifest::Manifest>(std::move(*parsed.manifest));
  for (const auto& group : shared->groups) {
    for (const auto& skill : group.skills) {
      skills::SkillEntry entry;
      entry.plugin = shared->descriptor.name;
      entry.name = skill.name;
      entry.full_name = entry.plugin + "." + skill.name;
      entry.manifest = shared;
      entry.spec = &skill;
      entry.format = group.format;
      entry.unavailable_reason = manifest::not_executable_reason(group.format);
      EXPECT_TRUE(catalog.add(std::move(entry)));
    }
  }
  return catalog;
}

}  // namespace secpilot::testing

// Shared by the core tests: reading test data, parsing policy sets, and finding a finding.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "policy/analysis.hpp"
#include "policy/parse.hpp"

namespace policy::testing {

inline std::string data(const std::string& file) {
  std::ifstream in(std::string(POLICY_TEST_DATA) + "/" + file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses `text`, failing the test with the error message if it does not parse.
inline std::vector<Policy> parse(const std::string& text, Directory& directory) {
  auto set = parse_policies(text, directory);
  EXPECT_TRUE(set.ok()) << set.error().message;
  return set.ok() ? set.value().policies : std::vector<Policy>{};
}

// The corp.example tenant with its names, analysed.
inline Analysis corp_analysis(Directory& directory, const Options& options = {}) {
  EXPECT_TRUE(parse_names(data("corp-example-names.json"), directory).ok());
  return analyze(parse(data("corp-example-entra.json"), directory), std::nullopt, directory,
                 options);
}

// Policies in the generic shape, analysed.
inline Analysis analyze_generic(const std::string& policies_json, const Options& options = {}) {
  Directory directory;
  return analyze(parse(policies_json, directory), std::nullopt, directory, options);
}

inline const Finding* find_rule(const std::vector<Finding>& findings, const std::string& rule) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [&](const Finding& f) { return f.rule == rule; });
  return it == findings.end() ? nullptr : &*it;
}

inline size_t count_rule(const std::vector<Finding>& findings, const std::string& rule) {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [&](const Finding& f) { return f.rule == rule; }));
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Everything a finding says, for messages.
inline std::string dump(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings)
    out += f.id + " [" + std::string(severity_name(f.severity)) + "] " + f.title + "\n  " +
           f.explanation + "\n";
  return out;
}

}  // namespace policy::testing

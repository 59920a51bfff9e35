// MITRE ATT&CK techniques this plugin reports, by id, with their names as ATT&CK writes them.
#pragma once

#include <string_view>

#include "script_analysis/language.hpp"

namespace script_analysis {

// The technique's name ("Ingress Tool Transfer"), or "" for an id not in the table.
std::string_view attack_technique_name(std::string_view id) noexcept;

// Command and Scripting Interpreter for the language: T1059.001 (PowerShell), .003 (Windows
// Command Shell), .004 (Unix Shell), .005 (Visual Basic), .007 (JavaScript), else T1059.
std::string_view interpreter_technique(Language language) noexcept;

}  // namespace script_analysis

// MITRE ATT&CK (Enterprise) techniques and tactics: names, the tactic each technique serves, and
// how a tactic reads to someone who does not know ATT&CK.
#pragma once

#include <string>
#include <string_view>

namespace incident {

struct TechniqueInfo {
  std::string_view name;    // "" when the id is not in the table
  std::string_view tactic;  // canonical tactic name, "" when unknown
};

// "T1059.001" from "t1059.001", " T1059.001 ", "T1059.001 - PowerShell"; "" when the text does
// not start with a technique id (T + 4 digits, optionally . + 3 digits).
std::string normalize_technique_id(std::string_view text);

// The technique's name and tactic. A sub-technique missing from the table gets its parent's
// tactic and no name.
TechniqueInfo lookup_technique(std::string_view id) noexcept;

// The canonical tactic name ("Command and Control") for any spelling the products use
// ("CommandAndControl", "command-and-control", "TA0011"); "" when `text` is no tactic.
std::string_view canonical_tactic(std::string_view text);

// Position in the ATT&CK kill chain (Reconnaissance first, Impact last); 99 for "".
int tactic_order(std::string_view canonical) noexcept;

// What the tactic means in plain words, as a verb phrase: "ran unauthorised programs".
std::string_view tactic_in_plain_words(std::string_view canonical) noexcept;

}  // namespace incident

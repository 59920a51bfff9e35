#include "script_analysis/attack.hpp"

#include <utility>

namespace script_analysis {
namespace {

constexpr std::pair<std::string_view, std::string_view> kTechniques[] = {
    {"T1003.001", "OS Credential Dumping: LSASS Memory"},
    {"T1003.002", "OS Credential Dumping: Security Account Manager"},
    {"T1003.003", "OS Credential Dumping: NTDS"},
    {"T1003.008", "OS Credential Dumping: /etc/passwd and /etc/shadow"},
    {"T1021.002", "Remote Services: SMB/Windows Admin Shares"},
    {"T1021.004", "Remote Services: SSH"},
    {"T1021.006", "Remote Services: Windows Remote Management"},
    {"T1027", "Obfuscated Files or Information"},
    {"T1027.010", "Obfuscated Files or Information: Command Obfuscation"},
    {"T1033", "System Owner/User Discovery"},
    {"T1047", "Windows Management Instrumentation"},
    {"T1053.003", "Scheduled Task/Job: Cron"},
    {"T1053.005", "Scheduled Task/Job: Scheduled Task"},
    {"T1055", "Process Injection"},
    {"T1056.001", "Input Capture: Keylogging"},
    {"T1059", "Command and Scripting Interpreter"},
    {"T1059.001", "Command and Scripting Interpreter: PowerShell"},
    {"T1059.003", "Command and Scripting Interpreter: Windows Command Shell"},
    {"T1059.004", "Command and Scripting Interpreter: Unix Shell"},
    {"T1059.005", "Command and Scripting Interpreter: Visual Basic"},
    {"T1059.007", "Command and Scripting Interpreter: JavaScript"},
    {"T1070.001", "Indicator Removal: Clear Windows Event Logs"},
    {"T1070.003", "Indicator Removal: Clear Command History"},
    {"T1082", "System Information Discovery"},
    {"T1087", "Account Discovery"},
    {"T1095", "Non-Application Layer Protocol"},
    {"T1098", "Account Manipulation"},
    {"T1098.004", "Account Manipulation: SSH Authorized Keys"},
    {"T1105", "Ingress Tool Transfer"},
    {"T1127.001", "Trusted Developer Utilities Proxy Execution: MSBuild"},
    {"T1136.001", "Create Account: Local Account"},
    {"T1140", "Deobfuscate/Decode Files or Information"},
    {"T1197", "BITS Jobs"},
    {"T1218.003", "System Binary Proxy Execution: CMSTP"},
    {"T1218.004", "System Binary Proxy Execution: InstallUtil"},
    {"T1218.005", "System Binary Proxy Execution: Mshta"},
    {"T1218.007", "System Binary Proxy Execution: Msiexec"},
    {"T1218.008", "System Binary Proxy Execution: Odbcconf"},
    {"T1218.009", "System Binary Proxy Execution: Regsvcs/Regasm"},
    {"T1218.010", "System Binary Proxy Execution: Regsvr32"},
    {"T1218.011", "System Binary Proxy Execution: Rundll32"},
    {"T1222.002",
     "File and Directory Permissions Modification: Linux and Mac File and Directory "
     "Permissions Modification"},
    {"T1482", "Domain Trust Discovery"},
    {"T1490", "Inhibit System Recovery"},
    {"T1496", "Resource Hijacking"},
    {"T1543.002", "Create or Modify System Process: Systemd Service"},
    {"T1543.003", "Create or Modify System Process: Windows Service"},
    {"T1546.003",
     "Event Triggered Execution: Windows Management Instrumentation Event Subscription"},
    {"T1546.004", "Event Triggered Execution: Unix Shell Configuration Modification"},
    {"T1547.001", "Boot or Logon Autostart Execution: Registry Run Keys / Startup Folder"},
    {"T1548.002", "Abuse Elevation Control Mechanism: Bypass User Account Control"},
    {"T1562.001", "Impair Defenses: Disable or Modify Tools"},
    {"T1562.004", "Impair Defenses: Disable or Modify System Firewall"},
    {"T1564.001", "Hide Artifacts: Hidden Files and Directories"},
    {"T1564.003", "Hide Artifacts: Hidden Window"},
    {"T1569.002", "System Services: Service Execution"},
    {"T1620", "Reflective Code Loading"},
};

}  // namespace

std::string_view attack_technique_name(std::string_view id) noexcept {
  for (const auto& [known, name] : kTechniques)
    if (known == id) return name;
  return {};
}

std::string_view interpreter_technique(Language language) noexcept {
  switch (language) {
    case Language::PowerShell:
      return "T1059.001";
    case Language::Batch:
      return "T1059.003";
    case Language::Shell:
      return "T1059.004";
    case Language::VBScript:
      return "T1059.005";
    case Language::JavaScript:
      return "T1059.007";
    case Language::Unknown:
      break;
  }
  return "T1059";
}

}  // namespace script_analysis

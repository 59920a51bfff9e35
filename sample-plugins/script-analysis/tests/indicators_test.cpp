// Indicators in scripts: what counts, what is code that merely looks dotted, defanged forms, and
// the layer each indicator came from.
#include <gtest/gtest.h>

#include "script_analysis/indicators.hpp"

namespace script_analysis {
namespace {

std::vector<std::string> listed(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& indicator : extract_indicators(text))
    out.push_back(std::string(indicator_type_name(indicator.type)) + " " + indicator.value);
  return out;
}

using Strings = std::vector<std::string>;

TEST(Indicators, UrlsAddressesDomainsAndEmails) {
  EXPECT_EQ(listed("iwr 'HTTP://Dl.Example.COM/Path/A.ps1?x=1' ; ping 198.51.100.4 ; "
                   "nslookup cdn.example.net ; mail admin@Corp.Example.org"),
            (Strings{"url http://dl.example.com/Path/A.ps1?x=1", "ipv4 198.51.100.4",
                     "domain cdn.example.net", "email admin@corp.example.org"}));
}

TEST(Indicators, TheHostOfAUrlIsNotListedAgain) {
  EXPECT_EQ(listed("curl http://evil.example.com/x"), (Strings{"url http://evil.example.com/x"}));
}

TEST(Indicators, CodeThatOnlyLooksDotted) {
  EXPECT_TRUE(listed("[System.Net.WebClient]; $wc.DownloadString($u); [System.IO.File]::Exists("
                     "'setup.exe'); Microsoft.PowerShell; document.write(x); Version=4.0.0.0")
                  .empty());
}

TEST(Indicators, DefangedFormsAreRefangedAndMarked) {
  auto found = extract_indicators("C2 hxxps://bad[.]example[.]com/a and 203.0.113[.]5");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].value, "https://bad.example.com/a");
  EXPECT_TRUE(found[0].defanged);
  EXPECT_EQ(found[1].value, "203.0.113.5");
  EXPECT_TRUE(found[1].defanged);
}

TEST(Indicators, HashesNeedBothLettersAndDigits) {
  EXPECT_EQ(listed("md5 d41d8cd98f00b204e9800998ecf8427e sha1 "
                   "da39a3ee5e6b4b0d3255bfef95601890afd80709 "
                   "sha256 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 "
                   "00000000000000000000000000000000"),
            (Strings{"md5 d41d8cd98f00b204e9800998ecf8427e",
                     "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
                     "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}));
}

TEST(Indicators, FilePathsOfEveryForm) {
  EXPECT_EQ(
      listed("copy x C:\\Users\\Public\\a.exe; %APPDATA%\\svc\\b.dll; "
             "$env:TEMP\\c.ps1; \\\\fileserver.corp.example.com\\share\\d.exe; "
             "\"C:\\Program Files\\App\\e.exe\"; /tmp/.x; ~/.ssh/authorized_keys"),
      (Strings{"file_path C:\\Users\\Public\\a.exe", "file_path %APPDATA%\\svc\\b.dll",
               "file_path $env:TEMP\\c.ps1",
               "file_path \\\\fileserver.corp.example.com\\share\\d.exe",
               "domain fileserver.corp.example.com", "file_path C:\\Program Files\\App\\e.exe",
               "file_path /tmp/.x", "file_path ~/.ssh/authorized_keys"}));
}

TEST(Indicators, EscapedBackslashesMeanOne) {
  EXPECT_EQ(listed("\"C:\\\\Users\\\\Public\\\\p.exe\""),
            (Strings{"file_path C:\\Users\\Public\\p.exe"}));
}

TEST(Indicators, RegistryKeys) {
  EXPECT_EQ(listed("reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x; "
                   "Set-ItemProperty 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows Defender' x; "
                   "Registry::HKEY_CURRENT_USER\\Environment"),
            (Strings{"registry_key HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                     "registry_key HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows Defender",
                     "registry_key Registry::HKEY_CURRENT_USER\\Environment"}));
}

TEST(Indicators, NoiseIsLeftOut) {
  EXPECT_TRUE(listed("#!/bin/bash\nls > /dev/null; 0.0.0.0; a.b").empty());
}

TEST(IndicatorCollector, RemembersTheFirstLayerAndEveryLayer) {
  IndicatorCollector collector;
  collector.scan("echo start", 0);
  collector.scan("iwr http://192.0.2.8/a", 1);
  collector.scan("iwr http://192.0.2.8/a; ping 192.0.2.9", 2);
  const auto& found = collector.indicators();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].value, "http://192.0.2.8/a");
  EXPECT_EQ(found[0].layer, 1u);
  EXPECT_EQ(found[0].layers, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(found[1].layer, 2u);
}

TEST(IndicatorCollector, StopsAtItsBound) {
  IndicatorCollector collector(3);
  collector.scan("192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5", 0);
  EXPECT_EQ(collector.indicators().size(), 3u);
  EXPECT_TRUE(collector.truncated());
}

}  // namespace
}  // namespace script_analysis

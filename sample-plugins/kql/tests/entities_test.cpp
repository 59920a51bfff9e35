// What GenerateKql reads out of a request: indicators, names, counts and time windows.
#include <gtest/gtest.h>

#include "generate/request.hpp"

namespace kql_skills {
namespace {

using Strings = std::vector<std::string>;

TEST(Entities, NetworkIndicatorsIncludingDefangedOnes) {
  const Request r = read_request(
      "Did 198.51.100[.]7, 2001:db8::1 or 10.0.0.0/8 talk to evil[.]example.com or "
      "hxxps://bad.example/path?q=1 ?");
  EXPECT_EQ(r.entities.ips, (Strings{"198.51.100.7", "2001:db8::1"}));
  EXPECT_EQ(r.entities.cidrs, (Strings{"10.0.0.0/8"}));
  EXPECT_EQ(r.entities.domains, (Strings{"evil.example.com"}));
  EXPECT_EQ(r.entities.urls, (Strings{"https://bad.example/path?q=1"}));
}

TEST(Entities, NotEverythingWithDotsIsAnAddress) {
  const Request r = read_request("check 999.1.1.1 and 10:30 and e.g. version 1.2.3");
  EXPECT_TRUE(r.entities.ips.empty());
  EXPECT_TRUE(r.entities.domains.empty());
}

TEST(Entities, HashesByLength) {
  const Request r = read_request(
      "hashes 44D88612FEA8A8F36DE82E1278ABB02F 3395856ce81f2b7382dee72602f798b642f14140 "
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 and deadbeef");
  EXPECT_EQ(r.entities.md5s, (Strings{"44d88612fea8a8f36de82e1278abb02f"}));
  EXPECT_EQ(r.entities.sha1s, (Strings{"3395856ce81f2b7382dee72602f798b642f14140"}));
  EXPECT_EQ(r.entities.sha256s,
            (Strings{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}));
}

TEST(Entities, AccountsAndMailboxes) {
  const Request r = read_request(
      "sign-ins of Alice@Contoso.com, account CONTOSO\\svc-backup and user jdoe (not the user "
      "accounts)");
  EXPECT_EQ(r.entities.emails, (Strings{"alice@contoso.com"}));
  EXPECT_EQ(r.entities.users, (Strings{"CONTOSO\\svc-backup", "jdoe"}));
}

TEST(Entities, AccountsAfterByOrFor) {
  const Request r =
      read_request("processes run by alice.smith or for svc_backup, DNS for evil.com");
  EXPECT_EQ(r.entities.users, (Strings{"alice.smith", "svc_backup"}));
  EXPECT_EQ(r.entities.domains, (Strings{"evil.com"}));
  EXPECT_TRUE(read_request("count connections by process").entities.users.empty());
}

TEST(Entities, HostsByShapeOrByTheWordBeforeThem) {
  const Request r = read_request(
      "processes on WS-042 and DC01, on host lisa-pc, device ws-7.contoso.com, on FILESRV, "
      "not on Monday nor SHA256 or T1059 or Win10");
  EXPECT_EQ(r.entities.hosts,
            (Strings{"WS-042", "DC01", "lisa-pc", "ws-7.contoso.com", "FILESRV"}));
}

TEST(Entities, ProcessesFilesAndCounts) {
  const Request r = read_request("top 15 uses of PowerShell.exe writing invoice.docm or run.ps1");
  EXPECT_EQ(r.entities.processes, (Strings{"powershell.exe"}));
  EXPECT_EQ(r.entities.files, (Strings{"invoice.docm", "run.ps1"}));
  EXPECT_EQ(r.entities.count, 15);
}

TEST(Entities, TimeWindows) {
  struct Case {
    const char* text;
    const char* lower;
    const char* upper;
    const char* phrase;
  };
  for (const auto& c : std::vector<Case>{
           {"in the last 24 hours", "ago(24h)", "", "the last 24 hours"},
           {"past 7 days", "ago(7d)", "", "the last 7 days"},
           {"over the last hour", "ago(1h)", "", "the last hour"},
           {"previous 2 weeks", "ago(14d)", "", "the last 2 weeks"},
           {"last month", "ago(30d)", "", "the last month"},
           {"last 30 minutes", "ago(30m)", "", "the last 30 minutes"},
           {"failures 48h", "ago(48h)", "", "the last 48 hours"},
           {"since yesterday", "startofday(ago(1d))", "", "since the start of yesterday"},
           {"yesterday", "startofday(ago(1d))", "startofday(now())", "yesterday"},
           {"today", "startofday(now())", "", "today"},
           {"this week", "startofweek(now())", "", "this week"},
       }) {
    const Request r = read_request(std::string("failed logons ") + c.text);
    ASSERT_TRUE(r.entities.window.has_value()) << c.text;
    EXPECT_EQ(r.entities.window->lower_kql, c.lower) << c.text;
    EXPECT_EQ(r.entities.window->upper_kql, c.upper) << c.text;
    EXPECT_EQ(r.entities.window->phrase, c.phrase) << c.text;
  }
  EXPECT_FALSE(read_request("the last one standing").entities.window.has_value());
  EXPECT_FALSE(read_request("failed logons").entities.window.has_value());
}

TEST(Entities, WordMatchingIsWholeWord) {
  const Request r = read_request("Show the Failed Sign-ins");
  EXPECT_TRUE(r.has("failed"));
  EXPECT_TRUE(r.has("sign-ins"));
  EXPECT_FALSE(r.has("sign-in"));  // followed by "s": not the whole word
  EXPECT_FALSE(r.has("fail"));
}

}  // namespace
}  // namespace kql_skills

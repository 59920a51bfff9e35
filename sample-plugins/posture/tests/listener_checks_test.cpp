// Listening sockets from /proc/net and the risky-service check.
#include "posture/listener_checks.hpp"

#include <gtest/gtest.h>

#include "posture/proc_net.hpp"
#include "test_trees.hpp"

namespace posture {
namespace {

using testing::data_tree;
using testing::evidence_text;
using testing::has_evidence;
using testing::StagedTree;

TEST(ProcNet, DecodesAddressesPortsAndStates) {
  std::vector<Evidence> problems;
  const auto tcp = parse_proc_net(
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n"
      "   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
      "0 1060 1 0000000000000000 100 0 0 10 0\n"
      "   1: 0A0200C0:0016 2D7100CB:C350 01 00000000:00000000 00:00000000 00000000     0        "
      "0 1061 1 0000000000000000 100 0 0 10 0\n",
      "/proc/net/tcp", "tcp", false, problems);
  ASSERT_EQ(tcp.size(), 1u) << "only the LISTEN socket";
  EXPECT_EQ(tcp[0].address, "127.0.0.1");
  EXPECT_EQ(tcp[0].port, 631);
  EXPECT_EQ(tcp[0].exposure, "loopback");
  EXPECT_EQ(tcp[0].line, 2);
  EXPECT_TRUE(problems.empty());
}

TEST(ProcNet, DecodesIpv6IncludingMappedLoopback) {
  const ListenerScan scan = scan_listeners(RootFs(data_tree("edge")));
  std::vector<std::string> seen;
  for (const auto& listener : scan.listeners)
    seen.push_back(listener.protocol + " " + listener.address + " " +
                   std::to_string(listener.port) + " " + listener.exposure);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "tcp ::ffff:127.0.0.1 23 loopback", "tcp 192.0.2.10 3306 address",
                      "tcp :: 3306 all", "tcp 127.0.0.1 6379 loopback", "tcp ::1 11211 loopback"}));
  EXPECT_EQ(scan.problems.size(), 2u) << "the garbage line and the bad address";
}

TEST(RiskyListeners, AHardenedHostExposesOnlySsh) {
  const CheckResult check = check_listeners(scan_listeners(RootFs(data_tree("hardened"))));
  EXPECT_EQ(check.status, Status::pass) << check.detail;
  EXPECT_EQ(check.detail,
            "5 listening socket(s), 2 beyond loopback, none of them a known risky service");
}

TEST(RiskyListeners, AWeakHostListsEveryRiskyServiceWithItsLine) {
  const CheckResult check = check_listeners(scan_listeners(RootFs(data_tree("weak"))));
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_EQ(check.severity, Severity::critical) << "telnet";
  EXPECT_TRUE(has_evidence(check, "/proc/net/tcp", 3)) << evidence_text(check);  // telnet
  for (const char* service : {"telnet", "mysql", "redis", "smb", "rpcbind"})
    EXPECT_NE(check.detail.find(service), std::string::npos) << service << ": " << check.detail;
  EXPECT_EQ(check.detail.find("memcached"), std::string::npos) << "loopback only";
  EXPECT_NE(evidence_text(check).find("tcp [::]:445 (smb)"), std::string::npos)
      << evidence_text(check);
}

TEST(RiskyListeners, OneAddressIsStillExposedButLoopbackIsNot) {
  const CheckResult check = check_listeners(scan_listeners(RootFs(data_tree("edge"))));
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_NE(check.detail.find("mysql on tcp 192.0.2.10:3306"), std::string::npos) << check.detail;
  EXPECT_EQ(check.detail.find("telnet"), std::string::npos) << check.detail;
}

TEST(RiskyListeners, NotApplicableWithoutSocketTables) {
  StagedTree tree;
  EXPECT_EQ(check_listeners(scan_listeners(RootFs(tree.root()))).status, Status::not_applicable);
}

}  // namespace
}  // namespace posture

// Loading a feed folder (with and without feeds.json), reporting problems, and reloading when
// files change. File times are set explicitly, so nothing here sleeps.
#include <thread>

#include <gtest/gtest.h>

#include "temp_dir.hpp"
#include "threat_intel/feed_store.hpp"
#include "threat_intel/reputation.hpp"

namespace threat_intel {
namespace {

using testing::TempDir;

Verdict verdict_of(const Snapshot& snapshot, std::string_view text) {
  auto classified = classify_indicator(text);
  EXPECT_TRUE(classified.indicator) << classified.error;
  return assess(snapshot.index, *classified.indicator).verdict;
}

FeedStore::Options no_throttle() {
  FeedStore::Options options;
  options.check_interval = std::chrono::milliseconds(0);
  return options;
}

TEST(FeedStore, LoadsUnlistedFilesByDetection) {
  TempDir dir;
  dir.write("blocklist.txt", "198.51.100.7\n");
  dir.write("drop.txt", "; drop\n203.0.113.0/24 ; SBL1\n");
  dir.write("notes.md", "198.51.100.99\n");  // not a feed extension
  dir.write(".hidden.txt", "198.51.100.98\n");
  auto snapshot = load_snapshot(dir.path());
  ASSERT_EQ(snapshot->index.feeds().size(), 2u);
  EXPECT_EQ(snapshot->index.feeds()[0].status.name, "blocklist");
  EXPECT_EQ(snapshot->index.feeds()[0].status.format, FeedFormat::Plain);
  EXPECT_EQ(snapshot->index.feeds()[1].status.format, FeedFormat::Cidr);
  EXPECT_EQ(verdict_of(*snapshot, "198.51.100.7"), Verdict::Suspicious);
  EXPECT_EQ(verdict_of(*snapshot, "203.0.113.77"), Verdict::Malicious);
  EXPECT_EQ(verdict_of(*snapshot, "198.51.100.99"), Verdict::Unknown);
  EXPECT_EQ(verdict_of(*snapshot, "198.51.100.98"), Verdict::Unknown);
  EXPECT_TRUE(snapshot->problems.empty());
  EXPECT_FALSE(snapshot->loaded_at.empty());
}

TEST(FeedStore, FeedIndexNamesAndConfiguresFeeds) {
  TempDir dir;
  dir.write("feeds.json", R"({
    // comments are fine
    "feeds": [
      {"name": "mine", "file": "a.txt", "format": "plain", "verdict": "malicious",
       "confidence": 95, "tags": ["local"]},
      {"name": "sub", "file": "more/b.list"},
      {"name": "off", "file": "c.txt", "enabled": false},
    ],
    "auto_detect_unlisted": false,
  })");
  dir.write("a.txt", "evil.example\n");
  dir.write("more/b.list", "bad.example\n");
  dir.write("c.txt", "off.example\n");
  dir.write("unlisted.txt", "unlisted.example\n");
  auto snapshot = load_snapshot(dir.path());
  EXPECT_TRUE(snapshot->problems.empty()) << snapshot->problems.front();
  ASSERT_EQ(snapshot->index.feeds().size(), 2u);
  const auto& mine = snapshot->index.feeds()[0].status;
  EXPECT_EQ(mine.name, "mine");
  EXPECT_EQ(mine.verdict, Verdict::Malicious);
  EXPECT_EQ(mine.confidence, 95);
  auto classified = classify_indicator("www.evil.example");
  auto result = assess(snapshot->index, *classified.indicator);
  EXPECT_EQ(result.verdict, Verdict::Malicious);
  EXPECT_EQ(result.tags, (std::vector<std::string_view>{"local"}));
  EXPECT_EQ(verdict_of(*snapshot, "bad.example"), Verdict::Suspicious);
  EXPECT_EQ(verdict_of(*snapshot, "off.example"), Verdict::Unknown);
  EXPECT_EQ(verdict_of(*snapshot, "unlisted.example"), Verdict::Unknown);
  // A feed in a subfolder is watched for changes too.
  ASSERT_EQ(snapshot->watched.size(), 1u);
}

TEST(FeedStore, ReportsIndexProblemsAndKeepsGoing) {
  TempDir dir;
  dir.write("feeds.json", R"({"feeds": [
      {"name": "a", "file": "a.txt", "format": "stix", "confidence": 300, "colour": "red"},
      {"name": "gone", "file": "missing.txt"},
      {"name": "a", "file": "b.txt"},
      {"format": "plain"}
    ], "extra": 1})");
  dir.write("a.txt", "evil.example\n");
  dir.write("b.txt", "worse.example\n");
  auto snapshot = load_snapshot(dir.path());
  std::string all;
  for (const auto& problem : snapshot->problems)
    all += problem + "\n";
  EXPECT_NE(all.find("unknown format \"stix\""), std::string::npos) << all;
  EXPECT_NE(all.find("\"confidence\" must be an integer from 0 to 100"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown key \"colour\""), std::string::npos) << all;
  EXPECT_NE(all.find("\"extra\""), std::string::npos) << all;
  EXPECT_NE(all.find("feeds[3]: \"file\" is required"), std::string::npos) << all;
  EXPECT_NE(all.find("two feeds are named \"a\""), std::string::npos) << all;
  ASSERT_EQ(snapshot->index.feeds().size(), 3u);
  EXPECT_FALSE(snapshot->index.feeds()[1].status.error.empty());
  EXPECT_EQ(snapshot->feeds_loaded(), 2u);
  EXPECT_EQ(verdict_of(*snapshot, "evil.example"), Verdict::Suspicious);
  EXPECT_EQ(verdict_of(*snapshot, "worse.example"), Verdict::Suspicious);
}

TEST(FeedStore, MalformedIndexFallsBackToDetection) {
  TempDir dir;
  dir.write("feeds.json", "{\n  \"feeds\": [\n    {\"file\": \"a.txt\",,}\n  ]\n}\n");
  dir.write("a.txt", "evil.example\n");
  auto snapshot = load_snapshot(dir.path());
  ASSERT_EQ(snapshot->problems.size(), 1u);
  EXPECT_EQ(snapshot->problems[0].rfind("feeds.json:3:", 0), 0u) << snapshot->problems[0];
  EXPECT_EQ(verdict_of(*snapshot, "evil.example"), Verdict::Suspicious);
}

TEST(FeedStore, MissingFolderIsAProblemNotACrash) {
  auto snapshot = load_snapshot("/nonexistent/threat-intel-feeds");
  ASSERT_EQ(snapshot->problems.size(), 1u);
  EXPECT_NE(snapshot->problems[0].find("does not exist"), std::string::npos);
  EXPECT_EQ(snapshot->feeds_loaded(), 0u);
}

TEST(FeedStore, MalformedLinesAreCountedPerFeed) {
  TempDir dir;
  dir.write("a.txt", "evil.example\n!!!\n???\nok.example\n");
  auto snapshot = load_snapshot(dir.path());
  EXPECT_EQ(snapshot->skipped_lines(), 2u);
  const auto& status = snapshot->index.feeds()[0].status;
  EXPECT_EQ(status.entries, 2u);
  ASSERT_EQ(status.problems.size(), 2u);
  EXPECT_EQ(status.problems[0].rfind("line 2:", 0), 0u);
}

TEST(FeedStore, ReloadsWhenAFileChanges) {
  TempDir dir;
  dir.write("a.txt", "evil.example\n");
  FeedStore store(dir.path(), no_throttle());
  auto first = store.acquire();
  EXPECT_FALSE(first.reloaded);
  EXPECT_EQ(verdict_of(*first.snapshot, "new.example"), Verdict::Unknown);

  dir.write("a.txt", "evil.example\nnew.example\n");  // explicitly newer mtime
  auto second = store.acquire();
  EXPECT_TRUE(second.reloaded);
  EXPECT_EQ(verdict_of(*second.snapshot, "new.example"), Verdict::Suspicious);
  // The old snapshot is untouched: a call that still holds it sees consistent data.
  EXPECT_EQ(verdict_of(*first.snapshot, "new.example"), Verdict::Unknown);

  auto third = store.acquire();  // nothing changed
  EXPECT_FALSE(third.reloaded);
  EXPECT_EQ(third.snapshot, second.snapshot);
}

TEST(FeedStore, ReloadsOnSameSizeRewriteWithNewerTime) {
  TempDir dir;
  dir.write("a.txt", "aaa.example\n");
  FeedStore store(dir.path(), no_throttle());
  dir.write("a.txt", "bbb.example\n");  // same size, newer mtime
  auto after = store.acquire();
  EXPECT_TRUE(after.reloaded);
  EXPECT_EQ(verdict_of(*after.snapshot, "bbb.example"), Verdict::Suspicious);
  EXPECT_EQ(verdict_of(*after.snapshot, "aaa.example"), Verdict::Unknown);
}

TEST(FeedStore, ReloadsWhenFilesAppearOrDisappear) {
  TempDir dir;
  FeedStore store(dir.path(), no_throttle());
  EXPECT_EQ(store.current()->feeds_loaded(), 0u);
  dir.write("a.txt", "evil.example\n");
  auto added = store.acquire();
  EXPECT_TRUE(added.reloaded);
  EXPECT_EQ(added.snapshot->feeds_loaded(), 1u);
  std::filesystem::remove(dir.path() / "a.txt");
  auto removed = store.acquire();
  EXPECT_TRUE(removed.reloaded);
  EXPECT_EQ(removed.snapshot->feeds_loaded(), 0u);
}

TEST(FeedStore, ReloadsWhenTheIndexOrAWatchedSubfolderFileChanges) {
  TempDir dir;
  dir.write("feeds.json", R"({"feeds": [{"name": "sub", "file": "sub/a.txt"}]})");
  dir.write("sub/a.txt", "evil.example\n");
  FeedStore store(dir.path(), no_throttle());
  dir.write("sub/a.txt", "evil.example\nworse.example\n");
  auto changed = store.acquire();
  EXPECT_TRUE(changed.reloaded);
  EXPECT_EQ(verdict_of(*changed.snapshot, "worse.example"), Verdict::Suspicious);

  dir.write("feeds.json",
            R"({"feeds": [{"name": "sub", "file": "sub/a.txt", "verdict": "malicious"}]})");
  auto reindexed = store.acquire();
  EXPECT_TRUE(reindexed.reloaded);
  EXPECT_EQ(verdict_of(*reindexed.snapshot, "worse.example"), Verdict::Malicious);
}

TEST(FeedStore, ChecksAtMostOncePerInterval) {
  TempDir dir;
  dir.write("a.txt", "evil.example\n");
  FeedStore::Options options;
  options.check_interval = std::chrono::hours(1);
  FeedStore store(dir.path(), options);
  dir.write("a.txt", "evil.example\nnew.example\n");
  auto throttled = store.acquire();  // within the interval: the change is not seen yet
  EXPECT_FALSE(throttled.reloaded);
  EXPECT_EQ(verdict_of(*throttled.snapshot, "new.example"), Verdict::Unknown);
  auto forced = store.refresh();  // ignores the interval
  EXPECT_TRUE(forced.reloaded);
  EXPECT_EQ(verdict_of(*forced.snapshot, "new.example"), Verdict::Suspicious);
}

TEST(FeedStore, ConcurrentLookupsDuringReloads) {
  TempDir dir;
  dir.write("a.txt", "evil.example\n");
  FeedStore store(dir.path(), no_throttle());
  std::atomic<bool> stop{false};
  std::atomic<int> lookups{0}, wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      auto indicator = *classify_indicator("evil.example").indicator;
      while (!stop.load()) {
        auto acquired = store.acquire();
        if (assess(acquired.snapshot->index, indicator).verdict != Verdict::Suspicious) ++wrong;
        ++lookups;
      }
    });
  for (int round = 0; round < 20; ++round)
    dir.write("a.txt", "evil.example\nround" + std::to_string(round) + ".example\n");
  while (lookups.load() < 200)
    std::this_thread::yield();
  stop = true;
  for (auto& reader : readers)
    reader.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(verdict_of(*store.refresh().snapshot, "round19.example"), Verdict::Suspicious);
}

}  // namespace
}  // namespace threat_intel

// The matching structure over every loaded feed. Built once per snapshot and read-only after, so
// any number of threads may search it without a lock.
//
// IP networks of both families share one 128-bit key space (IPv4 mapped into ::ffff:0:0/96) and
// are kept in one sorted array per prefix length: a lookup masks the address once per prefix
// length present (at most 129) and binary-searches that array, so its cost depends on the number
// of distinct prefix lengths and log(entries), never on a linear scan. Domains, URLs, URL hosts
// and hashes are sorted arrays of views into the entries.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "threat_intel/feed.hpp"
#include "threat_intel/indicator.hpp"

namespace threat_intel {

// How a listed entry relates to the indicator looked up.
enum class MatchKind {
  Exact,                // the indicator itself is listed
  Cidr,                 // an IP inside a listed network
  ParentDomain,         // a listed parent domain (evil.example.com under example.com)
  UrlHost,              // a URL whose host is listed as a domain or IP
  UrlHostCidr,          // a URL whose host IP is inside a listed network
  UrlHostParentDomain,  // a URL whose host has a listed parent domain
  HostOfListedUrl,      // a domain or IP (or another URL on it) that serves a listed URL
};
// "exact", "cidr", "parent_domain", "url_host", "url_host_cidr", "url_host_parent_domain",
// "host_of_listed_url".
std::string_view match_kind_name(MatchKind kind) noexcept;

class IndicatorIndex {
 public:
  struct Hit {
    uint32_t feed = 0;   // index into feeds()
    uint32_t entry = 0;  // index into feeds()[feed].entries
    MatchKind kind = MatchKind::Exact;
  };

  IndicatorIndex() = default;
  explicit IndicatorIndex(std::vector<ParsedFeed> feeds);
  // Holds views into its own entries: moving keeps them valid, copying would not.
  IndicatorIndex(const IndicatorIndex&) = delete;
  IndicatorIndex& operator=(const IndicatorIndex&) = delete;
  IndicatorIndex(IndicatorIndex&&) noexcept = default;
  IndicatorIndex& operator=(IndicatorIndex&&) noexcept = default;

  // Every listed entry the indicator matches, each (feed, entry) once, most specific kind first.
  // At most kMaxHostHits HostOfListedUrl hits per feed (a host can carry thousands of URLs) and
  // kMaxHits in all.
  std::vector<Hit> find(const Indicator& indicator) const;
  static constexpr size_t kMaxHostHits = 5;
  static constexpr size_t kMaxHits = 100;

  const std::vector<ParsedFeed>& feeds() const noexcept { return feeds_; }
  const FeedEntry& entry(const Hit& hit) const { return feeds_[hit.feed].entries[hit.entry]; }
  size_t entry_count() const noexcept { return entry_count_; }

 private:
  struct Ref {
    uint32_t feed;
    uint32_t entry;
  };
  struct NetworkRow {
    U128 network;
    Ref ref;
  };
  using KeyRows = std::vector<std::pair<std::string_view, Ref>>;  // sorted by key

  static void find_key(const KeyRows& rows, std::string_view key, MatchKind kind,
                       std::vector<Hit>& hits);
  void find_ip(const IpAddress& ip, MatchKind exact, MatchKind range, std::vector<Hit>& hits) const;
  void find_domain(std::string_view name, MatchKind exact, MatchKind parent,
                   std::vector<Hit>& hits) const;
  void find_urls_on_host(std::string_view host, std::vector<Hit>& hits) const;

  std::vector<ParsedFeed> feeds_;
  size_t entry_count_ = 0;
  std::array<std::vector<NetworkRow>, 129> networks_;  // by prefix length in the 128-bit space
  std::vector<int> prefix_lengths_;                    // lengths present, longest first
  KeyRows domains_, urls_, url_hosts_, hashes_;
};

}  // namespace threat_intel

#include "threat_intel/indicator_index.hpp"

#include <algorithm>

namespace threat_intel {
namespace {

bool add_hit(std::vector<IndicatorIndex::Hit>& hits, IndicatorIndex::Hit hit) {
  if (hits.size() >= IndicatorIndex::kMaxHits) return false;
  for (const auto& existing : hits)
    if (existing.feed == hit.feed && existing.entry == hit.entry) return true;
  hits.push_back(hit);
  return true;
}

}  // namespace

std::string_view match_kind_name(MatchKind kind) noexcept {
  switch (kind) {
    case MatchKind::Exact:
      return "exact";
    case MatchKind::Cidr:
      return "cidr";
    case MatchKind::ParentDomain:
      return "parent_domain";
    case MatchKind::UrlHost:
      return "url_host";
    case MatchKind::UrlHostCidr:
      return "url_host_cidr";
    case MatchKind::UrlHostParentDomain:
      return "url_host_parent_domain";
    case MatchKind::HostOfListedUrl:
      return "host_of_listed_url";
  }
  return "exact";
}

IndicatorIndex::IndicatorIndex(std::vector<ParsedFeed> feeds) : feeds_(std::move(feeds)) {
  for (uint32_t f = 0; f < feeds_.size(); ++f) {
    const auto& entries = feeds_[f].entries;
    entry_count_ += entries.size();
    for (uint32_t e = 0; e < entries.size(); ++e) {
      const FeedEntry& entry = entries[e];
      Ref ref{f, e};
      switch (entry.type) {
        case IndicatorType::Ipv4:
        case IndicatorType::Ipv6:
          if (entry.network) {
            int bits = entry.network->key_prefix();
            networks_[bits].push_back({entry.network->address.key(), ref});
          }
          break;
        case IndicatorType::Domain:
          domains_.emplace_back(entry.value, ref);
          break;
        case IndicatorType::Url:
          urls_.emplace_back(entry.value, ref);
          if (!entry.url_host.empty()) url_hosts_.emplace_back(entry.url_host, ref);
          break;
        case IndicatorType::Md5:
        case IndicatorType::Sha1:
        case IndicatorType::Sha256:
          for (const auto& hash : entry.hashes)
            hashes_.emplace_back(hash, ref);
          break;
        case IndicatorType::Email:
        case IndicatorType::Cve:
          break;
      }
    }
  }
  // Stable sorts keep feed order among equal keys, so results list feeds in index order.
  auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  for (KeyRows* rows : {&domains_, &urls_, &url_hosts_, &hashes_})
    std::stable_sort(rows->begin(), rows->end(), by_key);
  for (int bits = 128; bits >= 0; --bits) {
    auto& rows = networks_[bits];
    if (rows.empty()) continue;
    std::stable_sort(rows.begin(), rows.end(), [](const NetworkRow& a, const NetworkRow& b) {
      return a.network < b.network;
    });
    prefix_lengths_.push_back(bits);
  }
}

void IndicatorIndex::find_key(const KeyRows& rows, std::string_view key, MatchKind kind,
                              std::vector<Hit>& hits) {
  auto it = std::lower_bound(rows.begin(), rows.end(), key,
                             [](const auto& row, std::string_view k) { return row.first < k; });
  for (; it != rows.end() && it->first == key; ++it)
    if (!add_hit(hits, {it->second.feed, it->second.entry, kind})) return;
}

void IndicatorIndex::find_ip(const IpAddress& ip, MatchKind exact, MatchKind range,
                             std::vector<Hit>& hits) const {
  const U128 key = ip.key();
  for (int bits : prefix_lengths_) {  // longest (most specific) first
    const auto& rows = networks_[bits];
    const U128 network = mask_prefix(key, bits);
    auto it = std::lower_bound(rows.begin(), rows.end(), network,
                               [](const NetworkRow& row, U128 k) { return row.network < k; });
    const bool single = bits == 128;
    for (; it != rows.end() && it->network == network; ++it)
      if (!add_hit(hits, {it->ref.feed, it->ref.entry, single ? exact : range})) return;
  }
}

void IndicatorIndex::find_domain(std::string_view name, MatchKind exact, MatchKind parent,
                                 std::vector<Hit>& hits) const {
  find_key(domains_, name, exact, hits);
  // Parents down to two labels: "a.b.example.com" checks b.example.com and example.com, never
  // the bare TLD.
  std::string_view rest = name;
  while (true) {
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
    if (rest.find('.') == std::string_view::npos) break;
    find_key(domains_, rest, parent, hits);
  }
}

void IndicatorIndex::find_urls_on_host(std::string_view host, std::vector<Hit>& hits) const {
  auto it = std::lower_bound(url_hosts_.begin(), url_hosts_.end(), host,
                             [](const auto& row, std::string_view k) { return row.first < k; });
  std::vector<std::pair<uint32_t, size_t>> per_feed;  // feed -> hits so far
  for (; it != url_hosts_.end() && it->first == host; ++it) {
    auto counter = std::find_if(per_feed.begin(), per_feed.end(),
                                [&](const auto& p) { return p.first == it->second.feed; });
    if (counter == per_feed.end()) counter = per_feed.emplace(per_feed.end(), it->second.feed, 0);
    if (counter->second >= kMaxHostHits) continue;
    size_t before = hits.size();
    if (!add_hit(hits, {it->second.feed, it->second.entry, MatchKind::HostOfListedUrl})) return;
    if (hits.size() > before) ++counter->second;
  }
}

std::vector<IndicatorIndex::Hit> IndicatorIndex::find(const Indicator& indicator) const {
  std::vector<Hit> hits;
  hits.reserve(8);  // a lookup matches a few entries: one allocation instead of one per doubling
  switch (indicator.type) {
    case IndicatorType::Ipv4:
    case IndicatorType::Ipv6:
      if (indicator.ip) {
        find_ip(*indicator.ip, MatchKind::Exact, MatchKind::Cidr, hits);
        find_urls_on_host(indicator.ip->to_string(), hits);
      }
      break;
    case IndicatorType::Domain:
      find_domain(indicator.value, MatchKind::Exact, MatchKind::ParentDomain, hits);
      find_urls_on_host(indicator.value, hits);
      break;
    case IndicatorType::Url:
      find_key(urls_, indicator.value, MatchKind::Exact, hits);
      if (indicator.url) {
        if (indicator.url->host_ip)
          find_ip(*indicator.url->host_ip, MatchKind::UrlHost, MatchKind::UrlHostCidr, hits);
        else
          find_domain(indicator.url->host, MatchKind::UrlHost, MatchKind::UrlHostParentDomain,
                      hits);
        find_urls_on_host(indicator.url->host, hits);
      }
      break;
    case IndicatorType::Md5:
    case IndicatorType::Sha1:
    case IndicatorType::Sha256:
      find_key(hashes_, indicator.value, MatchKind::Exact, hits);
      break;
    case IndicatorType::Email:
    case IndicatorType::Cve:
      break;
  }
  return hits;
}

}  // namespace threat_intel

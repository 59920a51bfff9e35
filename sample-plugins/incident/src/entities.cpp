#include "incident/entities.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "text_util.hpp"

namespace incident {
namespace {

void merge_alerts(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const auto& alert : from)
    add_unique(into, alert);
}

void fill(std::string& into, const std::string& from) {
  if (into.empty()) into = from;
}

// "mrivera" for mrivera@corp.example, CORP\mrivera and mrivera.
std::string account_key(std::string_view name) {
  if (auto at = name.find('@'); at != std::string_view::npos) name = name.substr(0, at);
  if (auto slash = name.rfind('\\'); slash != std::string_view::npos) name = name.substr(slash + 1);
  return to_lower(name);
}

std::string_view domain_part(std::string_view name) {
  if (auto slash = name.find('\\'); slash != std::string_view::npos) return name.substr(0, slash);
  return {};
}

// A UPN names a user more precisely than DOMAIN\account, which beats a bare account.
int user_name_rank(std::string_view name) {
  if (name.find('@') != std::string_view::npos) return 2;
  if (name.find('\\') != std::string_view::npos) return 1;
  return 0;
}

bool same_user(const User& a, const User& b) {
  if (account_key(a.name) != account_key(b.name)) return false;
  const int rank_a = user_name_rank(a.name), rank_b = user_name_rank(b.name);
  if (rank_a == rank_b && rank_a > 0) {
    if (rank_a == 2) return iequals(a.name, b.name);
    return iequals(domain_part(a.name), domain_part(b.name));
  }
  return true;
}

std::string short_host(std::string_view name) {
  return to_lower(name.substr(0, name.find('.')));
}

bool same_host(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  if (short_host(a) != short_host(b)) return false;
  const bool qualified_a = a.find('.') != std::string_view::npos;
  const bool qualified_b = b.find('.') != std::string_view::npos;
  return !(qualified_a && qualified_b) || iequals(a, b);
}

bool same_file(const File& a, const File& b) {
  const std::array<std::pair<const std::string*, const std::string*>, 3> hashes = {
      {{&a.sha256, &b.sha256}, {&a.sha1, &b.sha1}, {&a.md5, &b.md5}}};
  bool compared = false;
  for (const auto& [x, y] : hashes) {
    if (x->empty() || y->empty()) continue;
    if (*x != *y) return false;
    compared = true;
  }
  if (compared) return true;
  // Neither has a hash the other has: the same name in the same place is the same file.
  return !a.name.empty() && iequals(a.name, b.name) && iequals(a.path, b.path);
}

bool same_process(const Process& a, const Process& b) {
  if (a.command_line != b.command_line) return false;
  if (!a.host.empty() && !b.host.empty() && !same_host(a.host, b.host)) return false;
  if (a.time && b.time && *a.time != *b.time) return false;
  return a.pid.empty() || b.pid.empty() || a.pid == b.pid;
}

template <typename T, typename Same, typename Merge>
void merge_or_append(std::vector<T>& items, T item, Same same, Merge merge) {
  for (auto& existing : items) {
    if (same(existing, item)) {
      merge(existing, item);
      merge_alerts(existing.alerts, item.alerts);
      return;
    }
  }
  items.push_back(std::move(item));
}

std::optional<std::array<int, 4>> parse_ipv4(std::string_view text) {
  std::array<int, 4> octets{};
  for (std::size_t i = 0; i < 4; ++i) {
    int value = -1;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    const auto used = static_cast<std::size_t>(end - text.data());
    if (error != std::errc() || used == 0 || used > 3 || value > 255) return std::nullopt;
    octets[i] = value;
    text.remove_prefix(used);
    if (i < 3) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return octets;
}

}  // namespace

void Entities::add(User user) {
  if (user.name.empty()) return;
  merge_or_append(users_, std::move(user), same_user, [](User& into, const User& from) {
    if (user_name_rank(from.name) > user_name_rank(into.name)) into.name = from.name;
    fill(into.display_name, from.display_name);
  });
}

void Entities::add(Host host) {
  if (host.name.empty()) return;
  merge_or_append(
      hosts_, std::move(host),
      [](const Host& a, const Host& b) { return same_host(a.name, b.name); },
      [](Host& into, const Host& from) {
        if (from.name.size() > into.name.size()) into.name = from.name;
        fill(into.os, from.os);
        for (const auto& user : from.users)
          add_unique(into.users, user);
      });
}

void Entities::add(Ip ip) {
  ip.address = std::string(trim(ip.address));
  if (ip.address.empty()) return;
  ip.address = to_lower(ip.address);
  ip.internal = is_internal_ip(ip.address);
  merge_or_append(
      ips_, std::move(ip), [](const Ip& a, const Ip& b) { return a.address == b.address; },
      [](Ip&, const Ip&) {});
}

void Entities::add(Domain domain) {
  domain.name = to_lower(trim(domain.name));
  while (!domain.name.empty() && domain.name.back() == '.')
    domain.name.pop_back();
  if (domain.name.empty()) return;
  merge_or_append(
      domains_, std::move(domain),
      [](const Domain& a, const Domain& b) { return a.name == b.name; },
      [](Domain&, const Domain&) {});
}

void Entities::add(Url url) {
  url.url = std::string(trim(url.url));
  if (url.url.empty()) return;
  merge_or_append(
      urls_, std::move(url), [](const Url& a, const Url& b) { return a.url == b.url; },
      [](Url&, const Url&) {});
}

void Entities::add(File file) {
  file.sha256 = to_lower(trim(file.sha256));
  file.sha1 = to_lower(trim(file.sha1));
  file.md5 = to_lower(trim(file.md5));
  if (file.name.empty() && file.path.empty() && file.sha256.empty() && file.sha1.empty() &&
      file.md5.empty())
    return;
  merge_or_append(files_, std::move(file), same_file, [](File& into, const File& from) {
    fill(into.name, from.name);
    fill(into.path, from.path);
    fill(into.sha256, from.sha256);
    fill(into.sha1, from.sha1);
    fill(into.md5, from.md5);
    fill(into.host, from.host);
  });
}

void Entities::add(Process process) {
  if (process.command_line.empty()) return;
  merge_or_append(processes_, std::move(process), same_process,
                  [](Process& into, const Process& from) {
                    fill(into.image, from.image);
                    fill(into.pid, from.pid);
                    if (from.host.size() > into.host.size()) into.host = from.host;
                    fill(into.user, from.user);
                    if (!into.time) into.time = from.time;
                  });
}

void Entities::add_all(const Entities& other) {
  for (const auto& item : other.users_)
    add(item);
  for (const auto& item : other.hosts_)
    add(item);
  for (const auto& item : other.ips_)
    add(item);
  for (const auto& item : other.domains_)
    add(item);
  for (const auto& item : other.urls_)
    add(item);
  for (const auto& item : other.files_)
    add(item);
  for (const auto& item : other.processes_)
    add(item);
}

void Entities::add_url_domains() {
  for (const auto& url : urls_) {  // adding IPs and domains leaves urls_ as it is
    std::string host = url_host(url.url);
    if (host.empty()) continue;
    if (looks_like_ip(host))
      add(Ip{host, false, url.alerts});
    else
      add(Domain{host, url.alerts});
  }
}

void Entities::link_users() {
  auto canonical = [this](const std::string& name) {
    const User probe{name, {}, {}};
    for (const auto& user : users_)
      if (same_user(user, probe)) return user.name;
    return name;
  };
  for (auto& host : hosts_) {
    std::vector<std::string> users;
    for (const auto& user : host.users)
      add_unique(users, canonical(user));
    host.users = std::move(users);
  }
  for (auto& process : processes_)
    if (!process.user.empty()) process.user = canonical(process.user);
}

bool Entities::empty() const noexcept {
  return users_.empty() && hosts_.empty() && ips_.empty() && domains_.empty() && urls_.empty() &&
         files_.empty() && processes_.empty();
}

bool looks_like_ip(std::string_view text) noexcept {
  return parse_ipv4(text).has_value() || text.find(':') != std::string_view::npos;
}

bool is_internal_ip(std::string_view address) noexcept {
  const std::string lower = to_lower(trim(address));
  std::string_view text = lower;
  if (text.starts_with("::ffff:")) text.remove_prefix(7);  // IPv4-mapped IPv6
  if (auto v4 = parse_ipv4(text)) {
    const auto& o = *v4;
    return o[0] == 10 || o[0] == 127 || o[0] == 0 || (o[0] == 172 && o[1] >= 16 && o[1] <= 31) ||
           (o[0] == 192 && o[1] == 168) || (o[0] == 169 && o[1] == 254) ||
           (o[0] == 100 && o[1] >= 64 && o[1] <= 127);
  }
  if (text.find(':') == std::string_view::npos) return false;
  if (text == "::1" || text == "::") return true;
  return text.starts_with("fc") || text.starts_with("fd") || text.starts_with("fe8") ||
         text.starts_with("fe9") || text.starts_with("fea") || text.starts_with("feb");
}

std::string url_host(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (rest.starts_with("[")) {
    auto close = rest.find(']');
    return close == std::string_view::npos ? std::string() : to_lower(rest.substr(1, close - 1));
  }
  return to_lower(rest.substr(0, rest.find(':')));
}

}  // namespace incident

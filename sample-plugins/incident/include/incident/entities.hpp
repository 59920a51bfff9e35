// The people, machines and indicators an incident involves, merged so that each appears once
// however many alerts or evidence records name it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incident {

struct User {
  std::string name;  // the UPN when known, else DOMAIN\account, else the account
  std::string display_name;
  std::vector<std::string> alerts;
};

struct Host {
  std::string name;  // the FQDN when known
  std::string os;
  std::vector<std::string> users;  // accounts seen on it (logged on, running the processes)
  std::vector<std::string> alerts;
};

struct Ip {
  std::string address;
  bool internal = false;  // private, loopback, link-local or shared address space
  std::vector<std::string> alerts;
};

struct Domain {
  std::string name;
  std::vector<std::string> alerts;
};

struct Url {
  std::string url;
  std::vector<std::string> alerts;
};

struct File {
  std::string name;
  std::string path;               // the folder or full path, as the source gives it
  std::string sha256, sha1, md5;  // lower-case hex
  std::string host;
  std::vector<std::string> alerts;
};

struct Process {
  std::string command_line;
  std::string image;  // the executable's file name
  std::string pid;
  std::string host;
  std::string user;
  std::optional<std::int64_t> time;  // creation, UTC seconds
  std::vector<std::string> alerts;
};

// Each add() merges with an entry that is the same thing (same address, same host by short name,
// same user by account, same file by any hash, same process by command line, host and start),
// keeping the most specific name and every alert that named it. Entries keep their first order.
class Entities {
 public:
  void add(User user);
  void add(Host host);
  void add(Ip ip);
  void add(Domain domain);
  void add(Url url);
  void add(File file);
  void add(Process process);
  void add_all(const Entities& other);

  const std::vector<User>& users() const noexcept { return users_; }
  const std::vector<Host>& hosts() const noexcept { return hosts_; }
  const std::vector<Ip>& ips() const noexcept { return ips_; }
  const std::vector<Domain>& domains() const noexcept { return domains_; }
  const std::vector<Url>& urls() const noexcept { return urls_; }
  const std::vector<File>& files() const noexcept { return files_; }
  const std::vector<Process>& processes() const noexcept { return processes_; }

  // The hosts of URLs that are names (not IP addresses) become domains too.
  void add_url_domains();

  // Hosts' users and processes' users named the way the merged user entries are
  // (CORP\mrivera becomes mrivera@corp.example when that user is known).
  void link_users();
  bool empty() const noexcept;

 private:
  std::vector<User> users_;
  std::vector<Host> hosts_;
  std::vector<Ip> ips_;
  std::vector<Domain> domains_;
  std::vector<Url> urls_;
  std::vector<File> files_;
  std::vector<Process> processes_;
};

// True for addresses that never identify an outside party: RFC 1918, loopback, link-local,
// shared (100.64/10), unspecified, and IPv6 unique-local, link-local and loopback.
bool is_internal_ip(std::string_view address) noexcept;

// The host of an absolute URL, lower-cased, without port or credentials ("" when none).
std::string url_host(std::string_view url);

// True when `text` is a dotted IPv4 address or contains ':' as an IPv6 address does.
bool looks_like_ip(std::string_view text) noexcept;

}  // namespace incident

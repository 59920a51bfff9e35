#include "posture/ssh_checks.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include "text_util.hpp"

namespace posture {
namespace {

constexpr std::string_view kFamily = "ssh";

constexpr CheckInfo kPermitRootLogin{
    "ssh.permit_root_login",
    "SSH root login is disabled",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.20 Ensure sshd PermitRootLogin is disabled",
    Severity::high,
    "Set 'PermitRootLogin no' in /etc/ssh/sshd_config above any Include and Match lines (or in "
    "the first file under /etc/ssh/sshd_config.d/), log in as a named user and use sudo, then "
    "run 'sshd -t && systemctl reload ssh'."};
constexpr CheckInfo kPasswordAuthentication{
    "ssh.password_authentication",
    "SSH accepts keys only, not passwords",
    kFamily,
    "No CIS recommendation (CIS 5.1.19 and 5.1.20 cover empty passwords and root); keys instead "
    "of passwords defeat SSH password guessing",
    Severity::medium,
    "Install your users' public keys, then set 'PasswordAuthentication no' and "
    "'KbdInteractiveAuthentication no' in /etc/ssh/sshd_config and run 'sshd -t && systemctl "
    "reload ssh'."};
constexpr CheckInfo kPermitEmptyPasswords{
    "ssh.permit_empty_passwords",
    "SSH refuses accounts with empty passwords",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.19 Ensure sshd PermitEmptyPasswords is disabled",
    Severity::high,
    "Set 'PermitEmptyPasswords no' in /etc/ssh/sshd_config (it is the default: removing the line "
    "is enough) and run 'sshd -t && systemctl reload ssh'."};
constexpr CheckInfo kX11Forwarding{
    "ssh.x11_forwarding",
    "SSH X11 forwarding is disabled",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.8 Ensure sshd DisableForwarding is enabled (earlier CIS: "
    "Ensure SSH X11 forwarding is disabled)",
    Severity::low,
    "Set 'X11Forwarding no' (or 'DisableForwarding yes', which also turns off agent and TCP "
    "forwarding) in /etc/ssh/sshd_config; Debian's stock file says 'X11Forwarding yes'."};
constexpr CheckInfo kMaxAuthTries{
    "ssh.max_auth_tries",
    "SSH allows at most 4 authentication attempts per connection",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.16 Ensure sshd MaxAuthTries is set to 4 or less",
    Severity::medium,
    "Set 'MaxAuthTries 4' in /etc/ssh/sshd_config (sshd's default is 6)."};
constexpr CheckInfo kProtocol{
    "ssh.protocol",
    "SSH speaks protocol 2 only",
    kFamily,
    "CIS Ubuntu Linux 16.04 LTS v1.0.0 5.2.2 Ensure SSH Protocol is set to 2 (dropped from later "
    "benchmarks: OpenSSH 7.6 removed protocol 1)",
    Severity::medium,
    "Remove the Protocol line (OpenSSH 7.6 and later speak only protocol 2) or set 'Protocol 2', "
    "and upgrade any sshd older than 7.6."};
constexpr CheckInfo kClientAlive{
    "ssh.client_alive",
    "Idle SSH sessions are timed out",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.7 Ensure sshd ClientAliveInterval and ClientAliveCountMax "
    "are configured",
    Severity::low,
    "Set 'ClientAliveInterval 15' and 'ClientAliveCountMax 3' (or your site's policy, both above "
    "0) in /etc/ssh/sshd_config."};
constexpr CheckInfo kCiphers{
    "ssh.ciphers",
    "SSH uses no weak ciphers",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.6 Ensure only strong Ciphers are used",
    Severity::medium,
    "Remove the weak ciphers from the Ciphers line, e.g. 'Ciphers "
    "aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr', or drop "
    "the line to use OpenSSH's defaults."};
constexpr CheckInfo kMacs{
    "ssh.macs",
    "SSH uses no weak MACs",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.15 Ensure sshd MACs are configured",
    Severity::medium,
    "Remove the weak MACs from the MACs line, e.g. 'MACs "
    "hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256', "
    "or drop the line to use OpenSSH's defaults."};
constexpr CheckInfo kKex{
    "ssh.kex_algorithms",
    "SSH uses no weak key exchange algorithms",
    kFamily,
    "CIS Debian Linux 12 v1.0.1 5.1.12 Ensure sshd KexAlgorithms is configured",
    Severity::medium,
    "Remove the SHA-1 Diffie-Hellman groups from the KexAlgorithms line, e.g. 'KexAlgorithms "
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp521,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp256,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512', or "
    "drop the line to use OpenSSH's defaults."};

// Algorithms CIS lists as weak (CBC mode and RC4 ciphers, MD5, RIPEMD-160 and 96/64-bit MACs,
// SHA-1 Diffie-Hellman key exchange).
constexpr std::string_view kWeakCiphers[] = {
    "3des-cbc",    "aes128-cbc", "aes192-cbc", "aes256-cbc", "blowfish-cbc",
    "cast128-cbc", "arcfour",    "arcfour128", "arcfour256", "rijndael-cbc@lysator.liu.se"};
constexpr std::string_view kWeakMacs[] = {"hmac-md5",
                                          "hmac-md5-96",
                                          "hmac-ripemd160",
                                          "hmac-sha1-96",
                                          "umac-64@openssh.com",
                                          "hmac-md5-etm@openssh.com",
                                          "hmac-md5-96-etm@openssh.com",
                                          "hmac-ripemd160-etm@openssh.com",
                                          "hmac-sha1-96-etm@openssh.com",
                                          "umac-64-etm@openssh.com"};
constexpr std::string_view kWeakKex[] = {"diffie-hellman-group1-sha1",
                                         "diffie-hellman-group14-sha1",
                                         "diffie-hellman-group-exchange-sha1"};

// How one value of a setting fares.
struct Judgement {
  Status status = Status::pass;
  Severity severity = Severity::info;
  std::string reason;
};

Judgement passes(std::string reason) {
  return {Status::pass, Severity::info, std::move(reason)};
}
Judgement fails(Severity severity, std::string reason) {
  return {Status::fail, severity, std::move(reason)};
}
Judgement rejected(std::string_view keyword, std::string_view value) {
  return {Status::error, Severity::medium,
          "sshd does not accept '" + std::string(value) + "' for " + std::string(keyword) +
              " and refuses to start with it"};
}

using Judge = std::function<Judgement(std::string_view value)>;

// The value a setting has for every connection: the deciding directive, or sshd's default.
struct Setting {
  const SshdDirective* directive = nullptr;
  std::string value;  // arguments joined by one space, lower case
};

std::string value_of(const SshdDirective& directive) {
  return to_lower(join(directive.args, " "));
}

Setting setting(const SshdConfig& config, std::string_view keyword, std::string_view fallback) {
  Setting found;
  found.directive = config.effective(keyword);
  found.value = found.directive ? value_of(*found.directive) : std::string(fallback);
  return found;
}

Evidence evidence_of(const Setting& setting, std::string_view name, std::string_view fallback) {
  if (!setting.directive)
    return {std::string(kSshdConfigPath), 0, std::string(name) + " not set",
            "sshd's default applies: " + std::string(fallback)};
  Evidence evidence{setting.directive->file, setting.directive->line, setting.directive->text, ""};
  if (!setting.directive->match.empty())
    evidence.note = "in 'Match all': applies to every connection";
  return evidence;
}

// Applies a judge to the effective value and to every Match override of one keyword.
CheckResult judge_setting(const CheckInfo& info, const SshdConfig& config, std::string_view name,
                          std::string_view fallback, const Judge& judge) {
  const std::string keyword = to_lower(name);
  const Setting current = setting(config, keyword, fallback);
  const Judgement verdict = judge(current.value);
  CheckResult result = make_result(info, verdict.status, verdict.reason);
  if (verdict.status != Status::pass) result.severity = verdict.severity;
  result.evidence.push_back(evidence_of(current, name, fallback));
  for (const SshdDirective* override_ : config.conditional(keyword)) {
    const Judgement conditional = judge(value_of(*override_));
    if (conditional.status == Status::pass) continue;
    result.evidence.push_back({override_->file, override_->line, override_->text,
                               "overrides it for connections matching 'Match " + override_->match +
                                   "': " + conditional.reason});
    if (result.status == Status::pass) {
      result.status = Status::fail;
      result.severity = conditional.severity;
      result.detail = verdict.reason + ", but a Match block overrides it: " + conditional.reason;
    } else {
      result.severity = std::max(result.severity, conditional.severity);
    }
  }
  return result;
}

Judgement judge_yes_no(std::string_view keyword, std::string_view value, bool yes_is_bad,
                       Severity severity, std::string bad, std::string good) {
  if (value != "yes" && value != "no") return rejected(keyword, value);
  const bool bad_value = (value == "yes") == yes_is_bad;
  return bad_value ? fails(severity, std::move(bad)) : passes(std::move(good));
}

CheckResult permit_root_login(const SshdConfig& config) {
  return judge_setting(
      kPermitRootLogin, config, "PermitRootLogin", "prohibit-password", [](std::string_view v) {
        if (v == "no") return passes("root cannot log in over SSH");
        if (v == "yes")
          return fails(Severity::high, "root can log in over SSH, with a password or a key");
        if (v == "prohibit-password" || v == "without-password")
          return fails(Severity::medium,
                       "root can log in over SSH with a key (" + std::string(v) + ")");
        if (v == "forced-commands-only")
          return fails(Severity::low, "root can log in over SSH with keys bound to a command");
        return rejected("PermitRootLogin", v);
      });
}

CheckResult password_authentication(const SshdConfig& config) {
  CheckResult result = judge_setting(
      kPasswordAuthentication, config, "PasswordAuthentication", "yes", [](std::string_view v) {
        return judge_yes_no("PasswordAuthentication", v, true, Severity::medium,
                            "SSH accepts passwords, which can be guessed",
                            "SSH does not accept passwords");
      });
  // With PAM, keyboard-interactive authentication asks for the same password.
  const Setting pam = setting(config, "usepam", "no");
  Setting keyboard = setting(config, "kbdinteractiveauthentication", "yes");
  if (!keyboard.directive) keyboard = setting(config, "challengeresponseauthentication", "yes");
  if (result.status == Status::pass && pam.value == "yes" && keyboard.value == "yes") {
    result.status = Status::fail;
    result.severity = Severity::medium;
    result.detail =
        "PasswordAuthentication is off, but KbdInteractiveAuthentication with UsePAM yes still "
        "asks for the account's password";
    result.evidence.push_back(evidence_of(keyboard, "KbdInteractiveAuthentication", "yes"));
    result.evidence.push_back(evidence_of(pam, "UsePAM", "no"));
  }
  return result;
}

CheckResult permit_empty_passwords(const SshdConfig& config) {
  return judge_setting(kPermitEmptyPasswords, config, "PermitEmptyPasswords", "no",
                       [](std::string_view v) {
                         return judge_yes_no("PermitEmptyPasswords", v, true, Severity::high,
                                             "accounts with an empty password can log in over SSH",
                                             "accounts with an empty password cannot log in");
                       });
}

CheckResult x11_forwarding(const SshdConfig& config) {
  const Setting disable = setting(config, "disableforwarding", "no");
  if (disable.value == "yes") {
    CheckResult result =
        make_result(kX11Forwarding, Status::pass, "DisableForwarding yes turns off X11 forwarding");
    result.evidence.push_back(evidence_of(disable, "DisableForwarding", "no"));
    return result;
  }
  return judge_setting(kX11Forwarding, config, "X11Forwarding", "no", [](std::string_view v) {
    return judge_yes_no("X11Forwarding", v, true, Severity::low,
                        "X11 forwarding lets a compromised server reach the user's X display",
                        "X11 forwarding is off");
  });
}

CheckResult max_auth_tries(const SshdConfig& config) {
  return judge_setting(kMaxAuthTries, config, "MaxAuthTries", "6", [](std::string_view v) {
    const auto tries = parse_integer(v);
    if (!tries || *tries < 0) return rejected("MaxAuthTries", v);
    if (*tries <= 4)
      return passes("at most " + std::to_string(*tries) + " attempts per connection");
    return fails(Severity::medium, std::to_string(*tries) +
                                       " attempts per connection help password guessing (CIS: 4 "
                                       "or fewer)");
  });
}

CheckResult protocol(const SshdConfig& config) {
  return judge_setting(kProtocol, config, "Protocol", "2", [](std::string_view v) {
    for (auto part : split_on(v, ','))
      if (trim(part) == "1")
        return fails(Severity::medium,
                     "the configuration asks for SSH protocol 1, which is broken; sshd 7.6 and "
                     "later ignore it, an older sshd would accept it");
    for (auto part : split_on(v, ','))
      if (trim(part) != "2") return rejected("Protocol", v);
    return passes("only SSH protocol 2");
  });
}

CheckResult client_alive(const SshdConfig& config) {
  CheckResult result =
      judge_setting(kClientAlive, config, "ClientAliveInterval", "0", [](std::string_view v) {
        const auto seconds = parse_sshd_time(v);
        if (!seconds) return rejected("ClientAliveInterval", v);
        if (*seconds <= 0)
          return fails(Severity::low, "ClientAliveInterval is 0: idle sessions stay open forever");
        return passes("idle sessions are probed every " + std::to_string(*seconds) + " s");
      });
  const CheckResult count =
      judge_setting(kClientAlive, config, "ClientAliveCountMax", "3", [](std::string_view v) {
        const auto probes = parse_integer(v);
        if (!probes || *probes < 0) return rejected("ClientAliveCountMax", v);
        if (*probes == 0)
          return fails(Severity::low, "ClientAliveCountMax is 0: the idle probe never ends them");
        return passes("they end after " + std::to_string(*probes) + " unanswered probes");
      });
  result.evidence.insert(result.evidence.end(), count.evidence.begin(), count.evidence.end());
  if (count.status != Status::pass && result.status == Status::pass) {
    result.status = count.status;
    result.severity = count.severity;
    result.detail = count.detail;
  } else if (result.status == Status::pass) {
    result.detail += ", and " + count.detail;
  }
  return result;
}

// OpenSSH 9.2's defaults (Debian 12), against which "+list", "-list" and "^list" apply.
constexpr std::string_view kDefaultCiphers =
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com";
constexpr std::string_view kDefaultMacs =
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
    "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";
constexpr std::string_view kDefaultKex =
    "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,"
    "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
    "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";

std::vector<std::string> algorithm_list(std::string_view text) {
  std::vector<std::string> names;
  for (auto name : split_on(text, ','))
    if (!trim(name).empty()) names.emplace_back(trim(name));
  return names;
}

// The algorithms sshd ends up offering for a Ciphers/MACs/KexAlgorithms value.
std::vector<std::string> offered(std::string_view value, std::string_view defaults) {
  std::vector<std::string> list = algorithm_list(defaults);
  if (value.empty()) return list;
  const char mode = value.front();
  if (mode != '+' && mode != '-' && mode != '^') return algorithm_list(value);
  auto named = algorithm_list(value.substr(1));
  if (mode == '-') {
    std::erase_if(list, [&](const std::string& name) {
      return std::find(named.begin(), named.end(), name) != named.end();
    });
    return list;
  }
  if (mode == '+') list.insert(list.end(), named.begin(), named.end());
  if (mode == '^') list.insert(list.begin(), named.begin(), named.end());
  return list;
}

// Weak algorithms are a medium risk; 64-bit UMAC tags (in OpenSSH's own defaults) a low one.
template <size_t N>
Judge weak_list_judge(std::string_view keyword, const std::string_view (&weak)[N],
                      std::string_view defaults, std::string_view kind) {
  return [keyword, &weak, defaults, kind](std::string_view v) {
    if (v.empty()) return rejected(keyword, v);
    std::vector<std::string> found;
    bool only_umac64 = true;
    for (const auto& name : offered(v, defaults))
      if (std::find(std::begin(weak), std::end(weak), name) != std::end(weak)) {
        found.push_back(name);
        only_umac64 = only_umac64 && name.starts_with("umac-64");
      }
    if (found.empty()) return passes("no weak " + std::string(kind) + " are offered");
    return fails(only_umac64 ? Severity::low : Severity::medium,
                 "weak " + std::string(kind) + " are offered: " + join(found));
  };
}

}  // namespace

std::optional<long long> parse_sshd_time(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  long long total = 0;
  long long number = -1;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      number = (number < 0 ? 0 : number) * 10 + (c - '0');
      if (number > 1'000'000'000LL) return std::nullopt;
      continue;
    }
    if (number < 0) return std::nullopt;
    long long unit = 0;
    switch (c) {
      case 's':
      case 'S':
        unit = 1;
        break;
      case 'm':
      case 'M':
        unit = 60;
        break;
      case 'h':
      case 'H':
        unit = 3600;
        break;
      case 'd':
      case 'D':
        unit = 86400;
        break;
      case 'w':
      case 'W':
        unit = 604800;
        break;
      default:
        return std::nullopt;
    }
    total += number * unit;
    number = -1;
  }
  if (number >= 0) total += number;
  return total;
}

std::vector<CheckResult> check_ssh(const SshdConfig& config) {
  const CheckInfo* all[] = {&kPermitRootLogin,
                            &kPasswordAuthentication,
                            &kPermitEmptyPasswords,
                            &kX11Forwarding,
                            &kMaxAuthTries,
                            &kProtocol,
                            &kClientAlive,
                            &kCiphers,
                            &kMacs,
                            &kKex};
  std::vector<CheckResult> results;
  if (config.state != FileText::State::ok) {
    const bool missing = config.state == FileText::State::missing;
    for (const CheckInfo* info : all) {
      CheckResult result = make_result(
          *info, missing ? Status::not_applicable : Status::error,
          missing ? "the OpenSSH server is not installed: /etc/ssh/sshd_config does not exist"
                  : "cannot read /etc/ssh/sshd_config (" + config.error +
                        "): run the assessment as root");
      result.evidence.push_back(
          {std::string(kSshdConfigPath), 0, missing ? "missing" : "unreadable", config.error});
      results.push_back(std::move(result));
    }
    return results;
  }
  results.push_back(permit_root_login(config));
  results.push_back(password_authentication(config));
  results.push_back(permit_empty_passwords(config));
  results.push_back(x11_forwarding(config));
  results.push_back(max_auth_tries(config));
  results.push_back(protocol(config));
  results.push_back(client_alive(config));
  results.push_back(
      judge_setting(kCiphers, config, "Ciphers", kDefaultCiphers,
                    weak_list_judge("Ciphers", kWeakCiphers, kDefaultCiphers, "ciphers")));
  results.push_back(judge_setting(kMacs, config, "MACs", kDefaultMacs,
                                  weak_list_judge("MACs", kWeakMacs, kDefaultMacs, "MACs")));
  results.push_back(
      judge_setting(kKex, config, "KexAlgorithms", kDefaultKex,
                    weak_list_judge("KexAlgorithms", kWeakKex, kDefaultKex, "key exchanges")));
  // A line sshd would refuse is worth seeing next to the setting it meant to change.
  const std::pair<std::string_view, std::vector<std::string_view>> keywords[] = {
      {kPermitRootLogin.id, {"permitrootlogin"}},
      {kPasswordAuthentication.id,
       {"passwordauthentication", "kbdinteractiveauthentication", "usepam"}},
      {kPermitEmptyPasswords.id, {"permitemptypasswords"}},
      {kX11Forwarding.id, {"x11forwarding", "disableforwarding"}},
      {kMaxAuthTries.id, {"maxauthtries"}},
      {kProtocol.id, {"protocol"}},
      {kClientAlive.id, {"clientaliveinterval", "clientalivecountmax"}},
      {kCiphers.id, {"ciphers"}},
      {kMacs.id, {"macs"}},
      {kKex.id, {"kexalgorithms"}}};
  for (const auto& problem : config.problems)
    for (auto& result : results)
      for (const auto& [id, names] : keywords)
        if (result.id == id &&
            std::find(names.begin(), names.end(), problem.keyword) != names.end())
          result.evidence.push_back({problem.file, problem.line, "", problem.message});
  return results;
}

}  // namespace posture

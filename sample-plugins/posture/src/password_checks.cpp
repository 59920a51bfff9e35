#include "posture/password_checks.hpp"

#include <functional>
#include <map>

#include "key_value.hpp"
#include "pam_stack.hpp"
#include "text_util.hpp"

namespace posture {
namespace {

constexpr std::string_view kLoginDefs = "/etc/login.defs";
constexpr std::string_view kPwqualityConf = "/etc/security/pwquality.conf";
constexpr std::string_view kFaillockConf = "/etc/security/faillock.conf";

constexpr CheckInfo kMaxDays{
    "password.max_days",
    "Passwords expire within 365 days",
    "password",
    "CIS Debian Linux 12 v1.0.1 5.4.1.1 Ensure password expiration is configured",
    Severity::medium,
    "Set 'PASS_MAX_DAYS 365' (or your policy, at most 365) in /etc/login.defs, and apply it to "
    "existing accounts with 'chage --maxdays 365 USER'."};
constexpr CheckInfo kMinDays{
    "password.min_days",
    "Passwords cannot be changed again at once",
    "password",
    "CIS Debian Linux 12 v1.0.1 5.4.1.2 Ensure minimum password days is configured",
    Severity::low,
    "Set 'PASS_MIN_DAYS 1' in /etc/login.defs, and 'chage --mindays 1 USER' for existing "
    "accounts, so a password cannot be cycled straight back to an old one."};
constexpr CheckInfo kWarnAge{
    "password.warn_age",
    "Users are warned 7 days before their password expires",
    "password",
    "CIS Debian Linux 12 v1.0.1 5.4.1.3 Ensure password expiration warning days is configured",
    Severity::low,
    "Set 'PASS_WARN_AGE 7' in /etc/login.defs, and 'chage --warndays 7 USER' for existing "
    "accounts."};
constexpr CheckInfo kMinLength{
    "password.min_length",
    "New passwords have at least 14 characters",
    "password",
    "CIS Debian Linux 12 v1.0.1 5.3.3.2.2 Ensure minimum password length is configured (and "
    "5.3.2.3 Ensure pam_pwquality module is enabled)",
    Severity::medium,
    "Install libpam-pwquality (it adds pam_pwquality.so to /etc/pam.d/common-password) and set "
    "'minlen = 14' in /etc/security/pwquality.conf."};
constexpr CheckInfo kComplexity{
    "password.complexity",
    "New passwords mix character classes",
    "password",
    "CIS Debian Linux 12 v1.0.1 5.3.3.2.3 Ensure password complexity is configured",
    Severity::low,
    "Set 'minclass = 3' (or dcredit, ucredit, lcredit and ocredit to -1 for at least three "
    "classes) in /etc/security/pwquality.conf, as your policy requires."};
constexpr CheckInfo kLockout{
    "auth.lockout",
    "Accounts lock after 5 failed logins or fewer",
    "password",
    "CIS Debian Linux 12 v1.0.1 5.3.2.2 Ensure pam_faillock module is enabled, 5.3.3.1.1 Ensure "
    "password failed attempts lockout is configured, 5.3.3.1.2 Ensure password unlock time is "
    "configured",
    Severity::medium,
    "Turn on pam_faillock in /etc/pam.d/common-auth: 'auth requisite pam_faillock.so preauth' "
    "before pam_unix.so and 'auth [default=die] pam_faillock.so authfail' after it (CIS 5.3.2.2 "
    "gives pam-auth-update profiles for /usr/share/pam-configs/ that write these lines), plus "
    "'account required pam_faillock.so' in common-account; then set 'deny = 5' and "
    "'unlock_time = 900' in /etc/security/faillock.conf."};

struct Judgement {
  Status status;
  Severity severity;
  std::string reason;
};

std::vector<CheckResult> login_defs_checks(const RootFs& fs) {
  const FileText file = fs.read(kLoginDefs);
  struct Rule {
    const CheckInfo& info;
    std::string_view key;
    std::string_view unset;  // what happens when the key is absent
    std::function<Judgement(std::int64_t)> judge;
  };
  const Rule rules[] = {
      {kMaxDays, "PASS_MAX_DAYS", "passwords never expire",
       [](std::int64_t days) -> Judgement {
         if (days > 0 && days <= 365)
           return {Status::pass, Severity::info,
                   "passwords expire after " + std::to_string(days) + " days"};
         return {Status::fail, Severity::medium,
                 days <= 0 || days >= 99999
                     ? "PASS_MAX_DAYS " + std::to_string(days) + ": passwords never expire"
                     : "passwords live " + std::to_string(days) + " days (CIS: 365 or fewer)"};
       }},
      {kMinDays, "PASS_MIN_DAYS", "a password can be changed again at once",
       [](std::int64_t days) -> Judgement {
         if (days >= 1)
           return {Status::pass, Severity::info,
                   "a password can be changed once every " + std::to_string(days) + " day(s)"};
         return {Status::fail, Severity::low,
                 "PASS_MIN_DAYS " + std::to_string(days) +
                     ": a password can be changed again at once, and so cycled back"};
       }},
      {kWarnAge, "PASS_WARN_AGE", "no warning is given before a password expires",
       [](std::int64_t days) -> Judgement {
         if (days >= 7)
           return {Status::pass, Severity::info,
                   "users are warned " + std::to_string(days) + " days ahead"};
         return {Status::fail, Severity::low,
                 "users are warned only " + std::to_string(days) + " days ahead (CIS: 7 or more)"};
       }},
  };
  std::vector<CheckResult> results;
  if (file.state != FileText::State::ok) {
    const bool missing = file.state == FileText::State::missing;
    for (const auto& rule : rules) {
      CheckResult result = make_result(
          rule.info, missing ? Status::not_applicable : Status::error,
          missing ? "/etc/login.defs does not exist: the shadow password tools are not installed"
                  : "cannot read /etc/login.defs (" + file.error + ")");
      add_evidence(result.evidence,
                   {std::string(kLoginDefs), 0, missing ? "missing" : "unreadable", file.error});
      results.push_back(std::move(result));
    }
    return results;
  }
  // login.defs is read top to bottom and a repeated key replaces the earlier value.
  const auto entries = parse_key_values(file.text, kLoginDefs, Separator::blanks);
  for (const auto& rule : rules) {
    const KeyValue* entry = last_value(entries, rule.key);
    if (!entry) {
      CheckResult result =
          make_result(rule.info, Status::fail,
                      std::string(rule.key) + " is not set: " + std::string(rule.unset));
      add_evidence(result.evidence, {std::string(kLoginDefs), 0, std::string(rule.key) + " not set",
                                     std::string(rule.unset)});
      results.push_back(std::move(result));
      continue;
    }
    const auto number = parse_integer(entry->value);
    if (!number) {
      CheckResult result = make_result(rule.info, Status::fail,
                                       std::string(rule.key) + " is '" + entry->value +
                                           "', not a number: the shadow tools ignore it, so " +
                                           std::string(rule.unset));
      add_evidence(result.evidence, evidence_of(*entry, "not a number"));
      results.push_back(std::move(result));
      continue;
    }
    const Judgement verdict = rule.judge(*number);
    CheckResult result = make_result(rule.info, verdict.status, verdict.reason);
    if (verdict.status == Status::fail) result.severity = verdict.severity;
    std::string note;
    for (const auto& other : entries)
      if (other.key == rule.key && &other != entry)
        note = "repeated: this later line replaces the one on line " + std::to_string(other.line);
    add_evidence(result.evidence,
                 evidence_of(*entry, note.empty() ? "applies to accounts created from now "
                                                    "on; existing ones keep their own "
                                                    "values (chage -l USER)"
                                                  : note));
    results.push_back(std::move(result));
  }
  return results;
}

// A pwquality setting and where its value came from.
struct QualityValue {
  std::string value;
  Evidence evidence;
};

// libpwquality reads pwquality.conf.d/*.conf (sorted) and then pwquality.conf, later values
// winning; pam_pwquality's own arguments override both.
std::map<std::string, QualityValue> quality_settings(const RootFs& fs, const PamRule& rule) {
  std::map<std::string, QualityValue> values;
  if (rule.module == "pam_pwquality.so") {
    auto files = fs.glob("/etc/security/pwquality.conf.d/*.conf");
    files.emplace_back(kPwqualityConf);
    for (const auto& path : files) {
      const FileText file = fs.read(path);
      if (file.state != FileText::State::ok) continue;
      for (const auto& entry : parse_key_values(file.text, path, Separator::equals))
        values[entry.key] = {entry.value, evidence_of(entry)};
    }
  }
  for (const auto& arg : rule.args) {
    const size_t equals = arg.find('=');
    if (equals == std::string::npos) continue;
    values[arg.substr(0, equals)] = {arg.substr(equals + 1),
                                     {rule.file, rule.line, rule.text, "module argument"}};
  }
  return values;
}

std::vector<CheckResult> quality_checks(const RootFs& fs) {
  const PamStack stack = load_pam_stack(fs, "common-password");
  std::vector<CheckResult> results;
  if (stack.state != FileText::State::ok) {
    const bool missing = stack.state == FileText::State::missing;
    for (const CheckInfo* info : {&kMinLength, &kComplexity}) {
      CheckResult result = make_result(
          *info, missing ? Status::not_applicable : Status::error,
          missing ? "/etc/pam.d/common-password does not exist: not a Debian-style PAM setup"
                  : "cannot read /etc/pam.d/common-password (" + stack.error + ")");
      add_evidence(result.evidence,
                   {stack.file, 0, missing ? "missing" : "unreadable", stack.error});
      results.push_back(std::move(result));
    }
    return results;
  }
  auto modules = stack.find("password", "pam_pwquality.so");
  if (modules.empty()) modules = stack.find("password", "pam_cracklib.so");
  if (modules.empty()) {
    for (const CheckInfo* info : {&kMinLength, &kComplexity}) {
      CheckResult result =
          make_result(*info, Status::fail,
                      "passwords are not quality-checked: neither pam_pwquality nor pam_cracklib "
                      "is in /etc/pam.d/common-password, so pwquality.conf has no effect");
      add_evidence(result.evidence, {stack.file, 0, "no pam_pwquality.so password line", ""});
      for (const PamRule* unix_rule : stack.find("password", "pam_unix.so"))
        add_evidence(result.evidence, {unix_rule->file, unix_rule->line, unix_rule->text,
                                       "pam_unix alone takes any password"});
      if (info == &kComplexity) result.severity = Severity::low;
      results.push_back(std::move(result));
    }
    return results;
  }
  const PamRule& module = *modules.front();
  auto values = quality_settings(fs, module);
  const Evidence module_line{module.file, module.line, module.text, ""};

  // minlen: pwquality's default is 8 (cracklib's 9).
  const std::int64_t default_length = module.module == "pam_cracklib.so" ? 9 : 8;
  std::int64_t length = default_length;
  CheckResult min_length = make_result(kMinLength, Status::pass, "");
  add_evidence(min_length.evidence, module_line);
  if (auto found = values.find("minlen"); found != values.end()) {
    length = parse_integer(found->second.value).value_or(default_length);
    add_evidence(min_length.evidence, found->second.evidence);
  } else {
    add_evidence(min_length.evidence, {std::string(kPwqualityConf), 0, "minlen not set",
                                       "the default is " + std::to_string(default_length)});
  }
  if (length >= 14) {
    min_length.detail = "new passwords need at least " + std::to_string(length) + " characters";
  } else {
    min_length.status = Status::fail;
    min_length.detail =
        "new passwords need only " + std::to_string(length) + " characters (CIS: 14 or more)";
  }
  results.push_back(std::move(min_length));

  // Complexity: minclass, or negative credits (each one a required class).
  CheckResult complexity = make_result(kComplexity, Status::pass, "");
  add_evidence(complexity.evidence, module_line);
  std::int64_t minclass = 0;
  if (auto found = values.find("minclass"); found != values.end()) {
    minclass = parse_integer(found->second.value).value_or(0);
    add_evidence(complexity.evidence, found->second.evidence);
  }
  int required_classes = 0;
  for (const char* credit : {"dcredit", "ucredit", "lcredit", "ocredit"})
    if (auto found = values.find(credit); found != values.end()) {
      add_evidence(complexity.evidence, found->second.evidence);
      if (parse_integer(found->second.value).value_or(0) < 0) ++required_classes;
    }
  if (minclass >= 3 || required_classes >= 3) {
    complexity.detail = minclass >= 3 ? "new passwords need " + std::to_string(minclass) +
                                            " character classes (minclass)"
                                      : "new passwords need " + std::to_string(required_classes) +
                                            " character classes (negative credits)";
  } else {
    complexity.status = Status::fail;
    complexity.detail = "new passwords need no mix of character classes (minclass " +
                        std::to_string(minclass) + ", " + std::to_string(required_classes) +
                        " negative credits)";
  }
  results.push_back(std::move(complexity));
  return results;
}

CheckResult lockout_check(const RootFs& fs) {
  const PamStack stack = load_pam_stack(fs, "common-auth");
  if (stack.state != FileText::State::ok) {
    const bool missing = stack.state == FileText::State::missing;
    CheckResult result =
        make_result(kLockout, missing ? Status::not_applicable : Status::error,
                    missing ? "/etc/pam.d/common-auth does not exist: not a Debian-style PAM setup"
                            : "cannot read /etc/pam.d/common-auth (" + stack.error + ")");
    add_evidence(result.evidence, {stack.file, 0, missing ? "missing" : "unreadable", stack.error});
    return result;
  }
  const auto faillock = stack.find("auth", "pam_faillock.so");
  const auto tally = stack.find("auth", "pam_tally2.so");
  CheckResult result = make_result(kLockout, Status::pass, "");
  for (const PamRule* rule : faillock)
    add_evidence(result.evidence, {rule->file, rule->line, rule->text, ""});
  for (const PamRule* rule : tally)
    add_evidence(result.evidence, {rule->file, rule->line, rule->text, ""});
  if (faillock.empty() && tally.empty()) {
    result.status = Status::fail;
    result.detail =
        "no account lockout: neither pam_faillock nor pam_tally2 is in /etc/pam.d/common-auth, "
        "so passwords can be guessed without limit";
    add_evidence(result.evidence, {stack.file, 0, "no pam_faillock.so auth line", ""});
    return result;
  }

  // Settings: faillock.conf first, then the module's own arguments (pam_tally2 has no file).
  std::map<std::string, Evidence> sources;
  std::map<std::string, std::string> values;
  if (!faillock.empty()) {
    const FileText conf = fs.read(kFaillockConf);
    if (conf.state == FileText::State::ok)
      for (const auto& entry : parse_key_values(conf.text, kFaillockConf, Separator::equals)) {
        values[entry.key] = entry.value;
        sources[entry.key] = evidence_of(entry);
      }
  }
  std::string storage;
  for (const PamRule* rule : faillock.empty() ? tally : faillock)
    for (const char* name : {"deny", "unlock_time"})
      if (const std::string* value = arg_value(*rule, name, storage)) {
        values[name] = *value;
        sources[name] = {rule->file, rule->line, rule->text, "module argument"};
      }
  for (const char* name : {"deny", "unlock_time"})
    if (sources.count(name)) add_evidence(result.evidence, sources[name]);

  if (!faillock.empty()) {
    bool preauth = false, authfail = false;
    for (const PamRule* rule : faillock) {
      preauth = preauth || has_arg(*rule, "preauth");
      authfail = authfail || has_arg(*rule, "authfail");
    }
    if (!preauth || !authfail) {
      result.status = Status::fail;
      result.detail = std::string("pam_faillock is incomplete: the '") +
                      (preauth ? "authfail" : "preauth") +
                      "' line is missing, so failures are not " +
                      (preauth ? "counted" : "enforced before the password is checked");
      return result;
    }
  }
  // pam_faillock denies after 3 failures by default; pam_tally2 never, without deny=.
  const std::int64_t deny =
      values.count("deny") ? parse_integer(values["deny"]).value_or(0) : (faillock.empty() ? 0 : 3);
  const std::int64_t unlock =
      values.count("unlock_time") ? parse_integer(values["unlock_time"]).value_or(600) : 600;
  const std::string module = faillock.empty() ? "pam_tally2" : "pam_faillock";
  if (deny <= 0) {
    result.status = Status::fail;
    result.detail = module + " is set up but deny is 0: accounts never lock";
  } else if (deny > 5) {
    result.status = Status::fail;
    result.detail =
        "accounts lock only after " + std::to_string(deny) + " failed logins (CIS: 5 or fewer)";
  } else if (unlock != 0 && unlock < 900) {
    result.status = Status::fail;
    result.severity = Severity::low;
    result.detail = "accounts lock after " + std::to_string(deny) +
                    " failed logins but unlock by themselves after " + std::to_string(unlock) +
                    " s (CIS: 900 or more, or 0 for never)";
  } else {
    result.detail = "accounts lock after " + std::to_string(deny) + " failed logins (" + module +
                    (unlock == 0 ? ", until an administrator unlocks them)"
                                 : ", for " + std::to_string(unlock) + " s)");
  }
  return result;
}

}  // namespace

std::vector<CheckResult> check_password_policy(const RootFs& fs) {
  std::vector<CheckResult> results = login_defs_checks(fs);
  for (auto& result : quality_checks(fs))
    results.push_back(std::move(result));
  results.push_back(lockout_check(fs));
  return results;
}

}  // namespace posture

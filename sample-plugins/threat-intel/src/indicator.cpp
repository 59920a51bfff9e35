#include "threat_intel/indicator.hpp"

#include <algorithm>
#include <iterator>

#include "text_util.hpp"
#include "threat_intel/refang.hpp"

namespace threat_intel {
namespace {

// Last labels that are far more often a file extension than a domain in security text. Keep
// sorted (checked at compile time). A few are real TLDs (.zip .mov .one .sh .py .md .so .cab):
// in reports "invoice.zip" is an attachment, not a host; a URL with a scheme still passes.
constexpr std::string_view kFileExtensions[] = {
    "apk",  "appx", "asp", "aspx", "avi",   "bak",   "bash", "bat",    "bin",  "bmp",  "cab",
    "cer",  "cfg",  "cgi", "chm",  "class", "cmd",   "conf", "config", "cpl",  "cpp",  "crt",
    "cs",   "csr",  "csv", "dat",  "db",    "deb",   "der",  "dll",    "dmg",  "dmp",  "doc",
    "docm", "docx", "dot", "dotm", "drv",   "dylib", "elf",  "eml",    "etl",  "evt",  "evtx",
    "exe",  "gif",  "gz",  "hpp",  "hta",   "htm",   "html", "ico",    "img",  "inf",  "ini",
    "iqy",  "iso",  "jar", "java", "jpeg",  "jpg",   "js",   "jse",    "json", "jsp",  "key",
    "lnk",  "lock", "log", "md",   "mkv",   "mov",   "mp3",  "mp4",    "msc",  "msg",  "msi",
    "msix", "msp",  "ocx", "odt",  "one",   "ost",   "pcap", "pdf",    "pem",  "pfx",  "php",
    "pif",  "png",  "ppt", "pptm", "pptx",  "ps1",   "psm1", "pst",    "py",   "pyc",  "rar",
    "reg",  "rpm",  "rtf", "scr",  "sh",    "so",    "svg",  "sys",    "tar",  "tgz",  "tif",
    "tiff", "tmp",  "tsv", "txt",  "url",   "vba",   "vbe",  "vbs",    "vhd",  "vhdx", "wav",
    "webp", "wsf",  "wsh", "xla",  "xlam",  "xll",   "xls",  "xlsb",   "xlsm", "xlsx", "xml",
    "yaml", "yml",  "zip"};
static_assert(std::is_sorted(std::begin(kFileExtensions), std::end(kFileExtensions)));

bool all_digits(std::string_view text) noexcept {
  return !text.empty() && all_of(text, is_digit);
}

std::string shorten(std::string_view text) {
  constexpr size_t kMax = 100;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

// Strips one layer of quotes, backticks or angle brackets, and surrounding spaces.
std::string_view unwrap(std::string_view text) noexcept {
  text = trim(text);
  if (text.size() >= 2) {
    char first = text.front(), last = text.back();
    if ((first == '"' && last == '"') || (first == '\'' && last == '\'') ||
        (first == '`' && last == '`') || (first == '<' && last == '>'))
      text = trim(text.substr(1, text.size() - 2));
  }
  return text;
}

bool has_space(std::string_view text) noexcept {
  return std::any_of(text.begin(), text.end(), [](char c) { return is_space(c); });
}

int default_port(std::string_view scheme) noexcept {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return -1;
}

// IPv4, IPv4:port, IPv6, [IPv6] or [IPv6]:port.
std::optional<IpAddress> parse_ip_with_port(std::string_view text) {
  if (auto ip = parse_ip(text)) return ip;
  auto port_ok = [](std::string_view port) { return port.size() <= 5 && all_digits(port); };
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && port_ok(rest.substr(1)))) return std::nullopt;
    return parse_ipv6(text.substr(1, close - 1));
  }
  size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos &&
      port_ok(text.substr(colon + 1)))
    return parse_ipv4(text.substr(0, colon));
  return std::nullopt;
}

// "evil.example:8443" -> "evil.example"; anything else unchanged.
std::string_view without_port(std::string_view text) noexcept {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
    return text;
  std::string_view port = text.substr(colon + 1);
  bool valid = port.size() <= 5 && all_digits(port) && std::stoi(std::string(port)) <= 65535;
  return valid ? text.substr(0, colon) : text;
}

Indicator ip_indicator(const IpAddress& ip) {
  Indicator indicator;
  indicator.type = ip.is_v4() ? IndicatorType::Ipv4 : IndicatorType::Ipv6;
  indicator.value = ip.to_string();
  indicator.ip = ip;
  return indicator;
}

Indicator url_indicator(Url url) {
  Indicator indicator;
  indicator.type = IndicatorType::Url;
  indicator.value = url.normalized;
  indicator.url = std::move(url);
  return indicator;
}

Indicator simple_indicator(IndicatorType type, std::string value) {
  Indicator indicator;
  indicator.type = type;
  indicator.value = std::move(value);
  return indicator;
}

// Every failure without a `type` hint reads "'X' is not an IP, domain, URL or hash: <why and fix>".
std::string not_an_indicator(std::string_view text, std::string_view why_and_fix) {
  return "'" + shorten(text) + "' is not an IP, domain, URL or hash: " + std::string(why_and_fix);
}

constexpr std::string_view kHowToPass =
    "pass one indicator such as 198.51.100.7, 2001:db8::7, evil.example.com, "
    "https://evil.example.com/path or an MD5/SHA-1/SHA-256 hash (defanged forms like "
    "198.51.100[.]7 and hxxps[:]// are fine); to pull indicators out of free text, use "
    "ThreatIntel.ExtractIndicators";

std::string_view hash_label(IndicatorType type) noexcept {
  switch (type) {
    case IndicatorType::Md5:
      return "an MD5";
    case IndicatorType::Sha1:
      return "a SHA-1";
    default:
      return "a SHA-256";
  }
}

// A scheme-less "host/path" or "host?query" read as an http URL, when the host is one.
std::optional<Url> host_path_url(std::string_view text) {
  size_t end = text.find_first_of("/?");
  if (end == std::string_view::npos || end == 0) return std::nullopt;
  std::string_view host = text.substr(0, end);
  if (!parse_ip_with_port(host) && !normalize_domain(host.substr(0, host.rfind(':')), {}))
    return std::nullopt;
  return parse_url("http://" + std::string(text));
}

}  // namespace

std::string_view type_name(IndicatorType type) noexcept {
  switch (type) {
    case IndicatorType::Ipv4:
      return "ipv4";
    case IndicatorType::Ipv6:
      return "ipv6";
    case IndicatorType::Domain:
      return "domain";
    case IndicatorType::Url:
      return "url";
    case IndicatorType::Email:
      return "email";
    case IndicatorType::Md5:
      return "md5";
    case IndicatorType::Sha1:
      return "sha1";
    case IndicatorType::Sha256:
      return "sha256";
    case IndicatorType::Cve:
      return "cve";
  }
  return "unknown";
}

bool is_hash(IndicatorType type) noexcept {
  return type == IndicatorType::Md5 || type == IndicatorType::Sha1 || type == IndicatorType::Sha256;
}

std::optional<TypeHint> parse_type_hint(std::string_view text) {
  std::string name = to_lower(trim(text));
  std::erase(name, '-');
  std::erase(name, '_');
  if (name == "ip" || name == "ipaddress" || name == "address") return TypeHint::Ip;
  if (name == "ipv4") return TypeHint::Ipv4;
  if (name == "ipv6") return TypeHint::Ipv6;
  if (name == "domain" || name == "hostname" || name == "fqdn") return TypeHint::Domain;
  if (name == "url" || name == "uri") return TypeHint::Url;
  if (name == "hash" || name == "filehash") return TypeHint::Hash;
  if (name == "md5") return TypeHint::Md5;
  if (name == "sha1") return TypeHint::Sha1;
  if (name == "sha256") return TypeHint::Sha256;
  return std::nullopt;
}

bool is_file_extension(std::string_view label) noexcept {
  return std::binary_search(std::begin(kFileExtensions), std::end(kFileExtensions), label);
}

std::optional<std::string> normalize_domain(std::string_view text, const DomainRules& rules) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return std::nullopt;
  std::string name = to_lower(text);
  size_t labels = 0;
  std::string_view last;
  std::string_view rest = name;
  while (true) {
    size_t dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return std::nullopt;
    for (char c : label)
      if (!(is_alnum(c) || c == '-' || (c == '_' && rules.allow_underscore))) return std::nullopt;
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (rules.require_dot && labels < 2) return std::nullopt;
  if (rules.strict_tld) {
    bool alphabetic = last.size() >= 2 && all_of(last, is_alpha);
    bool idn = last.size() > 4 && last.substr(0, 4) == "xn--";
    if (!alphabetic && !idn) return std::nullopt;
  } else if (all_digits(last)) {
    return std::nullopt;
  }
  if (rules.reject_file_extensions && is_file_extension(last)) return std::nullopt;
  return name;
}

std::optional<IndicatorType> hash_type(std::string_view text) noexcept {
  if (!all_of(text, is_hex)) return std::nullopt;
  switch (text.size()) {
    case 32:
      return IndicatorType::Md5;
    case 40:
      return IndicatorType::Sha1;
    case 64:
      return IndicatorType::Sha256;
    default:
      return std::nullopt;
  }
}

std::optional<std::string> normalize_cve(std::string_view text) {
  if (text.size() < 13 || text.size() > 20 || !istarts_with(text, "cve-")) return std::nullopt;
  std::string_view year = text.substr(4, 4);
  std::string_view number = text.substr(9);
  if (!all_digits(year) || text[8] != '-' || number.size() < 4 || !all_digits(number))
    return std::nullopt;
  return "CVE-" + std::string(year) + "-" + std::string(number);
}

std::optional<Url> parse_url(std::string_view text) {
  size_t separator = text.find("://");
  if (separator == std::string_view::npos || separator == 0) return std::nullopt;
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  Url url;
  url.scheme = to_lower(text.substr(0, separator));
  if (!is_alpha(url.scheme.front())) return std::nullopt;
  for (char c : url.scheme)
    if (!(is_alnum(c) || c == '+' || c == '-' || c == '.')) return std::nullopt;

  std::string_view rest = text.substr(separator + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  tail = tail.substr(0, tail.find('#'));

  size_t at = authority.rfind('@');
  std::string_view userinfo =
      at == std::string_view::npos ? std::string_view{} : authority.substr(0, at + 1);
  std::string_view host_port = at == std::string_view::npos ? authority : authority.substr(at + 1);

  std::string_view host, port;
  if (!host_port.empty() && host_port.front() == '[') {
    size_t close = host_port.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = host_port.substr(1, close - 1);
    std::string_view after = host_port.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
    auto ip = parse_ipv6(host);
    if (!ip) return std::nullopt;
    url.host_ip = ip;
    url.host = ip->to_string();
  } else {
    size_t colon = host_port.rfind(':');
    host = host_port.substr(0, colon);
    if (colon != std::string_view::npos) port = host_port.substr(colon + 1);
    if (auto ip = parse_ipv4(host)) {
      url.host_ip = ip;
      url.host = ip->to_string();
    } else {
      DomainRules rules;
      rules.strict_tld = false;
      rules.require_dot = false;
      auto name = normalize_domain(host, rules);
      if (!name) return std::nullopt;
      url.host = std::move(*name);
    }
  }
  if (!port.empty()) {
    if (port.size() > 5 || !all_digits(port) || std::stoi(std::string(port)) > 65535)
      return std::nullopt;
    if (std::stoi(std::string(port)) == default_port(url.scheme)) port = {};
  }

  url.normalized = url.scheme + "://";
  url.normalized += userinfo;
  if (url.host_ip && !url.host_ip->is_v4())
    url.normalized += "[" + url.host + "]";
  else
    url.normalized += url.host;
  if (!port.empty()) url.normalized += ":" + std::string(port);
  if (tail.empty() || tail.front() == '?') url.normalized += '/';
  url.normalized += tail;
  return url;
}

Classification classify_indicator(std::string_view text, std::optional<TypeHint> hint) {
  Classification result;
  Refanged refanged = refang(unwrap(text));
  std::string_view value = unwrap(refanged.text);
  auto done = [&](Indicator indicator) {
    indicator.defanged = refanged.any_changed;
    result.indicator = std::move(indicator);
    return std::move(result);
  };
  auto fail = [&](std::string message) {
    result.error = std::move(message);
    return std::move(result);
  };
  if (value.empty())
    return fail(
        "the indicator is empty: pass an IP address, domain, URL or MD5/SHA-1/SHA-256 hash");
  if (has_space(value))
    return fail(not_an_indicator(value,
                                 "it contains spaces; pass one indicator at a time, and to pull "
                                 "indicators out of free text, use ThreatIntel.ExtractIndicators"));

  if (hint) {
    const std::string quoted = "'" + shorten(value) + "'";
    const std::string drop_type = ": check the value, or leave out `type` to detect it";
    switch (*hint) {
      case TypeHint::Ip:
      case TypeHint::Ipv4:
      case TypeHint::Ipv6: {
        auto ip = parse_ip_with_port(value);
        if (ip && *hint == TypeHint::Ipv4 && !ip->is_v4())
          return fail(quoted + " is an IPv6 address, not IPv4" + drop_type);
        if (ip && *hint == TypeHint::Ipv6 && ip->is_v4())
          return fail(quoted + " is an IPv4 address, not IPv6" + drop_type);
        if (!ip) return fail(quoted + " is not an IP address (e.g. 198.51.100.7)" + drop_type);
        return done(ip_indicator(*ip));
      }
      case TypeHint::Domain: {
        DomainRules rules;
        rules.strict_tld = false;
        rules.require_dot = false;
        auto name = normalize_domain(value, rules);
        if (!name)
          return fail(quoted + " is not a domain name (e.g. evil.example.com)" + drop_type);
        return done(simple_indicator(IndicatorType::Domain, std::move(*name)));
      }
      case TypeHint::Url: {
        auto url = value.find("://") == std::string_view::npos
                       ? parse_url("http://" + std::string(value))
                       : parse_url(value);
        if (!url)
          return fail(quoted + " is not a URL (e.g. https://evil.example.com/x)" + drop_type);
        return done(url_indicator(std::move(*url)));
      }
      case TypeHint::Hash:
      case TypeHint::Md5:
      case TypeHint::Sha1:
      case TypeHint::Sha256: {
        auto type = hash_type(value);
        IndicatorType wanted = *hint == TypeHint::Md5    ? IndicatorType::Md5
                               : *hint == TypeHint::Sha1 ? IndicatorType::Sha1
                                                         : IndicatorType::Sha256;
        if (!type || (*hint != TypeHint::Hash && *type != wanted))
          return fail(quoted + " is not " +
                      (*hint == TypeHint::Hash ? std::string("an MD5, SHA-1 or SHA-256 hash")
                                               : std::string(hash_label(wanted)) + " hash") +
                      " (32, 40 or 64 hexadecimal digits)" + drop_type);
        return done(simple_indicator(*type, to_lower(value)));
      }
    }
  }

  if (value.find("://") != std::string_view::npos) {
    if (auto url = parse_url(value)) return done(url_indicator(std::move(*url)));
    return fail(not_an_indicator(value,
                                 "it looks like a URL but is not a valid one; write it as "
                                 "scheme://host[:port]/path with a domain or IP host, e.g. "
                                 "https://evil.example.com/x"));
  }
  if (auto type = hash_type(value)) return done(simple_indicator(*type, to_lower(value)));
  if (auto ip = parse_ip_with_port(value)) return done(ip_indicator(*ip));
  if (auto name = normalize_domain(without_port(value), {})) {
    std::string_view last = std::string_view(*name).substr(name->rfind('.') + 1);
    if (is_file_extension(last))
      return fail(not_an_indicator(value,
                                   "it looks like a file name; to look up a file, pass its MD5, "
                                   "SHA-1 or SHA-256 hash, and if it really is a domain, set "
                                   "`type` to domain"));
    return done(simple_indicator(IndicatorType::Domain, std::move(*name)));
  }
  if (value.find('/') != std::string_view::npos && parse_network(value))
    return fail(not_an_indicator(value,
                                 "it is a network range; look up one address in it, e.g. its "
                                 "first address"));
  if (auto url = host_path_url(value)) return done(url_indicator(std::move(*url)));
  if (size_t at = value.find('@'); at != std::string_view::npos && at > 0)
    if (normalize_domain(value.substr(at + 1), {}))
      return fail(not_an_indicator(value,
                                   "it is an e-mail address and the feeds list "
                                   "domains; look up its domain (" +
                                       std::string(value.substr(at + 1)) + ") instead"));
  if (normalize_cve(value))
    return fail(not_an_indicator(value,
                                 "it is a CVE id, which reputation feeds do not list; pass an "
                                 "IP, domain, URL or hash seen with the exploit instead"));
  return fail(not_an_indicator(value, kHowToPass));
}

}  // namespace threat_intel

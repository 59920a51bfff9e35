#include "posture/firewall_checks.hpp"

#include <utility>

#include "key_value.hpp"
#include "text_util.hpp"

namespace posture {
namespace {

constexpr CheckInfo kActive{
    "firewall.active",
    "A host firewall loads at boot",
    "firewall",
    "CIS Debian Linux 12 v1.0.1 4.1.3 Ensure ufw service is enabled, 4.2.9 Ensure nftables "
    "service is enabled, 4.2.10 Ensure nftables rules are permanent (section 4.3 for iptables)",
    Severity::high,
    "Pick one firewall and enable it: 'apt install ufw', 'ufw allow OpenSSH', 'ufw default deny "
    "incoming', 'ufw enable'; or write a ruleset with a default-drop input chain to "
    "/etc/nftables.conf and run 'systemctl enable --now nftables'."};
constexpr CheckInfo kSingle{
    "firewall.single_utility",
    "Only one firewall tool manages the rules",
    "firewall",
    "CIS Debian Linux 12 v1.0.1 4.1.2 Ensure iptables-persistent is not installed with ufw, "
    "4.2.2 Ensure ufw is uninstalled or disabled with nftables",
    Severity::low,
    "Keep one: disable the others ('ufw disable', 'systemctl disable nftables', 'apt purge "
    "iptables-persistent') so their rules cannot contradict each other at boot."};

constexpr int kMaxNftIncludeDepth = 4;

// One firewall tool as configured, with what was seen of it.
struct Tool {
  explicit Tool(std::string tool_name) : name(std::move(tool_name)) {}
  std::string name;
  bool configured = false;  // it has a ruleset or is switched on
  bool enabled = false;     // its service starts at boot
  std::vector<Evidence> evidence;
  std::string state;  // one phrase for the detail
};

bool service_enabled(const RootFs& fs, std::string_view unit, Tool& tool) {
  const auto links = fs.glob("/etc/systemd/system/*.wants/" + std::string(unit));
  if (!links.empty()) {
    tool.evidence.push_back({links.front(), 0, "enabled", std::string(unit) + " starts at boot"});
    return true;
  }
  tool.evidence.push_back({"/etc/systemd/system", 0, std::string(unit) + " not enabled",
                           "no link under /etc/systemd/system/*.wants/"});
  return false;
}

void summarize_nft_file(const RootFs& fs, const std::string& path, NftSummary& total,
                        std::vector<Evidence>& evidence, int depth) {
  const FileText file = fs.read(path);
  if (file.state != FileText::State::ok) return;
  const NftSummary summary = summarize_nft(file.text);
  total.tables += summary.tables;
  total.chains += summary.chains;
  total.rules += summary.rules;
  total.drop_policy = total.drop_policy || summary.drop_policy;
  evidence.push_back({path, 0,
                      std::to_string(summary.tables) + " table(s), " +
                          std::to_string(summary.chains) + " chain(s), " +
                          std::to_string(summary.rules) + " rule(s)" +
                          (summary.drop_policy ? ", a drop policy" : ""),
                      ""});
  if (depth >= kMaxNftIncludeDepth) return;
  for (const auto& pattern : summary.includes) {
    // nft looks relative include paths up in its include folder, /etc.
    const std::string absolute = pattern.front() == '/' ? pattern : join_host_path("/etc", pattern);
    for (const auto& included : fs.glob(absolute))
      summarize_nft_file(fs, included, total, evidence, depth + 1);
  }
}

Tool nftables(const RootFs& fs) {
  Tool tool("nftables");
  if (!fs.lstat("/etc/nftables.conf")) {
    tool.state = "nftables has no /etc/nftables.conf";
    tool.evidence.push_back({"/etc/nftables.conf", 0, "missing", "nftables is not set up"});
    return tool;
  }
  NftSummary total;
  summarize_nft_file(fs, "/etc/nftables.conf", total, tool.evidence, 0);
  tool.configured = total.rules > 0 || total.drop_policy;
  tool.enabled = service_enabled(fs, "nftables.service", tool);
  if (!tool.configured)
    tool.state = "/etc/nftables.conf has an empty ruleset (no rules, no drop policy)";
  else if (!tool.enabled)
    tool.state = "/etc/nftables.conf has rules but nftables.service is not enabled";
  else
    tool.state = "nftables loads " + std::to_string(total.rules) + " rule(s) at boot";
  return tool;
}

Tool ufw(const RootFs& fs) {
  Tool tool("ufw");
  const FileText conf = fs.read("/etc/ufw/ufw.conf");
  if (conf.state != FileText::State::ok) {
    tool.state = "ufw is not installed";
    tool.evidence.push_back({"/etc/ufw/ufw.conf", 0, "missing", "ufw is not installed"});
    return tool;
  }
  const auto entries = parse_key_values(conf.text, "/etc/ufw/ufw.conf", Separator::equals);
  const KeyValue* enabled = last_value(entries, "ENABLED");
  tool.configured = enabled && iequals(enabled->value, "yes");
  if (enabled)
    tool.evidence.push_back(evidence_of(*enabled));
  else
    tool.evidence.push_back({"/etc/ufw/ufw.conf", 0, "ENABLED not set", "ufw stays off"});
  tool.enabled = service_enabled(fs, "ufw.service", tool);
  tool.state = !tool.configured ? "ufw is installed but ENABLED is not yes"
               : !tool.enabled  ? "ufw is ENABLED=yes but ufw.service does not start at boot"
                                : "ufw is enabled";
  return tool;
}

Tool iptables_persistent(const RootFs& fs) {
  Tool tool("iptables-persistent");
  int rules = 0;
  bool drop = false, found = false;
  for (const char* path : {"/etc/iptables/rules.v4", "/etc/iptables/rules.v6"}) {
    const FileText file = fs.read(path);
    if (file.state != FileText::State::ok) continue;
    found = true;
    int file_rules = 0;
    for (const auto& line : split_lines(file.text)) {
      const std::string_view text = trim(line.text);
      if (text.starts_with("-A ")) ++file_rules;
      if (text.starts_with(":") && text.find(" DROP") != std::string_view::npos &&
          !text.starts_with(":OUTPUT"))
        drop = true;
    }
    rules += file_rules;
    tool.evidence.push_back({path, 0, std::to_string(file_rules) + " rule(s)", ""});
  }
  if (!found) {
    tool.state = "iptables-persistent has no saved rules";
    tool.evidence.push_back(
        {"/etc/iptables/rules.v4", 0, "missing", "no saved iptables rules (nor rules.v6)"});
    return tool;
  }
  tool.configured = rules > 0 || drop;
  tool.enabled = service_enabled(fs, "netfilter-persistent.service", tool);
  tool.state = !tool.configured ? "/etc/iptables/rules.v4 and rules.v6 hold no rules"
               : !tool.enabled  ? "saved iptables rules exist but netfilter-persistent.service "
                                  "does not start at boot"
                                : "netfilter-persistent loads " + std::to_string(rules) +
                                     " saved iptables rule(s) at boot";
  return tool;
}

}  // namespace

NftSummary summarize_nft(std::string_view text) {
  NftSummary summary;
  enum class Block { table, chain, other };
  std::vector<Block> blocks;
  std::string statement;
  auto words_of = [](std::string_view s) { return split_blanks(trim(s)); };
  // Each statement is taken out of `statement` before it is split: the words view its text.
  auto flush = [&] {
    const std::string current = std::exchange(statement, {});
    const auto words = words_of(current);
    if (words.empty()) return;
    if (blocks.empty()) {
      if (words[0] == "include" && words.size() >= 2) {
        std::string path(words[1]);
        if (path.size() >= 2 && path.front() == '"') path = path.substr(1, path.size() - 2);
        summary.includes.push_back(path);
      }
      return;
    }
    if (blocks.back() != Block::chain) return;
    if (words[0] == "policy") {
      summary.drop_policy = summary.drop_policy || (words.size() >= 2 && words[1] == "drop");
      return;
    }
    if (words[0] == "type" || words[0] == "comment" || words[0] == "devices") return;
    ++summary.rules;
  };
  bool comment = false;
  for (const char c : text) {
    if (comment) {
      if (c == '\n')
        comment = false;
      else
        continue;
    }
    if (c == '#') {
      comment = true;
      continue;
    }
    if (c == '{') {
      const std::string current = std::exchange(statement, {});
      const auto words = words_of(current);
      const std::string_view first = words.empty() ? "" : words[0];
      const bool top = blocks.empty();
      if (first == "table" && top) ++summary.tables;
      if (first == "chain" && !top && blocks.back() == Block::table) ++summary.chains;
      blocks.push_back(first == "table" && top                                     ? Block::table
                       : first == "chain" && !top && blocks.back() == Block::table ? Block::chain
                                                                                   : Block::other);
    } else if (c == '}') {
      flush();
      if (!blocks.empty()) blocks.pop_back();
    } else if (c == ';' || c == '\n') {
      flush();
    } else {
      statement += c;
    }
  }
  flush();
  return summary;
}

std::vector<CheckResult> check_firewall(const RootFs& fs) {
  const Tool tools[] = {nftables(fs), ufw(fs), iptables_persistent(fs)};
  CheckResult active = make_result(kActive, Status::fail, "");
  std::vector<std::string> running, running_states, states;
  for (const auto& tool : tools) {
    active.evidence.insert(active.evidence.end(), tool.evidence.begin(), tool.evidence.end());
    states.push_back(tool.state);
    if (tool.configured && tool.enabled) {
      running.push_back(tool.name);
      running_states.push_back(tool.state);
    }
  }
  if (!running.empty()) {
    active.status = Status::pass;
    active.detail = join(running_states, "; ");
  } else {
    active.detail = "no firewall loads at boot: " + join(states, "; ");
  }
  CheckResult single = make_result(kSingle, Status::pass, "");
  if (running.empty()) {
    single.status = Status::not_applicable;
    single.detail = "no firewall loads at boot";
  } else if (running.size() == 1) {
    single.detail = "only " + running.front() + " manages the firewall";
  } else {
    single.status = Status::fail;
    single.detail = join(running, " and ") + (running.size() == 2 ? " both" : " all") +
                    " load rules at boot: they overwrite or contradict each other";
    single.evidence = active.evidence;
  }
  return {std::move(active), std::move(single)};
}

}  // namespace posture

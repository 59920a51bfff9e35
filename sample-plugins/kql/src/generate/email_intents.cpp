// E-mail (Defender for Office 365): messages from a sender or domain, messages carrying a URL.
#include <cctype>

#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

bool mentions_email(const Request& r) {
  return r.has_any({"email", "emails", "e-mail", "e-mails", "mail", "mails", "message", "messages",
                    "phish", "phishing", "sender", "senders", "inbox", "sent", "received",
                    "recipients"});
}

bool mentions_link(const Request& r) {
  return r.has_any({"url", "urls", "link", "links", "clicked", "hyperlink"}) ||
         !r.entities.urls.empty();
}

std::string url_host(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  const size_t end = url.find_first_of("/:?#", start);
  std::string host(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
  for (char& c : host)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

int score_sender(const Request& r) {
  if (!mentions_email(r) || mentions_link(r)) return 0;
  if (!r.entities.emails.empty()) return 80;
  if (!r.entities.domains.empty() && r.has("from")) return 75;
  return 0;
}

Generated build_sender(const Request& r) {
  Generated g;
  g.tables = {"EmailEvents"};
  const TimeWindow window = window_or_default(r, 7, g);
  // "e-mails to bob@..." are about the recipient; otherwise addresses are senders.
  const bool to_recipient =
      r.has_any({"to", "sent to", "received by", "recipient"}) && !r.has("from");
  std::string query = "EmailEvents\n" + time_filter("Timestamp", window) + "\n";
  std::vector<std::string> described;
  if (!r.entities.emails.empty()) {
    query += "| where " +
             equals_any(to_recipient ? "RecipientEmailAddress" : "SenderFromAddress",
                        r.entities.emails, true) +
             "\n";
    described = r.entities.emails;
  } else {
    query += "| where " + equals_any("SenderFromDomain", r.entities.domains, true) + "\n";
    described = r.entities.domains;
  }
  if (r.has_any({"phish", "phishing", "malicious", "malware", "threat", "threats"}))
    query += "| where isnotempty(ThreatTypes)\n";
  query +=
      "| project Timestamp, SenderFromAddress, SenderMailFromAddress, SenderIPv4, "
      "RecipientEmailAddress, Subject, DeliveryAction, DeliveryLocation, ThreatTypes, "
      "AttachmentCount, UrlCount, NetworkMessageId\n| sort by Timestamp desc";
  g.query = std::move(query);
  g.explanation = "Lists e-mails " + std::string(to_recipient ? "sent to " : "from ") +
                  join_words(described) + " in " + window.phrase +
                  " with recipients, subject, delivery and threat verdicts, newest first.";
  if (!to_recipient && !r.entities.emails.empty())
    g.assumptions.push_back(
        "The sender is matched on the From header (SenderFromAddress); the "
        "envelope sender is SenderMailFromAddress.");
  return g;
}

int score_url(const Request& r) {
  if (!mentions_email(r)) return 0;
  if (!r.entities.urls.empty()) return 85;
  if (!r.entities.domains.empty() && mentions_link(r)) return 82;
  if (!r.entities.domains.empty()) return 60;
  return 0;
}

Generated build_url(const Request& r) {
  Generated g;
  g.tables = {"EmailUrlInfo", "EmailEvents"};
  const TimeWindow window = window_or_default(r, 7, g);
  std::vector<std::string> conditions;
  std::vector<std::string> described;
  for (const auto& url : r.entities.urls) {
    conditions.push_back("Url startswith " + kql_literal(url));
    described.push_back(url);
  }
  for (const auto& domain : r.entities.domains) {
    conditions.push_back("UrlDomain =~ " + kql_literal(domain) + " or UrlDomain endswith " +
                         kql_literal("." + domain));
    described.push_back(domain);
  }
  if (conditions.empty())  // "emails with links to <url>" where only the URL's host is known
    for (const auto& url : r.entities.urls)
      conditions.push_back("UrlDomain =~ " + kql_literal(url_host(url)));
  std::string any;
  for (size_t i = 0; i < conditions.size(); ++i)
    any += (i ? " or " : "") + conditions[i];
  g.query = "EmailUrlInfo\n" + time_filter("Timestamp", window) + "\n| where " + any + "\n" +
            "| join kind=inner (EmailEvents\n    " + time_filter("Timestamp", window) +
            "\n    | project NetworkMessageId, SenderFromAddress, RecipientEmailAddress, "
            "Subject, DeliveryAction, ThreatTypes) on NetworkMessageId\n" +
            "| project Timestamp, Url, UrlLocation, SenderFromAddress, RecipientEmailAddress, "
            "Subject, DeliveryAction, ThreatTypes\n| sort by Timestamp desc";
  g.explanation = "Finds e-mails in " + window.phrase + " that carry a link to " +
                  join_words(described) +
                  " (EmailUrlInfo), with their sender, recipient, "
                  "subject and delivery (joined from EmailEvents), newest first.";
  if (!r.entities.domains.empty())
    g.assumptions.push_back("A domain matches its subdomains too (UrlDomain ends with ." +
                            r.entities.domains.front() + ").");
  return g;
}

}  // namespace

void add_email_intents(std::vector<Intent>& list) {
  list.push_back({"emails_from_sender", "E-mails from (or to) an address or sender domain",
                  "Show e-mails from attacker@evil-example.com in the last 7 days", score_sender,
                  build_sender});
  list.push_back({"emails_with_url", "E-mails carrying a link to a URL or domain",
                  "Which emails contained links to evil-example.com this week?", score_url,
                  build_url});
}

}  // namespace kql_skills

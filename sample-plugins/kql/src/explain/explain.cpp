// ExplainKql: steps for each statement and operator, then a summary paragraph.
#include "kql_skills/explain.hpp"

#include <cctype>

#include <boost/json.hpp>

#include "explain/describe.hpp"
#include "kql/print.hpp"
#include "kql_skills/diagnostics_json.hpp"
#include "kql_skills/validate.hpp"

namespace kql_skills {
namespace {

// The step as written, on one line and at most 120 characters.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > 120) out = out.substr(0, 117) + "...";
  return out;
}

// "Keeps rows" -> "keeps rows", but "DeviceInfo is read" stays: only a plain capitalised word
// (a sentence's verb) loses its capital.
std::string lower_first(std::string text) {
  if (text.empty() || !std::isupper(static_cast<unsigned char>(text[0]))) return text;
  for (size_t i = 1; i < text.size() && text[i] != ' '; ++i)
    if (!std::islower(static_cast<unsigned char>(text[i]))) return text;
  text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string without_period(std::string text) {
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

class Explainer {
 public:
  Explainer(std::string_view text, const kql::Catalogue& catalogue) : describer_(text, catalogue) {}

  void add_query(const kql::Query& query, int statement, std::vector<std::string>* sentences) {
    ExplainStep source{
        statement, "source", source_name(query), "", describer_.source(query), query.source_range};
    source.text = one_line(describer_.slice(query.source_range));
    if (sentences) sentences->push_back(source.explanation);
    steps_.push_back(std::move(source));
    for (const auto& op : query.pipeline) {
      ExplainStep step{statement, "operator", kql::operator_name(op), "", describer_.operation(op),
                       op.range};
      step.text = one_line(describer_.slice(op.range));
      if (sentences) sentences->push_back(step.explanation);
      steps_.push_back(std::move(step));
    }
  }

  void add_let(const kql::LetStatement& let, const kql::Statement& statement, int index,
               std::vector<std::string>& definitions) {
    ExplainStep step{index, "let",          let.name, one_line(describer_.slice(statement.range)),
                     "",    statement.range};
    if (let.scalar) {
      step.explanation = "Defines " + let.name + " as " + describer_.value(*let.scalar) + ".";
      definitions.push_back(let.name + " (" + describer_.value(*let.scalar) + ")");
      steps_.push_back(std::move(step));
    } else if (let.tabular) {
      step.explanation = "Defines " + let.name + " as a table, built by the next steps.";
      definitions.push_back(let.name + " (a table from " + source_name(*let.tabular) + ")");
      steps_.push_back(std::move(step));
      add_query(*let.tabular, index, nullptr);
    }
  }

  std::vector<ExplainStep> take_steps() { return std::move(steps_); }

 private:
  static std::string source_name(const kql::Query& query) {
    if (const auto* table = std::get_if<kql::TableSource>(&query.source)) return table->name;
    if (std::holds_alternative<kql::UnionSource>(query.source)) return "union";
    if (std::holds_alternative<kql::SearchSource>(query.source)) return "search";
    if (std::holds_alternative<kql::DatatableSource>(query.source)) return "datatable";
    if (std::holds_alternative<kql::PrintSource>(query.source)) return "print";
    if (std::holds_alternative<kql::RangeSource>(query.source)) return "range";
    return "sub-query";
  }

  Describer describer_;
  std::vector<ExplainStep> steps_;
};

std::string columns_sentence(const kql::TableSchema& schema) {
  if (schema.columns.empty() || schema.open) return "";
  std::vector<std::string> columns;
  for (const auto& column : schema.columns)
    columns.push_back(column.name + " (" + std::string(kql::type_name(column.type)) + ")");
  return "The result has the column" + std::string(columns.size() == 1 ? " " : "s ") +
         word_list(columns, 10) + ".";
}

}  // namespace

Explanation explain(std::string_view query, const kql::Catalogue& catalogue) {
  Explanation explanation;
  const Validation validation = validate(query, catalogue);
  explanation.valid = validation.valid();
  explanation.diagnostics = validation.parse.diagnostics;
  explanation.diagnostics.insert(explanation.diagnostics.end(),
                                 validation.check.diagnostics.begin(),
                                 validation.check.diagnostics.end());
  if (validation.checked) explanation.output = validation.check.output;

  Explainer explainer(query, catalogue);
  std::vector<std::string> definitions;
  std::vector<std::string> sentences;
  int index = 0;
  for (const auto& statement : validation.parse.ast.statements) {
    ++index;
    if (const auto* let = std::get_if<kql::LetStatement>(&statement.node)) {
      explainer.add_let(*let, statement, index, definitions);
    } else if (const auto* run = std::get_if<kql::QueryStatement>(&statement.node);
               run && run->query) {
      sentences.clear();  // the summary follows the last query
      explainer.add_query(*run->query, index, &sentences);
    }
  }
  explanation.steps = explainer.take_steps();

  std::string summary;
  if (!definitions.empty()) summary = "Defines " + word_list(definitions) + ". Then ";
  for (size_t i = 0; i < sentences.size(); ++i) {
    std::string sentence = without_period(sentences[i]);
    if (i > 0 || !summary.empty()) sentence = lower_first(sentence);
    summary += (i > 0 ? "; " : "") + sentence;
  }
  if (!sentences.empty()) summary += ".";
  if (!validation.parse.ok()) {
    const auto& first = validation.parse.diagnostics.front();
    summary += std::string(summary.empty() ? "" : " ") + "The query does not parse: line " +
               std::to_string(first.range.line) + ", column " + std::to_string(first.range.column) +
               ": " + first.message + ".";
  } else {
    const std::string columns = columns_sentence(explanation.output);
    if (!columns.empty()) summary += " " + columns;
    size_t errors = 0;
    std::vector<const kql::Diagnostic*> warnings;
    for (const auto& diagnostic : validation.check.diagnostics) {
      if (diagnostic.severity == kql::Severity::Error)
        ++errors;
      else
        warnings.push_back(&diagnostic);
    }
    if (errors > 0)
      summary += " The checker found " + std::to_string(errors) + " error" +
                 (errors == 1 ? "" : "s") + " (see errors).";
    if (!warnings.empty()) {
      summary += " Note: " + lower_first(without_period(warnings.front()->message));
      if (warnings.size() > 1)
        summary += " (and " + std::to_string(warnings.size() - 1) + " more warning" +
                   (warnings.size() > 2 ? "s" : "") + ")";
      summary += ".";
    }
  }
  explanation.summary = std::move(summary);
  return explanation;
}

boost::json::object explanation_json(const Explanation& explanation) {
  boost::json::object out;
  out["valid"] = explanation.valid;
  boost::json::array steps;
  int number = 0;
  for (const auto& step : explanation.steps) {
    boost::json::object item;
    item["step"] = ++number;
    item["statement"] = step.statement;
    item["kind"] = step.kind;
    item["name"] = step.name;
    item["text"] = step.text;
    item["explanation"] = step.explanation;
    item["line"] = step.range.line;
    item["column"] = step.range.column;
    steps.push_back(std::move(item));
  }
  out["steps"] = std::move(steps);
  out["summary"] = explanation.summary;
  out["columns"] = columns_json(explanation.output);
  out["errors"] = diagnostics_json(explanation.diagnostics, kql::Severity::Error);
  out["warnings"] = diagnostics_json(explanation.diagnostics, kql::Severity::Warning);
  return out;
}

}  // namespace kql_skills

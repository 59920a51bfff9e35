#include "column_needs.hpp"

#include <type_traits>

namespace log_hunt {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

void add_named(const std::vector<kql::NamedExpr>& items, ColumnNeeds& needs) {
  for (const auto& item : items)
    if (item.expr) add_references(*item.expr, needs);
}

void add_patterns(const std::vector<kql::ColumnPattern>& patterns, ColumnNeeds& needs) {
  for (const auto& pattern : patterns) {
    if (pattern.has_wildcard())
      needs.all = true;
    else
      needs.add(pattern.pattern);
  }
}

// Right-side columns come out of a join with a numeric suffix when the left has the name.
std::string without_digit_suffix(const std::string& name) {
  size_t end = name.size();
  while (end > 0 && name[end - 1] >= '0' && name[end - 1] <= '9')
    --end;
  return name.substr(0, end);
}

}  // namespace

void add_references(const kql::Expr& expr, ColumnNeeds& needs) {
  std::visit(Overloaded{
                 [&](const kql::ColumnRef& ref) { needs.add(ref.name); },
                 [&](const kql::StarExpr&) { needs.all = true; },
                 [&](const kql::CallExpr& call) {
                   for (const auto& arg : call.args)
                     if (arg) add_references(*arg, needs);
                 },
                 [&](const kql::UnaryExpr& unary) {
                   if (unary.operand) add_references(*unary.operand, needs);
                 },
                 [&](const kql::BinaryExpr& binary) {
                   if (binary.left) add_references(*binary.left, needs);
                   if (binary.right) add_references(*binary.right, needs);
                 },
                 [&](const kql::InExpr& in) {
                   if (in.left) add_references(*in.left, needs);
                   for (const auto& item : in.items)
                     if (item) add_references(*item, needs);
                 },
                 [&](const kql::BetweenExpr& between) {
                   for (const auto* part : {&between.left, &between.low, &between.high})
                     if (*part) add_references(**part, needs);
                 },
                 [&](const kql::MemberExpr& member) {
                   if (member.object) add_references(*member.object, needs);
                 },
                 [&](const kql::IndexExpr& index) {
                   if (index.object) add_references(*index.object, needs);
                   if (index.index) add_references(*index.index, needs);
                 },
                 [&](const auto&) {},  // literals, sub-queries (compiled on their own)
             },
             expr.node);
  if (needs.all) needs.names.clear();
}

std::vector<ColumnNeeds> needs_before_each(const std::vector<kql::Operator>& pipeline,
                                           const ColumnNeeds& at_end) {
  std::vector<ColumnNeeds> needs(pipeline.size() + 1);
  needs[pipeline.size()] = at_end;
  for (size_t i = pipeline.size(); i-- > 0;) {
    const ColumnNeeds& after = needs[i + 1];
    ColumnNeeds before;
    std::visit(Overloaded{
                   [&](const kql::WhereOperator& op) {
                     before = after;
                     if (op.predicate) add_references(*op.predicate, before);
                   },
                   [&](const kql::ProjectOperator& op) { add_named(op.columns, before); },
                   [&](const kql::ProjectAwayOperator&) { before = after; },
                   [&](const kql::ProjectKeepOperator& op) {
                     add_patterns(op.columns, before);
                     if (!after.all) before.merge(after);
                   },
                   [&](const kql::ProjectRenameOperator& op) {
                     before = after;
                     for (const auto& rename : op.renames)
                       before.add(rename.old_name);
                   },
                   [&](const kql::ProjectReorderOperator&) { before = after; },
                   [&](const kql::ExtendOperator& op) {
                     before = after;
                     add_named(op.columns, before);
                   },
                   [&](const kql::SerializeOperator& op) {
                     before = after;
                     add_named(op.columns, before);
                   },
                   [&](const kql::SummarizeOperator& op) {
                     add_named(op.aggregates, before);
                     add_named(op.by, before);
                   },
                   [&](const kql::SortOperator& op) {
                     before = after;
                     for (const auto& key : op.keys)
                       if (key.expr) add_references(*key.expr, before);
                   },
                   [&](const kql::TopOperator& op) {
                     before = after;
                     if (op.by.expr) add_references(*op.by.expr, before);
                   },
                   [&](const kql::JoinOperator& op) {
                     before = after;
                     if (!before.all)
                       for (const auto& name : after.names)
                         before.add(without_digit_suffix(name));
                     for (const auto& key : op.on)
                       before.add(key.left);
                   },
                   [&](const kql::LookupOperator& op) {
                     before = after;
                     for (const auto& key : op.on)
                       before.add(key.left);
                   },
                   [&](const kql::DistinctOperator& op) {
                     for (const auto& column : op.columns)
                       if (column) add_references(*column, before);
                   },
                   [&](const kql::CountOperator&) {},
                   [&](const kql::GetSchemaOperator&) {},
                   [&](const kql::ParseOperator& op) {
                     before = after;
                     if (op.source) add_references(*op.source, before);
                   },
                   [&](const kql::MvExpandOperator& op) {
                     before = after;
                     for (const auto& item : op.items)
                       if (item.column.expr) add_references(*item.column.expr, before);
                   },
                   [&](const auto&) { before = after; },  // take, union, render, as, sample, ...
               },
               pipeline[i].node);
    if (before.all) before.names.clear();
    needs[i] = std::move(before);
  }
  return needs;
}

}  // namespace log_hunt

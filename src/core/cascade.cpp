#include "data_bridge/core/cascade.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

CascadeStepKind step_kind(FkAction on_delete) {
    switch (on_delete) {
        case FkAction::kCascade:
            return CascadeStepKind::kDelete;
        case FkAction::kSetNull:
            return CascadeStepKind::kSetNull;
        case FkAction::kSetDefault:
            return CascadeStepKind::kSetDefault;
        case FkAction::kRestrict:
            return CascadeStepKind::kRestrict;
        case FkAction::kNoAction:
            return CascadeStepKind::kNoAction;
    }
    return CascadeStepKind::kNoAction;
}

const char* step_kind_sql(CascadeStepKind kind) {
    switch (kind) {
        case CascadeStepKind::kDelete:
            return "DELETE";
        case CascadeStepKind::kSetNull:
            return "SET NULL";
        case CascadeStepKind::kSetDefault:
            return "SET DEFAULT";
        case CascadeStepKind::kRestrict:
            return "RESTRICT";
        case CascadeStepKind::kNoAction:
            return "NO ACTION";
    }
    return "NO ACTION";
}

bool CascadeLedger::add_deleted(const RowId& id, int depth) {
    return deleted_.emplace(id, depth).second;
}

std::vector<CascadeLedger::Batch> CascadeLedger::deletion_order() const {
    std::map<std::pair<int, RelationId>, std::vector<RowId>, std::greater<>> grouped;
    for (const auto& entry : deleted_)
        grouped[{entry.second, entry.first.relid}].push_back(entry.first);
    std::vector<Batch> batches;
    for (auto& group : grouped) {
        batches.push_back({group.first.first, group.first.second, std::move(group.second)});
    }
    return batches;
}

void CascadeLedger::settle(std::vector<CascadeStep>& steps) const {
    for (CascadeStep& step : steps) {
        if (step.kind == CascadeStepKind::kDelete)
            continue;
        // A reference from a row that this cascade deletes anyway neither blocks nor is updated.
        long remaining = std::count_if(step.matched.begin(), step.matched.end(),
                                       [this](const RowId& id) { return !is_deleted(id); });
        step.rows = remaining;
        bool deferred = step.key != nullptr && step.key->initially_deferred;
        step.blocks = remaining > 0 && (step.kind == CascadeStepKind::kRestrict ||
                                        (step.kind == CascadeStepKind::kNoAction && !deferred));
    }
}

std::optional<Refusal> refusal_for(const std::vector<CascadeStep>& steps,
                                   const std::string& root_table, long root_rows,
                                   const std::vector<bool>& visible_counts) {
    for (std::size_t i = 0; i < steps.size(); i++) {
        const CascadeStep& step = steps[i];
        if (!step.blocks)
            continue;
        const ForeignKey& key = *step.key;
        std::string referenced =
            step.depth <= 1 ? std::string("it")
                            : fmt::format("rows being deleted from table \"{}\"", key.target.name);
        std::string who;
        if (i < visible_counts.size() && visible_counts[i]) {
            who = fmt::format("{} {} of table \"{}\" still {}", step.rows,
                              step.rows == 1 ? "row" : "rows", step.table_name,
                              step.rows == 1 ? "references" : "reference");
        } else {
            who = fmt::format("Rows of table \"{}\" still reference", step.table_name);
        }
        bool restrict = step.kind == CascadeStepKind::kRestrict;
        return Refusal{restrict ? sqlstate::kRestrictViolation : sqlstate::kForeignKeyViolation,
                       fmt::format("cannot delete {} of table \"{}\"",
                                   root_rows == 1 ? "row" : "rows", root_table),
                       fmt::format("{} {} through {} constraint \"{}\".", who, referenced,
                                   restrict ? "RESTRICT" : "NO ACTION", key.name),
                       "Delete or re-point the referencing rows first, or declare the foreign key "
                       "ON DELETE CASCADE or SET NULL."};
    }
    return std::nullopt;
}

}  // namespace data_bridge

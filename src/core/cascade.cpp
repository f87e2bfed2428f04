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

void CascadeLedger::settle_trial(std::vector<CascadeStep>& steps,
                                 const std::unordered_set<RowId, RowIdHash>& deleted,
                                 const std::unordered_set<RowId, RowIdHash>& updated) const {
    auto in = [](const std::unordered_set<RowId, RowIdHash>& rows) {
        return [&rows](const RowId& id) { return rows.count(id) != 0; };
    };
    for (CascadeStep& step : steps) {
        switch (step.kind) {
            case CascadeStepKind::kDelete:
                step.rows = std::count_if(step.matched.begin(), step.matched.end(), in(deleted));
                break;
            case CascadeStepKind::kSetNull:
            case CascadeStepKind::kSetDefault:
                step.rows = std::count_if(step.matched.begin(), step.matched.end(), in(updated));
                break;
            default:
                break;
        }
    }
}

std::vector<ReachedTable> cascade_closure(const FkGraph& graph, RelationId root,
                                          const std::function<TableFamily(RelationId)>& family_of) {
    std::vector<ReachedTable> reached{{root, {}}};
    std::unordered_set<RelationId> seen{root};
    for (std::size_t next = 0; next < reached.size(); next++) {
        TableFamily family = family_of(reached[next].table);
        std::vector<RelationId> targets = family.members;
        targets.insert(targets.end(), family.ancestors.begin(), family.ancestors.end());
        for (RelationId target : targets) {
            for (const ForeignKey* key : graph.referencing(target)) {
                if (key->on_delete == FkAction::kCascade && seen.insert(key->source_relid).second)
                    reached.push_back({key->source_relid, {}});
            }
        }
        reached[next].members = std::move(family.members);
    }
    return reached;
}

bool CascadeLedger::add_deleted(const RowId& id, int depth) {
    return deleted_.emplace(id, depth).second;
}

void CascadeLedger::settle(std::vector<CascadeStep>& steps) const {
    for (CascadeStep& step : steps) {
        if (step.kind == CascadeStepKind::kDelete)
            continue;
        // A reference from a row that this cascade deletes anyway neither blocks nor is updated.
        long remaining = std::count_if(step.matched.begin(), step.matched.end(),
                                       [this](const RowId& id) { return !is_deleted(id); });
        step.rows = remaining;
        step.blocks = false;
    }
}

namespace {

bool points_at(const CascadeStep& step, const Refusal& refusal) {
    const ForeignKey& key = *step.key;
    if (refusal.code == sqlstate::kForeignKeyViolation) {
        bool table_matches = refusal.table.empty() || refusal.table == key.source.name ||
                             refusal.table == key.target.name;
        return key.name == refusal.constraint && table_matches &&
               step.kind != CascadeStepKind::kDelete && step.kind != CascadeStepKind::kSetNull;
    }
    if (refusal.code == sqlstate::kNotNullViolation) {
        if (step.kind != CascadeStepKind::kSetNull && step.kind != CascadeStepKind::kSetDefault)
            return false;
        const auto& columns =
            key.on_delete_set_columns.empty() ? key.source_columns : key.on_delete_set_columns;
        return refusal.table == key.source.name &&
               std::find(columns.begin(), columns.end(), refusal.column) != columns.end();
    }
    return false;
}

}  // namespace

bool mark_refusal(std::vector<CascadeStep>& steps, const Refusal& refusal) {
    bool acting = false, any = false;
    for (const CascadeStep& step : steps) {
        if (step.key != nullptr && points_at(step, refusal)) {
            any = true;
            acting = acting || step.rows > 0;
        }
    }
    for (CascadeStep& step : steps) {
        if (step.key != nullptr && points_at(step, refusal) && (step.rows > 0 || !acting))
            step.blocks = true;
    }
    return any;
}

}  // namespace data_bridge

#include "data_bridge/core/cascade.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_set>

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

namespace {

// Whether the key pairs the two tables' distribution columns (the same position on each side).
bool pairs_distribution_columns(const ForeignKey& key, const TablePlacement& source,
                                const TablePlacement& target) {
    for (std::size_t i = 0; i < key.source_columns.size() && i < key.target_columns.size(); i++) {
        if (key.source_columns[i] == source.distribution_column &&
            key.target_columns[i] == target.distribution_column)
            return true;
    }
    return false;
}

Error leaves_tenant(const std::string& message, const std::string& detail) {
    return Error(sqlstate::kFeatureNotSupported, message, detail,
                 "Use a plain DELETE; get_backreferences shows what it reaches.");
}

}  // namespace

std::vector<const ForeignKey*> tenant_cascade_keys(
    const FkGraph& graph, RelationId root,
    const std::function<TablePlacement(RelationId)>& placement_of) {
    TablePlacement root_placement = placement_of(root);
    if (root_placement.distribution_column.empty()) {
        throw leaves_tenant(
            fmt::format("\"{}\" is a Citus table not hash-distributed by a column",
                        root_placement.name),
            "data_bridge counts cascades of one tenant's rows of a hash-distributed table.");
    }
    std::vector<const ForeignKey*> keys;
    std::vector<RelationId> reached{root};
    std::unordered_set<RelationId> seen{root};
    for (std::size_t next = 0; next < reached.size(); next++) {
        TablePlacement target = placement_of(reached[next]);
        for (const ForeignKey* key : graph.referencing(reached[next])) {
            if (key->on_delete != FkAction::kCascade)
                continue;
            TablePlacement source = placement_of(key->source_relid);
            if (source.distribution_column.empty() ||
                source.colocation != root_placement.colocation) {
                throw leaves_tenant(
                    fmt::format("the cascade from \"{}\" reaches \"{}\", which is not co-located "
                                "with it",
                                root_placement.name, source.name),
                    "data_bridge counts cascades that stay inside one tenant's shards.");
            }
            if (!pairs_distribution_columns(*key, source, target)) {
                throw leaves_tenant(
                    fmt::format("foreign key \"{}\" does not join \"{}\" to \"{}\" on their "
                                "distribution columns",
                                key->name, source.name, target.name),
                    "data_bridge counts cascades that stay inside one tenant's shards.");
            }
            keys.push_back(key);
            if (seen.insert(key->source_relid).second)
                reached.push_back(key->source_relid);
        }
    }
    return keys;
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

// Whether the refusal names this table (its schema too, when given).
bool names_table(const Refusal& refusal, const TableName& table) {
    return refusal.table.empty() || (refusal.table == table.name &&
                                     (refusal.schema.empty() || refusal.schema == table.schema));
}

bool points_at(const CascadeStep& step, const Refusal& refusal) {
    const ForeignKey& key = *step.key;
    if (refusal.code == sqlstate::kForeignKeyViolation) {
        if (key.name != refusal.constraint)
            return false;
        // ri_ReportViolation names the referencing table and its schema, for a reference left
        // behind as for a SET DEFAULT to a missing key or a SET NULL of some columns of a
        // MATCH FULL key.
        return step.kind != CascadeStepKind::kDelete && names_table(refusal, key.source);
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

namespace {

// The "_<digits>" a name ends with (Citus' shard suffix), or "" when it has none.
std::string shard_suffix(const std::string& name) {
    std::size_t underscore = name.rfind('_');
    if (underscore == std::string::npos || underscore == 0 || underscore + 1 == name.size())
        return "";
    for (std::size_t i = underscore + 1; i < name.size(); i++) {
        if (name[i] < '0' || name[i] > '9')
            return "";
    }
    return name.substr(underscore);
}

}  // namespace

std::optional<Refusal> without_shard_suffix(const Refusal& refusal) {
    std::string suffix = shard_suffix(refusal.table);
    if (suffix.empty() || refusal.constraint.size() <= suffix.size() ||
        shard_suffix(refusal.constraint) != suffix) {
        return std::nullopt;
    }
    Refusal logical = refusal;
    logical.table.resize(refusal.table.size() - suffix.size());
    logical.constraint.resize(refusal.constraint.size() - suffix.size());
    return logical;
}

bool mark_unnamed_refusal(std::vector<CascadeStep>& steps) {
    auto refuses = [](const CascadeStep& step) {
        return step.key != nullptr &&
               (step.kind == CascadeStepKind::kRestrict ||
                (step.kind == CascadeStepKind::kNoAction && !step.key->initially_deferred));
    };
    bool any = false;
    for (CascadeStep& step : steps) {
        if (refuses(step) && step.rows > 0) {
            step.blocks = true;
            any = true;
        }
    }
    if (any)
        return true;
    // No reference is left, yet the DELETE was refused: a check ran before the cascade deleted
    // the rows it found (PostgreSQL checks a key as its trigger fires, not at the end). Each key
    // that found rows may be the one.
    for (CascadeStep& step : steps) {
        if (refuses(step) && !step.matched.empty()) {
            step.blocks = true;
            any = true;
        }
    }
    return any;
}

}  // namespace data_bridge

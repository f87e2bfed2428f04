// The PostgreSQL-free half of delete_plan: which rows a walk has reached, which references
// remain, and which lines PostgreSQL's own refusal of the DELETE points at.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data_bridge/core/fk_graph.hpp"
#include "data_bridge/core/foreign_key.hpp"

namespace data_bridge {

// A row version: the leaf relation holding it and its ctid.
struct RowId {
    RelationId relid = 0;
    std::uint32_t block = 0;
    std::uint16_t offset = 0;

    bool operator==(const RowId& other) const {
        return relid == other.relid && block == other.block && offset == other.offset;
    }
};

struct RowIdHash {
    std::size_t operator()(const RowId& id) const {
        std::uint64_t packed = (static_cast<std::uint64_t>(id.block) << 16) | id.offset;
        return std::hash<std::uint64_t>()(packed ^ (static_cast<std::uint64_t>(id.relid) << 40));
    }
};

// What one foreign key does to the rows that reference rows being deleted.
enum class CascadeStepKind { kDelete, kSetNull, kSetDefault, kRestrict, kNoAction };
CascadeStepKind step_kind(FkAction on_delete);
const char* step_kind_sql(CascadeStepKind kind);

// One line of the dry-run plan: the rows that one foreign key acts on, reached from the rows of
// walk frontier `from` (whose chain of keys back to the root is the path).
struct CascadeStep {
    int depth = 0;
    int from = -1;
    const ForeignKey* key = nullptr;  // nullptr for the root line
    RelationId table = 0;
    std::string table_name;
    CascadeStepKind kind = CascadeStepKind::kDelete;
    // Rows found through this key at this depth (a DELETE step: those first reached here).
    std::vector<RowId> matched;
    long rows = 0;  // rows acted on (DELETE: newly reached; others: not deleted)
    bool blocks = false;
};

// The rows a cascade deletes, and the depth at which each was first reached.
class CascadeLedger {
  public:
    // True when the row was not reached before.
    bool add_deleted(const RowId& id, int depth);
    bool is_deleted(const RowId& id) const { return deleted_.count(id) != 0; }
    long deleted_count() const { return static_cast<long>(deleted_.size()); }

    // Finishes the non-delete steps: rows = matched rows that the cascade does not delete; no
    // step blocks until the DELETE itself says so (mark_refusal).
    void settle(std::vector<CascadeStep>& steps) const;

    // What the DELETE itself did to the reached rows (in the rolled-back trial; a trigger or
    // rule may have kept some, or updated them instead): a DELETE step counts its rows that were
    // deleted, a SET NULL / SET DEFAULT step the rows it matched that were updated. Rows in
    // neither set are still there as they were.
    void settle_trial(std::vector<CascadeStep>& steps,
                      const std::unordered_set<RowId, RowIdHash>& deleted,
                      const std::unordered_set<RowId, RowIdHash>& updated) const;

  private:
    std::unordered_map<RowId, int, RowIdHash> deleted_;
};

// A table among its partitions and inheritance children, as the catalogs describe it.
struct TableFamily {
    std::vector<RelationId> members;    // the table and every partition or child below it
    std::vector<RelationId> ancestors;  // the partitioned tables above it
};

// A table a cascade can reach, with the tables its rows live in (where PostgreSQL counts them).
struct ReachedTable {
    RelationId table;
    std::vector<RelationId> members;
};

// The tables a native DELETE of `root` can delete rows from: the root and, transitively, every
// table with an ON DELETE CASCADE foreign key into one of them, into one of their members, or
// into a partitioned table above them (a key on a partitioned table reaches its partitions).
// Each table once, in the order reached.
std::vector<ReachedTable> cascade_closure(const FkGraph& graph, RelationId root,
                                          const std::function<TableFamily(RelationId)>& family_of);

// How Citus places a table, as a cascade on Citus needs to know it.
struct TablePlacement {
    std::string name;                 // for messages
    bool managed = false;             // distributed, reference, or a local table in its metadata
    std::string distribution_column;  // "" unless hash-distributed
    std::uint32_t colocation = 0;     // tables with the same group keep a tenant's rows together
};

// The ON DELETE CASCADE foreign keys a DELETE of one tenant's rows of `root` follows, each once, in
// the order reached, when the cascade stays inside the tenant: the root and every table it reaches
// are hash-distributed, co-located with the root, and each key pairs the referencing table's
// distribution column with the referenced table's. Then every row the cascade deletes has the
// root rows' tenant, and a statement stating it reaches one shard of each table. Throws Error
// (0A000) naming the first table or key that leaves the tenant.
std::vector<const ForeignKey*> tenant_cascade_keys(
    const FkGraph& graph, RelationId root,
    const std::function<TablePlacement(RelationId)>& placement_of);

// What PostgreSQL's refusal of the DELETE names: the SQLSTATE, and the table, column and
// constraint fields of the error.
struct Refusal {
    std::string code;
    std::string table;
    std::string column;
    std::string constraint;
    std::string schema;  // the table's, when PostgreSQL gave it
};

// Marks as blocking the plan lines the refusal points at: for 23503, the lines of the foreign
// key it names (RESTRICT and NO ACTION references, or a SET DEFAULT whose default is missing);
// for 23502, the SET NULL / SET DEFAULT lines of the table and column it names. Lines that act
// on rows are preferred to lines that only matched rows the cascade deletes anyway. Returns
// false when no line matches (the refusal came from elsewhere: a trigger, a policy, a check).
bool mark_refusal(std::vector<CascadeStep>& steps, const Refusal& refusal);

// A refusal a Citus worker raised on a shard names the shard's table and key: "<table>_<shard
// id>", "<constraint>_<shard id>". The refusal as the logical table and key, when both carry the
// same shard id; none otherwise.
std::optional<Refusal> without_shard_suffix(const Refusal& refusal);

// A foreign-key refusal (23503) without the table and constraint it names (Citus passes a
// worker's error on without them): marks every RESTRICT or immediate NO ACTION line that still
// has rows referencing the deleted ones, each a reference PostgreSQL refuses on; when none has,
// every such line that found rows the cascade deletes later (a check may run before the cascade
// reaches them). Returns false when there is none.
bool mark_unnamed_refusal(std::vector<CascadeStep>& steps);

}  // namespace data_bridge

// delete_with_cascade(), delete_checked(), delete_plan() and delete_many_with_cascade().
//
// A cascade *is* a native DELETE: the root rows are deleted by `DELETE FROM t WHERE key = ...`
// run as the caller, and PostgreSQL's own foreign-key triggers do the rest, so the rows deleted,
// the triggers and rules fired, row-level security and every refusal (with its SQLSTATE and
// fields) are exactly a plain DELETE's. What data_bridge adds is the count: the rows deleted
// from every table the cascade can reach, read from PostgreSQL's per-transaction tuple counters
// before and after the statement.
//
// On Citus the workers delete the rows, out of this backend's counters: the count comes from the
// same counters on the worker, read before and after the DELETE in the worker connection that
// runs it (tenant_delete).
//
// delete_plan() is the dry run: a walk over the foreign keys that reference the reached rows,
// level by level (one statement per foreign key per level, keys carried in arrays), gives one
// line per foreign key reached; then the DELETE itself runs in a subtransaction that is always
// rolled back, so whether (and where) the call would fail is PostgreSQL's answer, not a guess.
// The root rows are chosen as the caller (with the caller's casts and policies); the walk below
// them reads each referencing table as its owner, with values already read from the tables, as
// PostgreSQL's own foreign-key triggers do.

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_set>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "data_bridge/core/cascade.hpp"
#include "data_bridge/core/cascade_sql.hpp"
#include "data_bridge/core/error.hpp"
#include "data_bridge/core/row_queries.hpp"
#include "data_bridge/pg/args.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/item_report.hpp"
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/row_fetch.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/settings.hpp"
#include "data_bridge/pg/spi.hpp"
#include "data_bridge/pg/subtransaction.hpp"

extern "C" {
#include "access/heapam.h"
#include "storage/bufmgr.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_am.h"
#include "catalog/pg_trigger.h"
#include "pgstat.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/regproc.h"
}

namespace data_bridge {

namespace {

// The values of one column for the rows of a frontier, kept in the call's memory.
struct ColumnValues {
    Oid type = InvalidOid;
    std::vector<Datum> datums;
    std::vector<bool> nulls;
};

// Rows of one table reached at one depth through one foreign key from an earlier frontier, with
// the key values their own referencing tables will be matched against. Paths are kept as links
// to the parent frontier: a chain 100,000 deep must not hold 100,000 copies of its path.
struct Frontier {
    Oid table;
    int depth;
    int parent;                          // index in the walk's queue, -1 for the root rows
    const ForeignKey* via;               // the key followed from the parent
    const ForeignKey* closed = nullptr;  // a self-reference already followed to its end
    std::vector<RowId> rows;
    std::map<std::string, ColumnValues> values;
};

// Runs `work` with the rights of the table's owner, as ri_triggers.c does for the queries of
// foreign-key actions: row-level security of the owner is not forced.
template <typename Work>
void as_owner(Oid relid, Work work) {
    Oid owner = pg::guarded([relid] {
        HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
        if (!HeapTupleIsValid(tuple))
            elog(ERROR, "cache lookup failed for relation %u", relid);
        Oid result = ((Form_pg_class)GETSTRUCT(tuple))->relowner;
        ReleaseSysCache(tuple);
        return result;
    });
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(owner,
                           saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
    try {
        work();
    } catch (...) {
        SetUserIdAndSecContext(saved_user, saved_context);
        throw;
    }
    SetUserIdAndSecContext(saved_user, saved_context);
}

// delete_plan's walk read more rows than data_bridge.max_cascade_rows. They include rows of
// tables the caller may not read, so whether the caller is told is delete_plan's decision
// (plan_past_limit).
struct WalkPastLimit {};

Error cascade_limit_exceeded(long limit) {
    return Error(sqlstate::kProgramLimitExceeded,
                 fmt::format("cascade reaches more than {} rows", limit),
                 fmt::format("The limit is data_bridge.max_cascade_rows = {}.", limit),
                 "Delete in smaller batches, or raise data_bridge.max_cascade_rows.");
}

// Whether the caller may see every row of the table: SELECT on it (or on some column, which is
// enough for count(*)) and no row-level security in force for the caller. Counts of rows in any
// other table are never shown.
bool caller_sees_all_rows(Oid relid) {
    return pg::guarded([relid] {
        Oid user = GetUserId();
        bool readable =
            pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK ||
            pg_attribute_aclcheck_all(relid, user, ACL_SELECT, ACLMASK_ANY) == ACLCHECK_OK;
        return readable && check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED;
    });
}

// A tid[] of the rows' ctids (palloc'd in the current context).
Datum tid_array(const std::vector<RowId>& rows) {
    return pg::guarded([&rows] {
        auto* tids = (ItemPointerData*)palloc(sizeof(ItemPointerData) * (rows.size() + 1));
        auto* datums = (Datum*)palloc(sizeof(Datum) * (rows.size() + 1));
        for (std::size_t i = 0; i < rows.size(); i++) {
            ItemPointerSet(&tids[i], rows[i].block, rows[i].offset);
            datums[i] = PointerGetDatum(&tids[i]);
        }
        return pg::array_datum(TIDOID, datums, nullptr, (int)rows.size());
    });
}

// (tableoid, ctid) of SPI's `count` result rows, as row ids.
void read_row_ids(uint64 count, std::vector<RowId>& into) {
    for (uint64 r = 0; r < count; r++) {
        pg::check_for_interrupts();
        RowId id;
        pg::guarded([r, &id] {
            bool isnull;
            id.relid = DatumGetObjectId(
                SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));
            ItemPointer tid = (ItemPointer)DatumGetPointer(
                SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull));
            if (isnull)
                elog(ERROR, "data_bridge: a row without a ctid");
            id.block = ItemPointerGetBlockNumber(tid);
            id.offset = ItemPointerGetOffsetNumber(tid);
        });
        into.push_back(id);
    }
}

// One tenant's cascade on Citus. delete_plan's dry run walks every key, reading only rows of the
// tenant (its distribution column stated in every statement, so Citus routes each to the
// tenant's shard) as the caller, in the caller's own worker connections; its trial DELETE takes
// the locks. Within one tenant a row's (tableoid, ctid) is unique: the tenant's shards share
// one worker. A delete (tenant_delete) needs only the columns and the type.
struct TenantScope {
    std::map<Oid, std::string> columns;  // each reached table's distribution column
    Oid type = InvalidOid;               // the distribution columns' type (co-located: one type)
    std::optional<Datum> value;          // the tenant, once known
};

// The rows among `rows` of the tenant's rows of `table` that are still there (as the caller).
std::unordered_set<RowId, RowIdHash> present_rows(Oid table, const std::vector<RowId>& rows,
                                                  const TenantScope& scope, Datum tenant) {
    pg::Parameters parameters;
    parameters.add(TIDARRAYOID, tid_array(rows), false);
    std::vector<KeyMatch> match{{pg::quoted_identifier(scope.columns.at(table)),
                                 pg::equality_operator_sql(scope.type),
                                 parameters.add(scope.type, tenant, false)}};
    std::string sql = surviving_rows_where_sql(pg::quoted_table(table), conditions("t", match));
    // Not read-only: SPI then takes a snapshot that sees the DELETE's own changes.
    uint64 count = pg::execute_plan(pg::cached_plan(sql, parameters.types), parameters.values,
                                    parameters.nulls, false);
    std::vector<RowId> present;
    read_row_ids(count, present);
    std::unordered_set<RowId, RowIdHash> walked(rows.begin(), rows.end());
    std::unordered_set<RowId, RowIdHash> found;
    for (const RowId& id : present) {
        if (walked.count(id) != 0)
            found.insert(id);
    }
    return found;
}

// A table's members (itself and its partitions or inheritance children, at every level) and its
// partition ancestors.
TableFamily family_of(Oid table) {
    pg::check_for_interrupts();
    TableFamily family;
    List* members = pg::guarded([table] { return find_all_inheritors(table, NoLock, nullptr); });
    List* ancestors = pg::guarded([table] { return get_partition_ancestors(table); });
    for (int i = 0; i < list_length(members); i++)
        family.members.push_back(list_nth_oid(members, i));
    for (int i = 0; i < list_length(ancestors); i++)
        family.ancestors.push_back(list_nth_oid(ancestors, i));
    return family;
}

// The walk over the rows a cascade reaches: delete_plan's dry run (every key, each referencing
// table read as its owner), or on Citus one tenant's rows read as the caller (TenantScope).
class CascadeWalk {
  public:
    // Deeper than this, a cascading self-reference is followed to its end in one recursive
    // statement instead of one statement per level.
    static constexpr int kClosureDepth = 32;

    // Lives inside one SPI connection: its memory is a child of SPI's, and finish() must run
    // before SPI_finish (which would free that memory anyway on an error path).
    explicit CascadeWalk(Oid root, TenantScope* tenant = nullptr)
        : root_(root), graph_(pg::foreign_key_graph()), tenant_(tenant) {
        memory_ = pg::guarded([] {
            return AllocSetContextCreate(CurrentMemoryContext, "data_bridge cascade",
                                         ALLOCSET_DEFAULT_SIZES);
        });
    }

    // Selects the root rows matching `key` as the caller: the caller's casts, privileges and
    // policies decide, as in the WHERE of the caller's own DELETE.
    //
    // The caller's statement reads only the primary key (the columns the WHERE of the caller's
    // own DELETE needs); the rest of each root row is read as the owner, by those key values,
    // which are of the column's own type: no value or cast of the caller's runs there.
    long find_root(const std::vector<KeyMatch>& key, const pg::Parameters& parameters) {
        if (tenant_ != nullptr)
            return find_tenant_root(key, parameters);
        std::vector<pg::ColumnInfo> key_columns;
        std::vector<std::string> selected;
        for (const auto& name : pg::primary_key_columns(root_)) {
            key_columns.push_back(pg::column_info(root_, name));
            selected.push_back(pg::quoted_identifier(name));
        }
        uint64 count = 0;
        std::vector<Datum> values;
        std::optional<pg::SingleValue> direct = find_root_directly(key_columns, key, parameters);
        if (direct) {
            count = direct->is_null ? 0 : 1;
            if (count == 1)
                values.push_back(direct->value);
        } else {
            std::string sql =
                root_keys_sql(pg::quoted_table(root_), selected, conditions("t", key));
            count = pg::execute_plan(pg::cached_plan(sql, parameters.types), parameters.values,
                                     parameters.nulls, true);
            values = copied_values(count, (int)key_columns.size());
        }
        Frontier root{root_, 0, -1, nullptr, nullptr, {}, {}};
        for (uint64 r = 0; r < count; r++) {
            pg::check_for_interrupts();
            pg::Parameters by_key;
            std::vector<KeyMatch> matches;
            for (std::size_t c = 0; c < key_columns.size(); c++) {
                const pg::ColumnInfo& column = key_columns[c];
                matches.push_back(
                    {pg::quoted_identifier(column.name), pg::equality_operator_sql(column.type),
                     by_key.add(column.type, values[r * key_columns.size() + c], false)});
            }
            std::string rows_sql = select_sql(root_, "t", conditions("t", matches), true);
            as_owner(root_, [&] { run_select(rows_sql, by_key, root); });
        }
        // A key the caller's statement returned twice (a parent and an inheritance child with
        // the same key) reads the same rows twice: each row is a root once.
        keep_first_occurrences(root);
        return start_walk(std::move(root));
    }

    // The caller's root statement for a one-column primary key given as a value of its own type
    // (no cast), read through its unique index without the executor where that reads exactly as
    // the statement would (pg::find_by_unique_index); std::nullopt: the statement runs.
    std::optional<pg::SingleValue> find_root_directly(
        const std::vector<pg::ColumnInfo>& key_columns, const std::vector<KeyMatch>& key,
        const pg::Parameters& parameters) {
        if (key_columns.size() != 1 || key.size() != 1 || parameters.types.size() != 1 ||
            key[0].parameter != "$1" || parameters.nulls[0] == 'n' ||
            key[0].column != pg::quoted_identifier(key_columns[0].name)) {
            return std::nullopt;
        }
        return pg::find_by_unique_index(root_, key_columns[0].attnum, parameters.types[0],
                                        parameters.values[0], memory_);
    }

    // The root rows found: reached at depth 0, the walk's first frontier.
    long start_walk(Frontier root) {
        for (const RowId& id : root.rows)
            ledger_.add_deleted(id, 0);
        root_rows_ = (long)root.rows.size();
        if (!root.rows.empty())
            queue_.push_back(std::move(root));
        return root_rows_;
    }

    // Follows every foreign key that references reached rows, breadth first, without recursion.
    void walk() {
        for (std::size_t next = 0; next < queue_.size(); next++) {
            for (const FamilyKey& reference : family_keys(queue_[next].table)) {
                if (reference.key != queue_[next].closed)
                    expand(next, *reference.key, reference.rows_of);
            }
            queue_[next].values.clear();
        }
        ledger_.settle(steps_);
    }

    std::vector<CascadeStep>& steps() { return steps_; }

    // The constraint names from the root to the rows a step acts on.
    std::vector<std::string> path_of(const CascadeStep& step) const {
        std::vector<std::string> path{step.key->name};
        for (int at = step.from; at >= 0 && queue_[at].via != nullptr; at = queue_[at].parent) {
            path.push_back(queue_[at].via->name);
        }
        return std::vector<std::string>(path.rbegin(), path.rend());
    }
    long root_rows() const { return root_rows_; }

    // Whether the caller may read every table the walk read rows of in full.
    bool read_only_readable(const std::function<bool(Oid)>& readable) const {
        return std::all_of(read_tables_.begin(), read_tables_.end(), readable);
    }

    // Whether every table from the root to the rows a step acts on is one the caller may read
    // in full: a line through any other table would tell, by being there, that rows exist in it.
    bool path_visible(const CascadeStep& step, const std::function<bool(Oid)>& readable) const {
        if (!readable(step.table))
            return false;
        // The root rows are the caller's own choice, made under the caller's policies.
        for (int at = step.from; at >= 0 && queue_[at].via != nullptr; at = queue_[at].parent) {
            if (!readable(queue_[at].table))
                return false;
        }
        return true;
    }

    // Run inside the trial, after the DELETE: settles every step by the reached rows that are
    // still there, and returns how many root rows went.
    long settle_trial() {
        std::map<Oid, std::vector<RowId>> by_table;
        auto add = [&by_table](const std::vector<RowId>& rows) {
            for (const RowId& id : rows)
                by_table[id.relid].push_back(id);
        };
        if (!queue_.empty())
            add(queue_[0].rows);
        for (const CascadeStep& step : steps_)
            add(step.matched);
        std::unordered_set<RowId, RowIdHash> deleted, updated;
        for (const auto& [leaf, rows] : by_table) {
            pg::check_for_interrupts();
            std::string sql = surviving_rows_sql(pg::quoted_table(leaf));
            pg::Parameters parameters;
            parameters.add(TIDARRAYOID, tid_array(rows), false);
            Frontier still{leaf, 0, -1, nullptr, nullptr, {}, {}};
            as_owner(leaf, [&] {
                // Not read-only: SPI then takes a snapshot that sees the DELETE's own changes.
                uint64 count = pg::execute_plan(pg::cached_plan(sql, parameters.types),
                                                parameters.values, parameters.nulls, false);
                read_row_ids(count, still.rows);
            });
            std::unordered_set<RowId, RowIdHash> surviving(still.rows.begin(), still.rows.end());
            for (const RowId& id : rows) {
                if (surviving.count(id) != 0)
                    continue;
                if (version_was_updated(id))
                    updated.insert(id);
                else
                    deleted.insert(id);
            }
        }
        ledger_.settle_trial(steps_, deleted, updated);
        return roots_among(deleted);
    }
    // settle_trial for a tenant's walk (row versions are on the workers): a reached row no longer
    // there was deleted (Citus refuses SET NULL and SET DEFAULT on its co-located keys).
    long settle_tenant_trial() {
        std::map<Oid, std::vector<RowId>> by_table = rows_by_table(false);
        std::unordered_set<RowId, RowIdHash> deleted;
        for (const auto& [table, rows] : by_table) {
            pg::check_for_interrupts();
            if (rows.empty() || !tenant_->value)
                continue;
            std::unordered_set<RowId, RowIdHash> present =
                present_rows(table, rows, *tenant_, *tenant_->value);
            for (const RowId& id : rows) {
                if (present.count(id) == 0)
                    deleted.insert(id);
            }
        }
        ledger_.settle_trial(steps_, deleted, {});
        return roots_among(deleted);
    }
    long reached_rows() const { return ledger_.deleted_count(); }

    void finish() {
        MemoryContext memory = memory_;
        pg::guarded([memory] { MemoryContextDelete(memory); });
    }

  private:
    // Whether a row version that is no longer visible was replaced by a newer one (updated, or
    // moved to another partition) rather than deleted: its t_ctid points away from itself.
    static bool version_was_updated(const RowId& id) {
        return pg::guarded([&id] {
            Relation relation = table_open(id.relid, AccessShareLock);
            bool updated = false;
            if (relation->rd_rel->relam == HEAP_TABLE_AM_OID) {
                HeapTupleData tuple;
                ItemPointerSet(&tuple.t_self, id.block, id.offset);
                Buffer buffer;
                if (heap_fetch(relation, SnapshotAny, &tuple, &buffer, false)) {
                    updated = !ItemPointerEquals(&tuple.t_self, &tuple.t_data->t_ctid) ||
                              HeapTupleHeaderIndicatesMovedPartitions(tuple.t_data);
                    ReleaseBuffer(buffer);
                }
            }
            table_close(relation, AccessShareLock);
            return updated;
        });
    }

    static void keep_first_occurrences(Frontier& frontier) {
        std::unordered_set<RowId, RowIdHash> seen;
        std::vector<bool> keep;
        for (const RowId& id : frontier.rows)
            keep.push_back(seen.insert(id).second);
        auto filtered = [&keep](auto& items) {
            std::size_t out = 0;
            for (std::size_t i = 0; i < items.size(); i++) {
                if (keep[i])
                    items[out++] = items[i];
            }
            items.resize(out);
        };
        filtered(frontier.rows);
        for (auto& entry : frontier.values) {
            filtered(entry.second.datums);
            filtered(entry.second.nulls);
        }
    }

    // The first `columns` values of SPI's `count` result rows, row by row, copied into the walk's
    // memory (a primary key is never NULL).
    std::vector<Datum> copied_values(uint64 count, int columns) {
        std::vector<Datum> values;
        MemoryContext memory = memory_;
        for (uint64 r = 0; r < count; r++) {
            for (int attno = 1; attno <= columns; attno++) {
                values.push_back(pg::guarded([r, attno, memory] {
                    Form_pg_attribute attribute = TupleDescAttr(SPI_tuptable->tupdesc, attno - 1);
                    bool isnull;
                    Datum raw =
                        SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, attno, &isnull);
                    MemoryContext previous = MemoryContextSwitchTo(memory);
                    Datum copy =
                        isnull ? (Datum)0 : datumCopy(raw, attribute->attbyval, attribute->attlen);
                    MemoryContextSwitchTo(previous);
                    return copy;
                }));
            }
        }
        return values;
    }

    // SELECT tableoid, ctid, <referenced columns> FROM table AS alias WHERE condition
    std::string select_sql(Oid table, const char* alias, const std::string& condition,
                           bool is_root) {
        return walk_rows_sql(walk_table(table, is_root), alias, quoted_referenced_columns(table),
                             condition);
    }

    // " AND alias.<distribution column> = $n" for a tenant's cascade once its tenant is known.
    std::string tenant_condition(Oid table, const char* alias, pg::Parameters& parameters) {
        if (tenant_ == nullptr || !tenant_->value)
            return "";
        std::string placeholder = parameters.add(tenant_->type, *tenant_->value, false);
        std::vector<KeyMatch> match{{pg::quoted_identifier(tenant_->columns.at(table)),
                                     pg::equality_operator_sql(tenant_->type), placeholder}};
        return " AND " + conditions(alias, match);
    }

    // The walk reads a referencing table as its owner, as PostgreSQL's triggers do; a tenant's
    // cascade reads as the caller (see TenantScope), whose rights tenant_delete checked.
    template <typename Work>
    void read_as(Oid table, Work work) {
        if (tenant_ != nullptr)
            work();
        else
            as_owner(table, work);
    }

    // One tenant's root rows, chosen by the caller's own statement; the tenant is theirs (the
    // primary key of a distributed table includes its distribution column).
    long find_tenant_root(const std::vector<KeyMatch>& key, const pg::Parameters& given) {
        pg::Parameters parameters = given;
        std::string condition = conditions("t", key) + tenant_condition(root_, "t", parameters);
        Frontier root{root_, 0, -1, nullptr, nullptr, {}, {}};
        run_select(select_sql(root_, "t", condition, true), parameters, root);
        keep_first_occurrences(root);
        if (!tenant_->value && !root.rows.empty())
            tenant_->value = root.values.at(tenant_->columns.at(root_)).datums[0];
        return start_walk(std::move(root));
    }

  public:
    const std::vector<RowId>& root_row_ids() const {
        static const std::vector<RowId> none;
        return queue_.empty() ? none : queue_[0].rows;
    }

    // The rows the DELETE is to delete, by the table they were read from.
    std::map<Oid, std::vector<RowId>> deleted_rows_by_table() const { return rows_by_table(true); }

  private:
    // The root rows and the rows each step matched (only_deletes: of the steps that delete), by
    // the table they were read from.
    std::map<Oid, std::vector<RowId>> rows_by_table(bool only_deletes) const {
        std::map<Oid, std::vector<RowId>> rows;
        if (!queue_.empty())
            rows[root_] = queue_[0].rows;
        for (const CascadeStep& step : steps_) {
            if (!only_deletes || step.kind == CascadeStepKind::kDelete)
                rows[step.table].insert(rows[step.table].end(), step.matched.begin(),
                                        step.matched.end());
        }
        return rows;
    }

    // How many root rows are among `deleted`.
    long roots_among(const std::unordered_set<RowId, RowIdHash>& deleted) const {
        long roots = 0;
        if (!queue_.empty()) {
            for (const RowId& id : queue_[0].rows)
                roots += deleted.count(id) != 0 ? 1 : 0;
        }
        return roots;
    }

    // The table as the walk reads it: the root as DELETE FROM reads it (with its inheritance
    // children), a referencing table ONLY, unless partitioned (its rows are its partitions').
    static WalkTable walk_table(Oid table, bool is_root) {
        char relkind = pg::guarded([table] { return get_rel_relkind(table); });
        return {pg::quoted_table(table), is_root || relkind == RELKIND_PARTITIONED_TABLE};
    }

    // A key that references a table's rows: declared on the table, on a partitioned table it is a
    // partition of (its rows are theirs), or on one of its own partitions (then only for the
    // reached rows in that partition: rows_of). A tenant's walk (Citus: row ids are the
    // workers') follows the table's own keys; delete_plan refuses partitioned Citus tables.
    struct FamilyKey {
        const ForeignKey* key;
        Oid rows_of = InvalidOid;  // InvalidOid: every reached row
    };
    std::vector<FamilyKey> family_keys(Oid table) const {
        std::vector<FamilyKey> keys;
        for (const ForeignKey* key : graph_.referencing(table))
            keys.push_back({key, InvalidOid});
        if (tenant_ != nullptr)
            return keys;
        TableFamily family = partition_family(table);
        for (Oid ancestor : family.ancestors) {
            for (const ForeignKey* key : graph_.referencing(ancestor))
                keys.push_back({key, InvalidOid});
        }
        for (Oid partition : family.members) {
            for (const ForeignKey* key : graph_.referencing(partition))
                keys.push_back({key, partition});
        }
        // The caller's DELETE of the root (no ONLY) deletes its inheritance children's rows too,
        // which the keys referencing those children then act on; the cascades PostgreSQL runs
        // delete from ONLY the referencing table.
        if (table == root_ && family.members.empty()) {
            for (Oid child : family_of(table).members) {
                if (child == table)
                    continue;
                for (const ForeignKey* key : graph_.referencing(child)) {
                    // The walk reads the referenced columns through the root: a key on a
                    // column of the child's own is beyond it (its line is left out).
                    bool inherited =
                        std::all_of(key->target_columns.begin(), key->target_columns.end(),
                                    [table](const std::string& column) {
                                        return pg::has_column(table, column);
                                    });
                    if (inherited)
                        keys.push_back({key, child});
                }
            }
        }
        return keys;
    }

    // A table's partition ancestors, and its partitions at every level (not itself).
    static TableFamily partition_family(Oid table) {
        TableFamily family;
        bool partitioned =
            pg::guarded([table] { return get_rel_relkind(table) == RELKIND_PARTITIONED_TABLE; });
        TableFamily all = family_of(table);
        family.ancestors = all.ancestors;
        if (partitioned) {
            for (Oid member : all.members) {
                if (member != table)
                    family.members.push_back(member);
            }
        }
        return family;
    }

    std::vector<std::string> quoted_referenced_columns(Oid table) const {
        std::vector<std::string> quoted;
        for (const auto& column : walk_columns(table))
            quoted.push_back(pg::quoted_identifier(column));
        return quoted;
    }

    // The columns the walk reads of a table's rows: what the next level matches and, for a
    // tenant's walk, the distribution column (the root's tells the tenant).
    std::vector<std::string> walk_columns(Oid table) const {
        std::vector<std::string> columns;
        for (const FamilyKey& reference : family_keys(table)) {
            for (const auto& column : reference.key->target_columns) {
                if (std::find(columns.begin(), columns.end(), column) == columns.end())
                    columns.push_back(column);
            }
        }
        if (tenant_ != nullptr) {
            const std::string& tenant = tenant_->columns.at(table);
            if (std::find(columns.begin(), columns.end(), tenant) == columns.end())
                columns.push_back(tenant);
        }
        return columns;
    }

    // Runs a walk query; appends the rows (and their referenced column values) to `into`.
    void run_select(const std::string& sql, const pg::Parameters& parameters, Frontier& into) {
        SPIPlanPtr plan = pg::cached_plan(sql, parameters.types);
        // The limit is checked while reading: the executor stops one row past it.
        long limit = pg::max_cascade_rows;
        long counted = reached_rows();
        long room = limit > 0 ? std::max(0L, limit - counted) + 1 : 0;
        read_tables_.insert(into.table);
        uint64 count = pg::execute_plan(plan, parameters.values, parameters.nulls, true, room);
        if (limit > 0 && counted + (long)count > limit)
            throw WalkPastLimit{};
        std::vector<std::string> columns = walk_columns(into.table);
        for (std::size_t c = 0; c < columns.size(); c++) {
            int attno = (int)c + 3;
            into.values[columns[c]].type =
                pg::guarded([attno] { return SPI_gettypeid(SPI_tuptable->tupdesc, attno); });
        }
        read_row_ids(count, into.rows);
        MemoryContext memory = memory_;
        for (uint64 r = 0; r < count; r++) {
            pg::check_for_interrupts();
            for (std::size_t c = 0; c < columns.size(); c++) {
                ColumnValues& target = into.values[columns[c]];
                int attno = (int)c + 3;
                bool isnull = false;
                bool* isnull_out = &isnull;
                Datum value = pg::guarded([r, attno, memory, isnull_out] {
                    Form_pg_attribute attribute = TupleDescAttr(SPI_tuptable->tupdesc, attno - 1);
                    Datum raw = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, attno,
                                              isnull_out);
                    if (*isnull_out)
                        return (Datum)0;
                    MemoryContext previous = MemoryContextSwitchTo(memory);
                    Datum copy = datumCopy(raw, attribute->attbyval, attribute->attlen);
                    MemoryContextSwitchTo(previous);
                    return copy;
                });
                target.datums.push_back(value);
                target.nulls.push_back(isnull);
            }
        }
    }

    // The rows of key's referencing table that reference rows of frontier `index`.
    // rows_of: only the frontier's rows in that partition (see FamilyKey).
    void expand(std::size_t index, const ForeignKey& key, Oid rows_of) {
        CascadeStepKind kind = step_kind(key.on_delete);
        Frontier found{
            key.source_relid, queue_[index].depth + 1, (int)index, &key, nullptr, {}, {}};
        std::vector<bool> taken = rows_in(queue_[index], rows_of);
        if (has_array_types(index, key)) {
            find_referencing_rows(index, key, kind, taken, found);
        } else {
            find_referencing_rows_one_by_one(index, key, taken, found);
        }
        record_step(index, key, kind, found);
    }

    // Which of the frontier's rows are in the partition `rows_of` (every row for InvalidOid).
    static std::vector<bool> rows_in(const Frontier& frontier, Oid rows_of) {
        if (!OidIsValid(rows_of))
            return std::vector<bool>(frontier.rows.size(), true);
        TableFamily family = family_of(rows_of);
        std::unordered_set<Oid> leaves(family.members.begin(), family.members.end());
        std::vector<bool> taken;
        for (const RowId& id : frontier.rows)
            taken.push_back(leaves.count(id.relid) != 0);
        return taken;
    }

    bool has_array_types(std::size_t index, const ForeignKey& key) {
        for (const auto& column : key.target_columns) {
            Oid type = queue_[index].values.at(column).type;
            if (pg::guarded([type] { return get_array_type(type); }) == InvalidOid)
                return false;
        }
        return true;
    }

    // Keys whose type has no array type (array-typed keys themselves): one probe per row.
    void find_referencing_rows_one_by_one(std::size_t index, const ForeignKey& key,
                                          const std::vector<bool>& taken, Frontier& found) {
        const Frontier& from = queue_[index];
        for (std::size_t r = 0; r < from.rows.size(); r++) {
            pg::check_for_interrupts();
            if (!taken[r])
                continue;
            pg::Parameters parameters;
            std::vector<KeyMatch> matches;
            bool any_null = false;
            for (std::size_t i = 0; i < key.target_columns.size(); i++) {
                const ColumnValues& values = from.values.at(key.target_columns[i]);
                any_null = any_null || values.nulls[r];
                pg::ColumnInfo source_column =
                    pg::column_info(key.source_relid, key.source_columns[i]);
                std::string placeholder = parameters.add(values.type, values.datums[r], false);
                pg::KeyComparison comparison = pg::reference_comparison(source_column, values.type);
                matches.push_back({comparison.column, comparison.equals,
                                   value_sql(placeholder, comparison.convert_to)});
            }
            if (any_null)
                continue;  // NULL references nothing
            std::string condition =
                conditions("c", matches) + tenant_condition(key.source_relid, "c", parameters);
            std::string sql = select_sql(key.source_relid, "c", condition, false);
            read_as(key.source_relid, [&] { run_select(sql, parameters, found); });
        }
    }

    // The rows referencing the frontier through `key`, every key value of the frontier in one
    // array parameter per column.
    void find_referencing_rows(std::size_t index, const ForeignKey& key, CascadeStepKind kind,
                               const std::vector<bool>& taken, Frontier& found) {
        pg::Parameters parameters;
        std::vector<ReferencingColumn> referencing;
        for (std::size_t i = 0; i < key.target_columns.size(); i++) {
            const ColumnValues& values = queue_[index].values.at(key.target_columns[i]);
            pg::ColumnInfo source_column = pg::column_info(key.source_relid, key.source_columns[i]);
            Oid array_type = pg::guarded([&values] { return get_array_type(values.type); });
            const ColumnValues* values_ref = &values;
            const std::vector<bool>* taken_ref = &taken;
            Datum array = pg::guarded(
                [values_ref, taken_ref] { return value_array(*values_ref, *taken_ref); });
            pg::KeyComparison comparison = pg::reference_comparison(source_column, values.type);
            // Compared as PostgreSQL's triggers compare: under a nondeterministic referenced
            // collation, by it ('ABC' references 'abc' under a case-insensitive one).
            comparison.column += pg::reference_collation_sql(
                key.source_relid, key.source_columns[i], key.target_relid, key.target_columns[i]);
            referencing.push_back({comparison.column, comparison.equals, comparison.convert_to,
                                   parameters.add(array_type, array, false),
                                   pg::is_row_type(values.type)});
        }
        std::string condition = referencing_condition(referencing) +
                                tenant_condition(key.source_relid, "c", parameters);

        // A cascading self-reference deeper than PostgreSQL's own triggers should nest is
        // followed to its end in one recursive statement, not one statement per level (a
        // tenant's walk states the tenant in every statement: one statement per level there).
        bool closure = kind == CascadeStepKind::kDelete && refers_to_itself(key) &&
                       found.depth >= kClosureDepth && tenant_ == nullptr;
        if (closure)
            found.closed = &key;
        std::string sql = closure ? closure_sql(key, condition)
                                  : select_sql(key.source_relid, "c", condition, false);
        read_as(key.source_relid, [&] { run_select(sql, parameters, found); });
    }

    // Whether the key's rows reference rows of their own table: a self-reference, or a key a
    // partition declares on its own partitioned table (its rows are rows of that table too).
    static bool refers_to_itself(const ForeignKey& key) {
        if (key.source_relid == key.target_relid)
            return true;
        TableFamily family = family_of(key.source_relid);
        return std::find(family.ancestors.begin(), family.ancestors.end(), key.target_relid) !=
               family.ancestors.end();
    }

    void record_step(std::size_t index, const ForeignKey& key, CascadeStepKind kind,
                     Frontier& found) {
        CascadeStep step;
        step.depth = found.depth;
        step.from = (int)index;
        step.key = &key;
        step.table = key.source_relid;
        step.table_name = key.source.name;
        step.kind = kind;
        if (kind != CascadeStepKind::kDelete) {
            step.matched = std::move(found.rows);
            steps_.push_back(std::move(step));
            return;
        }
        // Keep only rows reached for the first time (diamonds and cycles end here).
        Frontier fresh{found.table, found.depth, found.parent, found.via, found.closed, {}, {}};
        for (auto& entry : found.values)
            fresh.values[entry.first].type = entry.second.type;
        for (std::size_t r = 0; r < found.rows.size(); r++) {
            if (!ledger_.add_deleted(found.rows[r], found.depth))
                continue;
            fresh.rows.push_back(found.rows[r]);
            for (auto& entry : found.values) {
                fresh.values[entry.first].datums.push_back(entry.second.datums[r]);
                fresh.values[entry.first].nulls.push_back(entry.second.nulls[r]);
            }
        }
        step.rows = (long)fresh.rows.size();
        step.matched = fresh.rows;
        steps_.push_back(std::move(step));
        if (!fresh.rows.empty())
            queue_.push_back(std::move(fresh));
    }

    // Every row that reaches the frontier through the self-reference `key`, however deep, in one
    // WITH RECURSIVE statement.
    std::string closure_sql(const ForeignKey& key, const std::string& condition) {
        Oid table = key.source_relid;
        std::vector<std::string> columns = walk_columns(table);
        std::vector<SelfJoin> join;
        for (std::size_t i = 0; i < key.source_columns.size(); i++) {
            std::size_t at =
                std::find(columns.begin(), columns.end(), key.target_columns[i]) - columns.begin();
            pg::ColumnInfo column = pg::column_info(table, key.source_columns[i]);
            Oid referenced_type = pg::column_info(table, key.target_columns[i]).type;
            pg::KeyComparison comparison = pg::reference_comparison(column, referenced_type);
            join.push_back({comparison.column, comparison.equals, at + 1, comparison.convert_to});
        }
        return closure_rows_sql(walk_table(table, false), quoted_referenced_columns(table), join,
                                condition);
    }

    // The values of the rows taken, as an array (inside guarded()).
    static Datum value_array(const ColumnValues& values, const std::vector<bool>& taken) {
        int rows = (int)values.datums.size();
        auto* datums = (Datum*)palloc(sizeof(Datum) * (rows + 1));
        auto* nulls = (bool*)palloc(sizeof(bool) * (rows + 1));
        int count = 0;
        for (int i = 0; i < rows; i++) {
            if (!taken[i])
                continue;
            datums[count] = values.datums[i];
            nulls[count++] = values.nulls[i];
        }
        return pg::array_datum(values.type, datums, nulls, count);
    }

    Oid root_;
    const FkGraph& graph_;
    MemoryContext memory_;
    std::vector<Frontier> queue_;
    std::vector<CascadeStep> steps_;
    CascadeLedger ledger_;
    long root_rows_ = 0;
    TenantScope* tenant_;
    std::set<Oid> read_tables_;  // the tables whose rows the walk read
};

void require_delete_privilege(Oid table) {
    bool allowed = pg::guarded(
        [table] { return pg_class_aclcheck(table, GetUserId(), ACL_DELETE) == ACLCHECK_OK; });
    if (!allowed) {
        throw Error(sqlstate::kInsufficientPrivilege,
                    fmt::format("permission denied for table {}", pg::relation_name(table)));
    }
}

// SELECT on the key column, which the DELETE's WHERE reads (on the column or the table), with
// the error PostgreSQL gives the statement.
void require_key_read_privilege(Oid table, const pg::ColumnInfo& column) {
    AttrNumber attnum = column.attnum;
    bool allowed = pg::guarded([table, attnum] {
        return pg_class_aclcheck(table, GetUserId(), ACL_SELECT) == ACLCHECK_OK ||
               pg_attribute_aclcheck(table, attnum, GetUserId(), ACL_SELECT) == ACLCHECK_OK;
    });
    if (!allowed) {
        throw Error(sqlstate::kInsufficientPrivilege,
                    fmt::format("permission denied for table {}", pg::relation_name(table)));
    }
}

// An array argument of keys, and the type of its elements.
struct KeyArray {
    Oid array_type = InvalidOid;
    Oid element_type = InvalidOid;
    Datum array = (Datum)0;
};

// The root rows' key: one value or a jsonb object (argno), or an array of values (many: then
// also the key column and the array).
struct RootKey {
    std::vector<KeyMatch> matches;
    pg::Parameters parameters;
    pg::ColumnInfo column{};
    KeyArray keys;
};

RootKey single_key(FunctionCallInfo fcinfo, Oid table, int argno) {
    RootKey key;
    key.matches = pg::match_primary_key(table, fcinfo, argno, "id", key.parameters);
    return key;
}

// The tables whose rows a native DELETE of `root` can delete: the root and, transitively, every
// table with an ON DELETE CASCADE foreign key into one of them (a key declared on a partitioned
// table reaches it through its partitions too), each with its partitions and inheritance
// children, where PostgreSQL keeps the tuple counters. `countable`: whether the caller may see
// every row of the table the rows are counted under.
struct CountedTable {
    Oid leaf;
    bool countable;
};

// How a cascade counts its rows: from PostgreSQL's counters, or, when it reaches a Citus table
// (whose rows the workers delete, out of this backend's counters), by a walk over one tenant's
// rows.
struct CascadeCount {
    bool citus = false;
    TenantScope scope;  // for Citus: each reached table's distribution column
};

// Adds the tables that reference `tables` through keys that do not cascade (the dry run's other
// lines): Citus keeps them co-located and joined on the distribution column too; anything else
// is refused.
void add_referencing_tables(Oid root, std::vector<Oid>& tables) {
    uint32 colocation = pg::citus_table(root).colocation;
    std::size_t reached = tables.size();
    for (std::size_t i = 0; i < reached; i++) {
        for (const ForeignKey* key : pg::foreign_key_graph().referencing(tables[i])) {
            pg::CitusTable source = pg::citus_table(key->source_relid);
            if (source.distribution_column.empty() || source.colocation != colocation)
                throw Error(sqlstate::kFeatureNotSupported,
                            fmt::format("foreign key \"{}\" references \"{}\" from a table not "
                                        "co-located with it",
                                        key->name, pg::relation_name(tables[i])),
                            "delete_plan reads the tenant's rows of every referencing table.",
                            "Use delete_with_cascade inside BEGIN ... ROLLBACK.");
            if (std::find(tables.begin(), tables.end(), key->source_relid) == tables.end())
                tables.push_back(key->source_relid);
        }
    }
}

// Whether keys other than a table's own reach its rows: keys declared on a partitioned table it
// is a partition of, or on one of its partitions. A tenant's walk follows only the table's own.
bool family_keys_reach(const FkGraph& graph, Oid table) {
    TableFamily family = family_of(table);
    for (Oid ancestor : family.ancestors) {
        if (!graph.referencing(ancestor).empty())
            return true;
    }
    for (Oid member : family.members) {
        if (member != table && !graph.referencing(member).empty())
            return true;
    }
    return false;
}

// Refuses (before anything changes) a cascade on Citus that data_bridge cannot count exactly: one
// that leaves the root rows' tenant (tenant_cascade_keys): its rows would be on other workers.
// For delete_plan (`plan`), the tables that reference them through any key are read too, as the
// caller (see TenantScope): each must be one the caller may read in full, and reached through
// its own keys only (family_keys_reach).
CascadeCount cascade_count(Oid root, bool plan = false) {
    CascadeCount count;
    if (!pg::citus_present())
        return count;
    auto placement_of = [](RelationId table) {
        pg::CitusTable citus = pg::citus_table(table);
        return TablePlacement{pg::relation_name(table), citus.managed, citus.distribution_column,
                              citus.colocation};
    };
    if (!pg::citus_table(root).managed) {
        // A table Citus does not manage is referenced by none of its tables but a local one.
        for (const ReachedTable& reached :
             cascade_closure(pg::foreign_key_graph(), root, family_of)) {
            for (Oid member : reached.members) {
                if (pg::citus_table(member).managed)
                    throw Error(sqlstate::kFeatureNotSupported,
                                fmt::format("the cascade from \"{}\" reaches \"{}\", a Citus table",
                                            pg::relation_name(root), pg::relation_name(member)),
                                {},
                                "Use a plain DELETE; get_backreferences shows what it reaches.");
            }
        }
        return count;
    }
    count.citus = true;
    std::vector<Oid> tables{root};
    for (const ForeignKey* key : tenant_cascade_keys(pg::foreign_key_graph(), root, placement_of))
        tables.push_back(key->source_relid);
    if (plan)
        add_referencing_tables(root, tables);
    for (Oid table : tables) {
        if (count.scope.columns.count(table) != 0)
            continue;
        count.scope.columns[table] = pg::distribution_column(table);
        if (!plan)
            continue;
        // A partitioned table is read whole (its partitions' rows are its own) and followed
        // through the keys that reference it; keys of a partitioned table reach its partitions'
        // rows and the other way round, which the walk does not follow on Citus.
        bool partitioned = pg::guarded([table] {
            return get_rel_relkind(table) == RELKIND_PARTITIONED_TABLE ||
                   get_rel_relispartition(table);
        });
        if (partitioned && family_keys_reach(pg::foreign_key_graph(), table))
            throw Error(
                sqlstate::kFeatureNotSupported,
                table == root
                    ? fmt::format("foreign keys reach \"{}\" through its partitioned table or "
                                  "its partitions",
                                  pg::relation_name(root))
                    : fmt::format("the cascade from \"{}\" reaches \"{}\", which foreign "
                                  "keys reach through its partitioned table or its partitions",
                                  pg::relation_name(root), pg::relation_name(table)),
                "On Citus, delete_plan follows only the keys that reference the tables it "
                "reaches themselves.",
                "Use delete_with_cascade inside BEGIN ... ROLLBACK.");
        if (!caller_sees_all_rows(table)) {
            throw Error(sqlstate::kInsufficientPrivilege,
                        fmt::format("permission denied to read the cascade's rows in table \"{}\"",
                                    pg::relation_name(table)),
                        "On Citus, delete_plan reads the tenant's rows of each table it reaches "
                        "as you: that needs SELECT on each, and no row-level security in force "
                        "there.",
                        "Use delete_with_cascade inside BEGIN ... ROLLBACK.");
        }
    }
    count.scope.type = pg::column_info(root, count.scope.columns.at(root)).type;
    return count;
}

// Whether the table has rules: a DELETE inside WITH refuses them.
bool has_rules(Oid table) {
    return pg::guarded([table] {
        Relation relation = relation_open(table, AccessShareLock);
        bool rules = relation->rd_rules != nullptr;
        relation_close(relation, AccessShareLock);
        return rules;
    });
}

// The elements of a one-dimensional array (palloc'd in the current context).
struct ArrayItems {
    Datum* values;
    bool* nulls;
    int count;
};
ArrayItems array_items(Datum array, Oid element_type) {
    return pg::guarded([array, element_type] {
        ArrayItems out{nullptr, nullptr, 0};
        int16 length;
        bool by_value;
        char align;
        get_typlenbyvalalign(element_type, &length, &by_value, &align);
        deconstruct_array(DatumGetArrayTypeP(array), element_type, length, by_value, align,
                          &out.values, &out.nulls, &out.count);
        return out;
    });
}

std::vector<CountedTable> reachable_tables(Oid root) {
    std::vector<CountedTable> leaves;
    std::unordered_set<Oid> seen;
    for (const ReachedTable& reached : cascade_closure(pg::foreign_key_graph(), root, family_of)) {
        bool countable = caller_sees_all_rows(reached.table);
        for (Oid member : reached.members) {
            if (seen.insert(member).second)
                leaves.push_back({member, countable});
        }
    }
    return leaves;
}

// Rows deleted from a table by this transaction and its subtransactions still in force: the
// per-subtransaction counters of the statistics system. A subtransaction that rolled back (a
// trigger's exception block, delete_plan's trial run) folds its counts into the attempted
// totals that pg_stat_get_xact_tuples_deleted() reports, and out of these.
long deleted_in_transaction(Oid relid) {
    return pg::guarded([relid] {
        long deleted = 0;
        PgStat_TableStatus* status = find_tabstat_entry(relid);
        for (PgStat_TableXactStatus* level = status != nullptr ? status->trans : nullptr;
             level != nullptr; level = level->upper)
            deleted += (long)level->tuples_deleted;
        return deleted;
    });
}

// DELETE FROM table AS t WHERE <key>, run as the caller; returns how many root rows it deleted.
long caller_delete(Oid table, const RootKey& key) {
    std::string sql = delete_rows_sql(pg::quoted_table(table), key.matches);
    return (long)pg::execute_plan(pg::cached_plan(sql, key.parameters.types), key.parameters.values,
                                  key.parameters.nulls, false);
}

// A cascade's count from the rows deleted from each reached table (`deleted`, in the order of
// `tables`): the rows of the tables the caller may read in full, and the root rows the caller's
// DELETE reports (`roots`) when the root is not one of them. 54000 past
// data_bridge.max_cascade_rows, which counts every row.
long counted_rows(Oid root, const std::vector<CountedTable>& tables,
                  const std::vector<long>& deleted, long roots) {
    long visible = 0, total = 0;
    for (std::size_t i = 0; i < tables.size(); i++) {
        total += deleted[i];
        if (tables[i].countable)
            visible += deleted[i];
    }
    long limit = pg::max_cascade_rows;
    if (limit > 0 && total > limit)
        throw cascade_limit_exceeded(limit);
    // The caller's DELETE itself says how many root rows went, whatever the policies.
    return caller_sees_all_rows(root) ? visible : visible + roots;
}

// DELETE FROM table AS t WHERE <key>, run as the caller: everything after it is PostgreSQL's
// own doing. Returns the rows deleted from the tables the caller may see in full; rows the
// caller cannot read are deleted (as a plain DELETE deletes them) but not counted.
long native_delete(Oid table, const RootKey& key, long* deleted_roots = nullptr) {
    std::vector<CountedTable> tables = reachable_tables(table);
    bool counters = pgstat_track_counts;
    std::vector<long> before;
    if (counters) {
        for (const CountedTable& counted : tables)
            before.push_back(deleted_in_transaction(counted.leaf));
    }
    long roots = caller_delete(table, key);
    if (deleted_roots != nullptr)
        *deleted_roots = roots;
    // Without the counters (track_counts = off) only the caller's own statement is counted.
    if (!counters)
        return roots;
    std::vector<long> deleted;
    // A TRUNCATE during the DELETE (by a trigger) sets a table's counters back: its rows were
    // not deleted by the DELETE, and the counter can fall below its first reading.
    for (std::size_t i = 0; i < tables.size(); i++)
        deleted.push_back(std::max(0L, deleted_in_transaction(tables[i].leaf) - before[i]));
    return counted_rows(table, tables, deleted, roots);
}

// The tenant a one-row key states, as a value of the distribution column's own type, which Citus
// routes by: the key's parameter of that type, or the key's value converted as the caller (the
// conversion the DELETE's WHERE makes, evaluated here first, so that the statement can state the
// tenant to Citus as a value). None for many keys, or for a value of another type.
struct StatedTenant {
    Datum value;
    bool converted;  // the key converts it: the DELETE states the value too
};
std::optional<StatedTenant> stated_tenant(const RootKey& key, const TenantScope& scope, Oid table) {
    if (key.keys.array_type != InvalidOid)
        return std::nullopt;
    std::string column = pg::quoted_identifier(scope.columns.at(table));
    for (const KeyMatch& match : key.matches) {
        if (match.column != column || match.parameter.size() < 2)
            continue;
        if (match.parameter[0] == '$') {
            std::size_t number = std::stoul(match.parameter.substr(1));
            if (match.parameter != "$" + std::to_string(number) ||
                key.parameters.nulls.at(number - 1) == 'n')
                return std::nullopt;
            Oid given = key.parameters.types.at(number - 1);
            Datum value = key.parameters.values.at(number - 1);
            if (given == scope.type)
                return StatedTenant{value, false};
            // A smaller integer (delete_with_cascade('orgs', 7) for a bigint key): compared
            // exactly, so the value widened is the same tenant.
            if (given == INT2OID && scope.type == INT4OID)
                return StatedTenant{Int32GetDatum(DatumGetInt16(value)), true};
            if ((given == INT2OID || given == INT4OID) && scope.type == INT8OID)
                return StatedTenant{
                    Int64GetDatum(given == INT2OID ? DatumGetInt16(value) : DatumGetInt32(value)),
                    true};
            return std::nullopt;
        }
        // CAST($n AS <the column's type>) (key_comparison): the value of the column's type.
        if (match.parameter.rfind("CAST(", 0) != 0)
            return std::nullopt;
        pg::SingleValue value =
            pg::query_single_value("SELECT " + match.parameter, key.parameters, true);
        if (value.is_null)
            return std::nullopt;
        return StatedTenant{value.value, true};
    }
    return std::nullopt;
}

// The distinct tenants of the root rows the key selects, as the caller.
std::vector<Datum> root_tenants(Oid table, const RootKey& key, const TenantScope& scope) {
    std::string sql =
        distinct_values_sql(pg::quoted_table(table), pg::quoted_identifier(scope.columns.at(table)),
                            conditions("t", key.matches));
    uint64 found = pg::execute_plan(pg::cached_plan(sql, key.parameters.types),
                                    key.parameters.values, key.parameters.nulls, false);
    std::vector<Datum> tenants;
    for (uint64 r = 0; r < found; r++) {
        struct Tenant {
            bool is_null;
            Datum value;
        };
        Tenant tenant = pg::guarded([r] {
            bool isnull;
            Datum value = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);
            Form_pg_attribute attribute = TupleDescAttr(SPI_tuptable->tupdesc, 0);
            return Tenant{isnull, isnull
                                      ? (Datum)0
                                      : datumCopy(value, attribute->attbyval, attribute->attlen)};
        });
        // Citus keeps no row without its distribution column's value.
        if (!tenant.is_null)
            tenants.push_back(tenant.value);
    }
    return tenants;
}

// One tenant's shards of the tables a cascade reaches (Citus keeps co-located shards on one
// worker), and what that worker's counters say of this transaction's deletes there.
struct TenantShards {
    Datum tenant;  // of the distribution column's type
    Datum names;   // text[]: each reached table's shard, schema-qualified and quoted
    std::string first;
};
struct WorkerCounts {
    std::vector<long> deleted;  // per reached table
    int32 backend = 0;          // the worker backend that read them
    long roots = 0;             // root rows the statement deleted (counted_tenant_delete_sql)
};

// The tenant's shard of each table, from Citus' metadata on the coordinator (pg_dist_shard, which
// every role may read, and Citus' hash of the value): no privilege on the tables is needed, as a
// plain DELETE needs none on the tables its cascade reaches.
TenantShards tenant_shards(const std::vector<CountedTable>& tables, Oid type, Datum tenant) {
    std::vector<Datum> relids;
    for (const CountedTable& table : tables)
        relids.push_back(ObjectIdGetDatum(table.leaf));
    pg::Parameters parameters;
    parameters.add(OIDARRAYOID, pg::guarded([&relids] {
                       return pg::array_datum(OIDOID, relids.data(), nullptr, (int)relids.size());
                   }),
                   false);
    parameters.add(type, tenant, false);
    pg::SingleValue names = pg::query_single_value(
        "SELECT pg_catalog.array_agg(pg_catalog.shard_name(s.logicalrelid, s.shardid, false) "
        "ORDER BY u.n) FROM pg_catalog.unnest($1) WITH ORDINALITY AS u(t, n) "
        "JOIN pg_catalog.pg_dist_shard s ON s.logicalrelid OPERATOR(pg_catalog.=) u.t "
        "AND pg_catalog.worker_hash($2) BETWEEN s.shardminvalue::pg_catalog.int4 "
        "AND s.shardmaxvalue::pg_catalog.int4",
        parameters, true);
    if (names.is_null)
        throw Error(sqlstate::kInternalError, "data_bridge: no shards found for the tenant");
    ArrayItems listed = array_items(names.value, TEXTOID);
    if (listed.count != (int)tables.size())
        throw Error(sqlstate::kInternalError, "data_bridge: no shard found for a reached table");
    const char* first = pg::guarded(
        [listed] { return listed.count > 0 ? TextDatumGetCString(listed.values[0]) : ""; });
    return TenantShards{tenant, names.value, first};
}

// The row of worker_deletes_sql or counted_tenant_delete_sql.
WorkerCounts read_worker_counts(uint64 count, bool with_roots) {
    if (count != 1)
        throw Error(sqlstate::kInternalError, "data_bridge: no counts came back from the worker");
    WorkerCounts counts;
    struct Row {
        Datum deleted;
        bool missing;
        int32 backend;
        int64 roots;
    };
    Row row = pg::guarded([with_roots] {
        bool missing;
        bool isnull;
        HeapTuple tuple = SPI_tuptable->vals[0];
        TupleDesc desc = SPI_tuptable->tupdesc;
        Datum deleted = SPI_getbinval(tuple, desc, 1, &missing);
        int32 backend = DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull));
        int64 roots = with_roots ? DatumGetInt64(SPI_getbinval(tuple, desc, 3, &isnull)) : 0;
        return Row{deleted, missing, backend, roots};
    });
    if (row.missing)
        throw Error(sqlstate::kInternalError, "data_bridge: no counts came back from the worker");
    ArrayItems deleted = array_items(row.deleted, INT8OID);
    for (int i = 0; i < deleted.count; i++)
        counts.deleted.push_back((long)DatumGetInt64(deleted.values[i]));
    counts.backend = row.backend;
    counts.roots = (long)row.roots;
    return counts;
}

// The caller's DELETE when the tenants were read first (tenant_delete): every row it deleted must
// be of a shard group whose counts were read before it. A root row another transaction committed
// after the tenants were read, in a group not read, took a cascade nobody counted: the call fails
// (40001: retry) rather than return a wrong count, and its DELETE is undone with it. Returns the
// root rows deleted.
long checked_tenant_delete(Oid table, const RootKey& key, const std::string& tenant_column,
                           const std::vector<CountedTable>& tables, Oid type,
                           const std::vector<TenantShards>& groups) {
    std::string sql =
        delete_returning_tenants_sql(pg::quoted_table(table), key.matches, tenant_column);
    uint64 count = pg::execute_plan(pg::cached_plan(sql, key.parameters.types),
                                    key.parameters.values, key.parameters.nulls, false);
    struct TypeFacts {
        int16 length;
        bool by_value;
    };
    TypeFacts facts = pg::guarded([type] {
        TypeFacts out{};
        get_typlenbyval(type, &out.length, &out.by_value);
        return out;
    });
    auto same = [&facts](Datum a, Datum b) {
        return pg::guarded(
            [a, b, facts] { return datum_image_eq(a, b, facts.by_value, facts.length); });
    };
    std::vector<Datum> others;  // the tenants deleted that no group read was made for
    for (uint64 r = 0; r < count; r++) {
        pg::check_for_interrupts();
        struct Tenant {
            bool is_null;
            Datum value;
        };
        Tenant tenant = pg::guarded([r, facts] {
            bool isnull;
            Datum value = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);
            return Tenant{isnull,
                          isnull ? (Datum)0 : datumCopy(value, facts.by_value, facts.length)};
        });
        if (tenant.is_null)
            continue;  // Citus keeps no row without its distribution column's value
        bool read =
            std::any_of(groups.begin(), groups.end(),
                        [&](const TenantShards& g) { return same(g.tenant, tenant.value); }) ||
            std::any_of(others.begin(), others.end(),
                        [&](Datum other) { return same(other, tenant.value); });
        if (!read)
            others.push_back(tenant.value);
    }
    for (Datum tenant : others) {
        std::string first = tenant_shards(tables, type, tenant).first;
        bool read = std::any_of(groups.begin(), groups.end(),
                                [&first](const TenantShards& g) { return g.first == first; });
        if (!read)
            throw Error(sqlstate::kSerializationFailure,
                        "could not count the cascade: a row to delete appeared during the call",
                        fmt::format("Another transaction added a row of \"{}\" with the key after "
                                    "data_bridge read the tenants; nothing was deleted.",
                                    pg::relation_name(table)),
                        "Retry the call.");
    }
    return (long)count;
}

// A cascade on Citus. The workers delete the rows (their foreign-key triggers cascade on the
// shards), out of reach of this backend's counters, but each worker keeps the same counters of
// its own transaction: the count is theirs, read before and after the caller's own DELETE in the
// worker connection that runs it (Citus sends every later statement on a placement a
// transaction modified through that connection; the backend's pid, read both times, shows it).
// When the key states one tenant, the first reading and the DELETE are one statement, one trip
// to the worker; otherwise the tenants are read first, one reading per shard group among them.
// Rows of tables the caller may not read in full are deleted but not counted, as everywhere.
long tenant_delete(Oid table, const RootKey& key, CascadeCount& count) {
    const char* router =
        pg::guarded([] { return GetConfigOption("citus.enable_router_execution", true, false); });
    if (router != nullptr && strcmp(router, "off") == 0)
        throw Error(sqlstate::kFeatureNotSupported,
                    "cannot count a cascade on Citus with citus.enable_router_execution off",
                    "data_bridge reads the count on the tenant's worker, in statements Citus "
                    "routes there.",
                    "Turn citus.enable_router_execution on for the call, or use a plain DELETE.");
    TenantScope& scope = count.scope;
    std::vector<CountedTable> tables = reachable_tables(table);
    std::optional<StatedTenant> stated = stated_tenant(key, scope, table);
    std::vector<TenantShards> groups;
    std::vector<Datum> tenants;
    if (stated)
        tenants.push_back(stated->value);
    else
        tenants = root_tenants(table, key, scope);
    for (Datum tenant : tenants) {
        pg::check_for_interrupts();
        TenantShards shards = tenant_shards(tables, scope.type, tenant);
        bool known = std::any_of(groups.begin(), groups.end(), [&shards](const TenantShards& g) {
            return g.first == shards.first;
        });
        if (!known)
            groups.push_back(shards);
    }

    std::string table_sql = pg::quoted_table(table);
    std::string tenant_column = pg::quoted_identifier(scope.columns.at(table));
    // The statement reading a group's counts: the key's own parameters first (the DELETE's),
    // then the tenant and the shards.
    auto read_counts = [&](const TenantShards& group, bool with_delete) {
        pg::Parameters parameters = key.parameters;
        KeyMatch tenant_match{tenant_column, pg::equality_operator_sql(scope.type),
                              parameters.add(scope.type, group.tenant, false)};
        std::string shards = parameters.add(TEXTARRAYOID, group.names, false);
        std::string tenant_condition = conditions("t", {tenant_match});
        std::string sql = worker_deletes_sql(table_sql, tenant_condition, shards);
        if (with_delete) {
            // A converted tenant is stated as a value in the DELETE too: the same rows.
            std::vector<KeyMatch> matches = key.matches;
            if (stated->converted)
                matches.push_back(tenant_match);
            sql = counted_tenant_delete_sql(table_sql, matches, tenant_condition, shards);
        }
        uint64 rows = pg::execute_plan(pg::cached_plan(sql, parameters.types), parameters.values,
                                       parameters.nulls, false);
        return read_worker_counts(rows, with_delete);
    };

    std::vector<WorkerCounts> before;
    long roots = 0;
    // A DELETE inside WITH refuses the root table's rules; then it runs on its own.
    if (stated && groups.size() == 1 && !has_rules(table)) {
        before.push_back(read_counts(groups[0], true));
        roots = before[0].roots;
    } else {
        for (const TenantShards& group : groups)
            before.push_back(read_counts(group, false));
        roots = checked_tenant_delete(table, key, tenant_column, tables, scope.type, groups);
    }
    std::vector<long> deleted(tables.size(), 0);
    for (std::size_t g = 0; g < groups.size(); g++) {
        WorkerCounts after = read_counts(groups[g], false);
        if (after.backend != before[g].backend || after.deleted.size() != tables.size())
            throw Error(sqlstate::kObjectNotInPrerequisiteState,
                        "could not count the cascade: Citus ran the DELETE in another worker "
                        "connection than the count's",
                        {}, "Run the call before multi-shard statements in its transaction.");
        for (std::size_t i = 0; i < tables.size(); i++)
            deleted[i] += after.deleted[i] - before[g].deleted[i];
    }
    return counted_rows(table, tables, deleted, roots);
}

// data_bridge_internal._transaction_deleted_rows(tables text[]): for each named table, the rows
// this transaction (its subtransactions still in force) deleted from it. On a Citus worker it
// reads the counters of the shards a tenant_delete's DELETE cascaded through.
Datum transaction_deleted_rows_body(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, 0, "tables");
    std::vector<std::string> names = pg::text_array_arg(fcinfo, 0, "tables");
    std::vector<Datum> counts;
    for (const std::string& name : names) {
        const char* text = name.c_str();
        // Looked up without the schema's USAGE check: a plain DELETE needs no right on the schemas
        // its cascade reaches (the counts tell a transaction only its own deletes).
        Oid relid = pg::guarded([text] {
            char* schema = nullptr;
            char* relation = nullptr;
            DeconstructQualifiedName(stringToQualifiedNameList(text), &schema, &relation);
            Oid found = schema != nullptr
                            ? get_relname_relid(relation, get_namespace_oid(schema, false))
                            : RelnameGetRelid(relation);
            if (!OidIsValid(found))
                ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                                errmsg("relation \"%s\" does not exist", text)));
            return found;
        });
        counts.push_back(Int64GetDatum(deleted_in_transaction(relid)));
    }
    return pg::guarded(
        [&counts] { return pg::array_datum(INT8OID, counts.data(), nullptr, (int)counts.size()); });
}

// The rows a DELETE of the key deletes, counted as `count` says.
long counted_delete(Oid table, const RootKey& key, CascadeCount& count) {
    return count.citus ? tenant_delete(table, key, count) : native_delete(table, key);
}

// delete_*(tbl regclass, key): the rows whose key `read_key` reads from argument 1.
Datum delete_rows(FunctionCallInfo fcinfo, RootKey (*read_key)(FunctionCallInfo, Oid, int)) {
    Oid table = PG_GETARG_OID(0);
    pg::require_table(table);
    require_delete_privilege(table);
    CascadeCount count = cascade_count(table);
    RootKey key = read_key(fcinfo, table, 1);
    pg::spi_connect();
    long total = counted_delete(table, key, count);
    pg::spi_finish();
    return Int64GetDatum(total);
}

// delete_checked() is the guide's name for the same call: PostgreSQL checks every RESTRICT and
// NO ACTION reference of the cascade, and a refusal undoes the whole statement.
Datum delete_with_cascade_body(FunctionCallInfo fcinfo) {
    return delete_rows(fcinfo, single_key);
}

// An array of keys as the call passed it: an array of any element type, or (sent as text or
// untyped) an array literal, converted to an array of the key column's type by that array
// type's input function, as the caller.
KeyArray key_array_arg(FunctionCallInfo fcinfo, int argno, const pg::ColumnInfo& column) {
    Oid type = pg::guarded([fcinfo, argno] { return get_fn_expr_argtype(fcinfo->flinfo, argno); });
    Datum value = PG_GETARG_DATUM(argno);
    if (type != TEXTOID) {
        Oid element = pg::guarded([type] { return get_element_type(type); });
        return {type, element, value};
    }
    // An array of the base type, as for a literal in `id = ANY ('{…}')`: a domain's typmod and
    // CHECK apply to stored values, not to keys compared.
    Oid key_type = pg::base_type(column.type);
    Oid array_type = pg::guarded([key_type] { return get_array_type(key_type); });
    Datum converted = pg::guarded([value, array_type] {
        Oid input;
        Oid io_parameter;
        getTypeInputInfo(array_type, &input, &io_parameter);
        return OidInputFunctionCall(input, TextDatumGetCString(value), io_parameter, -1);
    });
    return {array_type, key_type, converted};
}

// Matches the primary key against every element of an array argument.
RootKey array_key(FunctionCallInfo fcinfo, Oid table, int argno) {
    std::vector<std::string> key_columns = pg::primary_key_columns(table);
    if (key_columns.size() != 1) {
        throw Error(key_columns.empty() ? sqlstate::kInvalidColumnReference
                                        : sqlstate::kFeatureNotSupported,
                    fmt::format("table \"{}\" has {} primary key", pg::relation_name(table),
                                key_columns.empty() ? "no" : "a composite"),
                    {},
                    "Delete rows of tables with composite keys one key at a time with "
                    "delete_with_cascade().");
    }
    pg::ColumnInfo column = pg::column_info(table, key_columns[0]);
    // An array of arrays is one array in PostgreSQL: its elements would be compared one by one.
    if (pg::is_array_type(pg::base_type(column.type))) {
        throw Error(sqlstate::kFeatureNotSupported,
                    fmt::format("table \"{}\" has a primary key of an array type",
                                pg::relation_name(table)),
                    {}, "Delete its rows one key at a time with delete_with_cascade().");
    }
    KeyArray keys = key_array_arg(fcinfo, argno, column);
    RootKey key;
    key.column = column;
    key.keys = keys;
    std::string placeholder = key.parameters.add(keys.array_type, keys.array, false);
    // The same comparison as for one key, for every element: as WHERE col = ANY(...).
    pg::KeyComparison comparison = pg::key_comparison(column, keys.element_type);
    key.matches.push_back(
        {comparison.column, comparison.equals, any_value_sql(placeholder, comparison.convert_to)});
    return key;
}

// delete_many_with_cascade(tbl regclass, ids anyarray): all keys in one DELETE.
Datum delete_many_body(FunctionCallInfo fcinfo) {
    return delete_rows(fcinfo, array_key);
}

// delete_each_with_cascade(tbl regclass, ids anyarray, on_error text): one report per key.
Datum delete_each_body(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, 0, "tbl");
    pg::require_arg(fcinfo, 1, "ids");
    Oid table = PG_GETARG_OID(0);
    pg::require_table(table);
    // What every key's DELETE needs is checked once, as its statement would check it: a missing
    // privilege fails the call, not each key in 'skip' mode.
    pg::require_schema_usage(table);
    require_delete_privilege(table);
    CascadeCount count = cascade_count(table);
    bool skip = pg::skips_failures(pg::text_arg(fcinfo, 2, "on_error"), "all keys or none",
                                   "each key on its own");
    // Refuses keyless, composite-key and array-key tables up front; converts a text argument.
    RootKey all = array_key(fcinfo, table, 1);
    require_key_read_privilege(table, all.column);
    Oid element_type = all.keys.element_type;
    Datum array = all.keys.array;

    ArrayItems items = array_items(array, element_type);
    const pg::ColumnInfo& column = all.column;

    std::vector<pg::ItemReport> reports;
    pg::spi_connect();
    for (int i = 0; i < items.count; i++) {
        RootKey key;
        std::string placeholder = key.parameters.add(element_type, items.values[i], items.nulls[i]);
        key.matches.push_back(pg::key_match(column, element_type, placeholder));
        long deleted = 0;
        if (!skip) {
            reports.push_back({std::nullopt, counted_delete(table, key, count), std::nullopt});
            continue;
        }
        auto failure =
            pg::try_in_subtransaction([&] { deleted = counted_delete(table, key, count); });
        if (failure)
            pg::require_table(table);  // the table itself gone fails the call, not the key
        if (failure) {
            reports.push_back({std::nullopt, std::nullopt, failure});
        } else {
            reports.push_back({std::nullopt, deleted, std::nullopt});
        }
    }
    pg::spi_finish();

    return pg::item_reports_jsonb(reports, "deleted");
}

enum PlanColumn {
    kPlanDepth,
    kPlanPath,
    kPlanTable,
    kPlanConstraint,
    kPlanAction,
    kPlanRows,
    kPlanRowsExist,
    kPlanBlocks,
    kPlanColumnCount
};

// The refusal as the walk's keys name it. PostgreSQL names what refused: on a partition family,
// a partition's clone of the declared key (..._fkey1) or a partition of the declared key's
// table (a NOT NULL column of one partition); the walk holds the declared keys. Returns the
// refusal itself, then with the clone's declared key, then with each partitioned table the
// named table is a partition of.
std::vector<Refusal> declared_refusals(const Refusal& refusal, const std::string& schema) {
    std::vector<Refusal> candidates{refusal};
    if (refusal.table.empty() || schema.empty())
        return candidates;
    struct Declared {
        char* constraint;  // the declared key's name, or null
        char* table;       // its table's
        char* schema;      // that table's schema
        List* ancestors;   // the named table's partition ancestors
    };
    const char* schema_name = schema.c_str();
    const char* table_name = refusal.table.c_str();
    const char* constraint_name = refusal.constraint.c_str();
    Declared declared = pg::guarded([schema_name, table_name, constraint_name] {
        Declared out{nullptr, nullptr, nullptr, NIL};
        Oid namespace_oid = get_namespace_oid(schema_name, true);
        Oid relid =
            OidIsValid(namespace_oid) ? get_relname_relid(table_name, namespace_oid) : InvalidOid;
        if (!OidIsValid(relid))
            return out;
        out.ancestors = get_partition_ancestors(relid);
        Oid constraint = *constraint_name != '\0'
                             ? get_relation_constraint_oid(relid, constraint_name, true)
                             : InvalidOid;
        bool clone = false;
        for (int depth = 0; OidIsValid(constraint) && depth < 64; depth++) {
            HeapTuple tuple = SearchSysCache1(CONSTROID, ObjectIdGetDatum(constraint));
            if (!HeapTupleIsValid(tuple))
                break;
            auto* form = (Form_pg_constraint)GETSTRUCT(tuple);
            if (!OidIsValid(form->conparentid)) {
                if (clone) {
                    out.constraint = pstrdup(NameStr(form->conname));
                    out.table = get_rel_name(form->conrelid);
                    out.schema = get_namespace_name(get_rel_namespace(form->conrelid));
                }
                ReleaseSysCache(tuple);
                break;
            }
            constraint = form->conparentid;
            clone = true;
            ReleaseSysCache(tuple);
        }
        return out;
    });
    if (declared.constraint != nullptr && declared.table != nullptr) {
        Refusal root = refusal;
        root.constraint = declared.constraint;
        root.table = declared.table;
        root.schema = declared.schema != nullptr ? declared.schema : "";
        candidates.push_back(root);
    }
    for (int i = 0; i < list_length(declared.ancestors); i++) {
        Oid ancestor = list_nth_oid(declared.ancestors, i);
        Refusal up = refusal;
        up.table = pg::relation_name(ancestor);
        up.schema = pg::table_name_of(ancestor).schema;
        candidates.push_back(up);
    }
    return candidates;
}

// Each line of delete_plan carries its whole path: a cascade thousands of levels deep one
// statement at a time (a cycle between tables) makes the paths grow with the square of the
// depth. Past this many constraint names in all, refused (54000) before they are built, rather
// than exhaust the server's memory.
constexpr long kMaxPlanPathNames = 1000000;

void refuse_paths_past_bound(const std::vector<CascadeStep>& steps) {
    long names = 0;
    for (const CascadeStep& step : steps)
        names += step.depth;
    if (names > kMaxPlanPathNames)
        throw Error(sqlstate::kProgramLimitExceeded,
                    fmt::format("delete_plan's lines would hold more than {} constraint names in "
                                "their paths",
                                kMaxPlanPathNames),
                    fmt::format("The cascade is {} steps deep along a path the dry run walks a "
                                "level at a time.",
                                steps.empty() ? 0 : steps.back().depth),
                    "Run delete_with_cascade inside BEGIN ... ROLLBACK to see its count.");
}

// delete_plan's walk stopped past data_bridge.max_cascade_rows. Its count includes rows the
// caller may not read, and a caller who could tell an error from a plan by key would learn how
// many there are below rows it cannot delete. So the error is raised where the caller may know
// as much: every table the walk read is readable in full, or the caller's own DELETE (tried,
// rolled back) deletes root rows and so runs the cascade, whose deleted rows PostgreSQL's
// statistics count for the caller anyway. A DELETE that deletes no row (a policy, a trigger)
// runs no cascade: returns normally, and the plan is the root's line alone. A Citus walk reads
// as the caller.
void plan_past_limit(Oid table, const RootKey& key, const CascadeCount& count,
                     const CascadeWalk& walk, const std::function<bool(Oid)>& readable) {
    long limit = pg::max_cascade_rows;
    if (count.citus || walk.read_only_readable(readable))
        throw cascade_limit_exceeded(limit);
    long deleted_roots = 0;
    std::optional<Error> outcome =
        pg::try_and_roll_back([&] { native_delete(table, key, &deleted_roots); });
    // Refused by a key: where, the plan would say; past the limit it cannot.
    if (outcome && outcome->code() == sqlstate::kForeignKeyViolation)
        throw cascade_limit_exceeded(limit);
    // Anything else (the DELETE's own 54000, a trigger's or a policy's error) is the call's
    // answer, as in a plan within the limit.
    if (outcome)
        throw *outcome;
    if (deleted_roots > 0)
        throw cascade_limit_exceeded(limit);
}

// delete_plan(tbl regclass, id anyelement): the dry run. Needs what the DELETE needs.
Datum delete_plan_body(FunctionCallInfo fcinfo) {
    Oid table = PG_GETARG_OID(0);
    pg::require_table(table);
    require_delete_privilege(table);
    CascadeCount count = cascade_count(table, true);
    RootKey key = single_key(fcinfo, table, 1);
    pg::spi_connect();
    // On Citus the walk reads the tenant's rows as the caller (see TenantScope).
    CascadeWalk walk(table, count.citus ? &count.scope : nullptr);
    std::map<Oid, bool> readable_tables;
    auto readable = [&readable_tables](Oid relid) {
        auto found = readable_tables.find(relid);
        if (found == readable_tables.end())
            found = readable_tables.emplace(relid, caller_sees_all_rows(relid)).first;
        return found->second;
    };
    long roots = 0;
    bool past_limit = false;
    try {
        roots = walk.find_root(key.matches, key.parameters);
        if (roots > 0)
            walk.walk();
    } catch (const WalkPastLimit&) {
        plan_past_limit(table, key, count, walk, readable);
        past_limit = true;  // the caller's DELETE deletes nothing
    }
    if (!past_limit)
        refuse_paths_past_bound(walk.steps());
    // The DELETE itself, rolled back: PostgreSQL decides whether and where it fails.
    std::optional<Error> refusal;
    long roots_gone = 0;
    if (roots > 0 && !past_limit) {
        refusal = pg::try_and_roll_back([&] {
            if (count.citus) {
                caller_delete(table, key);
                roots_gone = walk.settle_tenant_trial();
            } else {
                native_delete(table, key);
                roots_gone = walk.settle_trial();
            }
        });
    }
    if (refusal) {
        const ErrorFields& fields = refusal->fields();
        Refusal named{refusal->code(), fields.table, fields.column, fields.constraint,
                      fields.schema};
        // Citus passes a worker's 23503 on without the fields that name the key.
        bool unnamed =
            count.citus && named.code == sqlstate::kForeignKeyViolation && named.constraint.empty();
        bool marked = false;
        if (unnamed) {
            marked = mark_unnamed_refusal(walk.steps());
        } else {
            for (const Refusal& declared : declared_refusals(named, fields.schema)) {
                marked = mark_refusal(walk.steps(), declared);
                if (marked)
                    break;
            }
            // A worker names its shard's table and key ("mc_a_102810" on "mc_102810").
            std::optional<Refusal> logical =
                count.citus ? without_shard_suffix(named) : std::nullopt;
            if (!marked && logical)
                marked = mark_refusal(walk.steps(), *logical);
        }
        // Any other failure (a trigger's, a policy's, a privilege) is the call's answer too.
        if (!marked)
            throw *refusal;
    }

    struct Line {
        int depth;
        std::vector<std::string> path;
        Oid table;
        std::string constraint;
        std::string action;
        long rows;
        bool visible;
        bool blocks;
        bool decided_at_commit;  // a deferred check: blocks is unknown until then
    };
    std::vector<Line> lines;
    // The root rows are those the caller's own statement selected (and the caller's DELETE
    // reports how many go): their count is the caller's to see, whatever the policies.
    lines.push_back({0, {}, table, {}, "DELETE", refusal ? roots : roots_gone, true, false, false});
    // A DELETE that deletes no row (a policy, a trigger) runs no cascade: nothing below it.
    if (roots > 0 && (refusal || roots_gone > 0)) {
        for (const CascadeStep& step : walk.steps()) {
            bool acts =
                step.rows > 0 || (step.kind != CascadeStepKind::kDelete && !step.matched.empty());
            // Lines through tables the caller cannot read in full are left out (their being
            // there would tell that rows exist), except where PostgreSQL refuses: its own error
            // names that table and constraint.
            if (!step.blocks && (!acts || !walk.path_visible(step, readable)))
                continue;
            // A count only where the caller may read every table on the way: a refusal's line
            // through another table shows that PostgreSQL refuses there, as its error does.
            bool visible = walk.path_visible(step, readable);
            // A NO ACTION reference left behind that the trial DELETE let through is checked
            // at commit, after this call: the key is deferred now, initially or by SET
            // CONSTRAINTS (which the catalog does not show).
            bool deferred = step.kind == CascadeStepKind::kNoAction && step.key->deferrable &&
                            step.rows > 0 && !refusal;
            lines.push_back({step.depth, walk.path_of(step), step.table, step.key->name,
                             step_kind_sql(step.kind), step.rows, visible, step.blocks, deferred});
        }
    }
    walk.finish();
    pg::spi_finish();

    pg::guarded([fcinfo, &lines] {
        InitMaterializedSRF(fcinfo, 0);
        auto* result = (ReturnSetInfo*)fcinfo->resultinfo;
        for (const Line& line : lines) {
            Datum values[kPlanColumnCount];
            bool nulls[kPlanColumnCount] = {};
            values[kPlanDepth] = Int32GetDatum(line.depth);
            values[kPlanPath] = pg::name_array_datum(line.path);
            values[kPlanTable] = ObjectIdGetDatum(line.table);
            if (line.constraint.empty()) {
                nulls[kPlanConstraint] = true;
                values[kPlanConstraint] = (Datum)0;
            } else {
                values[kPlanConstraint] = pg::name_datum(line.constraint);
            }
            values[kPlanAction] = pg::text_datum(line.action);
            // Counts only of tables whose every row the caller may read.
            nulls[kPlanRows] = nulls[kPlanRowsExist] = !line.visible;
            values[kPlanRows] = Int64GetDatum(line.visible ? line.rows : 0);
            values[kPlanRowsExist] = BoolGetDatum(line.visible && line.rows > 0);
            nulls[kPlanBlocks] = line.decided_at_commit;
            values[kPlanBlocks] = BoolGetDatum(line.blocks);
            tuplestore_putvalues(result->setResult, result->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(delete_with_cascade, data_bridge::delete_with_cascade_body)
DATA_BRIDGE_FUNCTION(delete_checked, data_bridge::delete_with_cascade_body)
DATA_BRIDGE_FUNCTION(delete_many_with_cascade, data_bridge::delete_many_body)
DATA_BRIDGE_FUNCTION(delete_each_with_cascade, data_bridge::delete_each_body)
DATA_BRIDGE_FUNCTION(delete_plan, data_bridge::delete_plan_body)
DATA_BRIDGE_FUNCTION(_transaction_deleted_rows, data_bridge::transaction_deleted_rows_body)

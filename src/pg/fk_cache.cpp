#include "data_bridge/pg/fk_cache.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/fk_catalog.hpp"
#include "data_bridge/pg/postgres.hpp"

extern "C" {
#include "access/relation.h"
#include "catalog/index.h"
#include "storage/lmgr.h"
#include "utils/inval.h"
}

namespace data_bridge::pg {

namespace {

// The graph reads the catalogs a table at a time, on first use.
const CatalogFkSource catalog_source;

// While the graph reads a table's keys (taking a catalog's lock delivers invalidations), the
// table is not in the graph yet: every relation invalidated meanwhile is a suspect (and, should
// it be an index, one of the other relations, whose tables are looked up), so that a key
// committed or an index attached during the read is seen by the next call.
int graph_reads_running = 0;

class WatchedSource : public FkSource {
  public:
    std::vector<ForeignKey> declared_on(RelationId table) const override {
        return reading([table] { return catalog_source.declared_on(table); });
    }
    std::vector<ForeignKey> referencing(RelationId table) const override {
        return reading([table] { return catalog_source.referencing(table); });
    }

  private:
    template <typename Read>
    static std::vector<ForeignKey> reading(Read read) {
        graph_reads_running++;
        try {
            std::vector<ForeignKey> keys = read();
            graph_reads_running--;
            return keys;
        } catch (...) {
            graph_reads_running--;
            throw;
        }
    }
};
const WatchedSource watched_source;
std::unique_ptr<FkGraph> current_graph;
// Graphs replaced during a transaction: a caller may still hold a reference to one until the
// transaction ends (a nested call can rebuild the graph under an outer one).
std::vector<std::unique_ptr<FkGraph>> retired_graphs;
bool graph_is_stale = true;
uint64_t generation = 1;
long graph_builds = 0;

// Tables whose shape remembered calls depend on, with a signature of that shape (names, columns
// and their types, indexes). A relcache invalidation of such a table, or of a table of the
// graph, only makes it a suspect: the next use compares what the catalogs say now with what was
// cached, so statistics updates (ANALYZE, VACUUM, autovacuum) invalidate nothing.
std::unordered_map<Oid, uint64_t> watched_tables;
std::unordered_set<Oid> suspect_tables;
// Other relations invalidated since: an index among them (ALTER INDEX ... ATTACH PARTITION
// validates a partitioned index with nothing but its own invalidation) makes its table a
// suspect. Bounded: past it, everything is suspect.
std::unordered_set<Oid> other_relations;
constexpr std::size_t kMaxOtherRelations = 4096;
constexpr int kMaxSettleRounds = 8;
bool everything_suspect = false;

// Changes to the catalogs a table's model reads besides pg_class (columns, indexes, constraints),
// counted by syscache callbacks, and for each table settled, the count at its last full check
// with a signature of its pg_class row (the model's part of it): a suspect whose row reads the
// same while no such change came since is settled by one syscache lookup. ANALYZE, VACUUM and
// autovacuum rewrite only a table's statistics (and pg_statistic): no relcache rebuild and no
// catalog scans for them. Any other change, to any table, sends the next suspects through the
// full comparison; a table's catalog changes are counted before its relcache invalidation
// arrives (inval.c sends catalog cache messages first), so it is never settled in between.
uint64_t catalog_changes = 0;
struct SettledTable {
    uint64_t class_signature;
    uint64_t changes_seen;
};
std::unordered_map<Oid, SettledTable> settled_tables;

void on_model_catalog_change(Datum, int, uint32) {
    catalog_changes++;
}

// The types of the watched tables' columns (by their syscache hash values): remembered
// statements name them in casts, so a change to one (a renamed domain or enum) drops the shapes.
// A change to any other type (every CREATE TABLE makes one) drops nothing.
std::unordered_set<uint32> watched_type_hashes;
std::unordered_set<uint32> changed_type_hashes;
constexpr std::size_t kMaxChangedTypes = 4096;
bool every_type_changed = false;

// A foreign key's pg_constraint row always comes with a relcache invalidation of its table
// (inval.c sends one for conrelid), and creating or dropping one creates or drops triggers on
// the referenced table (a relcache invalidation of it too): the suspects below see every change
// to a key the graph holds or should hold. Other constraints (every primary key of every new
// table) change nothing the model holds: pg_constraint's callback only counts catalog_changes.

// The schemas whose names SQL text built by the caches holds (tables', types', operators'),
// with those names: a change to pg_namespace compares them with the catalog's, so that a new
// schema (CREATE SCHEMA, a backend's first temporary table) drops nothing and a renamed or
// dropped one drops what was built with it. PostgreSQL's hash table, in CacheMemoryContext.
struct UsedSchema {
    Oid namespace_oid;  // the key
    NameData name;
};
HTAB* used_schemas = nullptr;
bool schemas_changed = false;

void on_namespace_change(Datum, int, uint32) {
    schemas_changed = true;
}

// Remembered statements name operators by schema (OPERATOR(schema.=)): an operator moved to
// another schema, or dropped, or a new one that could be chosen, drops the shapes. Operators
// change rarely (an extension installed, a migration).
void on_operator_change(Datum, int, uint32) {
    generation++;
}

void on_type_change(Datum, int, uint32 hash) {
    // 0 means "every type" (a reset of the cache).
    if (hash == 0 || changed_type_hashes.size() >= kMaxChangedTypes) {
        every_type_changed = true;
        return;
    }
    try {
        changed_type_hashes.insert(hash);
    } catch (...) {
        every_type_changed = true;  // no memory for the set: count every type changed
    }
}

// Bumps the generation when a type the watched tables' columns use has changed.
void settle_types() {
    if (!every_type_changed && changed_type_hashes.empty())
        return;
    bool watched = every_type_changed;
    for (uint32 hash : changed_type_hashes)
        watched = watched || watched_type_hashes.count(hash) != 0;
    every_type_changed = false;
    changed_type_hashes.clear();
    if (watched)
        generation++;
}

void on_relcache_change(Datum, Oid relid) {
    // InvalidOid means "every relation" (a reset of the relcache).
    if (relid == InvalidOid) {
        everything_suspect = true;
        return;
    }
    bool in_graph = current_graph != nullptr && current_graph->involves(relid);
    bool known = in_graph || watched_tables.count(relid) != 0;
    try {
        if (known || (graph_reads_running > 0 && suspect_tables.size() < kMaxOtherRelations))
            suspect_tables.insert(relid);
        else if (graph_reads_running > 0)
            everything_suspect = true;
        // During a read the relation may be an index of the table being read: its table is
        // looked up when the suspects are settled, as for any other relation's.
        if (!known && other_relations.size() < kMaxOtherRelations)
            other_relations.insert(relid);
        else if (!known)
            everything_suspect = true;
    } catch (...) {
        everything_suspect = true;  // no memory for the set: suspect everything instead
    }
}

void on_transaction_end(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
        event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
        event == XACT_EVENT_PREPARE) {
        retired_graphs.clear();
        graph_reads_running = 0;  // no read outlives its transaction
    }
}

void mix(uint64_t& hash, const void* data, std::size_t length) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < length; i++) {
        hash ^= bytes[i];
        hash *= 1099511628211ULL;  // FNV-1a
    }
}

constexpr uint64_t kHashStart = 1469598103934665603ULL;  // FNV-1a's offset basis

// The name, schema and kind of a table's pg_class row: what both signatures below hold of it.
void mix_class_row(uint64_t& hash, const FormData_pg_class* form) {
    mix(hash, NameStr(form->relname), strlen(NameStr(form->relname)));
    mix(hash, &form->relnamespace, sizeof form->relnamespace);
    mix(hash, &form->relkind, sizeof form->relkind);
}

// A table's signature, or none when its lock was not free (Signature::known false), with the
// syscache hash values of its column types (palloc'd, for watched_type_hashes).
struct Signature {
    bool known;
    uint64_t hash;
    uint32* type_hashes;
    int type_count;
};

// The signature a watched table has while it could not be compared (its lock was held): never a
// table's own, so the next comparison counts as a change.
constexpr uint64_t kUnknownSignature = ~0ULL;

// What remembered statements depend on in a table: its name and schema, its columns and their
// types, its indexes. 0 when the table is gone. `wait`: whether to wait for the table's lock (a
// transaction changing the table holds it); without, unknown while it is held. Raises errors:
// call inside guarded().
Signature relation_signature(Oid relid, bool wait) {
    Relation relation = nullptr;
    if (wait) {
        relation = try_relation_open(relid, AccessShareLock);
    } else if (ConditionalLockRelationOid(relid, AccessShareLock)) {
        if (SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
            relation = relation_open(relid, NoLock);
        else
            UnlockRelationOid(relid, AccessShareLock);
    } else {
        return Signature{false, 0, nullptr, 0};
    }
    if (relation == nullptr)
        return Signature{true, 0, nullptr, 0};
    uint64_t hash = kHashStart;
    mix_class_row(hash, relation->rd_rel);
    TupleDesc descriptor = RelationGetDescr(relation);
    auto* types = static_cast<uint32*>(palloc(sizeof(uint32) * (descriptor->natts + 1)));
    int type_count = 0;
    for (int i = 0; i < descriptor->natts; i++) {
        Form_pg_attribute attribute = TupleDescAttr(descriptor, i);
        if (!attribute->attisdropped)
            types[type_count++] =
                GetSysCacheHashValue1(TYPEOID, ObjectIdGetDatum(attribute->atttypid));
        mix(hash, NameStr(attribute->attname), strlen(NameStr(attribute->attname)));
        mix(hash, &attribute->atttypid, sizeof attribute->atttypid);
        mix(hash, &attribute->atttypmod, sizeof attribute->atttypmod);
        mix(hash, &attribute->attisdropped, sizeof attribute->attisdropped);
        mix(hash, &attribute->attnotnull, sizeof attribute->attnotnull);
        mix(hash, &attribute->attcollation, sizeof attribute->attcollation);
    }
    // The indexes themselves (a shape may read through one): REINDEX CONCURRENTLY or a dropped
    // and recreated index leaves the same facts under a new OID.
    List* index_oids = RelationGetIndexList(relation);
    ListCell* oid_cell;
    foreach (oid_cell, index_oids) {
        Oid index_oid = lfirst_oid(oid_cell);
        mix(hash, &index_oid, sizeof index_oid);
    }
    list_free(index_oids);
    Relation pg_index = table_open(IndexRelationId, AccessShareLock);
    List* indexes = read_indexes(pg_index, relid);
    table_close(pg_index, AccessShareLock);
    ListCell* cell;
    foreach (cell, indexes) {
        const auto* index = (const IndexFacts*)lfirst(cell);
        mix(hash, index, sizeof *index);
    }
    relation_close(relation, AccessShareLock);
    return Signature{true, hash, types, type_count};
}

// The model's part of a table's pg_class row (0 when the table is gone); raises errors: call
// inside guarded().
uint64_t class_signature(Oid relid) {
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tuple))
        return 0;
    auto* form = (Form_pg_class)GETSTRUCT(tuple);
    uint64_t hash = kHashStart;
    mix_class_row(hash, form);
    mix(hash, &form->relispartition, sizeof form->relispartition);
    mix(hash, &form->relhassubclass, sizeof form->relhassubclass);
    mix(hash, &form->relowner, sizeof form->relowner);
    ReleaseSysCache(tuple);
    return hash;
}

Signature signature_of(Oid relid, bool wait) {
    Signature signature = guarded([relid, wait] { return relation_signature(relid, wait); });
    if (!signature.known)
        return signature;
    uint64_t& hash = signature.hash;
    // How Citus places the table (create_distributed_table changes nothing else of it): a
    // remembered load's statements depend on it.
    if (citus_present()) {
        CitusTable citus = citus_table(relid);
        mix(hash, &citus.managed, sizeof citus.managed);
        mix(hash, citus.distribution_column.data(), citus.distribution_column.size());
        mix(hash, &citus.colocation, sizeof citus.colocation);
    }
    if (hash == kUnknownSignature)
        hash ^= 1;
    return signature;
}

// Watches the types of the table's columns (a type changed is a change of the table) and frees
// the list.
void watch_column_types(const Signature& signature) {
    for (int i = 0; i < signature.type_count; i++)
        watched_type_hashes.insert(signature.type_hashes[i]);
    uint32* hashes = signature.type_hashes;
    if (hashes != nullptr)
        guarded([hashes] { pfree(hashes); });
}

// Whether a table's keys read again from the catalogs differ from the list the graph holds
// (a key added, dropped or changed).
bool keys_differ(const std::vector<const ForeignKey*>& held, const std::vector<ForeignKey>& now) {
    if (held.size() != now.size())
        return true;
    for (const ForeignKey& key : now) {
        auto same_id = [&key](const ForeignKey* kept) { return kept->id == key.id; };
        auto found = std::find_if(held.begin(), held.end(), same_id);
        if (found == held.end() || !same_foreign_key(**found, key))
            return true;
    }
    return false;
}

// Whether the graph's keys touching `relid` still read the same from the catalogs (its name,
// its columns' names, the indexes that cover its keys), and the lists of its keys the graph
// holds are still whole (no key added since).
bool graph_keys_changed(const FkGraph& graph, Oid relid) {
    if (graph.read_declared_on(relid) &&
        keys_differ(graph.referenced_by(relid), catalog_source.declared_on(relid)))
        return true;
    if (graph.read_referencing(relid) &&
        keys_differ(graph.referencing(relid), catalog_source.referencing(relid)))
        return true;
    for (const ForeignKey* key : graph.known_keys_touching(relid)) {
        // Compared with the lists above already.
        if ((key->source_relid == relid && graph.read_declared_on(relid)) ||
            (key->target_relid == relid && graph.read_referencing(relid)))
            continue;
        std::optional<ForeignKey> now = read_foreign_key(key->id);
        if (!now || !same_foreign_key(*key, *now))
            return true;
    }
    return false;
}

// The table of an index (a partitioned one included), or InvalidOid for anything else.
Oid table_of_index(Oid relid) {
    return guarded([relid] {
        char relkind = get_rel_relkind(relid);
        if (relkind != RELKIND_INDEX && relkind != RELKIND_PARTITIONED_INDEX)
            return InvalidOid;
        return IndexGetRelation(relid, true);
    });
}

// Whether a schema whose name the caches used was renamed or dropped since; forgets them all
// then (what is built again records them again). Inside guarded().
bool used_schema_renamed() {
    if (used_schemas == nullptr)
        return false;
    bool renamed = false;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, used_schemas);
    UsedSchema* entry;
    while ((entry = (UsedSchema*)hash_seq_search(&status)) != nullptr) {
        char* now = get_namespace_name(entry->namespace_oid);
        renamed = renamed || now == nullptr || strcmp(now, NameStr(entry->name)) != 0;
        if (now != nullptr)
            pfree(now);
    }
    if (renamed) {
        hash_destroy(used_schemas);
        used_schemas = nullptr;
    }
    return renamed;
}

// Drops the graph and the shapes when a schema they name was renamed or dropped.
void settle_namespaces() {
    if (!schemas_changed)
        return;
    schemas_changed = false;
    bool renamed;
    try {
        renamed = guarded([] { return used_schema_renamed(); });
    } catch (...) {
        schemas_changed = true;  // compared on the next call
        throw;
    }
    if (renamed) {
        graph_is_stale = true;
        generation++;
    }
}

// Compares the suspects (and the tables of the indexes among the other relations) with what
// the catalogs say now.
void settle(std::vector<Oid>& suspects, const std::vector<Oid>& others) {
    for (Oid relid : others) {
        Oid table = table_of_index(relid);
        bool known =
            OidIsValid(table) && ((current_graph != nullptr && current_graph->involves(table)) ||
                                  watched_tables.count(table) != 0);
        if (known)
            suspects.push_back(table);
    }
    // Citus places a table in its own catalogs, which send only the table's relcache
    // invalidation: with Citus, every suspect is compared in full.
    bool quick = !citus_present();
    for (Oid relid : suspects) {
        // Read before this table's lookups, compared after them: a change they deliver (a
        // lock waited for takes in what other sessions committed meanwhile) is not skipped.
        uint64_t changes_before = catalog_changes;
        uint64_t now_class = guarded([relid] { return class_signature(relid); });
        auto settled = settled_tables.find(relid);
        if (quick && settled != settled_tables.end() &&
            settled->second.changes_seen == catalog_changes &&
            settled->second.class_signature == now_class)
            continue;  // statistics only (see catalog_changes)
        bool compared = true;
        if (watched_tables.count(relid) != 0) {
            // Without waiting for the table's lock: the call may already hold locks that the
            // transaction holding it waits for. While it is held, the remembered shapes go (once),
            // as for a change, and the table stays watched under a signature no table has: no
            // shape depends on it until a load planned on it watches it again (watch_table), and
            // its next invalidation makes it a suspect again.
            Signature now = signature_of(relid, false);
            uint64_t& held = watched_tables[relid];
            if (!now.known) {
                compared = false;
                if (held != kUnknownSignature) {
                    held = kUnknownSignature;
                    generation++;
                }
                settled_tables.erase(relid);
            } else if (now.hash == 0) {
                // Dropped: what depended on it goes, and so does its entry.
                compared = false;
                watched_tables.erase(relid);
                settled_tables.erase(relid);
                generation++;
            } else {
                // Unknown since its lock was held, with nothing planned on it since: nothing to
                // drop.
                if (held != now.hash && held != kUnknownSignature)
                    generation++;
                held = now.hash;
                watch_column_types(now);  // a column of a new type
            }
        }
        if (!graph_is_stale && current_graph != nullptr && current_graph->involves(relid) &&
            graph_keys_changed(*current_graph, relid)) {
            graph_is_stale = true;
            generation++;
        }
        bool known = watched_tables.count(relid) != 0 ||
                     (current_graph != nullptr && current_graph->involves(relid));
        if (settled_tables.size() >= kMaxOtherRelations)
            settled_tables.clear();  // only costs full comparisons
        if (known && compared)
            settled_tables[relid] = SettledTable{now_class, changes_before};
    }
}

// Settles the suspects: bumps the generation (and marks the graph stale) only for a real change.
void settle_suspects() {
    // Reading the catalogs may take in more invalidations (a lock waited for delivers what other
    // sessions committed meanwhile): they are settled in another round, so that a call sees
    // every change committed before it got here. Bounded: what is left waits for the next call.
    for (int round = 0; round < kMaxSettleRounds; round++) {
        settle_types();
        settle_namespaces();
        if (everything_suspect) {
            everything_suspect = false;
            suspect_tables.clear();
            other_relations.clear();
            watched_tables.clear();  // watched again, with fresh signatures, when next planned
            settled_tables.clear();
            watched_type_hashes.clear();
            graph_is_stale = true;
            generation++;
            return;
        }
        if (suspect_tables.empty() && other_relations.empty())
            return;
        // Work on copies. An error on the way (a lock timeout, a cancel) leaves every suspect
        // unsettled: all are suspect next time.
        std::vector<Oid> suspects(suspect_tables.begin(), suspect_tables.end());
        std::vector<Oid> others(other_relations.begin(), other_relations.end());
        suspect_tables.clear();
        other_relations.clear();
        try {
            settle(suspects, others);
        } catch (...) {
            everything_suspect = true;
            throw;
        }
    }
}

}  // namespace

// Takes in what other sessions committed since this backend last looked: in a transaction
// already open, a remembered shape is looked up before anything locks its tables (which would
// deliver their invalidations), and must not be used after a change committed before the call.
void accept_invalidations() {
    guarded([] { AcceptInvalidationMessages(); });
}

uint64_t catalog_generation() {
    accept_invalidations();
    settle_suspects();
    return generation;
}

HTAB* oid_keyed_cache(const char* name, long entries, Size entry_size) {
    HASHCTL control;
    control.keysize = sizeof(Oid);
    control.entrysize = entry_size;
    control.hcxt = CacheMemoryContext;
    return hash_create(name, entries, &control, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

const char* schema_name_for_sql(Oid namespace_oid) {
    char* name = get_namespace_name(namespace_oid);
    if (name == nullptr)
        return nullptr;
    if (used_schemas == nullptr)
        used_schemas = oid_keyed_cache("data_bridge schemas in use", 64, sizeof(UsedSchema));
    bool found;
    auto* entry = (UsedSchema*)hash_search(used_schemas, &namespace_oid, HASH_ENTER, &found);
    if (!found)
        namestrcpy(&entry->name, name);
    else if (strcmp(NameStr(entry->name), name) != 0)
        schemas_changed = true;  // renamed since it was recorded: the next call compares
    return name;
}

void record_type_schema(Oid type) {
    Oid element = get_element_type(type);
    HeapTuple tuple =
        SearchSysCache1(TYPEOID, ObjectIdGetDatum(OidIsValid(element) ? element : type));
    if (!HeapTupleIsValid(tuple))
        return;
    Oid namespace_oid = ((Form_pg_type)GETSTRUCT(tuple))->typnamespace;
    ReleaseSysCache(tuple);
    schema_name_for_sql(namespace_oid);
}

void watch_table(RelationId relid) {
    auto watched = watched_tables.find(relid);
    if (watched != watched_tables.end() && watched->second != kUnknownSignature)
        return;
    // Watched before its lock is waited for (a statement planned on the table waits for it
    // too), so that a change committed meanwhile makes it a suspect instead of passing unseen.
    // The load being planned read some of the table's facts before: when the table changed
    // while this waited, it is not remembered (the generation moves on).
    uint64_t class_before = guarded([relid] { return class_signature(relid); });
    uint64_t changes_before = catalog_changes;
    bool was_suspect = suspect_tables.count(relid) != 0;
    watched_tables[relid] = kUnknownSignature;
    Signature signature{};
    try {
        signature = signature_of(relid, true);
    } catch (...) {
        watched_tables.erase(relid);
        throw;
    }
    watch_column_types(signature);
    watched_tables[relid] = signature.hash;
    bool changed = catalog_changes != changes_before ||
                   (!was_suspect && suspect_tables.count(relid) != 0) ||
                   guarded([relid] { return class_signature(relid); }) != class_before;
    if (changed)
        generation++;
}

const FkGraph& foreign_key_graph() {
    accept_invalidations();
    settle_suspects();
    if (current_graph == nullptr || graph_is_stale) {
        // Cleared before reading: an invalidation that arrives while the catalog is read
        // marks the new graph stale again.
        graph_is_stale = false;
        try {
            auto rebuilt = std::make_unique<FkGraph>(&watched_source);
            graph_builds++;
            if (current_graph != nullptr)
                retired_graphs.push_back(std::move(current_graph));
            current_graph = std::move(rebuilt);
        } catch (...) {
            graph_is_stale = true;
            throw;
        }
    }
    return *current_graph;
}

ModelStats model_stats() {
    // A hash table's node and bucket per table record, about (as the shape caches count them).
    constexpr std::size_t kRecordBytes = 64;
    std::size_t records = watched_tables.size() + settled_tables.size() + suspect_tables.size() +
                          other_relations.size() + watched_type_hashes.size() +
                          changed_type_hashes.size();
    std::size_t bytes = records * kRecordBytes;
    if (current_graph != nullptr)
        bytes += current_graph->approximate_bytes();
    // Graphs replaced in this transaction, held until it ends (a caller may still use one).
    for (const std::unique_ptr<FkGraph>& retired : retired_graphs)
        bytes += retired->approximate_bytes();
    return {graph_builds, current_graph == nullptr ? 0 : (long)current_graph->known_keys(),
            (long)watched_tables.size(), generation, bytes};
}

void register_fk_cache_callbacks() {
    CacheRegisterSyscacheCallback(NAMESPACEOID, on_namespace_change, (Datum)0);
    CacheRegisterSyscacheCallback(OPEROID, on_operator_change, (Datum)0);
    CacheRegisterSyscacheCallback(TYPEOID, on_type_change, (Datum)0);
    CacheRegisterSyscacheCallback(ATTNUM, on_model_catalog_change, (Datum)0);
    CacheRegisterSyscacheCallback(INDEXRELID, on_model_catalog_change, (Datum)0);
    CacheRegisterSyscacheCallback(CONSTROID, on_model_catalog_change, (Datum)0);
    CacheRegisterRelcacheCallback(on_relcache_change, (Datum)0);
    RegisterXactCallback(on_transaction_end, nullptr);
}

}  // namespace data_bridge::pg

// insert_with_relations(): rows with their related rows written from one JSON document. Each
// table of each level is one INSERT for the whole call (rows grouped by their set of keys, as
// insert_many groups them); the stored rows' keys fill the foreign keys of the next level:
// many-to-one rows are written before the rows that reference them, one-to-many rows after,
// junction rows once both sides are stored. Everything runs as the caller, through SPI.

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/fk_setup.hpp"
#include "data_bridge/core/nested_write.hpp"
#include "data_bridge/core/relation_link.hpp"
#include "data_bridge/pg/args.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/item_report.hpp"
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/row_writes.hpp"
#include "data_bridge/pg/settings.hpp"
#include "data_bridge/pg/spi.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/subtransaction.hpp"

namespace data_bridge {

namespace {

// One object of the document on its way into a table.
struct Item {
    const JsonValue* object = nullptr;  // as given
    std::string path;                   // data[3].comments[0]
    // Columns the level above fills (foreign keys to its stored rows); the object must not
    // give them itself.
    std::vector<std::pair<std::string, JsonValue>> inherited;
    JsonValue row;     // the columns written
    JsonValue stored;  // the row as stored (JSON null: a trigger or rule kept it out)
    std::vector<std::pair<std::string, JsonValue>> related;  // the relations, rendered
    JsonValue tree;                                          // stored + related
};

JsonValue json_object() {
    JsonValue value;
    value.kind = JsonValue::Kind::kObject;
    return value;
}

JsonValue json_array() {
    JsonValue value;
    value.kind = JsonValue::Kind::kArray;
    return value;
}

[[noreturn]] void bad(const std::string& path, const std::string& what,
                      const std::string& hint = {}) {
    throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid {}: {}", path, what), {},
                hint);
}

// The error with the place in the document it concerns, as its first context line (its
// SQLSTATE, message, detail and fields stay PostgreSQL's).
Error at_path(Error error, const std::string& path) {
    std::string line = fmt::format("insert_with_relations: {}", path);
    std::string& context = error.fields().context;
    context = context.empty() ? line : line + "\n" + context;
    return error;
}

enum class LinkKind { kManyToOne, kOneToMany, kThrough };

// How the rows under one key of a level's objects relate to that level's rows.
struct Link {
    std::string name;
    LinkKind kind = LinkKind::kOneToMany;
    Oid table = InvalidOid;     // the related table (the far one, through a junction)
    Oid junction = InvalidOid;  // kThrough
    RelationLink direct;        // parent_columns: this level's; child_columns: the related's
    ThroughLink through;
    const std::vector<WriteRelation>* relations = nullptr;  // described nested relations
    OnConflict on_conflict;
};

const std::vector<WriteRelation> kNoRelations;

class Writer {
  public:
    Writer() : graph_(pg::foreign_key_graph()) {}

    // Writes `items` into `table` and everything under them; sets each item's tree.
    void write_level(Oid table, const std::vector<WriteRelation>& described,
                     const OnConflict& on_conflict, std::vector<Item*>& items) {
        pg::guarded([] { check_stack_depth(); });
        if (items.empty())
            return;
        std::vector<std::string> names;         // keys that are not columns: relations
        std::map<std::string, bool> is_column;  // per key, looked up once for the level
        auto column = [&is_column, table](const std::string& key) {
            auto found = is_column.find(key);
            if (found == is_column.end())
                found = is_column.emplace(key, pg::has_column(table, key)).first;
            return found->second;
        };
        for (Item* item : items) {
            pg::check_for_interrupts();
            if (!item->object->is_object()) {
                bad(item->path, fmt::format("expected an object, found {}",
                                            json_kind_phrase(item->object->kind)));
            }
            item->row = json_object();
            for (const auto& member : item->object->members) {
                if (column(member.first)) {
                    item->row.members.push_back(member);
                } else if (std::find(names.begin(), names.end(), member.first) == names.end()) {
                    names.push_back(member.first);
                }
            }
            for (auto& [column, value] : item->inherited) {
                // A column two keys share (a tenant's in each composite key) may be given too,
                // with the same value.
                if (const JsonValue* given = item->row.find(column)) {
                    if (!same_value(table, column, *given, value, item->path)) {
                        bad(item->path + "." + column,
                            "is filled from the related row and cannot be given another value");
                    }
                    continue;
                }
                item->row.members.emplace_back(column, value);
            }
        }
        std::vector<Link> links;
        for (const std::string& name : names) {
            links.push_back(resolve_link(table, name, described, items));
            refuse_rounded_keys(table, links.back());
        }

        for (const Link& link : links) {
            if (link.kind == LinkKind::kManyToOne)
                write_many_to_one(table, link, items);
        }
        for (const Link& link : links) {
            if (link.kind == LinkKind::kManyToOne)
                null_relation_keys(table, link, items);
        }
        insert_rows(table, on_conflict, items);
        for (const Link& link : links) {
            if (link.kind == LinkKind::kOneToMany)
                write_one_to_many(table, link, items);
            else if (link.kind == LinkKind::kThrough)
                write_through(table, link, items);
        }
        for (Item* item : items) {
            item->tree = item->stored;
            if (item->tree.is_object()) {
                for (auto& member : item->related)
                    item->tree.members.push_back(std::move(member));
            }
            item->related.clear();
        }
    }

  private:
    // A relation key: described in `relations` under that name, or a table of that name linked
    // to this one by one foreign key.
    Link resolve_link(Oid table, const std::string& name,
                      const std::vector<WriteRelation>& described,
                      const std::vector<Item*>& items) {
        const WriteRelation* relation = nullptr;
        for (const WriteRelation& candidate : described) {
            if (candidate.link.name == name)
                relation = &candidate;
        }
        // The first object that has the key names the place of errors about it.
        std::string key_path;
        for (const Item* item : items) {
            if (item->object->find(name) != nullptr) {
                key_path = item->path + "." + name;
                break;
            }
        }
        Link link;
        link.name = name;
        RelationSpec spec;
        if (relation != nullptr) {
            spec = relation->link;
            link.relations = &relation->relations;
            link.on_conflict = relation->on_conflict;
        } else {
            spec.name = name;
            spec.table = name;
            spec.path = key_path;
            link.relations = &kNoRelations;
        }
        // A relation's table is a spec's name; a bare key is tried as a table name quietly.
        link.table = relation != nullptr ? pg::find_spec_relation(spec.table, spec.path + ".table")
                                         : find_table(spec.table);
        if (link.table == InvalidOid) {
            if (relation != nullptr) {
                throw Error(sqlstate::kUndefinedTable,
                            fmt::format("relation \"{}\" does not exist", spec.table),
                            fmt::format("It is named at {}.table.", spec.path));
            }
            throw at_path(
                Error(sqlstate::kUndefinedColumn,
                      fmt::format("column \"{}\" of relation \"{}\" does not exist", name,
                                  pg::relation_name(table)),
                      {},
                      "A key is a column, a relation described in relations, or the name of a "
                      "table linked to this one by one foreign key."),
                key_path);
        }
        pg::require_readable_relation(link.table);
        if (spec.through) {
            Oid junction =
                pg::find_spec_relation(spec.through->table, spec.path + ".through.table");
            if (junction == InvalidOid) {
                throw Error(sqlstate::kUndefinedTable,
                            fmt::format("relation \"{}\" does not exist", spec.through->table),
                            fmt::format("It is named at {}.through.table.", spec.path));
            }
            link.kind = LinkKind::kThrough;
            link.junction = junction;
            link.through = link_through(graph_, facts_, table, junction, link.table, spec);
            return link;
        }
        if (relation == nullptr && !linked_directly(table, link.table)) {
            // A table of that name with no foreign key to this one: many-to-many, when exactly
            // one junction references both.
            if (Oid junction = only_junction(table, link.table, key_path); junction != InvalidOid) {
                spec.through = ThroughSpec{pg::relation_name(junction), {}, {}, {}, {}};
                link.kind = LinkKind::kThrough;
                link.junction = junction;
                link.through = link_through(graph_, facts_, table, junction, link.table, spec);
                return link;
            }
        }
        link.direct = link_relation(graph_, facts_, table, link.table, spec);
        link.kind = link.direct.many_to_one ? LinkKind::kManyToOne : LinkKind::kOneToMany;
        return link;
    }

    bool linked_directly(Oid table, Oid other) const {
        for (const ForeignKey* key : graph_.referenced_by(table)) {
            if (key->target_relid == other)
                return true;
        }
        for (const ForeignKey* key : graph_.referenced_by(other)) {
            if (key->target_relid == table)
                return true;
        }
        return false;
    }

    // The one table holding foreign keys to both; InvalidOid when none; 42702 naming them when
    // several do.
    Oid only_junction(Oid table, Oid other, const std::string& path) const {
        std::vector<Oid> junctions;
        for (const ForeignKey* to_table : graph_.referencing(table)) {
            Oid junction = to_table->source_relid;
            if (std::find(junctions.begin(), junctions.end(), junction) != junctions.end())
                continue;
            for (const ForeignKey* to_other : graph_.referencing(other)) {
                if (to_other->source_relid == junction && junction != table && junction != other) {
                    junctions.push_back(junction);
                    break;
                }
            }
        }
        if (junctions.size() > 1) {
            std::vector<std::string> names;
            for (Oid junction : junctions)
                names.push_back(pg::relation_name(junction));
            throw at_path(Error(sqlstate::kAmbiguousColumn,
                                fmt::format("more than one junction links \"{}\" and \"{}\"",
                                            pg::relation_name(table), pg::relation_name(other)),
                                fmt::format("Candidates: {}.", joined_columns(names)),
                                "Describe the relation in relations with \"through\"."),
                          path);
        }
        return junctions.empty() ? InvalidOid : junctions[0];
    }

    static Oid find_table(const std::string& text) { return pg::find_named_relation(text); }

    // pg::same_column_value, its input errors (a value the column's type refuses) naming the
    // place in the document.
    static bool same_value(Oid table, const std::string& column, const JsonValue& a,
                           const JsonValue& b, const std::string& path) {
        try {
            return pg::same_column_value(table, column, a, b);
        } catch (const Error& error) {
            throw at_path(error, path + "." + column);
        }
    }

    // Stored rows come back through to_jsonb, whose floating-point numbers follow
    // extra_float_digits: below 1 they are rounded, and a rounded key would point the related
    // rows at another row or at none. Refused before anything is written for the link.
    static void refuse_rounded_key(Oid relid, const std::string& name) {
        if (!pg::floats_render_rounded())
            return;
        pg::ColumnInfo column = pg::column_info(relid, name);
        if (!pg::float_rendered_rounded(column.type))
            return;
        TableName where = pg::table_name_of(relid);
        Error error(sqlstate::kFeatureNotSupported,
                    fmt::format("key column \"{}\" of relation \"{}\" holds floating-point values, "
                                "and extra_float_digits below 1 renders them rounded",
                                name, where.name),
                    "The related rows' foreign keys are filled from the stored row's key as JSON.",
                    "SET extra_float_digits = 1 (PostgreSQL's default) for the call.");
        error.fields().schema = where.schema;
        error.fields().table = where.name;
        error.fields().column = name;
        throw error;
    }

    static void refuse_rounded_keys(Oid table, const Link& link) {
        auto check = [](Oid relid, const std::vector<std::string>& columns) {
            for (const std::string& name : columns)
                refuse_rounded_key(relid, name);
        };
        switch (link.kind) {
            case LinkKind::kManyToOne:
                check(link.table, link.direct.child_columns);
                break;
            case LinkKind::kOneToMany:
                check(table, link.direct.parent_columns);
                break;
            case LinkKind::kThrough:
                check(table, link.through.source.parent_columns);
                check(link.table, link.through.target.child_columns);
                break;
        }
    }

    // The key `column` of a stored row of `table` that related rows are linked by. Refused
    // (0A000) when NULL: the related rows would reference no row while the returned tree showed
    // them linked. Checked for rounding again as it is carried (a trigger of the write may have
    // changed extra_float_digits since the check before it).
    static JsonValue linked_value(const Item& item, Oid table, const std::string& column) {
        JsonValue value = stored_value(item, column);
        if (value.is_null()) {
            throw at_path(Error(sqlstate::kFeatureNotSupported,
                                fmt::format("key column \"{}\" of the row stored in \"{}\" is NULL",
                                            column, pg::relation_name(table)),
                                "The related rows' foreign keys would reference no row.",
                                "Give the key a value, or write the related rows on their own."),
                          item.path);
        }
        refuse_rounded_key(table, column);
        return value;
    }

    // The value of `column` in a stored row; 0A000 naming the place when a trigger or rule kept
    // the row out (there is no key to carry).
    static JsonValue stored_value(const Item& item, const std::string& column) {
        if (!item.stored.is_object()) {
            throw at_path(Error(sqlstate::kFeatureNotSupported,
                                "a row that related rows need was not stored or cannot be read",
                                "A trigger or rule kept it out, or (an upsert that kept the row "
                                "already there) row-level security hides that row from you: the "
                                "related rows' foreign keys would have no value."),
                          item.path);
        }
        const JsonValue* value = item.stored.find(column);
        return value == nullptr ? JsonValue() : *value;
    }

    // A many-to-one relation given as null references no row: one NULL column of its key is
    // enough (MATCH SIMPLE), and the others keep their values or defaults, as a plain INSERT of
    // the object's columns would store them (a tenant's). The columns written NULL are among
    // those the object leaves out that can be NULL (not in the primary key, not NOT NULL, not
    // generated): those in no other foreign key first, of them those without a default (which
    // could reference a row the returned tree does not show: a default too when no other is
    // left). Refused (22023) when no column can be: every one is given a value or cannot be NULL.
    void null_relation_keys(Oid table, const Link& link, std::vector<Item*>& owners) {
        bool any_null = std::any_of(owners.begin(), owners.end(), [&link](const Item* owner) {
            const JsonValue* value = owner->object->find(link.name);
            return value != nullptr && value->is_null();
        });
        if (!any_null)
            return;  // no catalog reads for the common case
        std::vector<std::string> primary = pg::primary_key_columns(table);
        auto shared = [this, table](const std::string& column) {
            int keys = 0;
            for (const ForeignKey* key : graph_.referenced_by(table)) {
                const auto& columns = key->source_columns;
                keys += std::find(columns.begin(), columns.end(), column) != columns.end() ? 1 : 0;
            }
            return keys > 1;
        };
        struct Candidate {
            std::string column;
            bool own;
            bool defaulted;
        };
        std::vector<Candidate> candidates;
        for (const std::string& column : link.direct.parent_columns) {
            pg::ColumnFill fill = pg::column_fill(table, column);
            bool keyed = std::find(primary.begin(), primary.end(), column) != primary.end();
            if (fill.accepts_null && !fill.generated && !keyed)
                candidates.push_back({column, !shared(column), fill.has_default});
        }
        for (Item* owner : owners) {
            const JsonValue* value = owner->object->find(link.name);
            if (value == nullptr || !value->is_null())
                continue;
            bool given_null = false;
            std::vector<const Candidate*> left_out;
            for (const std::string& column : link.direct.parent_columns) {
                const JsonValue* present = owner->row.find(column);
                if (present != nullptr) {
                    given_null = given_null || present->is_null();
                    continue;
                }
                for (const Candidate& candidate : candidates) {
                    if (candidate.column == column)
                        left_out.push_back(&candidate);
                }
            }
            if (given_null)
                continue;  // the key has a NULL already: no reference
            // The narrowest choice: own columns without a default, then own ones, then any.
            std::vector<const Candidate*> chosen;
            for (int pass = 0; pass < 3 && chosen.empty(); pass++) {
                for (const Candidate* candidate : left_out) {
                    if ((pass > 1 || candidate->own) && (pass > 0 || !candidate->defaulted))
                        chosen.push_back(candidate);
                }
            }
            if (chosen.empty()) {
                bad(owner->path + "." + link.name,
                    "is null, but no column of its foreign key can be left NULL");
            }
            for (const Candidate* candidate : chosen)
                owner->row.members.emplace_back(candidate->column, JsonValue());
        }
    }

    // Rows the level's objects reference: inserted first (or, {"connect": {...}}, found), and
    // their keys copied into the objects' foreign-key columns.
    void write_many_to_one(Oid table, const Link& link, std::vector<Item*>& owners) {
        std::deque<Item> inserted, connected;
        std::vector<Item*> inserted_rows, connected_rows;
        std::vector<std::pair<Item*, Item*>> pairs;  // owner, related row
        for (Item* owner : owners) {
            const JsonValue* value = owner->object->find(link.name);
            if (value == nullptr)
                continue;
            std::string path = owner->path + "." + link.name;
            if (value->is_null()) {
                owner->related.emplace_back(link.name, JsonValue());
                continue;  // its key columns: null_relation_keys, once every relation filled its
            }
            if (!value->is_object())
                bad(path,
                    fmt::format("expected an object, found {}", json_kind_phrase(value->kind)));
            if (const JsonValue* connect = connect_key(*value, path)) {
                connected.push_back(Item{connect, path + ".connect", {}, {}, {}, {}, {}});
                connected_rows.push_back(&connected.back());
                pairs.emplace_back(owner, &connected.back());
            } else {
                inserted.push_back(Item{value, path, {}, {}, {}, {}, {}});
                inserted_rows.push_back(&inserted.back());
                pairs.emplace_back(owner, &inserted.back());
            }
        }
        write_level(link.table, *link.relations, link.on_conflict, inserted_rows);
        connect_rows(link.table, connected_rows);
        for (auto& [owner, related] : pairs) {
            for (std::size_t i = 0; i < link.direct.parent_columns.size(); i++) {
                const std::string& column = link.direct.parent_columns[i];
                JsonValue value = linked_value(*related, link.table, link.direct.child_columns[i]);
                // Given, or filled by another key sharing the column: the same value only.
                if (const JsonValue* present = owner->row.find(column)) {
                    if (!same_value(table, column, *present, value, owner->path)) {
                        bad(owner->path + "." + column,
                            fmt::format("has another value than the one \"{}\" fills in",
                                        link.name));
                    }
                    continue;
                }
                owner->row.members.emplace_back(column, std::move(value));
            }
            owner->related.emplace_back(link.name, related->tree);
        }
    }

    // Rows that reference the level's rows: their foreign keys filled from the stored rows.
    void write_one_to_many(Oid table, const Link& link, std::vector<Item*>& owners) {
        std::deque<Item> children;
        std::vector<Item*> rows;
        struct Slot {
            Item* owner;
            std::size_t first, count;
        };
        std::vector<Slot> slots;
        for (Item* owner : owners) {
            const JsonValue* value = owner->object->find(link.name);
            if (value == nullptr)
                continue;
            std::string path = owner->path + "." + link.name;
            std::vector<std::pair<std::string, JsonValue>> keys;
            // Only rows to write need the key: an empty array needs none (nor a stored parent).
            bool has_rows = value->is_object() || (value->is_array() && !value->elements.empty());
            if (has_rows) {
                for (std::size_t i = 0; i < link.direct.parent_columns.size(); i++) {
                    keys.emplace_back(link.direct.child_columns[i],
                                      linked_value(*owner, table, link.direct.parent_columns[i]));
                }
            }
            Slot slot{owner, children.size(), 0};
            if (value->is_object()) {
                children.push_back(Item{value, path, keys, {}, {}, {}, {}});
                slot.count = 1;
            } else if (value->is_array()) {
                for (std::size_t i = 0; i < value->elements.size(); i++) {
                    children.push_back(
                        Item{&value->elements[i], element_path(path, i), keys, {}, {}, {}, {}});
                }
                slot.count = value->elements.size();
            } else if (!value->is_null()) {
                bad(path, fmt::format("expected an array of objects, found {}",
                                      json_kind_phrase(value->kind)));
            }
            slots.push_back(slot);
        }
        for (Item& child : children)
            rows.push_back(&child);
        write_level(link.table, *link.relations, link.on_conflict, rows);
        // Shaped as a fetch shapes it: a one-to-one relation (the foreign key one unique column)
        // as its row or null, whether given as an object, an array of one, or null.
        bool one_to_one =
            link.direct.child_columns.size() == 1 &&
            pg::column_uniqueness(
                link.table, pg::column_info(link.table, link.direct.child_columns[0]).attnum) !=
                pg::Uniqueness::kNone;
        for (const Slot& slot : slots) {
            if (one_to_one && slot.count <= 1) {
                slot.owner->related.emplace_back(
                    link.name, slot.count == 1 ? children[slot.first].tree : JsonValue());
                continue;
            }
            JsonValue array = json_array();
            for (std::size_t i = 0; i < slot.count; i++)
                array.elements.push_back(children[slot.first + i].tree);
            slot.owner->related.emplace_back(link.name, std::move(array));
        }
    }

    // Far rows inserted (or connected), then one junction row per pair.
    void write_through(Oid table, const Link& link, std::vector<Item*>& owners) {
        std::deque<Item> far, junction;
        std::vector<Item*> inserted_rows, connected_rows, junction_rows;
        struct Slot {
            Item* owner;
            std::vector<Item*> far;
        };
        std::vector<Slot> slots;
        for (Item* owner : owners) {
            const JsonValue* value = owner->object->find(link.name);
            if (value == nullptr)
                continue;
            std::string path = owner->path + "." + link.name;
            Slot slot{owner, {}};
            if (value->is_array()) {
                for (std::size_t i = 0; i < value->elements.size(); i++) {
                    const JsonValue& element = value->elements[i];
                    std::string element_at = element_path(path, i);
                    const JsonValue* connect =
                        element.is_object() ? connect_key(element, element_at) : nullptr;
                    far.push_back(Item{connect != nullptr ? connect : &element,
                                       connect != nullptr ? element_at + ".connect" : element_at,
                                       {},
                                       {},
                                       {},
                                       {},
                                       {}});
                    (connect != nullptr ? connected_rows : inserted_rows).push_back(&far.back());
                    slot.far.push_back(&far.back());
                }
            } else if (!value->is_null()) {
                bad(path, fmt::format("expected an array of objects, found {}",
                                      json_kind_phrase(value->kind)));
            }
            slots.push_back(std::move(slot));
        }
        write_level(link.table, *link.relations, link.on_conflict, inserted_rows);
        connect_rows(link.table, connected_rows);
        static const JsonValue kEmpty = json_object();
        for (const Slot& slot : slots) {
            for (Item* related : slot.far) {
                std::vector<std::pair<std::string, JsonValue>> keys;
                for (std::size_t i = 0; i < link.through.source.child_columns.size(); i++) {
                    keys.emplace_back(
                        link.through.source.child_columns[i],
                        linked_value(*slot.owner, table, link.through.source.parent_columns[i]));
                }
                for (std::size_t i = 0; i < link.through.target.parent_columns.size(); i++) {
                    keys.emplace_back(
                        link.through.target.parent_columns[i],
                        linked_value(*related, link.table, link.through.target.child_columns[i]));
                }
                junction.push_back(Item{&kEmpty, related->path, std::move(keys), {}, {}, {}, {}});
                junction_rows.push_back(&junction.back());
            }
        }
        write_level(link.junction, kNoRelations, OnConflict{}, junction_rows);
        for (const Slot& slot : slots) {
            JsonValue array = json_array();
            for (Item* related : slot.far)
                array.elements.push_back(related->tree);
            slot.owner->related.emplace_back(link.name, std::move(array));
        }
    }

    // {"connect": {key columns}}: the key object, or nullptr for an object to insert.
    static const JsonValue* connect_key(const JsonValue& value, const std::string& path) {
        const JsonValue* connect = value.find("connect");
        if (connect == nullptr)
            return nullptr;
        if (value.members.size() != 1)
            bad(path + ".connect", "stands alone: the row exists, nothing else is written");
        if (!connect->is_object() || connect->members.empty())
            bad(path + ".connect", "expected an object of key columns and values");
        return connect;
    }

    void count_rows(std::size_t rows) {
        rows_written_ += static_cast<long>(rows);
        long limit = pg::max_rows;
        if (limit > 0 && rows_written_ > limit) {
            throw Error(sqlstate::kProgramLimitExceeded,
                        fmt::format("insert_with_relations writes more than {} rows", limit),
                        fmt::format("The limit is data_bridge.max_rows = {}, counting rows of "
                                    "every table.",
                                    limit),
                        "Write the document in parts, or raise data_bridge.max_rows.");
        }
    }

    // The level's rows, as a jsonb array, and each one's keys (sorted: one group per set).
    static Datum rows_array(const std::vector<Item*>& items, pg::ArrayOfObjects& shape) {
        JsonValue array = json_array();
        shape.is_array = true;
        for (Item* item : items) {
            std::vector<std::string> keys;
            for (const auto& member : item->row.members)
                keys.push_back(member.first);
            std::sort(keys.begin(), keys.end());
            shape.keys.push_back(std::move(keys));
            array.elements.push_back(item->row);
        }
        return pg::value_to_jsonb(array);
    }

    // The first item that fails alone (each tried in a subtransaction rolled back), so the
    // error of a multi-row statement can name its place.
    std::string failing_path(Oid table, const OnConflict& on_conflict,
                             const std::vector<Item*>& items) {
        for (Item* item : items) {
            std::vector<Item*> one{item};
            auto failure = pg::try_and_roll_back([&] { insert_now(table, on_conflict, one); });
            if (failure)
                return item->path;
        }
        return items.size() == 1 ? items[0]->path : std::string();
    }

    void insert_rows(Oid table, const OnConflict& on_conflict, std::vector<Item*>& items) {
        count_rows(items.size());
        std::optional<Error> failure =
            pg::try_in_subtransaction([&] { insert_now(table, on_conflict, items); });
        if (!failure)
            return;
        std::string path =
            items.size() == 1 ? items[0]->path : failing_path(table, on_conflict, items);
        throw path.empty() ? *failure : at_path(*failure, path);
    }

    // One statement per set of keys; sets each item's stored row.
    void insert_now(Oid table, const OnConflict& on_conflict, std::vector<Item*>& items) {
        pg::ArrayOfObjects shape;
        Datum rows = rows_array(items, shape);
        if (on_conflict.action == OnConflict::Action::kNone) {
            std::vector<Datum> stored = pg::insert_all(table, rows, shape);
            for (std::size_t i = 0; i < items.size(); i++) {
                items[i]->stored =
                    stored[i] == (Datum)0 ? JsonValue() : pg::jsonb_to_value(stored[i]);
            }
            return;
        }
        upsert(table, on_conflict, rows, shape, items);
    }

    static std::vector<KeyColumn> key_columns(Oid table, const std::vector<std::string>& names) {
        std::vector<KeyColumn> key;
        for (const std::string& name : names) {
            pg::ColumnInfo column = pg::column_info(table, name);
            key.push_back(
                {pg::quoted_identifier(column.name), pg::equality_operator_sql(column.type)});
        }
        return key;
    }

    // (position, row) pairs of a statement over the rows at `positions`; `third`: the bigint of
    // the third column (the same on every row; 0 for none).
    // `lock`: the statement's (RowExclusiveLock for a write, AccessShareLock for a read).
    static std::vector<std::pair<long, JsonValue>> positioned_rows(
        Oid table, const std::string& sql, Datum rows, const std::vector<int>& positions,
        LOCKMODE lock, long* third = nullptr) {
        pg::Parameters parameters;
        parameters.add(JSONBOID, rows, false);
        parameters.add(INT8ARRAYOID,
                       pg::guarded([&positions] { return pg::int8_array_datum(positions); }),
                       false);
        pg::add_empty_row(parameters, table, lock);
        SPIPlanPtr plan = pg::cached_plan(sql, parameters.types);
        uint64 count = pg::execute_plan(plan, parameters.values, parameters.nulls, false);
        std::vector<std::pair<long, JsonValue>> out;
        for (uint64 i = 0; i < count; i++) {
            struct Cell {
                long position;
                Datum row;
                bool row_null;
                long third;
            };
            bool read_third = third != nullptr;
            Cell cell = pg::guarded([i, read_third] {
                bool is_null;
                Cell c;
                c.position = DatumGetInt64(
                    SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null));
                c.row = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &c.row_null);
                c.third = read_third
                              ? DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
                                                            SPI_tuptable->tupdesc, 3, &is_null))
                              : 0;
                return c;
            });
            if (third != nullptr)
                *third = cell.third;
            out.emplace_back(cell.position,
                             cell.row_null ? JsonValue() : pg::jsonb_to_value(cell.row));
        }
        return out;
    }

    // A value as text: its kind, then its text, elements or members (a row type's key is an
    // object): equal texts for equal values as to_jsonb renders them.
    static void value_text(const JsonValue& value, std::string& out) {
        out += std::to_string(static_cast<int>(value.kind));
        out += value.boolean ? 't' : 'f';
        out += std::to_string(value.text.size()) + ':' + value.text;
        for (const JsonValue& element : value.elements)
            value_text(element, out);
        for (const auto& [name, member] : value.members) {
            out += std::to_string(name.size()) + ':' + name;
            value_text(member, out);
        }
        out += ';';
    }

    // A stored row's key as text: equal for the same row.
    static std::string stored_key_text(const JsonValue& row, const std::vector<std::string>& key) {
        std::string text;
        for (const std::string& column : key) {
            const JsonValue* value = row.find(column);
            value_text(value == nullptr ? JsonValue() : *value, text);
        }
        return text;
    }

    void upsert(Oid table, const OnConflict& on_conflict, Datum rows,
                const pg::ArrayOfObjects& shape, std::vector<Item*>& items) {
        std::vector<std::string> key_names;
        std::string target;
        bool nulls_equal = false;  // NULL conflicts with NULL: rows are found again by NULL too
        if (on_conflict.constraint.empty()) {
            key_names = pg::primary_key_columns(table);
            if (key_names.empty()) {
                throw Error(
                    sqlstate::kInvalidColumnReference,
                    fmt::format("table \"{}\" has no primary key", pg::relation_name(table)), {},
                    "Name the unique constraint in on_conflict.constraint.");
            }
            std::vector<std::string> quoted;
            for (const std::string& name : key_names)
                quoted.push_back(pg::quoted_identifier(name));
            target = fmt::format("({})", fmt::join(quoted, ", "));
        } else {
            key_names = pg::constraint_columns(table, on_conflict.constraint);
            // The row already there is found again by the key's equality, which is not what an
            // exclusion constraint conflicts on (overlap, say).
            pg::ConflictConstraint named = pg::conflict_constraint(table, on_conflict.constraint);
            if (named.exclusion) {
                throw Error(sqlstate::kFeatureNotSupported,
                            fmt::format("on_conflict cannot use exclusion constraint \"{}\"",
                                        on_conflict.constraint),
                            "The row already there is found again by the constraint's key, "
                            "which an exclusion constraint does not conflict on.",
                            "Name a unique constraint, or write these rows without "
                            "on_conflict.");
            }
            target = "ON CONSTRAINT " + pg::quoted_identifier(on_conflict.constraint);
            nulls_equal = named.nulls_not_distinct;
        }
        for (Item* item : items) {
            for (const std::string& name : key_names) {
                const JsonValue* value = item->row.find(name);
                if (value == nullptr) {
                    bad(item->path, fmt::format("on_conflict needs \"{}\", a column of the "
                                                "conflict's key",
                                                name));
                }
                // A NULL key finds no written row again (NULL = NULL is not true), nor a row
                // already there, unless the constraint's NULLs conflict.
                if (value->is_null() && !nulls_equal) {
                    bad(item->path, fmt::format("on_conflict needs a value for \"{}\", a column "
                                                "of the conflict's key: each row is found again "
                                                "by its key, and NULL matches none",
                                                name));
                }
            }
        }
        std::vector<KeyColumn> key = key_columns(table, key_names);
        for (KeyColumn& column : key)
            column.nulls_equal = nulls_equal;
        std::vector<std::string> update = pg::checked_columns(table, on_conflict.update);
        std::string table_sql = pg::quoted_table(table);
        // A BEFORE row trigger may change a written row's key, even to another object's key,
        // which matching by key alone would take for that object's row: then each object is
        // written by a statement of its own, whose written row is its own.
        bool one_by_one = pg::has_before_row_triggers(table);
        // Keys of the rows an update wrote, across statements (objects of other column sets,
        // or one by one): one statement refuses a row written twice, and so does the call.
        std::set<std::string> updated;
        // Keys told apart by their text only while no key column renders rounded.
        bool keys_exact =
            !pg::floats_render_rounded() ||
            std::none_of(key_names.begin(), key_names.end(), [table](const std::string& name) {
                return pg::float_rendered_rounded(pg::column_info(table, name).type);
            });
        for (const pg::RowGroup& group : pg::group_rows(table, shape)) {
            std::string sql =
                upsert_rows_sql(table_sql, group.columns, on_conflict, target, key, update);
            long unmatched = 0;
            std::vector<int> not_written;
            std::vector<std::vector<int>> runs;
            if (one_by_one) {
                for (int position : group.positions)
                    runs.push_back({position});
            } else {
                runs.push_back(group.positions);
            }
            for (const std::vector<int>& run : runs) {
                long run_unmatched = 0;
                // One by one, each statement gets a document of its object alone: the whole
                // document each time would cost the square of its length.
                Datum run_rows = rows;
                std::vector<int> run_positions = run;
                if (one_by_one) {
                    pg::ArrayOfObjects one_shape;
                    std::vector<Item*> one{items[run[0] - 1]};
                    run_rows = rows_array(one, one_shape);
                    run_positions = {1};
                }
                for (auto& [position, row] : positioned_rows(table, sql, run_rows, run_positions,
                                                             RowExclusiveLock, &run_unmatched)) {
                    long at = one_by_one ? run[0] : position;
                    if (row.is_null()) {
                        not_written.push_back(static_cast<int>(at));
                        continue;
                    }
                    // As one statement would refuse it: an update may not write a row twice.
                    if (on_conflict.action == OnConflict::Action::kUpdate && keys_exact &&
                        !updated.insert(stored_key_text(row, key_names)).second) {
                        throw at_path(
                            Error("21000",
                                  "ON CONFLICT DO UPDATE command cannot affect row a second time",
                                  {},
                                  "Ensure that no rows proposed for insertion within the same "
                                  "command have duplicate constrained values."),
                            items[at - 1]->path);
                    }
                    items[at - 1]->stored = std::move(row);
                }
                unmatched += run_unmatched;
                if (unmatched > 0)
                    break;
            }
            if (unmatched > 0) {
                throw Error(sqlstate::kFeatureNotSupported,
                            fmt::format("on_conflict cannot tell which object a row written to "
                                        "\"{}\" is for",
                                        pg::relation_name(table)),
                            "A trigger or rule changed the conflict key of the row as it was "
                            "written; each written row is found again by that key.",
                            "Leave the key unchanged in the trigger, or write these rows "
                            "without on_conflict.");
            }
            // The rows already there, in a statement of its own: its snapshot sees a row that
            // another transaction committed while the INSERT waited for it.
            if (!not_written.empty()) {
                std::string existing = connect_rows_sql(pg::own_rows_table(table), key);
                std::vector<bool> found(items.size(), false);
                for (auto& [position, row] :
                     positioned_rows(table, existing, rows, not_written, AccessShareLock)) {
                    // The constraint's key names one row: a second is not the conflict's.
                    if (found[position - 1]) {
                        throw at_path(
                            Error("21000", fmt::format("more than one row of \"{}\" has the "
                                                       "object's on_conflict key",
                                                       pg::relation_name(table))),
                            items[position - 1]->path);
                    }
                    found[position - 1] = true;
                    items[position - 1]->stored = std::move(row);
                }
            }
        }
    }

    // {"connect": {...}}: the one existing row each key object names.
    void connect_rows(Oid table, std::vector<Item*>& items) {
        if (items.empty())
            return;
        pg::ArrayOfObjects shape;
        shape.is_array = true;
        JsonValue array = json_array();
        for (Item* item : items) {
            std::vector<std::string> keys;
            for (const auto& member : item->object->members)
                keys.push_back(member.first);
            std::sort(keys.begin(), keys.end());
            shape.keys.push_back(std::move(keys));
            array.elements.push_back(*item->object);
        }
        Datum rows = pg::value_to_jsonb(array);
        std::vector<int> matches(items.size(), 0);
        for (const pg::RowGroup& group : pg::group_rows(table, shape)) {
            std::vector<std::string> names;
            for (const auto& member : items[group.positions[0] - 1]->object->members)
                names.push_back(member.first);
            std::string sql =
                connect_rows_sql(pg::own_rows_table(table), key_columns(table, names));
            for (auto& [position, row] :
                 positioned_rows(table, sql, rows, group.positions, AccessShareLock)) {
                Item* item = items[position - 1];
                if (++matches[position - 1] > 1) {
                    throw at_path(Error("21000",
                                        fmt::format("more than one row of \"{}\" matches connect",
                                                    pg::relation_name(table)),
                                        {}, "Connect by a unique key."),
                                  item->path);
                }
                item->stored = std::move(row);
                item->tree = item->stored;
            }
        }
        for (std::size_t i = 0; i < items.size(); i++) {
            if (matches[i] == 0) {
                Error missing(
                    sqlstate::kForeignKeyViolation,
                    fmt::format("no row of \"{}\" matches connect", pg::relation_name(table)), {},
                    "Connect to a row that exists, or insert it instead.");
                TableName name = pg::table_name_of(table);
                missing.fields().schema = name.schema;
                missing.fields().table = name.name;
                throw at_path(missing, items[i]->path);
            }
        }
    }

    const FkGraph& graph_;
    pg::CatalogTableFacts facts_;
    long rows_written_ = 0;
};

// insert_with_relations(tbl regclass, data jsonb, relations jsonb, on_conflict jsonb,
// on_error text)
Datum insert_with_relations_body(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, 0, "tbl");
    pg::require_arg(fcinfo, 1, "data");
    Oid table = PG_GETARG_OID(0);
    pg::require_table(table);
    pg::require_schema_usage(table);
    JsonValue data = pg::jsonb_to_value(PG_GETARG_DATUM(1));
    std::vector<WriteRelation> relations;
    if (!PG_ARGISNULL(2))
        relations = parse_write_relations(pg::jsonb_to_value(PG_GETARG_DATUM(2)), "relations");
    OnConflict on_conflict;
    if (!PG_ARGISNULL(3))
        on_conflict = parse_on_conflict(pg::jsonb_to_value(PG_GETARG_DATUM(3)), "on_conflict");
    bool skip = pg::skips_failures(pg::text_arg(fcinfo, 4, "on_error"), "all or nothing",
                                   "each top-level object on its own");
    bool single = data.is_object();
    if (!single && !data.is_array())
        bad("data", "expected an object or an array of objects");

    std::deque<Item> items;
    if (single) {
        items.push_back(Item{&data, "data", {}, {}, {}, {}, {}});
    } else {
        for (std::size_t i = 0; i < data.elements.size(); i++)
            items.push_back(Item{&data.elements[i], element_path("data", i), {}, {}, {}, {}, {}});
    }

    // The answer is built as C++ values while SPI runs and turned into jsonb after SPI_finish,
    // in the caller's memory context.
    std::vector<std::optional<Error>> failures(items.size());
    pg::spi_connect();
    Writer writer;
    if (skip) {
        for (std::size_t i = 0; i < items.size(); i++) {
            std::vector<Item*> one{&items[i]};
            failures[i] = pg::try_in_subtransaction(
                [&] { writer.write_level(table, relations, on_conflict, one); });
            // The table itself gone fails the call, not the object (as in insert_many).
            if (failures[i])
                pg::require_table(table);
        }
    } else {
        std::vector<Item*> all;
        for (Item& item : items)
            all.push_back(&item);
        writer.write_level(table, relations, on_conflict, all);
    }
    pg::spi_finish();

    if (skip) {
        std::vector<pg::ItemReport> reports;
        for (std::size_t i = 0; i < items.size(); i++) {
            if (failures[i])
                reports.push_back({std::nullopt, std::nullopt, failures[i]});
            else
                reports.push_back({pg::value_to_jsonb(items[i].tree), std::nullopt, std::nullopt});
        }
        return pg::item_reports_jsonb(reports, "row");
    }
    if (single) {
        if (items[0].tree.is_null())
            PG_RETURN_NULL();  // a trigger or rule kept it out
        return pg::value_to_jsonb(items[0].tree);
    }
    JsonValue answer = json_array();
    for (Item& item : items)
        answer.elements.push_back(std::move(item.tree));
    return pg::value_to_jsonb(answer);
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(insert_with_relations, data_bridge::insert_with_relations_body)

#include "data_bridge/core/nested_write.hpp"

#include <fmt/format.h>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& what,
                      const std::string& hint = {}) {
    throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid {}: {}", path, what), {},
                hint);
}

std::vector<std::string> column_list(const JsonValue& value, const std::string& path) {
    if (!value.is_array() || value.elements.empty())
        bad(path, "expected a non-empty array of column names");
    std::vector<std::string> columns;
    for (std::size_t i = 0; i < value.elements.size(); i++) {
        const JsonValue& element = value.elements[i];
        if (!element.is_string() || element.text.empty())
            bad(element_path(path, i), "expected a column name");
        columns.push_back(element.text);
    }
    return columns;
}

// Keys of a relation object that only mean something to a read.
constexpr const char* kReadOnlyKeys[] = {
    "filter",    "order_by",  "limit",     "offset", "select_columns",  "count",
    "aggregate", "join_type", "recursive", "one",    "through_columns", "shared"};

}  // namespace

std::string element_path(const std::string& path, std::size_t index) {
    return fmt::format("{}[{}]", path, index);
}

OnConflict parse_on_conflict(const JsonValue& value, const std::string& path) {
    OnConflict on_conflict;
    if (value.is_null())
        return on_conflict;
    if (value.is_string()) {
        if (value.text != "do_nothing")
            bad(path, fmt::format("unknown action \"{}\"", value.text),
                "Use \"do_nothing\" or {\"update\": [columns], \"constraint\": name}.");
        on_conflict.action = OnConflict::Action::kNothing;
        return on_conflict;
    }
    if (!value.is_object())
        bad(path, "expected \"do_nothing\" or an object");
    for (const auto& [key, member] : value.members) {
        std::string member_path = path + "." + key;
        if (key == "constraint") {
            if (!member.is_string() || member.text.empty())
                bad(member_path, "expected a constraint name");
            on_conflict.constraint = member.text;
        } else if (key == "update") {
            on_conflict.update = column_list(member, member_path);
            on_conflict.action = OnConflict::Action::kUpdate;
        } else if (key == "do_nothing") {
            if (member.kind != JsonValue::Kind::kBool || !member.boolean)
                bad(member_path, "expected true");
            if (on_conflict.action != OnConflict::Action::kUpdate)
                on_conflict.action = OnConflict::Action::kNothing;
        } else {
            bad(member_path, "unknown key", "Known keys: constraint, do_nothing, update.");
        }
    }
    if (value.find("update") != nullptr && value.find("do_nothing") != nullptr)
        bad(path, "do_nothing and update exclude each other");
    if (on_conflict.action == OnConflict::Action::kNone)
        bad(path, "needs do_nothing or update");
    return on_conflict;
}

std::vector<WriteRelation> parse_write_relations(const JsonValue& relations,
                                                 const std::string& path) {
    std::vector<WriteRelation> parsed;
    if (relations.is_null())
        return parsed;
    if (!relations.is_array())
        bad(path, fmt::format("expected an array, found {}", json_kind_phrase(relations.kind)));
    // The linking keys are a read spec's: parsed by its parser, without this level's
    // on_conflict and relations (parsed here, for the write).
    JsonValue links;
    links.kind = JsonValue::Kind::kArray;
    for (std::size_t i = 0; i < relations.elements.size(); i++) {
        const JsonValue& element = relations.elements[i];
        std::string here = element_path(path, i);
        if (!element.is_object())
            bad(here, fmt::format("expected an object, found {}", json_kind_phrase(element.kind)));
        JsonValue link;
        link.kind = JsonValue::Kind::kObject;
        for (const auto& member : element.members) {
            for (const char* key : kReadOnlyKeys) {
                if (member.first == key)
                    bad(here + "." + key, "not used by a write");
            }
            if (member.first != "on_conflict" && member.first != "relations")
                link.members.push_back(member);
        }
        links.elements.push_back(std::move(link));
    }
    std::vector<RelationSpec> specs = parse_relations(links, path);
    for (std::size_t i = 0; i < specs.size(); i++) {
        const JsonValue& element = relations.elements[i];
        WriteRelation relation;
        relation.link = std::move(specs[i]);
        if (const JsonValue* on_conflict = element.find("on_conflict"))
            relation.on_conflict =
                parse_on_conflict(*on_conflict, relation.link.path + ".on_conflict");
        if (const JsonValue* nested = element.find("relations"))
            relation.relations = parse_write_relations(*nested, relation.link.path + ".relations");
        parsed.push_back(std::move(relation));
    }
    return parsed;
}

namespace {

// The objects at positions $2 of the array $1, each as one value of the table's row type (rec,
// over the base record $3) with its position (n): computed in the select list, so that no
// column of the table can be taken for the row.
std::string input_rows_sql() {
    return "SELECT e.position AS n, pg_catalog.jsonb_populate_record($3, e.doc) AS rec FROM "
           "pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS e(doc, position) "
           "WHERE e.position OPERATOR(pg_catalog.=) ANY ($2)";
}

// left.<name> = (i.rec).<column> for each key column; `left_name(i)` names the left side's i-th.
template <typename Name>
std::string key_join(const std::vector<KeyColumn>& key, Name left_name) {
    std::vector<std::string> terms;
    for (std::size_t i = 0; i < key.size(); i++) {
        std::string left = left_name(i);
        std::string right = "(i.rec)." + key[i].column;
        std::string equal = fmt::format("{} {} {}", left, key[i].equals, right);
        // Both SQL NULL: num_nulls, as IS NULL is true of a row of NULLs too, which the
        // index tells apart from NULL.
        terms.push_back(key[i].nulls_equal ? fmt::format("({} OR pg_catalog.num_nulls({}, {}) "
                                                         "OPERATOR(pg_catalog.=) 2)",
                                                         equal, left, right)
                                           : equal);
    }
    return fmt::format("{}", fmt::join(terms, " AND "));
}

}  // namespace

std::string upsert_rows_sql(const std::string& table, const std::vector<std::string>& columns,
                            const OnConflict& on_conflict, const std::string& target,
                            const std::vector<KeyColumn>& key,
                            const std::vector<std::string>& update) {
    std::vector<std::string> selected, keys, assignments;
    for (const std::string& column : columns)
        selected.push_back("(i.rec)." + column);
    for (std::size_t i = 0; i < key.size(); i++)
        keys.push_back(fmt::format("ins.{} AS k{}", key[i].column, i + 1));
    for (const std::string& column : update)
        assignments.push_back(fmt::format("{} = EXCLUDED.{}", column, column));
    std::string action = on_conflict.action == OnConflict::Action::kUpdate
                             ? fmt::format("DO UPDATE SET {}", fmt::join(assignments, ", "))
                             : "DO NOTHING";
    // Each written row is found again by its key as stored. A row written under another key
    // (a trigger changed it) matches no object: counted in the third column, which the caller
    // refuses. The rows already there (do_nothing) are read by the next statement, whose
    // snapshot sees a row another transaction committed while this one waited for it.
    std::string stored_key =
        key_join(key, [](std::size_t i) { return fmt::format("w.k{}", i + 1); });
    return fmt::format(
        "WITH input AS ({input}), written AS (INSERT INTO {table} AS ins ({columns}) SELECT "
        "{selected} FROM input AS i ORDER BY i.n ON CONFLICT {target} {action} RETURNING "
        "pg_catalog.to_jsonb(ins.*) AS doc, {keys}) "
        "SELECT i.n, w.doc, (SELECT pg_catalog.count(*) FROM written AS w WHERE NOT EXISTS "
        "(SELECT FROM input AS i WHERE {stored_key})) FROM input AS i "
        "LEFT JOIN written AS w ON {stored_key} ORDER BY i.n",
        fmt::arg("input", input_rows_sql()), fmt::arg("table", table),
        fmt::arg("columns", fmt::join(columns, ", ")),
        fmt::arg("selected", fmt::join(selected, ", ")), fmt::arg("target", target),
        fmt::arg("action", action), fmt::arg("keys", fmt::join(keys, ", ")),
        fmt::arg("stored_key", stored_key));
}

std::string connect_rows_sql(const std::string& read_table, const std::vector<KeyColumn>& key) {
    return fmt::format(
        "SELECT i.n, pg_catalog.to_jsonb(t.*) FROM ({input}) AS i JOIN {table} AS t ON "
        "{key} ORDER BY i.n",
        fmt::arg("input", input_rows_sql()), fmt::arg("table", read_table),
        fmt::arg("key", key_join(key, [&key](std::size_t i) { return "t." + key[i].column; })));
}

}  // namespace data_bridge

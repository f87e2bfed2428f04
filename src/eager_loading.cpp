// fetch_with_relations() and the guide's fetch_* functions: rows with their related rows,
// nested to any depth, rendered as jsonb by one statement.

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/eager_filter.hpp"
#include "data_bridge/core/eager_spec.hpp"
#include "data_bridge/core/eager_sql.hpp"
#include "data_bridge/core/error.hpp"
#include "data_bridge/core/fk_setup.hpp"
#include "data_bridge/core/page.hpp"
#include "data_bridge/core/relation_link.hpp"
#include "data_bridge/pg/args.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/eager_executor.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/page_cursor.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/settings.hpp"
#include "data_bridge/pg/shape_cache.hpp"

extern "C" {
#include "access/detoast.h"
#include "catalog/pg_inherits.h"
#include "utils/timestamp.h"
}

namespace data_bridge {

namespace {

// The type a filter parameter is bound as.
Oid filter_parameter_type(FilterParameter parameter) {
    switch (parameter) {
        case FilterParameter::kTextArray:
            return TEXTARRAYOID;
        case FilterParameter::kJson:
            return JSONBOID;
        case FilterParameter::kText:
            break;
    }
    return TEXTOID;
}

// Pages go by the order's columns and the primary key, which must identify a row: a child's row
// may have its parent's key, and rows equal in the whole order would meet at a page's boundary,
// where the next page would leave one out.
void refuse_inheritance_pages(Oid table) {
    if (pg::has_inheritance_children(table)) {
        throw Error(sqlstate::kFeatureNotSupported,
                    fmt::format("cannot page \"{}\": it has inheritance children",
                                pg::relation_name(table)),
                    "Its primary key does not span the children's rows.",
                    "Page a partitioned table, or each table of the hierarchy on its own.");
    }
}

// Rows rendered by the running eager load, counted by _eager_row_budget() in its statement,
// and the top-level statement they belong to. Where no eager load set the count up (Citus runs
// a one-tenant statement whole on a worker, its function calls included), each statement of
// the backend starts a count of its own, so counts never pile up across calls.
long rows_rendered = 0;
TimestampTz rows_statement = 0;

// The budget function lives in the schema the extension creates for its internals, so no
// search_path can put another function of that name in its place.
constexpr const char* kBudgetCall = "data_bridge_internal._eager_row_budget()";

Datum eager_row_budget_body(FunctionCallInfo) {
    TimestampTz statement = GetCurrentStatementStartTimestamp();
    if (statement != rows_statement) {
        rows_statement = statement;
        rows_rendered = 0;
    }
    long limit = pg::max_rows;
    if (limit > 0 && ++rows_rendered > limit)
        throw eager_row_budget_exceeded(limit);
    return BoolGetDatum(true);
}

std::string quoted_literal(const std::string& text) {
    const char* raw = text.c_str();
    return pg::guarded([raw] { return (const char*)quote_literal_cstr(raw); });
}

Datum text_value(const std::string& text) {
    const char* raw = text.c_str();
    return pg::guarded([raw] { return CStringGetTextDatum(raw); });
}

// A user column of the table; 42703 naming the place in the spec.
pg::ColumnInfo spec_column(Oid table, const std::string& column, const std::string& path) {
    try {
        return pg::column_info(table, column);
    } catch (const Error& error) {
        throw Error(error.code(), fmt::format("{} (at {})", error.what(), path));
    }
}

class EagerPlanner {
  public:
    explicit EagerPlanner(std::string budget)
        : graph_(pg::foreign_key_graph()), budget_(std::move(budget)) {}

    // The parameters that carry the spec's values, in the order spec_values() lists them; the
    // values are bound once the statement is built (bind_spec_values), as for a remembered one.
    const std::vector<std::size_t>& value_slots() const { return value_slots_; }

    // Whether the top level is a list (right and full joins are possible only there).
    void set_root_is_array(bool is_array) { root_is_array_ = is_array; }

    // Every rendered row of the level passes the row budget (checked last, after the filters).
    void add_budget(EagerLevel& level) const { level.budget = budget_; }

    pg::Parameters& parameters() { return parameters_; }

    Oid resolve_table(const std::string& text, const std::string& path) {
        Oid relid = pg::find_spec_relation(text, path);
        if (relid == InvalidOid) {
            throw Error(sqlstate::kUndefinedTable,
                        fmt::format("relation \"{}\" does not exist", text),
                        fmt::format("It is named at {}.", path));
        }
        pg::require_readable_relation(relid);
        return relid;
    }

    // A level's rows. `through`/`junction`: a many-to-many level's junction, whose columns
    // through_columns renders and order_by may name ("<junction key>.column").
    EagerLevel level(Oid table, const QueryOptions& options,
                     const std::vector<RelationSpec>& relations, const std::string& path,
                     const ThroughSpec* through = nullptr, Oid junction = InvalidOid) {
        pg::guarded([] { check_stack_depth(); });
        pg::watch_table(table);  // the load is remembered: it depends on the table's shape
        EagerLevel level;
        level.table = pg::quoted_table(table);
        level.alias = fmt::format("t{}", next_alias_++);
        std::string distributed_by = distribution_of(table);
        if (!distributed_by.empty())
            distributed_ = true;
        if (!next_tenant_column_.empty()) {
            // One tenant's rows (Citus): the distribution column's value stated, so that Citus
            // routes the statement to the tenant's shard.
            level.conditions.push_back(fmt::format("{}.{} {} {}", level.alias, next_tenant_column_,
                                                   tenant_equals_, tenant_value_));
            pinned_.emplace_back(level.alias, next_tenant_column_);
            next_tenant_column_.clear();
        }
        if (through != nullptr)
            plan_junction(level, *through, junction, path);
        // Each top-level term or group its own condition, so the planner sees the ANDed terms.
        // A term naming a count or aggregate relation of the level (having-style) binds its
        // values now, in the filter's order, and gets its SQL once the relation is planned.
        std::vector<PendingValueTerm> value_terms;
        for (const FilterNode& node : options.filter.children) {
            level.conditions.push_back(filter_node_sql(
                node,
                [&](const FilterTerm& term) {
                    if (!pg::has_column(table, term.column) &&
                        named_value_relation(relations, term.column) != nullptr) {
                        return pending_value_term(term, value_terms);
                    }
                    std::string condition = filter_sql(table, level.alias, term);
                    if (level.alias == "t0" && node.kind == FilterNode::Kind::kTerm &&
                        term.op == FilterOp::kEq && !distributed_by.empty() &&
                        spec_column(table, term.column, term.path).name == distributed_by) {
                        pin_root(table, distributed_by, last_value_sql_);
                    }
                    return condition;
                },
                [&](const FilterNode& exists) {
                    return exists_filter_sql(table, level.alias, exists);
                }));
        }
        std::vector<std::string> named;
        std::vector<std::string> order_columns;  // per order term: its column, "" for others
        std::string order_path = path.empty() ? "order_by" : path + ".order_by";
        std::vector<std::size_t> related_order;  // order terms naming a relation: resolved below
        for (std::size_t i = 0; i < options.order_by.size(); i++) {
            const OrderTerm& term = options.order_by[i];
            if (std::string column = junction_column(level, term.column);
                !column.empty() && !pg::has_column(table, term.column)) {
                pg::ColumnInfo info = spec_column(junction, column, order_path);
                level.order.push_back(
                    {fmt::format("({}.{})", level.through.alias, pg::quoted_identifier(info.name)),
                     term.descending});
                order_columns.emplace_back();
                continue;
            }
            if (!pg::has_column(table, term.column) &&
                named_relation(relations, term.column) != nullptr) {
                related_order.push_back(i);
                level.order.push_back({"", term.descending});
                order_columns.emplace_back();
                continue;
            }
            spec_column(table, term.column, order_path);
            level.order.push_back({pg::quoted_identifier(term.column), term.descending});
            named.push_back(term.column);
            order_columns.push_back(term.column);
        }
        for (const auto& key_column : pg::primary_key_columns(table)) {
            if (std::find(named.begin(), named.end(), key_column) == named.end()) {
                level.order.push_back({pg::quoted_identifier(key_column), false});
                order_columns.push_back(key_column);
            }
        }
        if (through != nullptr) {
            // A row met through two junction rows comes twice: the junction's key orders them.
            for (const auto& key_column : pg::primary_key_columns(junction)) {
                level.order.push_back(
                    {fmt::format("({}.{})", level.through.alias, pg::quoted_identifier(key_column)),
                     false});
            }
        }
        if (options.after)
            level.conditions.push_back(keyset_sql(table, level, order_columns, *options.after));
        // The top's limit is written into the statement: planned for its true row goal, a
        // statement that binds nothing else keeps one plan (a parameter LIMIT is costed as a
        // tenth of the table, so the plan cache planned it again on every call). Page sizes are
        // few; each is a statement of its own.
        if (options.limit)
            level.limit_param = path.empty() ? std::to_string(*options.limit) : reserve(INT8OID);
        if (options.offset > 0)
            level.offset_param = reserve(INT8OID);

        std::vector<std::string> rendered;
        if (options.select_columns) {
            level.selected = true;
            for (const auto& column : *options.select_columns) {
                pg::ColumnInfo info = spec_column(
                    table, column, path.empty() ? "select_columns" : path + ".select_columns");
                if (std::find(rendered.begin(), rendered.end(), column) == rendered.end()) {
                    rendered.push_back(column);
                    level.rendered.push_back(rendered_column(column, info.type));
                }
            }
        } else {
            for (const auto& [column, type] : all_columns(table)) {
                rendered.push_back(column);
                level.rendered.push_back(rendered_column(column, type));
            }
        }
        if (!level.through.rendered.empty() &&
            (std::find(rendered.begin(), rendered.end(), level.through.key) != rendered.end() ||
             named_relation(relations, level.through.key) != nullptr)) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("invalid {}.through_columns: their key \"{}\" is also a column "
                                    "or relation of the row",
                                    path, level.through.key),
                        {}, "Choose another key with \"through\": {\"table\": …, \"as\": …}.");
        }
        for (const RelationSpec& spec : relations) {
            if (std::find(rendered.begin(), rendered.end(), spec.name) != rendered.end()) {
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid {}.name: \"{}\" is also a column of \"{}\"",
                                        spec.path, spec.name, pg::relation_name(table)),
                            {}, "Choose a relation name that no rendered column has.");
            }
            level.relations.push_back(relation(table, level, spec));
        }
        for (std::size_t i : related_order)
            level.order[i].column =
                related_order_term(level, relations, options.order_by[i].column, order_path);
        for (std::size_t i = 0; i < value_terms.size(); i++) {
            std::string condition = value_term_sql(level, value_terms[i]);
            for (std::string& sql : level.conditions) {
                std::size_t at = sql.find(value_terms[i].token);
                if (at != std::string::npos)
                    sql.replace(at, value_terms[i].token.size(), condition);
            }
        }
        for (const std::string& sql : level.conditions) {
            if (sql.find('\0') != std::string::npos)
                throw Error(sqlstate::kInternalError, "eager load: a filter term was not placed");
        }
        return level;
    }

  private:
    // A filter term on a count or aggregate relation, bound before the relation is planned.
    struct PendingValueTerm {
        std::string token;  // stands for the condition in the filter's SQL until then
        FilterTerm term;
        std::vector<std::string> placeholders;
    };

    static const RelationSpec* named_value_relation(const std::vector<RelationSpec>& relations,
                                                    const std::string& name) {
        for (const RelationSpec& spec : relations) {
            if (spec.name == name && (spec.count || spec.aggregate))
                return &spec;
        }
        return nullptr;
    }

    std::string pending_value_term(const FilterTerm& term, std::vector<PendingValueTerm>& pending) {
        PendingValueTerm value;
        // A NUL byte cannot occur in any other piece of the SQL: PostgreSQL's names, text and
        // jsonb strings hold none (a control character could: a quoted identifier may).
        value.token.assign(1, '\0');
        value.token += "value term " + std::to_string(pending.size());
        value.token.push_back('\0');
        value.term = term;
        for (FilterParameter parameter : filter_parameters(term))
            value.placeholders.push_back(reserve(filter_parameter_type(parameter)));
        pending.push_back(value);
        return value.token;
    }

    // {"invoices": {"gt": 5}}: the relation's value (its count or aggregate, with its own
    // filter) compared as a value of its SQL type.
    std::string value_term_sql(const EagerLevel& level, const PendingValueTerm& pending) {
        const FilterTerm& term = pending.term;
        const EagerRelation* planned = nullptr;
        for (const EagerRelation& relation : level.relations) {
            if (relation.name == term.column)
                planned = &relation;
        }
        switch (term.op) {
            case FilterOp::kLike:
            case FilterOp::kNotLike:
            case FilterOp::kILike:
            case FilterOp::kNotILike:
            case FilterOp::kContains:
            case FilterOp::kContainedBy:
            case FilterOp::kOverlaps:
            case FilterOp::kMatch:
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid {}: a count or aggregate is compared with eq, "
                                        "neq, lt, lte, gt, gte, in, not_in, is or is_null",
                                        term.path));
            default:
                break;
        }
        refuse_per_tenant_value(*planned, term.path, "filter on");
        Oid type = planned->value_type;
        if (type == InvalidOid) {
            throw Error(sqlstate::kUndefinedFunction,
                        fmt::format("invalid {}: the aggregate of \"{}\" has no type to compare",
                                    term.path, planned->name),
                        {}, "The aggregate does not exist for the column's type.");
        }
        // Values are of the base type, as a literal compared with a domain's value is.
        Oid value_type = pg::base_type(type);
        FilterColumn resolved{
            related_order_sql(*planned, ""), pg::type_sql_name(value_type), {}, false};
        resolved.is_jsonb = value_type == JSONBOID;
        resolved.is_array = pg::is_array_type(value_type);
        const char* symbol = filter_operator_symbol(term.op);
        if (term.op == FilterOp::kEq || term.op == FilterOp::kIn || term.op == FilterOp::kNotIn)
            resolved.equals = pg::binary_operator_sql(type, "=", term.path);
        if (symbol != nullptr)
            resolved.compare = pg::binary_operator_sql(type, symbol, term.path);
        return filter_condition_sql(term, resolved, pending.placeholders);
    }

    // "after": the rows that come after the row with these values of the order's columns (the
    // order_by columns, then the primary key's), in that order. Placeholders are reserved in the
    // object's order, as spec_values() lists the values.
    std::string keyset_sql(Oid table, const EagerLevel& level,
                           const std::vector<std::string>& order_columns, const JsonValue& after) {
        std::string expected;
        for (std::size_t i = 0; i < order_columns.size(); i++) {
            if (order_columns[i].empty()) {
                throw Error(sqlstate::kFeatureNotSupported,
                            "after works with an order of the table's own columns", {},
                            "Order by columns of the table (its primary key is added last).");
            }
            expected += (i == 0 ? "" : ", ") + order_columns[i];
        }
        if (order_columns.empty()) {
            throw Error(sqlstate::kInvalidParameterValue, "invalid after: the rows have no order",
                        {}, "Give order_by, or load a table with a primary key.");
        }
        refuse_inheritance_pages(table);
        std::vector<std::string> values(order_columns.size());
        std::vector<bool> given(order_columns.size(), false);
        for (const auto& [column, value] : after.members) {
            auto at = std::find(order_columns.begin(), order_columns.end(), column);
            if (at == order_columns.end()) {
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid after.{}: not a column of the order", column),
                            fmt::format("The order is: {}.", expected),
                            "Give the values of the last row of the previous page.");
            }
            std::size_t i = static_cast<std::size_t>(at - order_columns.begin());
            given[i] = true;
            if (!value.is_null()) {
                pg::ColumnInfo info = pg::column_info(table, column);
                // The base type, as for a literal: a domain's typmod would round or cut the
                // value, and its CHECK refuse one a stored row has (added NOT VALID).
                values[i] =
                    value_sql(reserve(TEXTOID), pg::type_sql_name(pg::base_type(info.type)));
            }
        }
        std::vector<KeysetTerm> terms;
        bool row_comparison = true;
        for (std::size_t i = 0; i < order_columns.size(); i++) {
            if (!given[i]) {
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid after: no value for \"{}\"", order_columns[i]),
                            fmt::format("The order is: {}.", expected),
                            "Give the values of the last row of the previous page.");
            }
            pg::ColumnInfo info = pg::column_info(table, order_columns[i]);
            std::string path = "after." + order_columns[i];
            KeysetTerm term;
            term.column = level.alias + "." + pg::quoted_identifier(info.name);
            term.descending = level.order[i].descending;
            term.value = values[i];
            term.less = pg::binary_operator_sql(info.type, "<", path);
            term.greater = pg::binary_operator_sql(info.type, ">", path);
            term.equals = pg::binary_operator_sql(info.type, "=", path);
            row_comparison =
                row_comparison && !term.value.empty() && info.not_null &&
                (terms.empty() || (term.descending == terms[0].descending &&
                                   term.less == terms[0].less && term.greater == terms[0].greater));
            terms.push_back(std::move(term));
        }
        return keyset_condition_sql(terms, row_comparison);
    }

    // The junction of a many-to-many level: its alias, and the columns it renders.
    void plan_junction(EagerLevel& level, const ThroughSpec& through, Oid junction,
                       const std::string& path) {
        pg::watch_table(junction);
        level.through.table = pg::quoted_table(junction);
        level.through.alias = fmt::format("t{}", next_alias_++);
        level.through.key = through.as.empty() ? pg::relation_name(junction) : through.as;
        level.through.key_literal = quoted_literal(level.through.key);
        std::vector<std::string> seen;
        for (const std::string& column : through.columns) {
            pg::ColumnInfo info = spec_column(junction, column, path + ".through_columns");
            if (std::find(seen.begin(), seen.end(), column) != seen.end())
                continue;
            seen.push_back(column);
            level.through.rendered.push_back(rendered_column(column, info.type));
        }
    }

    // "playlist_track.position": the column of a many-to-many level's junction an order_by
    // term names, or "".
    static std::string junction_column(const EagerLevel& level, const std::string& term) {
        const std::string& key = level.through.key;
        if (level.through.table.empty() || term.size() <= key.size() + 1 ||
            term.compare(0, key.size(), key) != 0 || term[key.size()] != '.') {
            return "";
        }
        return term.substr(key.size() + 1);
    }

    // A relation's columns by the table column each copies: a table's own, or a view's plain
    // copies (the first view column copying a table column wins).
    struct Provenance {
        std::vector<Oid> tables;
        std::vector<std::pair<std::pair<Oid, std::string>, std::string>> columns;
        const std::string* column_for(Oid table, const std::string& column) const {
            for (const auto& [source, name] : columns) {
                if (source.first == table && source.second == column)
                    return &name;
            }
            return nullptr;
        }
    };

    Provenance provenance(Oid relid) {
        Provenance out;
        if (!pg::is_view(relid)) {
            out.tables.push_back(relid);
            for (const auto& [column, type] : all_columns(relid))
                out.columns.push_back({{relid, column}, column});
            return out;
        }
        for (const pg::ViewColumn& column : pg::view_sources(relid).columns) {
            if (column.table == InvalidOid || out.column_for(column.table, column.column))
                continue;
            pg::watch_table(column.table);  // its keys decide the link: a change replans
            out.columns.push_back({{column.table, column.column}, column.name});
            if (std::find(out.tables.begin(), out.tables.end(), column.table) == out.tables.end())
                out.tables.push_back(column.table);
        }
        return out;
    }

    // The foreign keys between the tables behind `parent` and `child` whose columns both sides
    // show as plain copies, restated on their columns (the rule PostgREST follows).
    std::vector<ForeignKey> view_keys(Oid parent, Oid child) {
        Provenance from = provenance(parent), to = provenance(child);
        std::vector<ForeignKey> keys;
        auto translate = [&keys](const ForeignKey& key, Oid source, const Provenance& sources,
                                 Oid target, const Provenance& targets) {
            ForeignKey restated = key;
            restated.source_relid = source;
            restated.target_relid = target;
            restated.source_columns.clear();
            restated.target_columns.clear();
            for (std::size_t i = 0; i < key.source_columns.size(); i++) {
                const std::string* source_column =
                    sources.column_for(key.source_relid, key.source_columns[i]);
                const std::string* target_column =
                    targets.column_for(key.target_relid, key.target_columns[i]);
                if (source_column == nullptr || target_column == nullptr)
                    return;
                restated.source_columns.push_back(*source_column);
                restated.target_columns.push_back(*target_column);
            }
            for (const ForeignKey& known : keys) {
                if (known.id == restated.id && known.source_relid == source)
                    return;
            }
            keys.push_back(std::move(restated));
        };
        for (Oid p : from.tables) {
            for (Oid c : to.tables) {
                for (const ForeignKey* key : graph_.referenced_by(p)) {
                    if (key->target_relid == c)
                        translate(*key, parent, from, child, to);
                }
                if (parent == child)
                    continue;
                for (const ForeignKey* key : graph_.referenced_by(c)) {
                    if (key->target_relid == p)
                        translate(*key, child, to, parent, from);
                }
            }
        }
        return keys;
    }

    // Whether one column's values are unique: by a unique index of the table, or of the table a
    // single-table view copies it from.
    pg::Uniqueness unique_column(Oid relid, const std::string& column) {
        if (!pg::is_view(relid))
            return pg::column_uniqueness(relid, pg::column_info(relid, column).attnum);
        pg::ViewSources sources = pg::view_sources(relid);
        if (!sources.single_table)
            return pg::Uniqueness::kNone;
        for (const pg::ViewColumn& source : sources.columns) {
            if (source.name == column && source.table != InvalidOid) {
                return pg::column_uniqueness(source.table,
                                             pg::column_info(source.table, source.column).attnum);
            }
        }
        return pg::Uniqueness::kNone;
    }

    // How a relation's rows are found from its parent's: the related table, and the columns
    // joining them (through the junction's for a many-to-many relation).
    struct Linked {
        Oid child = InvalidOid;
        Oid junction = InvalidOid;
        RelationLink direct;  // or, with a junction:
        ThroughLink through;
    };

    Linked link(Oid parent, const RelationSpec& spec) {
        Linked linked;
        linked.child = resolve_table(spec.table, spec.path + ".table");
        if (!spec.through) {
            if (pg::is_view(parent) || pg::is_view(linked.child)) {
                // Views have no foreign keys of their own: those of the tables their columns
                // copy stand in for them.
                FkGraph inferred(view_keys(parent, linked.child));
                linked.direct = link_relation(inferred, catalog_facts_, parent, linked.child, spec);
            } else {
                linked.direct = link_relation(graph_, catalog_facts_, parent, linked.child, spec);
            }
            return linked;
        }
        linked.junction = resolve_table(spec.through->table, spec.path + ".through.table");
        linked.through =
            link_through(graph_, catalog_facts_, parent, linked.junction, linked.child, spec);
        return linked;
    }

    // The level's rows for `linked`, and the join of them to the parent's rows, in that order.
    EagerLevel linked_level(const Linked& linked, const RelationSpec& spec,
                            const std::vector<RelationSpec>& relations,
                            const std::string& parent_alias) {
        next_tenant_column_ = tenant_column(linked, parent_alias);
        return level(linked.child, spec.options, relations, spec.path,
                     spec.through ? &*spec.through : nullptr, linked.junction);
    }

    // Citus: the root is one tenant's when its filter or key states its distribution column's
    // value; every statement of the load then states it for each distributed table joined on
    // that column (SQL `value`, a parameter of the root's).
    void pin_root(Oid table, const std::string& column, const std::string& value) {
        if (value.empty() || !tenant_value_.empty())
            return;
        tenant_value_ = value;
        tenant_equals_ = pg::equality_operator_sql(pg::column_info(table, column).type);
        pinned_.emplace_back("t0", pg::quoted_identifier(column));
    }

    // Citus plans a related distributed table (a LATERAL join per parent) only within one shard.
    // A relation staying in a one-tenant load is pinned to it (tenant_column); otherwise one
    // joined on the table's distribution column loads per tenant of its parents (true: a batch
    // of its own, run once per tenant). Any other relation to a distributed table is refused,
    // naming what to do.
    bool loads_per_tenant(const Linked& linked, const RelationSpec& spec,
                          const std::string& parent_alias) {
        bool distributed =
            !distribution_of(linked.child).empty() ||
            (linked.junction != InvalidOid && !distribution_of(linked.junction).empty());
        if (!distributed || !tenant_column(linked, parent_alias).empty())
            return false;
        std::string column = distribution_of(linked.child);
        bool on_tenant =
            linked.junction == InvalidOid && !column.empty() &&
            std::find(linked.direct.child_columns.begin(), linked.direct.child_columns.end(),
                      column) != linked.direct.child_columns.end();
        if (on_tenant) {
            // Citus prunes by the column's own type: a domain's value compared after a cast is
            // not pruned, and the statement would not stay on one shard.
            Oid type = pg::column_info(linked.child, column).type;
            if (pg::base_type(type) != type) {
                throw Error(sqlstate::kFeatureNotSupported,
                            fmt::format("{}: relation \"{}\" loads per tenant, and the "
                                        "distribution column of \"{}\" is of a domain type",
                                        spec.path, spec.name, pg::relation_name(linked.child)),
                            "Citus routes a statement by a value of the column's own type only.",
                            "Filter the top level on its distribution column (one tenant's "
                            "load), or load each tenant in a call of its own.");
            }
            return true;
        }
        if (linked.junction != InvalidOid && !distribution_of(linked.junction).empty()) {
            throw Error(sqlstate::kFeatureNotSupported,
                        fmt::format("{}: relation \"{}\" goes through \"{}\", a distributed "
                                    "junction",
                                    spec.path, spec.name, pg::relation_name(linked.junction)),
                        "With Citus, a many-to-many relation loads through a reference table "
                        "junction only.",
                        fmt::format("Load the junction's rows as a relation of their own, with "
                                    "\"{}\" as their relation.",
                                    pg::relation_name(linked.child)));
        }
        throw Error(
            sqlstate::kFeatureNotSupported,
            fmt::format("{}: relation \"{}\" to a distributed table must join on its "
                        "distribution column",
                        spec.path, spec.name),
            "With Citus, a distributed table's related rows load one tenant at a time: the "
            "relation must join on the table's distribution column (its foreign key includes "
            "it), not through a junction.",
            "Relate the tables by a foreign key that includes the tenant column, or load each "
            "tenant in a call of its own.");
    }

    // Whether the relation orders its rows by a related row of a distributed table (a subquery
    // of that table in its statement's ORDER BY, which does not state the tenant).
    bool orders_by_distributed_relation(const RelationSpec& spec) {
        for (const OrderTerm& term : spec.options.order_by) {
            const RelationSpec* named = named_relation(spec.relations, term.column);
            if (named != nullptr &&
                !distribution_of(resolve_table(named->table, named->path + ".table")).empty())
                return true;
        }
        return false;
    }

    // A parent's filter or order naming a relation loaded per tenant: the parent's statement spans
    // tenants, and the relation's rows are only in statements of their own, one per tenant.
    static void refuse_per_tenant_value(const EagerRelation& relation, const std::string& path,
                                        const char* what) {
        if (!relation.per_tenant)
            return;
        throw Error(sqlstate::kFeatureNotSupported,
                    fmt::format("{}: cannot {} relation \"{}\" of a distributed table across "
                                "tenants",
                                path, what, relation.name),
                    "Across tenants, a distributed table's related rows load per tenant of "
                    "their parents, in statements of their own.",
                    "A load keeps to one tenant when its top level is filtered on its "
                    "distribution column and every table down to this relation is distributed "
                    "and joined on it; otherwise load each tenant in a call of its own.");
    }

    // What a relation loaded per tenant cannot do: its batch is rows (or one value per parent),
    // one statement per tenant.
    void check_per_tenant_shape(const EagerRelation& relation, const RelationSpec& spec) {
        // Counts and aggregates take a batch of values of their own (one per parent key).
        const char* what = spec.recursive                         ? "a recursive relation"
                           : spec.join != JoinType::kLeft         ? "an inner, right or full join"
                           : orders_by_distributed_relation(spec) ? "an order by a related row"
                                                                  : nullptr;
        if (what == nullptr)
            return;
        throw Error(sqlstate::kFeatureNotSupported,
                    fmt::format("{}: {} of a distributed table loads one tenant's rows only",
                                spec.path, what),
                    "Across tenants, a distributed table's related rows load per tenant of "
                    "their parents, as rows.",
                    "Filter the top level on its distribution column (one tenant's load), or "
                    "load each tenant in a call of its own.");
    }

    // A related table of one tenant's: distributed, joined on its distribution column to the
    // distribution column of a parent that is one tenant's. Its column, quoted, or "".
    std::string tenant_column(const Linked& linked, const std::string& parent_alias) {
        if (tenant_value_.empty() || linked.junction != InvalidOid)
            return {};
        auto parent = std::find_if(pinned_.begin(), pinned_.end(),
                                   [&](const auto& pin) { return pin.first == parent_alias; });
        std::string column = distribution_of(linked.child);
        if (parent == pinned_.end() || column.empty())
            return {};
        const RelationLink& joined = linked.direct;
        for (std::size_t i = 0; i < joined.child_columns.size(); i++) {
            if (joined.child_columns[i] == column &&
                pg::quoted_identifier(joined.parent_columns[i]) == parent->second)
                return pg::quoted_identifier(column);
        }
        return {};
    }

    // The columns joining the level to its parent; for a many-to-many level, the junction's,
    // whose join to the level's rows goes into the level's FROM item.
    std::vector<EagerJoinColumn> parent_join(Oid parent, const Linked& linked, EagerLevel& level) {
        if (linked.junction == InvalidOid)
            return join_columns(parent, linked.child, linked.direct);
        for (const EagerJoinColumn& column :
             join_columns(linked.junction, linked.child, linked.through.target)) {
            level.through.conditions.push_back(
                join_condition_sql(level.alias, column, level.through.alias));
        }
        std::vector<EagerJoinColumn> columns =
            join_columns(parent, linked.junction, linked.through.source);
        for (EagerJoinColumn& column : columns)
            column.child_alias = level.through.alias;
        return columns;
    }

    // The SQL type of an aggregate's result: bigint for counts, the column's for min and max
    // (a domain's base type: min and max take and return their base type's values, without the
    // domain's constraints), pg_catalog.sum's or avg's result for the column's type.
    static Oid aggregate_type(Oid table, const Aggregate& aggregate) {
        if (aggregate.function == AggregateFunction::kCount ||
            aggregate.function == AggregateFunction::kCountDistinct) {
            return INT8OID;
        }
        Oid column = pg::column_info(table, aggregate.column).type;
        if (aggregate.function == AggregateFunction::kMin ||
            aggregate.function == AggregateFunction::kMax) {
            return pg::base_type(column);
        }
        // InvalidOid when there is none: the load itself then fails with PostgreSQL's error.
        return pg::aggregate_result_type(aggregate_function_name(aggregate.function), column);
    }

    // "album.title" (a column of an at-most-one relation) or "spent" (a count or aggregate
    // relation): whether an order_by term names one of the level's relations.
    static const RelationSpec* named_relation(const std::vector<RelationSpec>& relations,
                                              const std::string& term) {
        std::string name = term.substr(0, term.find('.'));
        for (const RelationSpec& spec : relations) {
            if (spec.name == name)
                return &spec;
        }
        return nullptr;
    }

    // The ORDER BY expression for a term naming a relation, once the relation is planned.
    std::string related_order_term(const EagerLevel& level,
                                   const std::vector<RelationSpec>& relations,
                                   const std::string& term, const std::string& path) {
        const RelationSpec& spec = *named_relation(relations, term);
        const EagerRelation* planned = nullptr;
        for (const EagerRelation& relation : level.relations) {
            if (relation.name == spec.name)
                planned = &relation;
        }
        refuse_per_tenant_value(*planned, path, "order by");
        std::size_t dot = term.find('.');
        if (dot == std::string::npos) {
            if (planned->shape != EagerShape::kCount && planned->shape != EagerShape::kAggregate) {
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid {}: relation \"{}\" is not a count or aggregate",
                                        path, spec.name),
                            {},
                            "Order by a column of an at-most-one relation (\"name.column\") "
                            "or by a count or aggregate relation.");
            }
            return related_order_sql(*planned, "");
        }
        if (planned->shape != EagerShape::kObject) {
            throw Error(
                sqlstate::kInvalidParameterValue,
                fmt::format("invalid {}: relation \"{}\" is not at most one row", path, spec.name),
                {}, "Order by an aggregate of a one-to-many relation instead.");
        }
        Oid child = resolve_table(spec.table, spec.path + ".table");
        pg::ColumnInfo column = spec_column(child, term.substr(dot + 1), path);
        return related_order_sql(*planned, pg::quoted_identifier(column.name));
    }

    static RenderedColumn rendered_column(const std::string& name, Oid type) {
        RenderedColumn column;
        column.name = name;
        column.quoted = pg::quoted_identifier(name);
        column.key_literal = quoted_literal(name);
        column.type = type;
        column.via_to_jsonb = pg::column_rendering(type).rendering == pg::JsonbRendering::kSql;
        return column;
    }

    // The table's columns and their types, as to_jsonb(row) renders them (dropped ones left
    // out).
    std::vector<std::pair<std::string, Oid>> all_columns(Oid table) {
        TupleDesc descriptor = pg::guarded([table] {
            Relation relation = table_open(table, AccessShareLock);
            TupleDesc copy = CreateTupleDescCopy(RelationGetDescr(relation));
            table_close(relation, AccessShareLock);
            return copy;
        });
        std::vector<std::pair<std::string, Oid>> columns;
        for (int i = 0; i < descriptor->natts; i++) {
            Form_pg_attribute attribute = TupleDescAttr(descriptor, i);
            if (!attribute->attisdropped)
                columns.emplace_back(NameStr(attribute->attname), attribute->atttypid);
        }
        return columns;
    }

    std::string filter_sql(Oid table, const std::string& alias, const FilterTerm& term) {
        pg::ColumnInfo column = spec_column(table, term.column, term.path);
        // Values are of the base type: a literal compared with a domain's value is (PostgreSQL
        // picks the base type's operator), so the domain's CHECK applies to no operand.
        Oid value_type = pg::base_type(column.type);
        FilterColumn resolved{alias + "." + pg::quoted_identifier(column.name),
                              pg::type_sql_name(value_type),
                              {},
                              value_type == TSVECTOROID};
        resolved.is_jsonb = value_type == JSONBOID;
        resolved.is_array = pg::is_array_type(value_type);
        // The type's own operators, checked now so that a missing one names its place.
        const char* symbol = filter_operator_symbol(term.op);
        bool equality =
            term.op == FilterOp::kEq || term.op == FilterOp::kIn || term.op == FilterOp::kNotIn;
        if (equality)
            resolved.equals = pg::binary_operator_sql(column.type, "=", term.path);
        if (symbol != nullptr)
            resolved.compare = pg::binary_operator_sql(column.type, symbol, term.path);
        std::vector<std::string> placeholders;
        for (FilterParameter parameter : filter_parameters(term))
            placeholders.push_back(reserve(filter_parameter_type(parameter)));
        last_value_sql_ = term.op == FilterOp::kEq && !placeholders.empty()
                              ? value_sql(placeholders[0], resolved.type)
                              : std::string();
        return filter_condition_sql(term, resolved, placeholders);
    }

    // The columns joining a related table's rows to their parent's, each with its equality.
    std::vector<EagerJoinColumn> join_columns(Oid parent, Oid child, const RelationLink& joined) {
        std::vector<EagerJoinColumn> columns;
        for (std::size_t i = 0; i < joined.child_columns.size(); i++) {
            pg::ColumnInfo child_column = pg::column_info(child, joined.child_columns[i]);
            EagerJoinColumn join;
            join.child_column = pg::quoted_identifier(child_column.name);
            join.equals = pg::equality_operator_sql(child_column.type);
            join.parent_column = pg::quoted_identifier(joined.parent_columns[i]);
            join.parent_type = pg::column_info(parent, joined.parent_columns[i]).type;
            join.row_value = pg::is_row_type(join.parent_type);
            columns.push_back(std::move(join));
        }
        return columns;
    }

    // exists / not_exists: a semi-join (anti-join) on the related rows that pass its filter.
    std::string exists_filter_sql(Oid parent, const std::string& parent_alias,
                                  const FilterNode& node) {
        const RelationSpec& spec = *node.relation;
        Linked linked = link(parent, spec);
        EagerLevel related = linked_level(linked, spec, {}, parent_alias);
        std::vector<EagerJoinColumn> joins = parent_join(parent, linked, related);
        for (std::size_t i = 0; i < joins.size(); i++) {
            related.conditions.insert(related.conditions.begin() + i,
                                      join_condition_sql(related.alias, joins[i], parent_alias));
        }
        return (node.negated ? "NOT " : "") + exists_sql(related);
    }

    EagerRelation relation(Oid parent, EagerLevel& parent_level, const RelationSpec& spec) {
        bool outer = spec.join == JoinType::kRight || spec.join == JoinType::kFull;
        if (outer && !(root_is_array_ && parent_level.alias == "t0")) {
            throw Error(
                sqlstate::kFeatureNotSupported,
                fmt::format("{}.join_type: right and full joins are supported on the top level of "
                            "a list only",
                            spec.path),
                {}, "Use left or inner here, or load the related table as the top level.");
        }
        Linked linked = link(parent, spec);
        Oid child = linked.child;
        const RelationLink& joined = linked.direct;
        EagerRelation relation;
        relation.name = spec.name;
        relation.key_literal = quoted_literal(spec.name);
        bool per_tenant = loads_per_tenant(linked, spec, parent_level.alias);
        relation.level = linked_level(linked, spec, spec.relations, parent_level.alias);
        EagerLevel& level = relation.level;
        relation.join = parent_join(parent, linked, level);
        for (std::size_t i = 0; i < relation.join.size(); i++) {
            level.conditions.insert(
                level.conditions.begin() + i,
                join_condition_sql(level.alias, relation.join[i], parent_level.alias));
        }
        // A foreign key's referenced columns are unique together; one column, by its index.
        // Rows through a junction are many.
        pg::Uniqueness child_unique = !spec.through && joined.child_columns.size() == 1
                                          ? unique_column(child, joined.child_columns[0])
                                          : pg::Uniqueness::kNone;
        relation.at_most_one = spec.through ? false
                               : joined.child_columns.size() == 1
                                   ? child_unique != pg::Uniqueness::kNone
                                   : joined.many_to_one;
        relation.unique_at_commit = child_unique == pg::Uniqueness::kAtCommit;
        bool unique_child = !joined.many_to_one && relation.at_most_one;
        relation.shape = spec.count                                         ? EagerShape::kCount
                         : spec.aggregate                                   ? EagerShape::kAggregate
                         : (joined.many_to_one || unique_child || spec.one) ? EagerShape::kObject
                                                                            : EagerShape::kArray;
        if (spec.aggregate) {
            std::string column = "*";
            if (spec.aggregate->column != "*") {
                column = pg::quoted_identifier(
                    spec_column(child, spec.aggregate->column,
                                fmt::format("{}.aggregate.{}", spec.path,
                                            aggregate_function_name(spec.aggregate->function)))
                        .name);
            }
            relation.aggregate = aggregate_sql(*spec.aggregate, level.alias, column);
            relation.value = aggregate_call_sql(*spec.aggregate, level.alias, column);
            relation.value_type = aggregate_type(child, *spec.aggregate);
        } else if (spec.count) {
            relation.value = "pg_catalog.count(*)";
            relation.value_type = INT8OID;
        }
        relation.join_count = relation.join.size();
        relation.keeps_unmatched = outer;
        relation.as_array = spec.chain_as_array;
        relation.shared = spec.shared;
        // Probes by index where nothing else of the level may need a bitmap scan: a filter (an
        // OR of indexed columns, say) or an inner join's EXISTS. The statistics and policies
        // decide when the plan is built (pg::execute_key_probes).
        bool inner_children = std::any_of(
            spec.relations.begin(), spec.relations.end(), [](const RelationSpec& nested) {
                return nested.join == JoinType::kInner || nested.join == JoinType::kRight;
            });
        bool indexed = !joined.child_columns.empty() &&
                       pg::has_index_leading_with(child, joined.child_columns[0]);
        if (!spec.through && indexed && spec.options.filter.children.empty() && !inner_children) {
            relation.index_probes = true;
            relation.probe_table = child;
            relation.probe_column = joined.child_columns[0];
        }
        // Nothing to probe: a scan per key would read the table once per parent row. Only a
        // plain table without children (a view's LATERAL subquery gets the key pushed into it, a
        // partitioned table's is pruned to a partition or probes its partitions' indexes), and
        // only on a unique parent key (repeated keys would multiply the join before the row
        // limits see a row).
        // (A Citus table's statements are routed or pushed down as their LATERAL form is.)
        bool plain_table =
            pg::guarded([child] {
                return get_rel_relkind(child) == RELKIND_RELATION && !has_subclass(child);
            }) &&
            !pg::citus_table(child).managed;
        // Probed by a btree that takes the keys whole, on one column compared by value: every
        // parent's rows in one index scan, its plan certain (see Batch::keyset_sql). Not a
        // partitioned table (every partition would be searched for every key), nor a Citus one.
        relation.keys_matched_by_value =
            relation.index_probes && !spec.recursive && !per_tenant && plain_table &&
            relation.join.size() == 1 && pg::key_matches_by_value(relation.join[0].parent_type) &&
            pg::column_info(child, joined.child_columns[0]).type == relation.join[0].parent_type &&
            relation.join[0].equals == "OPERATOR(pg_catalog.=)" &&
            pg::has_index_leading_with(child, joined.child_columns[0],
                                       pg::IndexKinds::kDefaultBtree);
        relation.keys_joined =
            !spec.through && !spec.recursive && !indexed && !per_tenant &&
            joined.parent_columns.size() == 1 &&
            unique_column(parent, joined.parent_columns[0]) == pg::Uniqueness::kImmediate &&
            plain_table;
        // Grouping by the child's columns is matching them with the join's equality only when
        // the parent's keys are of the same types (GROUP BY uses the type's own equality).
        bool same_types = !joined.child_columns.empty();
        for (std::size_t i = 0; i < joined.child_columns.size() && i < relation.join.size(); i++) {
            same_types = same_types && pg::column_info(child, joined.child_columns[i]).type ==
                                           relation.join[i].parent_type;
        }
        relation.values_grouped = (spec.count || spec.aggregate) && !spec.through && !indexed &&
                                  !per_tenant && plain_table && same_types;
        if (relation.shared && relation.shape != EagerShape::kObject) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("invalid {}.shared: the relation renders an array", spec.path),
                        "Only a relation that renders one row (many-to-one, one-to-one, or "
                        "\"one\": true) can be shared.");
        }
        if (relation.as_array && !(relation.shape == EagerShape::kObject && relation.at_most_one)) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("invalid {}.recursive.as: \"array\" is for the chain of rows "
                                    "a many-to-one relation reaches",
                                    spec.path),
                        {}, "Leave out \"as\" to nest each row in the one it references.");
        }
        if (per_tenant) {
            check_per_tenant_shape(relation, spec);
            std::string column = pg::quoted_identifier(distribution_of(child));
            for (std::size_t i = 0; i < relation.join.size(); i++) {
                if (relation.join[i].child_alias.empty() && relation.join[i].child_column == column)
                    relation.tenant_join = i;
            }
            relation.per_tenant = true;
        }
        if (spec.recursive)
            mark_recursion(parent, parent_level, linked, spec, level);
        // inner and right keep only parents with a matching related row.
        if (spec.join == JoinType::kInner || spec.join == JoinType::kRight) {
            parent_level.conditions.push_back(exists_sql(level));
        }
        if (relation.shape != EagerShape::kCount && relation.shape != EagerShape::kAggregate)
            add_budget(level);
        return relation;
    }

    // A level of a recursive relation: numbered by the recursion it belongs to (its levels share
    // the spec's path), identified by the foreign key's referenced columns, as is the row it
    // starts from, so that the executor can tell a row met again among its own ancestors.
    void mark_recursion(Oid parent, EagerLevel& parent_level, const Linked& linked,
                        const RelationSpec& spec, EagerLevel& level) {
        auto known = std::find(recursions_.begin(), recursions_.end(), spec.path);
        if (known == recursions_.end())
            known = recursions_.insert(recursions_.end(), spec.path);
        level.recursion = static_cast<int>(known - recursions_.begin()) + 1;
        level.cycle_mark = spec.cycle_mark;
        const RelationLink& joined = linked.direct;
        const std::vector<std::string>& columns =
            joined.many_to_one ? joined.child_columns : joined.parent_columns;
        std::vector<std::string> identity;
        bool parent_has_them = true;
        for (const std::string& column : columns) {
            identity.push_back(pg::quoted_identifier(column));
            parent_has_them = parent_has_them && pg::has_column(parent, column);
        }
        auto add_identity = [&](EagerLevel& to) {
            for (const auto& known : to.identities) {
                if (known.first == level.recursion)
                    return;  // (the level below set it already: the same)
            }
            to.identities.emplace_back(level.recursion, identity);
        };
        add_identity(level);
        // The row the recursion starts from (of the same table, a partition of it, or a view
        // with those columns) is the first ancestor.
        if (parent_has_them)
            add_identity(parent_level);
        bool clashes = spec.name == spec.cycle_mark;
        for (const RenderedColumn& column : level.rendered)
            clashes = clashes || column.name == spec.cycle_mark;
        for (const EagerRelation& nested : level.relations)
            clashes = clashes || nested.name == spec.cycle_mark;
        if (clashes) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("invalid {}.recursive.cycle_mark: \"{}\" is a key of the rows "
                                    "already",
                                    spec.path, spec.cycle_mark),
                        {}, "Name another key with \"cycle_mark\".");
        }
    }

  public:
    // Whether a table of the load is distributed by Citus: its statements are then planned for
    // each call's values (Citus routes by the values it sees).
    bool distributed() const { return distributed_; }
    // The root's key (fetch by id): its distribution column's match pins the load to a tenant.
    void note_root_key(Oid table, const std::vector<KeyMatch>& key) {
        std::string column = distribution_of(table);
        if (column.empty())
            return;
        distributed_ = true;
        for (const KeyMatch& match : key) {
            if (match.column == pg::quoted_identifier(column))
                pin_root(table, column, match.parameter);
        }
    }

  private:
    // The table's Citus distribution column ("" for none), read once per load: a level asks for
    // it when planned, and again when its relations check and pin their tenant.
    std::string distribution_of(Oid table) {
        for (const auto& [known, column] : distribution_columns_) {
            if (known == table)
                return column;
        }
        distribution_columns_.emplace_back(table, pg::distribution_column(table));
        return distribution_columns_.back().second;
    }

    std::vector<std::pair<Oid, std::string>> distribution_columns_;
    bool distributed_ = false;
    std::string tenant_value_;   // SQL of the root's distribution column value, or ""
    std::string tenant_equals_;  // its type's equality operator
    std::vector<std::pair<std::string, std::string>> pinned_;  // one tenant's levels: alias, column
    std::string next_tenant_column_;       // the column the next level states the tenant of, or ""
    std::string last_value_sql_;           // the value SQL of the last filter term planned
    std::vector<std::string> recursions_;  // the paths of the recursive relations, by number
    const FkGraph& graph_;
    pg::CatalogTableFacts catalog_facts_;
    std::string budget_;
    bool root_is_array_ = true;
    pg::Parameters parameters_;
    std::vector<std::size_t> value_slots_;

    std::string reserve(Oid type) {
        value_slots_.push_back(parameters_.types.size());
        return parameters_.add(type, (Datum)0, true);
    }
    int next_alias_ = 0;
};

// The id of one row: a scalar for a one-column key, an object for any key.
std::vector<std::string> id_conditions(EagerPlanner& planner, Oid table, const std::string& alias,
                                       const JsonValue& id) {
    std::vector<std::string> key_columns = pg::primary_key_columns(table);
    if (key_columns.empty()) {
        throw Error(sqlstate::kInvalidColumnReference,
                    fmt::format("table \"{}\" has no primary key", pg::relation_name(table)), {},
                    "Use filter instead of id.");
    }
    std::vector<KeyMatch> matches;
    if (id.is_object()) {
        matches = pg::match_key_object(table, key_columns, id, "id", planner.parameters());
    } else {
        JsonValue object;
        object.kind = JsonValue::Kind::kObject;
        if (key_columns.size() > 1) {
            throw Error(
                sqlstate::kInvalidParameterValue,
                fmt::format("table \"{}\" has a composite primary key", pg::relation_name(table)),
                fmt::format("Its key columns are: {}.", joined_columns(key_columns)),
                "Give id as an object naming every key column.");
        }
        object.members.emplace_back(key_columns[0], id);
        matches = pg::match_key_object(table, key_columns, object, "id", planner.parameters());
    }
    planner.note_root_key(table, matches);
    std::vector<std::string> terms;
    for (const auto& match : matches)
        terms.push_back(conditions(alias, {match}));
    return terms;
}

// Runs an eager statement with a fresh row budget.
Datum execute(FunctionCallInfo fcinfo, const std::string& sql, const pg::Parameters& parameters,
              pg::PlanChoice choice) {
    // A nested eager load (from a policy, trigger or function the statement calls) counts its
    // own rows and leaves the outer load's count as it was.
    long outer_rows = rows_rendered;
    TimestampTz outer_statement = rows_statement;
    rows_rendered = 0;
    rows_statement = GetCurrentStatementStartTimestamp();
    pg::SingleValue result;
    try {
        // One statement for a list returns one row (the array); for one row by key, each row
        // of the key.
        result = pg::query_single_value(sql, parameters, true, choice, true);
        if (result.more)
            pg::refuse_rows_sharing_the_key();
    } catch (...) {
        rows_rendered = outer_rows;
        rows_statement = outer_statement;
        throw;
    }
    rows_rendered = outer_rows;
    rows_statement = outer_statement;
    return pg::value_or_null(fcinfo, result);
}

// The values of a spec as parameters: into the slots the planner reserved for them, or (for a
// remembered statement, `slots` null) after any key parameter already in `parameters`.
void bind_spec_values(const QueryOptions& options, const std::vector<RelationSpec>& relations,
                      pg::Parameters& parameters, const std::vector<std::size_t>* slots) {
    std::vector<SpecValue> values;
    spec_values(options, relations, values);
    if (slots != nullptr && slots->size() != values.size()) {
        throw Error(sqlstate::kInternalError, "eager load: parameters and values disagree");
    }
    for (std::size_t i = 0; i < values.size(); i++) {
        const SpecValue& value = values[i];
        Oid type = TEXTOID;
        Datum datum;
        if (value.kind == SpecValue::kInt8) {
            type = INT8OID;
            datum = Int64GetDatum(value.integer);
        } else if (value.kind == SpecValue::kTextArray) {
            type = TEXTARRAYOID;
            const std::vector<std::string>& texts = value.texts;
            datum = pg::guarded([&texts] { return pg::text_array_datum(texts); });
        } else if (value.kind == SpecValue::kJson) {
            type = JSONBOID;
            datum = pg::value_to_jsonb(value.json);
        } else {
            datum = text_value(value.text);
        }
        if (slots == nullptr) {
            parameters.add(type, datum, false);
        } else {
            parameters.values[(*slots)[i]] = datum;
            parameters.nulls[(*slots)[i]] = ' ';
        }
    }
}

// Batched programs by call shape (right and full joins keep one statement, in the statement
// cache under the same key).
pg::ShapeCache<std::shared_ptr<const pg::EagerProgram>> programs("eager load programs");

bool has_recursion(const EagerLevel& level) {
    for (const EagerRelation& relation : level.relations) {
        if (relation.level.recursion != 0 || has_recursion(relation.level))
            return true;
    }
    return false;
}

bool has_shared_relation(const std::vector<RelationSpec>& relations) {
    for (const RelationSpec& relation : relations) {
        if (relation.shared || has_shared_relation(relation.relations))
            return true;
    }
    return false;
}

// Shared relations make one result of a list and its shared rows: not rows one at a time.
void refuse_shared_relations(const std::vector<RelationSpec>& relations, const char* function) {
    if (has_shared_relation(relations)) {
        throw Error(sqlstate::kFeatureNotSupported,
                    fmt::format("{} cannot load shared relations", function),
                    "Shared rows are listed once beside the whole result.",
                    "Use fetch_with_relations, or leave out \"shared\".");
    }
}

// A load ready to run: the batched program, or (right and full joins, a key type without an
// array type) the one statement; with its parameters bound.
struct PreparedLoad {
    std::shared_ptr<const pg::EagerProgram> program;
    std::string sql;
    pg::Parameters parameters;
    bool custom_plans = false;  // the one statement planned for each call's values (Citus)
};

// One-statement loads of Citus tables, by call shape: planned for each call's values.
pg::ShapeCache<bool> distributed_statements("distributed loads");

// The key parameters that come first in a load of one row, with their types.
using KeyValues = std::vector<std::pair<Oid, Datum>>;

// For a load of one row by a key object ({"tenant_id": 3, "id": 7}): the key columns in the
// order the planned load bound their values (as text), by call shape.
pg::ShapeCache<std::vector<std::string>> key_columns_by_shape("key objects");

// Whether a key object names the key's columns: not when the key is one jsonb column, whose
// value is the key itself.
bool key_names_columns(Oid table) {
    std::vector<std::string> key = pg::primary_key_columns(table);
    if (key.size() != 1)
        return true;
    Oid type = pg::column_info(table, key[0]).type;
    return !pg::is_jsonb(type);
}

// A key object's values as the planned load of its shape bound them, or nothing when no load of
// that shape is remembered or the object does not name exactly its key (then the call is
// planned, and planning says what is wrong).
std::optional<KeyValues> remembered_key_values(const std::string& shape_key, const JsonValue& id) {
    const std::vector<std::string>* columns = key_columns_by_shape.find(shape_key);
    if (columns == nullptr)
        return std::nullopt;
    std::optional<std::vector<std::string>> texts = key_object_texts(*columns, id);
    if (!texts)
        return std::nullopt;
    KeyValues values;
    for (const std::string& text : *texts)
        values.emplace_back(TEXTOID, text_value(text));
    return values;
}

// The function's SQL declaration decides the format: the *_json forms are the same C function
// declared RETURNS json.
pg::ResultFormat result_format(FunctionCallInfo fcinfo) {
    Oid type = pg::guarded([fcinfo] { return get_func_rettype(fcinfo->flinfo->fn_oid); });
    return type == JSONOID ? pg::ResultFormat::kJsonText : pg::ResultFormat::kJsonb;
}

Datum execute_load(FunctionCallInfo fcinfo, const PreparedLoad& load) {
    pg::ResultFormat format = result_format(fcinfo);
    if (load.program == nullptr) {
        Datum result = execute(fcinfo, load.sql, load.parameters,
                               load.custom_plans ? pg::PlanChoice::kCustom : pg::PlanChoice::kAuto);
        if (fcinfo->isnull)
            return result;
        // One statement builds the value in SQL, bounded while reading by data_bridge.max_rows
        // only: its size is held to data_bridge.max_load_size once built.
        pg::ReadBudget budget = pg::load_budget();
        pg::guarded([&budget, result] { budget.charge((int64)toast_raw_datum_size(result)); });
        if (format == pg::ResultFormat::kJsonb)
            return result;
        return pg::jsonb_as_json_text(result);
    }
    bool is_null = false;
    Datum result = pg::run_eager_program(*load.program, load.parameters, format, &is_null);
    if (is_null)
        PG_RETURN_NULL();
    return result;
}

// A freshly planned load: binds the spec's values into the planner's slots and remembers the
// batches (or the one statement) for the next call of the same shape.
PreparedLoad planned_load(EagerPlanner& planner, const EagerLevel& root, bool as_array,
                          const std::string& shape_key, const QueryOptions& options,
                          const std::vector<RelationSpec>& relations) {
    bind_spec_values(options, relations, planner.parameters(), &planner.value_slots());
    PreparedLoad load;
    load.parameters = planner.parameters();
    load.custom_plans = planner.distributed();
    // One tenant's row on Citus: one statement, one trip to the worker, where the batches would
    // make a trip per level (what it cannot hold stays batched).
    bool one_trip = planner.distributed() && !as_array && !has_shared_relation(relations) &&
                    !has_recursion(root);
    if (!has_unmatched_rows(root) && !one_trip)
        load.program = pg::eager_program(root, as_array, planner.parameters().types.size(),
                                         planner.distributed());
    if (load.program != nullptr) {
        if (!shape_key.empty())
            programs.remember(shape_key, load.program);
        return load;
    }
    // Cycle checks, chains and shared rows are the executor's: the one statement has none.
    if (has_shared_relation(relations)) {
        throw Error(sqlstate::kFeatureNotSupported,
                    "shared relations cannot be loaded in one statement", {},
                    "A right or full join, or a join key whose type has no array type, runs as "
                    "one statement: leave out \"shared\" there.");
    }
    if (has_recursion(root)) {
        throw Error(sqlstate::kFeatureNotSupported,
                    "a recursive relation cannot be loaded with a right or full join", {},
                    "Load the recursive relation in a call of its own.");
    }
    load.sql = eager_statement_sql(root, as_array);
    if (!shape_key.empty()) {
        pg::remember_statement(shape_key, load.sql);
        if (load.custom_plans)
            distributed_statements.remember(shape_key, true);
    }
    return load;
}

Datum run(FunctionCallInfo fcinfo, EagerPlanner& planner, const EagerLevel& root, bool as_array,
          const std::string& shape_key, const QueryOptions& options,
          const std::vector<RelationSpec>& relations) {
    return execute_load(fcinfo,
                        planned_load(planner, root, as_array, shape_key, options, relations));
}

// The load remembered for this shape, its values bound, skipping every catalog check and all
// SQL building. `key_values`: the key parameters that come first, if any.
std::optional<PreparedLoad> remembered_load(const std::string& shape_key,
                                            const QueryOptions& options,
                                            const std::vector<RelationSpec>& relations,
                                            const KeyValues& key_values) {
    PreparedLoad load;
    if (const auto* found = programs.find(shape_key))
        load.program = *found;
    const std::string* sql = load.program == nullptr ? pg::find_statement(shape_key) : nullptr;
    if (load.program == nullptr && sql == nullptr)
        return std::nullopt;
    if (sql != nullptr) {
        load.sql = *sql;
        load.custom_plans = distributed_statements.find(shape_key) != nullptr;
    }
    for (const auto& [type, value] : key_values)
        load.parameters.add(type, value, false);
    bind_spec_values(options, relations, load.parameters, nullptr);
    return load;
}

std::optional<Datum> run_remembered(FunctionCallInfo fcinfo, const std::string& shape_key,
                                    const QueryOptions& options,
                                    const std::vector<RelationSpec>& relations,
                                    const KeyValues& key_values) {
    std::optional<PreparedLoad> load = remembered_load(shape_key, options, relations, key_values);
    if (!load)
        return std::nullopt;
    return execute_load(fcinfo, *load);
}

// What a call shape means here and now: the OIDs its table names resolve to under the caller's
// search_path, and the role (privileges and row-level security are the role's). A remembered
// shape is found only under this key, so the same text under another search_path, or inside a
// SECURITY DEFINER function, is planned afresh. Names that do not resolve key as 0; planning
// then raises the error.
Oid resolve_quietly(const std::string& text) {
    return pg::find_named_relation(text);
}

void append_filter_tables(std::string& key, const FilterNode& filter);

// The tables a relation names: its own, its junction's, and those its exists filters name.
void append_relation_tables(std::string& key, const RelationSpec& relation) {
    key += std::to_string(resolve_quietly(relation.table));
    if (relation.through) {
        key += '~';
        key += std::to_string(resolve_quietly(relation.through->table));
    }
    append_filter_tables(key, relation.options.filter);
}

void append_filter_tables(std::string& key, const FilterNode& filter) {
    if (filter.kind == FilterNode::Kind::kExists) {
        key += '?';
        append_relation_tables(key, *filter.relation);
        return;
    }
    for (const FilterNode& child : filter.children)
        append_filter_tables(key, child);
}

void append_resolved_tables(std::string& key, const std::vector<RelationSpec>& relations) {
    for (const RelationSpec& relation : relations) {
        append_relation_tables(key, relation);
        key += '(';
        append_resolved_tables(key, relation.relations);
        key += ')';
    }
}

// `filter`: the top level's, whose exists conditions name tables too.
std::string resolved_shape_key(const std::string& prefix, Oid root,
                               const std::vector<RelationSpec>& relations, const std::string& shape,
                               const FilterNode& filter = {}) {
    Oid role = pg::guarded([] { return GetUserId(); });
    std::string key = fmt::format("{} role {} table {} ", prefix, role, root);
    append_filter_tables(key, filter);
    key += '[';
    append_resolved_tables(key, relations);
    key += "] ";
    key += shape;
    return key;
}

// The load a fetch_with_relations spec asks for, planned or remembered; `as_array`: whether it
// is a list (no id).
PreparedLoad prepare_spec_load(const FetchSpec& spec, bool* as_array) {
    *as_array = !spec.id;
    // An id object binds one parameter per key column, as text in the key's order.
    bool id_object = spec.id && spec.id->is_object();
    std::string kind = !spec.id    ? "fetch_with_relations rows"
                       : id_object ? "fetch_with_relations id object " + key_object_shape(*spec.id)
                                   : "fetch_with_relations id";
    Oid named = resolve_quietly(spec.table);
    // Planning refuses it too, but a remembered load is not planned again when a child is added.
    if (spec.options.after && named != InvalidOid)
        refuse_inheritance_pages(named);
    std::string shape_key = resolved_shape_key(
        kind, named, spec.relations, spec_shape(spec.options, spec.relations), spec.options.filter);
    std::optional<KeyValues> key_values = KeyValues{};
    if (id_object)
        key_values = remembered_key_values(shape_key, *spec.id);
    else if (spec.id)
        key_values = KeyValues{{TEXTOID, text_value(spec.id->text)}};
    if (key_values) {
        if (auto load = remembered_load(shape_key, spec.options, spec.relations, *key_values))
            return *load;
    }
    EagerPlanner planner(kBudgetCall);
    planner.set_root_is_array(!spec.id);
    Oid table = planner.resolve_table(spec.table, "table");
    if (spec.id) {
        // Key parameters first, so the numbering does not depend on the relations.
        std::vector<std::string> key = id_conditions(planner, table, "t0", *spec.id);
        EagerLevel root = planner.level(table, spec.options, spec.relations, "");
        planner.add_budget(root);
        root.conditions.insert(root.conditions.begin(), key.begin(), key.end());
        PreparedLoad load =
            planned_load(planner, root, false, shape_key, spec.options, spec.relations);
        if (id_object)
            key_columns_by_shape.remember(shape_key, pg::primary_key_columns(table));
        return load;
    }
    EagerLevel root = planner.level(table, spec.options, spec.relations, "");
    planner.add_budget(root);
    return planned_load(planner, root, true, shape_key, spec.options, spec.relations);
}

Datum fetch_with_relations_body(FunctionCallInfo fcinfo) {
    FetchSpec spec = parse_fetch_spec(pg::jsonb_to_value(PG_GETARG_DATUM(0)));
    bool as_array = true;
    PreparedLoad load = prepare_spec_load(spec, &as_array);
    return execute_load(fcinfo, load);
}

// fetch_rows_with_relations(spec jsonb) RETURNS SETOF jsonb: the same rows, one value per call
// (value-per-call: in a select list, a cursor or COPY gets each row as it is ready). The top rows
// are read through a cursor a chunk at a time, each chunk's relations loaded for it; only one
// chunk's rendered rows are held at a time.
constexpr long kStreamChunkRows = 1000;

// What the stream keeps between calls; freed with the call's multi-call memory context.
struct StreamState {
    PreparedLoad load;
    pg::OpenCursor cursor;  // name empty: every row is in `ready` (a one-statement load)
    std::vector<Datum> ready;
    std::size_t next = 0;
    bool done = false;
    long rendered = 0;  // rows rendered by all chunks, against data_bridge.max_rows
    MemoryContext chunk_context = nullptr;
};

// A stream abandoned before its end (LIMIT, a rescan) leaves its cursor to the end of the
// transaction: this callback may run while PostgreSQL walks its portals (at commit), when
// dropping one is not safe.
void free_stream_state(void* arg) {
    delete static_cast<StreamState*>(arg);
}

// The first call: plans the load (its bound values in the multi-call context) and opens the
// cursor over the top rows.
StreamState* start_stream(FunctionCallInfo fcinfo, FuncCallContext* call) {
    FetchSpec spec = parse_fetch_spec(pg::jsonb_to_value(PG_GETARG_DATUM(0)));
    refuse_shared_relations(spec.relations, "fetch_rows_with_relations");
    MemoryContext multi_call = call->multi_call_memory_ctx;
    auto* state = new StreamState();
    pg::guarded([multi_call, state] {
        auto* callback = static_cast<MemoryContextCallback*>(
            MemoryContextAlloc(multi_call, sizeof(MemoryContextCallback)));
        callback->func = free_stream_state;
        callback->arg = state;
        MemoryContextRegisterResetCallback(multi_call, callback);
        state->chunk_context =
            AllocSetContextCreate(multi_call, "data_bridge stream chunk", ALLOCSET_DEFAULT_SIZES);
    });
    call->user_fctx = state;
    MemoryContext previous =
        pg::guarded([multi_call] { return MemoryContextSwitchTo(multi_call); });
    bool as_array = true;
    state->load = prepare_spec_load(spec, &as_array);
    if (state->load.program != nullptr) {
        state->cursor = pg::open_eager_stream(*state->load.program, state->load.parameters);
    } else {
        // Right and full joins run as one statement: its rows are returned one by one.
        Datum all =
            execute(fcinfo, state->load.sql, state->load.parameters,
                    state->load.custom_plans ? pg::PlanChoice::kCustom : pg::PlanChoice::kAuto);
        bool none = fcinfo->isnull;
        fcinfo->isnull = false;
        if (!none && !as_array) {
            state->ready.push_back(all);
        } else if (!none) {
            int count =
                pg::guarded([all] { return static_cast<int>(JB_ROOT_COUNT(DatumGetJsonbP(all))); });
            for (int i = 0; i < count; i++) {
                state->ready.push_back(pg::guarded([all, i] {
                    return DirectFunctionCall2(jsonb_array_element, all, Int32GetDatum(i));
                }));
            }
        }
        state->done = true;
    }
    pg::guarded([previous] { MemoryContextSwitchTo(previous); });
    return state;
}

Datum fetch_rows_with_relations_body(FunctionCallInfo fcinfo) {
    FuncCallContext* call = nullptr;
    StreamState* state = nullptr;
    if (pg::guarded([fcinfo] { return SRF_IS_FIRSTCALL(); })) {
        call = pg::guarded([fcinfo] { return SRF_FIRSTCALL_INIT(); });
        state = start_stream(fcinfo, call);
    } else {
        call = pg::guarded([fcinfo] { return SRF_PERCALL_SETUP(); });
        state = static_cast<StreamState*>(call->user_fctx);
    }
    while (state->next >= state->ready.size()) {
        if (state->done) {
            if (!state->cursor.name.empty())
                pg::close_eager_stream(state->cursor);
            // Ends the call: the multi-call context, and the state with it, are freed.
            pg::guarded([fcinfo, call] { end_MultiFuncCall(fcinfo, call); });
            auto* result = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
            result->isDone = ExprEndResult;
            PG_RETURN_NULL();
        }
        state->ready.clear();
        state->next = 0;
        MemoryContext chunk = state->chunk_context;
        pg::guarded([chunk] { MemoryContextReset(chunk); });
        // A nested eager load counts its own rows (as execute() keeps them apart).
        long outer_rows = rows_rendered;
        TimestampTz outer_statement = rows_statement;
        try {
            if (!pg::next_eager_chunk(*state->load.program, state->load.parameters, state->cursor,
                                      kStreamChunkRows, chunk, state->ready, state->rendered)) {
                state->done = true;
            }
        } catch (...) {
            rows_rendered = outer_rows;
            rows_statement = outer_statement;
            throw;
        }
        rows_rendered = outer_rows;
        rows_statement = outer_statement;
    }
    auto* result = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    result->isDone = ExprMultipleResult;
    call->call_cntr++;
    return state->ready[state->next++];
}

// 0A000 for a page order by a column whose values a cursor cannot carry.
Error not_scalar_order(const std::string& column) {
    return Error(
        sqlstate::kFeatureNotSupported,
        fmt::format("pages cannot go by column \"{}\": its values are not scalars", column),
        "A cursor carries a value as to_jsonb writes it: a json or jsonb value, an array, a "
        "row, or a value of a type not known to read back the same (a reg* type's text follows "
        "search_path) would come back as another value.",
        "Order pages by columns of scalar types.");
}

// fetch_page_with_relations(spec jsonb) RETURNS jsonb: {"rows": [...], "next": cursor or null,
// "previous": cursor or null}. The spec is fetch_with_relations' with "limit" (the page size)
// and optionally "after" or "before", a cursor a page returned. A page reads one row more than
// it returns, to know whether another follows; a page before a cursor is read in the reversed
// order and turned round.
Datum fetch_page_with_relations_body(FunctionCallInfo fcinfo) {
    JsonValue raw = pg::jsonb_to_value(PG_GETARG_DATUM(0));
    if (!raw.is_object())
        throw Error(sqlstate::kInvalidParameterValue, "invalid spec: expected an object");
    std::string cursor, cursor_key;
    JsonValue request;
    request.kind = JsonValue::Kind::kObject;
    for (const auto& member : raw.members) {
        if (member.first == "after" || member.first == "before") {
            if (!cursor_key.empty()) {
                throw Error(sqlstate::kInvalidParameterValue,
                            "invalid before: cannot be combined with after");
            }
            if (!member.second.is_string())
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid {}: expected a cursor string", member.first), {},
                            "Pass the next or previous cursor of a page.");
            cursor_key = member.first;
            cursor = member.second.text;
            if (cursor.empty())  // no cursor is written as the key left out, never as ""
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid {}: not a cursor", member.first), {},
                            "Pass the next or previous cursor of a page, or leave the key out.");
            continue;
        }
        request.members.push_back(member);
    }
    FetchSpec spec = parse_fetch_spec(request);
    if (spec.id)
        throw Error(sqlstate::kInvalidParameterValue, "invalid id: a page is a list");
    refuse_shared_relations(spec.relations, "fetch_page_with_relations");
    if (!spec.options.limit || *spec.options.limit < 1 ||
        *spec.options.limit >= std::numeric_limits<long long>::max()) {
        throw Error(sqlstate::kInvalidParameterValue,
                    "invalid limit: a page needs a size of 1 or more", {},
                    "Give limit, the number of rows a page holds.");
    }
    if (spec.options.offset > 0)
        throw Error(sqlstate::kInvalidParameterValue,
                    "invalid offset: pages go by cursors, not offsets");

    Oid table = resolve_quietly(spec.table);
    if (table == InvalidOid)
        EagerPlanner(kBudgetCall).resolve_table(spec.table, "table");  // raises the error
    refuse_inheritance_pages(table);  // on every call: the planned page is remembered
    for (const OrderTerm& term : spec.options.order_by) {
        if (!pg::has_column(table, term.column)) {
            throw Error(sqlstate::kFeatureNotSupported,
                        "pages go by an order of the table's own columns", {},
                        fmt::format("\"{}\" is not a column of \"{}\".", term.column,
                                    pg::relation_name(table)));
        }
    }
    std::vector<OrderTerm> order =
        page_order(spec.options.order_by, pg::primary_key_columns(table));
    // Each column by its length first: no name can read as another name and a direction.
    std::string context = fmt::format("page {}", table);
    pg::CursorSettings settings_now;  // of every order column, as written just now
    for (const OrderTerm& term : order) {
        context +=
            fmt::format(" {}:{}{}", term.column.size(), term.column, term.descending ? 'd' : 'a');
        // A cursor carries the boundary row's values as the row renders them, read back as the
        // column's text: a json or jsonb value (its null is SQL NULL's, its strings lose their
        // quotes) would come back as another value, a float rounded by extra_float_digits as
        // another number; refused by the column's type, whatever the rows hold. An interval's
        // or money's text depends on a setting: the cursor is bound to it.
        Oid type = pg::column_info(table, term.column).type;
        std::optional<pg::CursorSettings> settings = pg::cursor_settings(type);
        if (!settings)
            throw not_scalar_order(term.column);
        if (pg::float_rendered_rounded(type)) {
            throw Error(sqlstate::kFeatureNotSupported,
                        fmt::format("pages cannot go by column \"{}\" while extra_float_digits "
                                    "is below 1",
                                    term.column),
                        "A cursor would carry its values rounded.",
                        "SET extra_float_digits = 1 (PostgreSQL's default).");
        }
        if (settings->needs_iso && !pg::dates_written_iso()) {
            throw Error(
                sqlstate::kFeatureNotSupported,
                fmt::format("pages cannot go by column \"{}\" under this DateStyle", term.column),
                "A cursor carries its timestamps as text: DateStyles other than ISO "
                "write zone abbreviations, which read back ambiguously.",
                "SET DateStyle = ISO (PostgreSQL's default).");
        }
        settings_now.fixed += settings->fixed;
        settings_now.dates += settings->dates;
    }
    // The settings a cursor is written under travel in it (signed with it): read under others
    // that change its text, it is refused rather than read as other values.
    std::string written_under =
        settings_now.fixed + "|" + (pg::dates_written_iso() ? "" : settings_now.dates);

    bool before = cursor_key == "before";
    spec.options.order_by = before ? reversed_order(order) : order;
    if (!cursor.empty()) {
        JsonValue payload = pg::decode_page_cursor(cursor, context, cursor_key);
        const JsonValue* values = payload.find("v");
        const JsonValue* direction = payload.find("d");
        if (values == nullptr || !values->is_object() || direction == nullptr ||
            direction->text != cursor_key) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("invalid {}: a {} cursor", cursor_key,
                                    cursor_key == "after" ? "previous" : "next"),
                        {}, "Pass next as after and previous as before.");
        }
        for (const auto& member : values->members) {
            if (member.second.is_array() || member.second.is_object())
                throw Error(sqlstate::kInvalidParameterValue,
                            fmt::format("invalid {}: not a cursor of this order", cursor_key));
        }
        const JsonValue* written = payload.find("w");
        std::string under = written != nullptr && written->is_string() ? written->text : "|";
        std::size_t bar = under.find('|');
        if (!cursor_readable_under(under, settings_now.fixed, settings_now.dates)) {
            throw Error(
                sqlstate::kInvalidParameterValue,
                fmt::format("invalid {}: the cursor was written under other settings", cursor_key),
                fmt::format("Its values' text depends on them; it was written under{}.",
                            under == "|" ? " none recorded"
                                         : under.substr(0, bar) + (bar + 1 < under.size()
                                                                       ? under.substr(bar + 1)
                                                                       : std::string())),
                "Read a page's cursor under the IntervalStyle, lc_monetary, DateStyle "
                "and TimeZone it was written under.");
        }
        spec.options.after = *values;
    }
    long long size = *spec.options.limit;
    spec.options.limit = size + 1;
    std::vector<std::string> added;
    if (spec.options.select_columns)
        spec.options.select_columns = page_columns(*spec.options.select_columns, order, added);

    bool as_array = true;
    PreparedLoad load = prepare_spec_load(spec, &as_array);
    Datum rows_datum = execute_load(fcinfo, load);
    fcinfo->isnull = false;
    JsonValue rows = pg::jsonb_to_value(rows_datum);
    bool more = rows.elements.size() > static_cast<std::size_t>(size);
    if (more)
        rows.elements.resize(static_cast<std::size_t>(size));
    if (before)
        std::reverse(rows.elements.begin(), rows.elements.end());

    auto cursor_for = [&](const JsonValue& row, const char* direction) {
        for (const OrderTerm& term : order) {
            const JsonValue* value = row.find(term.column);
            if (value != nullptr && (value->is_array() || value->is_object()))
                throw not_scalar_order(term.column);
        }
        JsonValue payload;
        payload.kind = JsonValue::Kind::kObject;
        JsonValue word;
        word.kind = JsonValue::Kind::kString;
        word.text = direction;
        payload.members.emplace_back("d", word);
        payload.members.emplace_back("v", order_values(row, order));
        JsonValue settings;
        settings.kind = JsonValue::Kind::kString;
        settings.text = written_under;
        payload.members.emplace_back("w", settings);
        JsonValue text;
        text.kind = JsonValue::Kind::kString;
        text.text = pg::encode_page_cursor(payload, context);
        return text;
    };
    JsonValue next, previous;  // JSON null unless there is such a page
    if (!rows.elements.empty()) {
        bool later = before ? true : more;               // rows after the last one
        bool earlier = before ? more : !cursor.empty();  // rows before the first one
        if (later)
            next = cursor_for(rows.elements.back(), "after");
        if (earlier)
            previous = cursor_for(rows.elements.front(), "before");
    }
    for (JsonValue& row : rows.elements)
        drop_keys(row, added);
    JsonValue page;
    page.kind = JsonValue::Kind::kObject;
    page.members.emplace_back("rows", std::move(rows));
    page.members.emplace_back("next", std::move(next));
    page.members.emplace_back("previous", std::move(previous));
    return pg::value_to_jsonb(page);
}

std::vector<RelationSpec> relations_arg(FunctionCallInfo fcinfo, int argno) {
    if (PG_ARGISNULL(argno))
        return {};
    return parse_relations(pg::jsonb_to_value(PG_GETARG_DATUM(argno)), "relations");
}

// fetch_one_with_relations(tbl regclass, id anyelement, relations jsonb)
Datum fetch_one_body(FunctionCallInfo fcinfo, std::vector<RelationSpec> relations) {
    pg::require_arg(fcinfo, 0, "tbl");
    Oid table = PG_GETARG_OID(0);
    pg::require_readable_relation(table);
    if (PG_ARGISNULL(1))
        PG_RETURN_NULL();
    Oid id_type = pg::guarded([fcinfo] { return get_fn_expr_argtype(fcinfo->flinfo, 1); });
    std::string shape_key;
    // A key object (jsonb, or text naming a composite key's columns) binds one parameter per
    // key column, as text in the key's order; its shape is the names it gives.
    bool key_object =
        id_type == JSONBOID || (id_type == TEXTOID && pg::primary_key_columns(table).size() > 1);
    if (key_object) {
        Datum sent = PG_GETARG_DATUM(1);
        Datum object = id_type == JSONBOID ? sent : pg::guarded([sent] {
            return DirectFunctionCall1(jsonb_in, CStringGetDatum(TextDatumGetCString(sent)));
        });
        JsonValue id = pg::jsonb_to_value(object);
        shape_key = resolved_shape_key(fmt::format("fetch_one object {}", key_object_shape(id)),
                                       table, relations, spec_shape(QueryOptions{}, relations));
        if (auto values = remembered_key_values(shape_key, id)) {
            if (auto done = run_remembered(fcinfo, shape_key, QueryOptions{}, relations, *values))
                return *done;
        }
        // A one-column jsonb key takes the value itself as the key: planned every time.
        if (!key_names_columns(table))
            shape_key.clear();
    } else {
        shape_key = resolved_shape_key(fmt::format("fetch_one {}", id_type), table, relations,
                                       spec_shape(QueryOptions{}, relations));
        if (auto done = run_remembered(fcinfo, shape_key, QueryOptions{}, relations,
                                       KeyValues{{id_type, PG_GETARG_DATUM(1)}})) {
            return *done;
        }
    }
    EagerPlanner planner(kBudgetCall);
    planner.set_root_is_array(false);
    std::vector<KeyMatch> key = pg::match_primary_key(table, fcinfo, 1, "id", planner.parameters());
    planner.note_root_key(table, key);
    EagerLevel root = planner.level(table, QueryOptions{}, relations, "");
    planner.add_budget(root);
    for (std::size_t i = 0; i < key.size(); i++)
        root.conditions.insert(root.conditions.begin() + i, conditions(root.alias, {key[i]}));
    PreparedLoad load = planned_load(planner, root, false, shape_key, QueryOptions{}, relations);
    if (key_object && !shape_key.empty())
        key_columns_by_shape.remember(shape_key, pg::primary_key_columns(table));
    return execute_load(fcinfo, load);
}

Datum fetch_one_with_relations_body(FunctionCallInfo fcinfo) {
    return fetch_one_body(fcinfo, relations_arg(fcinfo, 2));
}

// fetch_one_eager(tbl regclass, id anyelement, relations text[]): the guide's tuple API, a
// two-dimensional array of (relation_name, fk_column, target_table).
Datum fetch_one_eager_body(FunctionCallInfo fcinfo) {
    std::vector<RelationSpec> relations;
    if (!PG_ARGISNULL(2)) {
        struct Cells {
            Datum* values;
            bool* nulls;
            int count;
            int ndim;
            int width;
        };
        Cells cells = pg::guarded([fcinfo] {
            Cells out{nullptr, nullptr, 0, 0, 0};
            ArrayType* array = PG_GETARG_ARRAYTYPE_P(2);
            out.ndim = ARR_NDIM(array);
            out.width = out.ndim == 2 ? ARR_DIMS(array)[1] : 0;
            deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &out.values, &out.nulls,
                              &out.count);
            return out;
        });
        if (cells.count > 0 && (cells.ndim != 2 || cells.width != 3)) {
            throw Error(sqlstate::kInvalidParameterValue,
                        "invalid relations: expected rows of (name, fk_column, target_table)",
                        "Write ARRAY[['author', 'author_id', 'users'], ...].");
        }
        for (int i = 0; i < cells.count; i += 3) {
            std::string path = fmt::format("relations[{}]", i / 3);
            for (int j = 0; j < 3; j++) {
                if (cells.nulls[i + j])
                    throw Error(sqlstate::kNullValueNotAllowed,
                                fmt::format("invalid {}: a NULL element", path));
            }
            auto cell_text = [&](int at) {
                Datum value = cells.values[at];
                return std::string(
                    pg::guarded([value] { return (const char*)TextDatumGetCString(value); }));
            };
            RelationSpec relation;
            relation.path = path;
            relation.name = cell_text(i);
            relation.foreign_key = cell_text(i + 1);
            relation.table = cell_text(i + 2);
            relation.direction = Direction::kManyToOne;
            relations.push_back(relation);
        }
        check_relation_names(relations);
    }
    return fetch_one_body(fcinfo, relations);
}

// fetch_many_with_relations(tbl, relations, filter, order_by, "limit", "offset")
Datum fetch_many_with_relations_body(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, 0, "tbl");
    Oid table = PG_GETARG_OID(0);
    pg::require_readable_relation(table);
    std::vector<RelationSpec> relations = relations_arg(fcinfo, 1);
    QueryOptions options;
    if (!PG_ARGISNULL(2))
        options.filter = parse_filter(pg::jsonb_to_value(PG_GETARG_DATUM(2)), "filter");
    if (!PG_ARGISNULL(3))
        options.order_by = parse_order_by(pg::jsonb_to_value(PG_GETARG_DATUM(3)), "order_by");
    if (!PG_ARGISNULL(4)) {
        check_not_negative(PG_GETARG_INT32(4), "limit");
        options.limit = PG_GETARG_INT32(4);
    }
    if (!PG_ARGISNULL(5)) {
        check_not_negative(PG_GETARG_INT32(5), "offset");
        options.offset = PG_GETARG_INT32(5);
    }
    std::string shape_key = resolved_shape_key("fetch_many", table, relations,
                                               spec_shape(options, relations), options.filter);
    if (auto done = run_remembered(fcinfo, shape_key, options, relations, {}))
        return *done;
    EagerPlanner planner(kBudgetCall);
    EagerLevel root = planner.level(table, options, relations, "");
    planner.add_budget(root);
    return run(fcinfo, planner, root, true, shape_key, options, relations);
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(fetch_with_relations, data_bridge::fetch_with_relations_body)
DATA_BRIDGE_FUNCTION(fetch_rows_with_relations, data_bridge::fetch_rows_with_relations_body)
DATA_BRIDGE_FUNCTION(fetch_page_with_relations, data_bridge::fetch_page_with_relations_body)
DATA_BRIDGE_FUNCTION(fetch_one_with_relations, data_bridge::fetch_one_with_relations_body)
DATA_BRIDGE_FUNCTION(fetch_many_with_relations, data_bridge::fetch_many_with_relations_body)
DATA_BRIDGE_FUNCTION(fetch_one_eager, data_bridge::fetch_one_eager_body)
DATA_BRIDGE_FUNCTION(_eager_row_budget, data_bridge::eager_row_budget_body)

#include "data_bridge/core/eager_batches.hpp"

#include <fmt/format.h>

#include "data_bridge/core/sql_text.hpp"

#include <algorithm>
#include <optional>
#include <cctype>
#include <cstring>

namespace data_bridge {

Error eager_row_budget_exceeded(long limit) {
    return Error(
        sqlstate::kProgramLimitExceeded, fmt::format("eager load renders more than {} rows", limit),
        fmt::format("The limit is data_bridge.max_rows = {}, counting rows at every level.", limit),
        "Paginate with limit and offset, or raise data_bridge.max_rows.");
}

void group_by_parent(const std::uint64_t* parents, const std::int64_t* places, std::size_t count,
                     std::size_t parent_count, std::uint64_t* starts,
                     std::uint64_t* order) noexcept {
    std::fill(starts, starts + parent_count + 1, 0);
    for (std::size_t i = 0; i < count; i++)
        starts[parents[i] + 1]++;
    for (std::size_t p = 1; p <= parent_count; p++)
        starts[p] += starts[p - 1];
    // Counting sort, stable: starts[p] serves as parent p's next free slot, then is restored.
    for (std::size_t i = 0; i < count; i++)
        order[starts[parents[i]]++] = i;
    for (std::size_t p = parent_count; p > 0; p--)
        starts[p] = starts[p - 1];
    starts[0] = 0;
    if (places == nullptr)
        return;
    // A nested loop returns each parent's rows in place order already; sort only when not.
    auto by_place = [places](std::uint64_t a, std::uint64_t b) { return places[a] < places[b]; };
    for (std::size_t p = 0; p < parent_count; p++) {
        std::uint64_t* first = order + starts[p];
        std::uint64_t* last = order + starts[p + 1];
        if (!std::is_sorted(first, last, by_place))
            std::sort(first, last, by_place);
    }
}

namespace {

bool key_less(const KeyedParent& a, const KeyedParent& b) noexcept {
    return a.key.high != b.key.high ? a.key.high < b.key.high : a.key.low < b.key.low;
}

bool same_key(const KeyImage& a, const KeyImage& b) noexcept {
    return a.high == b.high && a.low == b.low;
}

}  // namespace

bool sort_parents_by_key(KeyedParent* parents, std::size_t count) noexcept {
    std::sort(parents, parents + count, key_less);
    for (std::size_t i = 1; i < count; i++) {
        if (same_key(parents[i - 1].key, parents[i].key))
            return false;
    }
    return true;
}

std::int64_t parent_with_key(const KeyedParent* parents, std::size_t count, KeyImage key) noexcept {
    KeyedParent wanted{key, 0};
    const KeyedParent* found = std::lower_bound(parents, parents + count, wanted, key_less);
    if (found == parents + count || !same_key(found->key, key))
        return -1;
    return static_cast<std::int64_t>(found->parent);
}

bool jsonb_key_less(const std::string& a, const std::string& b) {
    if (a.size() != b.size())
        return a.size() < b.size();
    return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

namespace {

// A related level's conditions without the ones that join it to its parent (the first
// join_count), which the batch states against the parent's keys instead.
std::vector<std::string> own_conditions(const EagerRelation& relation) {
    const std::vector<std::string>& all = relation.level.conditions;
    std::size_t skip = std::min(relation.join_count, all.size());
    return std::vector<std::string>(all.begin() + static_cast<std::ptrdiff_t>(skip), all.end());
}

// A relation joined into its parent's statement: at most one row, or a count, so it cannot
// multiply rows. (Counts always are: a batch of its own is for rows.)
bool joins_into_parent(const EagerRelation& relation) {
    if (relation.per_tenant)
        return false;  // a statement of its own per tenant (Citus)
    return relation.shape == EagerShape::kCount || relation.shape == EagerShape::kAggregate ||
           (relation.shape == EagerShape::kObject && relation.at_most_one &&
            !relation.unique_at_commit);
}

std::string select_list(const std::vector<std::string>& items) {
    std::vector<std::string> aliased;
    for (std::size_t i = 0; i < items.size(); i++)
        aliased.push_back(fmt::format("{} AS v{}", items[i], i + 1));
    return fmt::format("{}", fmt::join(aliased, ", "));
}

// `sql` with the table alias `from` (as in from.column) renamed `to`, outside quoted identifiers
// and string literals (a column may be named "x t1.y").
std::string with_alias(const std::string& sql, const std::string& from, const std::string& to) {
    std::string out;
    std::string needle = from + ".";
    char quote = 0;  // '"' or '\'' while inside one
    for (std::size_t i = 0; i < sql.size();) {
        char c = sql[i];
        if (quote != 0) {
            out.push_back(c);
            i++;
            if (c == quote) {
                if (i < sql.size() && sql[i] == quote) {  // a doubled quote stays inside
                    out.push_back(sql[i]);
                    i++;
                } else {
                    quote = 0;
                }
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            out.push_back(c);
            i++;
            continue;
        }
        char before = i == 0 ? ' ' : sql[i - 1];
        bool starts_token = !(std::isalnum(static_cast<unsigned char>(before)) || before == '_' ||
                              before == '$' || before == '.');
        if (starts_token && sql.compare(i, needle.size(), needle) == 0) {
            out += to + ".";
            i += needle.size();
            continue;
        }
        out.push_back(c);
        i++;
    }
    return out;
}

// Whether everything joined into a level's statement is probed by index too: a count or an
// aggregate, or a joined row of a table without such an index (or with a filter), may need a
// bitmap scan, which index probes plan without.
bool joins_probe_by_index(const EagerLevel& level) {
    for (const EagerRelation& child : level.relations) {
        if (!joins_into_parent(child))
            continue;  // a statement of its own
        if (child.shape != EagerShape::kObject || !child.index_probes ||
            !joins_probe_by_index(child.level))
            return false;
    }
    return true;
}

// A per-tenant relation's count or aggregate: a batch of its own, one value per parent.
bool values_per_tenant(const EagerRelation& relation) {
    return relation.per_tenant &&
           (relation.shape == EagerShape::kCount || relation.shape == EagerShape::kAggregate);
}

class BatchBuilder {
  public:
    BatchBuilder(std::size_t spec_parameters, bool statement_sorts, std::vector<Batch>& out)
        : spec_parameters_(spec_parameters), statement_sorts_(statement_sorts), out_(out) {}

    int add(const EagerLevel& level, const EagerRelation* relation, int parent, EagerShape shape,
            std::vector<int> parent_keys) {
        int index = static_cast<int>(out_.size());
        out_.emplace_back();
        Batch batch;
        batch.parent = parent;
        batch.shape = shape;
        batch.parent_key_columns = std::move(parent_keys);
        if (relation != nullptr) {
            for (const auto& join : relation->join)
                batch.key_types.push_back(join.parent_type);
            batch.per_tenant = relation->per_tenant;
            batch.index_probes = relation->index_probes && joins_probe_by_index(level);
            batch.probe_table = relation->probe_table;
            batch.probe_column = relation->probe_column;
            if (relation->per_tenant)
                batch.tenant_key = static_cast<int>(relation->tenant_join);
        }
        batch.objects.emplace_back();
        if (relation != nullptr && values_per_tenant(*relation)) {
            batch.sql = values_sql(level, *relation);
            batch.empty_sql = fmt::format("SELECT {} FROM {} WHERE false",
                                          relation_value_sql(*relation), from_sql(level));
            out_[index] = std::move(batch);
            return index;
        }

        // The batch's own row (selected by the FROM item s), its place r when the statement
        // does not sort (arrays below the top; a top array when rows are joined into it) or the
        // columns the executor orders by, then the rows joined into it. A top object is one row
        // by its key: nothing to order.
        int next_column = relation == nullptr ? 0 : 1;
        Selection own = select_object(level, batch, 0, "s", false, next_column);
        bool has_joins = std::any_of(level.relations.begin(), level.relations.end(),
                                     [](const EagerRelation& r) { return joins_into_parent(r); });
        bool sorted_here = false;
        if (relation != nullptr && executor_sorts(level, *relation, shape)) {
            if (auto columns = selected_sort_columns(level, own, next_column)) {
                batch.sort_columns = std::move(*columns);
                sorted_here = true;
            }
        }
        if (!sorted_here && shape == EagerShape::kArray && (relation != nullptr || has_joins))
            batch.order_column = next_column++;
        std::vector<std::string> joins;
        std::vector<Pending> pending;
        attach_relations(level, batch, 0, own, next_column, joins, pending);
        if (sorted_here) {
            batch.sql = unsorted_related_sql(level, *relation, own.items, joins);
            if (relation->keys_matched_by_value && batch.index_probes &&
                relation->join.size() == 1 && !relation->per_tenant && level.recursion == 0)
                batch.keyset_sql = keyset_related_sql(level, *relation, own.items, joins);
        } else if (relation != nullptr)
            batch.sql = related_sql(level, *relation, shape, own.items, joins);
        else if (has_joins)
            batch.sql = joined_top_sql(level, shape, own.items, joins);
        else
            batch.sql = top_sql(level, shape, own.items);
        out_[index] = std::move(batch);

        for (Pending& child : pending) {
            int child_index = add(child.relation->level, child.relation, index,
                                  child.relation->shape, std::move(child.keys));
            out_[child_index].parent_object = child.object;
            BatchField field{child.relation->name, -1, child_index, -1};
            field.recursion = child.relation->level.recursion;
            field.shared = child.relation->shared;
            if (values_per_tenant(*child.relation))
                (child.relation->shape == EagerShape::kCount ? field.count : field.jsonb) = true;
            out_[index].objects[child.object].fields.push_back(field);
        }
        for (BatchObject& object : out_[index].objects) {
            std::stable_sort(object.fields.begin(), object.fields.end(),
                             [](const BatchField& a, const BatchField& b) {
                                 return jsonb_key_less(a.key, b.key);
                             });
        }
        return index;
    }

  private:
    // What one FROM item selects for an object: SQL items (aliased v1, v2, ... in order), and
    // where the key columns its relations join on are.
    struct Selection {
        std::string alias;
        std::vector<std::string> items;
        std::vector<std::string> key_columns;  // quoted parent columns
        std::vector<int> key_items;            // their item numbers (v<n>)
        std::vector<int> key_positions;        // their result columns
    };

    // A relation with a batch of its own, loaded once this batch is complete.
    struct Pending {
        const EagerRelation* relation;
        int object;
        std::vector<int> keys;
    };

    // Whether a relation's rows are ordered by the executor (Batch::sort_columns): a list
    // without a page per parent (LIMIT and OFFSET need the order in the statement), probed key by
    // key (the join of every key numbers its rows in one sort already).
    bool executor_sorts(const EagerLevel& level, const EagerRelation& relation,
                        EagerShape shape) const {
        return !statement_sorts_ && shape == EagerShape::kArray && !relation.per_tenant &&
               !relation.keys_joined && level.limit_param.empty() && level.offset_param.empty();
    }

    // The level's order terms as the result columns the row renders (a junction's column is
    // written in parentheses), each column once (a repeated term decides nothing); none when a
    // term is not rendered (a related value, a column only selected as a nested relation's key,
    // or not at all): the statement sorts then, so that the load reads no column it does not
    // render, and every sort column's type is checked before the statement runs.
    static std::optional<std::vector<SortColumn>> selected_sort_columns(const EagerLevel& level,
                                                                        const Selection& own,
                                                                        int next_column) {
        int first = next_column - static_cast<int>(own.items.size());
        // The rendered items come first (select_object): the row's columns, then its junction's.
        auto rendered_end =
            own.items.begin() +
            static_cast<std::ptrdiff_t>(level.rendered.size() + level.through.rendered.size());
        std::vector<SortColumn> columns;
        for (const auto& term : level.order) {
            bool expression = !term.column.empty() && term.column.front() == '(';
            std::string item = expression ? term.column : level.alias + "." + term.column;
            auto found = std::find_if(
                own.items.begin(), rendered_end,
                [&item](const std::string& it) { return it == item || "(" + it + ")" == item; });
            if (found == rendered_end)
                return std::nullopt;
            int column = first + static_cast<int>(found - own.items.begin());
            if (std::none_of(columns.begin(), columns.end(),
                             [column](const SortColumn& c) { return c.column == column; }))
                columns.push_back({column, term.descending});
        }
        return columns;
    }

    // Renders `columns` of the FROM item `alias` as the columns of `target`.
    static void select_columns(const std::string& alias, const std::vector<RenderedColumn>& columns,
                               BatchObject& target, Selection& selection, int next_column) {
        target.first_column = next_column + static_cast<int>(selection.items.size());
        target.columns = columns;
        for (const auto& column : columns) {
            std::string value = alias + "." + column.quoted;
            target.fields.push_back(
                {column.name, next_column + static_cast<int>(selection.items.size()), -1, -1});
            selection.items.push_back(column.via_to_jsonb ? "pg_catalog.to_jsonb(" + value + ")"
                                                          : value);
        }
    }

    // The items of object `object`: a presence flag (joined rows), the rendered columns, then
    // the key columns its relations join on; numbers them from `next_column` on.
    Selection select_object(const EagerLevel& level, Batch& batch, int object,
                            const std::string& alias, bool joined, int& next_column) {
        Selection selection;
        selection.alias = alias;
        if (joined) {
            batch.objects[object].present_column =
                next_column + static_cast<int>(selection.items.size());
            selection.items.push_back("true");
        }
        select_columns(level.alias, level.rendered, batch.objects[object], selection, next_column);
        if (!level.through.rendered.empty()) {
            // The junction's columns: an object of their own inside the row.
            int junction = static_cast<int>(batch.objects.size());
            batch.objects.emplace_back();
            batch.objects[object].fields.push_back({level.through.key, -1, -1, junction});
            select_columns(level.through.alias, level.through.rendered, batch.objects[junction],
                           selection, next_column);
        }
        for (const auto& child : level.relations) {
            for (const auto& join : child.join) {
                if (std::find(selection.key_columns.begin(), selection.key_columns.end(),
                              join.parent_column) != selection.key_columns.end()) {
                    continue;
                }
                selection.key_columns.push_back(join.parent_column);
                selection.key_items.push_back(static_cast<int>(selection.items.size()) + 1);
                selection.key_positions.push_back(next_column +
                                                  static_cast<int>(selection.items.size()));
                selection.items.push_back(level.alias + "." + join.parent_column);
            }
        }
        add_identity(level, batch.objects[object], selection, next_column);
        // A row with nothing to render or join on still has to be there.
        if (selection.items.empty())
            selection.items.push_back("NULL");
        next_column += static_cast<int>(selection.items.size());
        return selection;
    }

    // What cycle checks of a recursive relation compare: the row's identity columns (shared
    // with its join keys where they are the same), and the mark a repeated row renders.
    static void add_identity(const EagerLevel& level, BatchObject& target, Selection& selection,
                             int next_column) {
        for (const auto& [recursion, columns] : level.identities) {
            std::vector<int> positions;
            for (const std::string& column : columns) {
                auto at =
                    std::find(selection.key_columns.begin(), selection.key_columns.end(), column);
                if (at != selection.key_columns.end()) {
                    positions.push_back(
                        selection.key_positions[at - selection.key_columns.begin()]);
                    continue;
                }
                positions.push_back(next_column + static_cast<int>(selection.items.size()));
                selection.items.push_back(level.alias + "." + column);
            }
            target.identities.emplace_back(recursion, std::move(positions));
        }
        target.recursion = level.recursion;
        if (level.recursion != 0) {
            BatchField mark{level.cycle_mark, -1, -1, -1};
            mark.mark = true;
            target.fields.push_back(mark);
        }
    }

    // The join of a related table's rows to the selection's, column by column.
    static std::vector<std::string> join_conditions(const EagerRelation& child,
                                                    const Selection& selection,
                                                    std::vector<int>* keys) {
        std::vector<std::string> conditions;
        for (const EagerJoinColumn& join : child.join) {
            auto at = std::find(selection.key_columns.begin(), selection.key_columns.end(),
                                join.parent_column) -
                      selection.key_columns.begin();
            if (keys != nullptr)
                keys->push_back(selection.key_positions[at]);
            conditions.push_back(fmt::format("{} {} {}.v{}",
                                             join_child_sql(child.level.alias, join), join.equals,
                                             selection.alias, selection.key_items[at]));
        }
        return conditions;
    }

    // Counts and aggregates of the same related rows (same table, join and filter) share one
    // LEFT JOIN LATERAL: one scan of the related rows per parent instead of one per value.
    void attach_values(const EagerLevel& level, Batch& batch, int object,
                       const Selection& selection, int& next_column,
                       std::vector<std::string>& joins) {
        struct Group {
            std::string key;  // table and WHERE, the alias normalized
            std::string where;
            std::vector<const EagerRelation*> members;
        };
        std::vector<Group> groups;
        for (const auto& child : level.relations) {
            bool value = child.shape == EagerShape::kCount || child.shape == EagerShape::kAggregate;
            if (!value || child.per_tenant)
                continue;  // rows, or a batch of its own (attach_relations)
            std::vector<std::string> conditions = join_conditions(child, selection, nullptr);
            std::vector<std::string> own = own_conditions(child);
            conditions.insert(conditions.end(), own.begin(), own.end());
            std::string where = where_sql(conditions);
            // A many-to-many relation's rows are its junction's: they share with no other.
            std::string key = child.level.through.table.empty()
                                  ? child.level.table + with_alias(where, child.level.alias, "@")
                                  : "through " + child.name;
            auto found = std::find_if(groups.begin(), groups.end(),
                                      [&key](const Group& group) { return group.key == key; });
            if (found == groups.end())
                groups.push_back({key, where, {&child}});
            else
                found->members.push_back(&child);
        }
        for (const Group& group : groups) {
            const EagerRelation& first = *group.members.front();
            std::vector<std::string> items;
            for (const EagerRelation* member : group.members) {
                BatchField field{member->name, next_column++, -1, -1, false, false};
                (member->shape == EagerShape::kCount ? field.count : field.jsonb) = true;
                batch.objects[object].fields.push_back(field);
                items.push_back(with_alias(relation_value_sql(*member), member->level.alias,
                                           first.level.alias));
            }
            std::size_t number = joins.size() + 1;
            // One row at the top (a row by key): its scan filtered by the key costs less than
            // grouping the whole table.
            bool one_row = batch.parent < 0 && batch.shape == EagerShape::kObject;
            if (first.values_grouped && !one_row) {
                joins.push_back(grouped_values_sql(first, selection, items, number));
                continue;
            }
            joins.push_back(fmt::format(" LEFT JOIN LATERAL (SELECT {} FROM {}{}) AS j{} ON true",
                                        select_list(items), from_sql(first.level), group.where,
                                        number));
        }
    }

    // The values of every parent row at once (EagerRelation::values_grouped): the related rows
    // grouped by their join columns in one scan, joined to the parent's key (g<n>), and the
    // values taken from it as j<n> (the same columns as the LATERAL form; none where no row).
    static std::string grouped_values_sql(const EagerRelation& relation, const Selection& selection,
                                          const std::vector<std::string>& items,
                                          std::size_t number) {
        std::vector<std::string> keys, selected, on, taken;
        for (std::size_t i = 0; i < relation.join.size(); i++) {
            const EagerJoinColumn& join = relation.join[i];
            std::string column = join_child_sql(relation.level.alias, join);
            auto at = std::find(selection.key_columns.begin(), selection.key_columns.end(),
                                join.parent_column) -
                      selection.key_columns.begin();
            keys.push_back(column);
            selected.push_back(fmt::format("{} AS k{}", column, i + 1));
            on.push_back(fmt::format("g{}.k{} {} {}.v{}", number, i + 1, join.equals,
                                     selection.alias, selection.key_items[at]));
        }
        // A parent without rows takes each value over no rows (a count's 0), computed once.
        for (std::size_t i = 0; i < items.size(); i++) {
            taken.push_back(fmt::format(
                "CASE WHEN g{0}.k1 IS NULL THEN (SELECT {1} FROM {2} WHERE false) ELSE g{0}.v{3} "
                "END AS v{3}",
                number, items[i], from_sql(relation.level), i + 1));
        }
        selected.push_back(select_list(items));
        return fmt::format(
            " LEFT JOIN (SELECT {} FROM {}{} GROUP BY {}) AS g{} ON {} CROSS JOIN LATERAL "
            "(SELECT {}) AS j{}",
            fmt::join(selected, ", "), from_sql(relation.level),
            where_sql(own_conditions(relation)), fmt::join(keys, ", "), number,
            fmt::join(on, " AND "), fmt::join(taken, ", "), number);
    }

    // The relations of object `object`: joined into this statement (a LEFT JOIN LATERAL each,
    // recursively), or left for batches of their own.
    void attach_relations(const EagerLevel& level, Batch& batch, int object,
                          const Selection& selection, int& next_column,
                          std::vector<std::string>& joins, std::vector<Pending>& pending) {
        attach_values(level, batch, object, selection, next_column, joins);
        for (const auto& child : level.relations) {
            bool value = child.shape == EagerShape::kCount || child.shape == EagerShape::kAggregate;
            if (value && !child.per_tenant)
                continue;  // attach_values() joined it
            std::vector<int> keys;
            std::vector<std::string> conditions = join_conditions(child, selection, &keys);
            if (!joins_into_parent(child)) {
                pending.push_back({&child, object, std::move(keys)});
                continue;
            }
            std::string alias = fmt::format("j{}", joins.size() + 1);
            std::vector<std::string> own = own_conditions(child);
            conditions.insert(conditions.end(), own.begin(), own.end());
            int joined = static_cast<int>(batch.objects.size());
            batch.objects.emplace_back();
            BatchField field{child.name, -1, -1, joined};
            field.chain = child.as_array;
            field.recursion = child.level.recursion;
            field.shared = child.shared;
            batch.objects[object].fields.push_back(field);
            batch.objects[joined].holder = object;
            Selection inner = select_object(child.level, batch, joined, alias, true, next_column);
            joins.push_back(fmt::format(
                " LEFT JOIN LATERAL (SELECT {} FROM {}{} LIMIT 1) AS {} ON true",
                select_list(inner.items), from_sql(child.level), where_sql(conditions), alias));
            attach_relations(child.level, batch, joined, inner, next_column, joins, pending);
        }
    }

    // s.*, j1.*, ...: the own row's columns, then each joined row's.
    static std::string outputs(std::size_t joins, bool below_top) {
        std::string list = below_top ? "k.n, s.*" : "s.*";
        for (std::size_t i = 0; i < joins; i++)
            list += fmt::format(", j{}.*", i + 1);
        return list;
    }

    // The top rows with rows joined into them: the page first, so that the joins run for its
    // rows only, numbered (r) in its order. The one row of a top object needs no number.
    static std::string joined_top_sql(const EagerLevel& level, EagerShape shape,
                                      const std::vector<std::string>& items,
                                      const std::vector<std::string>& joins) {
        if (shape != EagerShape::kArray) {
            return fmt::format("SELECT {} FROM (SELECT {} FROM {} AS {}{}) AS s{}",
                               outputs(joins.size(), false), select_list(items), level.table,
                               level.alias, where_sql(level.conditions),
                               fmt::format("{}", fmt::join(joins, "")));
        }
        std::string order = order_terms(level);
        std::string rows =
            fmt::format("SELECT {}, pg_catalog.row_number() OVER ({}) AS r FROM {} AS {}{}",
                        select_list(items), order.empty() ? "" : "ORDER BY " + order, level.table,
                        level.alias, where_sql(level.conditions));
        if (!order.empty())
            rows += " ORDER BY " + order;
        rows += page_sql(level);
        return fmt::format("SELECT {} FROM ({}) AS s{}", outputs(joins.size(), false), rows,
                           fmt::format("{}", fmt::join(joins, "")));
    }

    static std::string top_sql(const EagerLevel& level, EagerShape shape,
                               const std::vector<std::string>& items) {
        std::string sql = fmt::format("SELECT {} FROM {} AS {}{}", select_list(items), level.table,
                                      level.alias, where_sql(level.conditions));
        if (shape == EagerShape::kArray) {
            std::string order = order_terms(level);
            if (!order.empty())
                sql += " ORDER BY " + order;
            sql += page_sql(level);
        }
        return sql;
    }

    // The parents' keys as rows k(c1, ..., n), n numbering the parent rows from 1. A per-tenant
    // batch gets some parents at a time: their numbers come as an array after the keys.
    std::string keys_sql(const EagerRelation& relation) const {
        std::vector<std::string> arrays, names;
        bool row_values = false;
        for (std::size_t i = 0; i < relation.join.size(); i++) {
            arrays.push_back(fmt::format("${}", spec_parameters_ + i + 1));
            names.push_back(fmt::format("c{}", i + 1));
            row_values = row_values || relation.join[i].row_value;
        }
        if (relation.per_tenant) {
            arrays.push_back(fmt::format("${}", spec_parameters_ + relation.join.size() + 1));
            names.push_back("n");
            return array_rows_sql(arrays, names, "", "k", row_values);
        }
        return array_rows_sql(arrays, names, "n", "k", row_values);
    }

    // The rows of every parent key come from a LATERAL subquery run once per key: a nested loop
    // over the key list with index probes, the plan a hand-written LATERAL query gets, and the
    // same plan whatever the number of keys. (The subquery's window function, LIMIT or aggregate
    // keeps PostgreSQL from flattening it into a join it could plan as a hash join.) Without an
    // index to probe (EagerRelation::keys_joined), one join of all keys instead.
    std::string related_sql(const EagerLevel& level, const EagerRelation& relation,
                            EagerShape shape, const std::vector<std::string>& items,
                            const std::vector<std::string>& joins) const {
        std::vector<std::string> conditions = related_conditions(level, relation);
        std::string order = order_terms(level);
        std::string order_by = order.empty() ? "" : " ORDER BY " + order;
        std::string from = fmt::format(" FROM {}{}", from_sql(level), where_sql(conditions));
        std::string rows;
        if (shape == EagerShape::kArray && relation.keys_joined && level.limit_param.empty() &&
            level.offset_param.empty()) {
            // One join of every key (nothing keeps it from being flattened): r numbers each
            // parent's rows.
            std::vector<std::string> selected{"k.n"};
            if (!items.empty())
                selected.push_back(select_list(items));
            std::string over = "PARTITION BY k.n" + order_by;
            return fmt::format(
                "SELECT {} FROM (SELECT {}, pg_catalog.row_number() OVER ({}) AS r FROM {}, {}{}) "
                "AS s{}",
                outputs(joins.size(), false), fmt::join(selected, ", "), over, keys_sql(relation),
                from_sql(level), where_sql(conditions), fmt::format("{}", fmt::join(joins, "")));
        }
        if (shape == EagerShape::kObject) {
            // Several matches (no unique key on the join): the first in order. A key unique only
            // at commit: two rows at most, and the executor refuses a second.
            rows = fmt::format("SELECT {}{}{} LIMIT {}", select_list(items), from,
                               relation.at_most_one ? "" : order_by,
                               relation.unique_at_commit ? 2 : 1);
        } else {
            // r: the row's place among its parent's rows.
            rows = fmt::format("SELECT {}, pg_catalog.row_number() OVER ({}) AS r{}{}{}",
                               select_list(items), order_by.empty() ? "" : order_by.substr(1), from,
                               order_by, page_sql(level));
        }
        return fmt::format("SELECT {} FROM {} CROSS JOIN LATERAL ({}) AS s{}",
                           outputs(joins.size(), true), keys_sql(relation), rows,
                           fmt::format("{}", fmt::join(joins, "")));
    }

    // A relation's rows for every parent key, ordered by the executor (Batch::sort_columns):
    // probed key by key, with no sort per key. OFFSET 0 keeps PostgreSQL from flattening the
    // subquery into a join (see related_sql).
    std::string unsorted_related_sql(const EagerLevel& level, const EagerRelation& relation,
                                     const std::vector<std::string>& items,
                                     const std::vector<std::string>& joins) const {
        return fmt::format(
            "SELECT {} FROM {} CROSS JOIN LATERAL (SELECT {} FROM {}{} OFFSET 0) AS s{}",
            outputs(joins.size(), true), keys_sql(relation), select_list(items), from_sql(level),
            where_sql(related_conditions(level, relation)),
            fmt::format("{}", fmt::join(joins, "")));
    }

    // The same rows for every parent key in one scan (Batch::keyset_sql): the key array taken
    // whole by `= ANY`, each row led by its join key, by which the executor finds its parent.
    std::string keyset_related_sql(const EagerLevel& level, const EagerRelation& relation,
                                   const std::vector<std::string>& items,
                                   const std::vector<std::string>& joins) const {
        const EagerJoinColumn& join = relation.join[0];
        std::string key = join_child_sql(level.alias, join);
        std::vector<std::string> conditions{
            fmt::format("{} {} ANY (${})", key, join.equals, spec_parameters_ + 1)};
        std::vector<std::string> own = own_conditions(relation);
        conditions.insert(conditions.end(), own.begin(), own.end());
        return fmt::format("SELECT {} FROM (SELECT {} AS k, {} FROM {}{}) AS s{}",
                           outputs(joins.size(), false), key, select_list(items), from_sql(level),
                           where_sql(conditions), fmt::format("{}", fmt::join(joins, "")));
    }

    // A per-tenant count or aggregate: its value over each parent key's rows (one row per key,
    // the aggregate over none where none match), the tenant stated.
    std::string values_sql(const EagerLevel& level, const EagerRelation& relation) const {
        return fmt::format(
            "SELECT k.n, s.v1 FROM {} CROSS JOIN LATERAL (SELECT {} AS v1 FROM {}{}) AS s",
            keys_sql(relation), relation_value_sql(relation), from_sql(level),
            where_sql(related_conditions(level, relation)));
    }

    // A related level's rows of one parent key k: the join against k's columns, the tenant (per
    // tenant), then the level's own conditions.
    std::vector<std::string> related_conditions(const EagerLevel& level,
                                                const EagerRelation& relation) const {
        std::vector<std::string> conditions;
        for (std::size_t i = 0; i < relation.join.size(); i++) {
            const EagerJoinColumn& column = relation.join[i];
            conditions.push_back(fmt::format("{} {} k.c{}", join_child_sql(level.alias, column),
                                             column.equals, i + 1));
        }
        if (relation.per_tenant) {
            // The tenant stated as a value, so that Citus sends the statement to its shard.
            const EagerJoinColumn& tenant = relation.join[relation.tenant_join];
            conditions.push_back(fmt::format("{} {} ${}", join_child_sql(level.alias, tenant),
                                             tenant.equals,
                                             spec_parameters_ + relation.join.size() + 2));
        }
        std::vector<std::string> own = own_conditions(relation);
        conditions.insert(conditions.end(), own.begin(), own.end());
        return conditions;
    }

    std::size_t spec_parameters_;
    bool statement_sorts_;
    std::vector<Batch>& out_;
};

}  // namespace

bool is_values_batch(const Batch& batch) {
    return batch.per_tenant &&
           (batch.shape == EagerShape::kCount || batch.shape == EagerShape::kAggregate);
}

std::string streamed_top_sql(const Batch& top) {
    if (top.order_column < 0)
        return top.sql;
    // Joined rows come from LEFT JOIN LATERALs over the ordered page s, whose place r is the
    // order.
    return fmt::format("SELECT * FROM ({}) AS q ORDER BY q.r", top.sql);
}

std::vector<Batch> eager_batches(const EagerLevel& root, bool as_array, std::size_t spec_parameters,
                                 bool statement_sorts) {
    std::vector<Batch> batches;
    BatchBuilder(spec_parameters, statement_sorts, batches)
        .add(root, nullptr, -1, as_array ? EagerShape::kArray : EagerShape::kObject, {});
    return batches;
}

}  // namespace data_bridge

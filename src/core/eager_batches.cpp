#include "data_bridge/core/eager_batches.hpp"

#include <fmt/format.h>

#include <algorithm>
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

bool jsonb_key_less(const std::string& a, const std::string& b) {
    if (a.size() != b.size())
        return a.size() < b.size();
    return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

namespace {

std::string order_terms(const EagerLevel& level) {
    std::vector<std::string> terms;
    for (const auto& term : level.order)
        terms.push_back(
            fmt::format("{}.{}{}", level.alias, term.column, term.descending ? " DESC" : ""));
    return fmt::format("{}", fmt::join(terms, ", "));
}

std::string page_sql(const EagerLevel& level) {
    std::string page;
    if (!level.limit_param.empty())
        page += " LIMIT " + level.limit_param;
    if (!level.offset_param.empty())
        page += " OFFSET " + level.offset_param;
    return page;
}

std::string where_sql(const std::vector<std::string>& conditions) {
    if (conditions.empty())
        return "";
    return fmt::format(" WHERE {}", fmt::join(conditions, " AND "));
}

class BatchBuilder {
  public:
    BatchBuilder(std::size_t spec_parameters, std::vector<Batch>& out)
        : spec_parameters_(spec_parameters), out_(out) {}

    int add(const EagerLevel& level, const EagerRelation* relation, int parent, EagerShape shape,
            std::vector<int> parent_keys) {
        int index = static_cast<int>(out_.size());
        out_.emplace_back();
        Batch batch;
        batch.parent = parent;
        batch.shape = shape;
        batch.parent_key_columns = std::move(parent_keys);
        batch.first_column = relation == nullptr ? 0 : 1;
        if (relation != nullptr) {
            for (const auto& join : relation->join)
                batch.key_types.push_back(join.parent_type);
        }

        // The key columns this level's relations join on, each selected once after the
        // rendered columns.
        std::vector<std::string> selected;
        if (shape != EagerShape::kCount) {
            batch.columns = level.rendered;
            for (const auto& column : level.rendered) {
                std::string value = level.alias + "." + column.quoted;
                selected.push_back(column.via_to_jsonb ? "pg_catalog.to_jsonb(" + value + ")"
                                                       : value);
            }
        }
        std::vector<std::string> key_columns;
        std::vector<std::vector<int>> child_keys;
        if (shape != EagerShape::kCount) {
            for (const auto& child : level.relations) {
                std::vector<int> positions;
                for (const auto& join : child.join) {
                    auto found =
                        std::find(key_columns.begin(), key_columns.end(), join.parent_column);
                    if (found == key_columns.end()) {
                        key_columns.push_back(join.parent_column);
                        selected.push_back(level.alias + "." + join.parent_column);
                        found = key_columns.end() - 1;
                    }
                    positions.push_back(batch.first_column +
                                        static_cast<int>(batch.columns.size()) +
                                        static_cast<int>(found - key_columns.begin()));
                }
                child_keys.push_back(std::move(positions));
            }
        }
        for (std::size_t i = 0; i < selected.size(); i++)
            selected[i] += fmt::format(" AS v{}", i + 1);
        batch.sql = relation == nullptr ? top_sql(level, shape, selected)
                                        : related_sql(level, *relation, shape, selected);
        if (relation != nullptr && shape == EagerShape::kArray)
            batch.order_column = 1 + static_cast<int>(std::max<std::size_t>(selected.size(), 1));
        for (std::size_t i = 0; i < batch.columns.size(); i++) {
            batch.fields.push_back(
                {batch.columns[i].name, batch.first_column + static_cast<int>(i), -1});
        }
        out_[index] = std::move(batch);
        if (shape == EagerShape::kCount)
            return index;
        for (std::size_t i = 0; i < level.relations.size(); i++) {
            const EagerRelation& child = level.relations[i];
            int child_index =
                add(child.level, &child, index, child.shape, std::move(child_keys[i]));
            out_[index].fields.push_back({child.name, -1, child_index});
        }
        std::stable_sort(
            out_[index].fields.begin(), out_[index].fields.end(),
            [](const BatchField& a, const BatchField& b) { return jsonb_key_less(a.key, b.key); });
        return index;
    }

  private:
    static std::string top_sql(const EagerLevel& level, EagerShape shape,
                               const std::vector<std::string>& selected) {
        std::string sql = fmt::format("SELECT {} FROM {} AS {}{}", select_list(selected),
                                      level.table, level.alias, where_sql(level.conditions));
        if (shape == EagerShape::kArray) {
            std::string order = order_terms(level);
            if (!order.empty())
                sql += " ORDER BY " + order;
            sql += page_sql(level);
        }
        return sql;
    }

    // The parents' keys as rows k(c1, ..., n), n numbering the parent rows from 1.
    std::string keys_sql(const EagerRelation& relation) const {
        std::vector<std::string> arrays, names;
        for (std::size_t i = 0; i < relation.join.size(); i++) {
            arrays.push_back(fmt::format("pg_catalog.unnest(${})", spec_parameters_ + i + 1));
            names.push_back(fmt::format("c{}", i + 1));
        }
        return fmt::format("ROWS FROM ({}) WITH ORDINALITY AS k({}, n)", fmt::join(arrays, ", "),
                           fmt::join(names, ", "));
    }

    // The rows of every parent key come from a LATERAL subquery run once per key: a nested loop
    // over the key list with index probes, the plan a hand-written LATERAL query gets, and the
    // same plan whatever the number of keys. (The subquery's window function, LIMIT or aggregate
    // keeps PostgreSQL from flattening it into a join it could plan as a hash join.)
    std::string related_sql(const EagerLevel& level, const EagerRelation& relation,
                            EagerShape shape, const std::vector<std::string>& selected) const {
        std::vector<std::string> conditions;
        for (std::size_t i = 0; i < relation.join.size(); i++) {
            const EagerJoinColumn& column = relation.join[i];
            conditions.push_back(fmt::format("{}.{} {} k.c{}", level.alias, column.child_column,
                                             column.equals, i + 1));
        }
        conditions.insert(conditions.end(), level.conditions.begin() + relation.join_count,
                          level.conditions.end());
        std::string order = order_terms(level);
        std::string order_by = order.empty() ? "" : " ORDER BY " + order;
        std::string from =
            fmt::format(" FROM {} AS {}{}", level.table, level.alias, where_sql(conditions));
        std::string rows;
        switch (shape) {
            case EagerShape::kCount:
                rows = "SELECT pg_catalog.count(*) AS v1" + from;
                break;
            case EagerShape::kObject:
                // Several matches (no unique key on the join): the first in order.
                rows = fmt::format("SELECT {}{}{} LIMIT 1", select_list(selected), from,
                                   relation.at_most_one ? "" : order_by);
                break;
            case EagerShape::kArray:
                // r: the row's place among its parent's rows.
                rows =
                    fmt::format("SELECT {}, pg_catalog.row_number() OVER ({}) AS r{}{}{}",
                                select_list(selected), order_by.empty() ? "" : order_by.substr(1),
                                from, order_by, page_sql(level));
                break;
        }
        return fmt::format("SELECT k.n, s.* FROM {} CROSS JOIN LATERAL ({}) AS s",
                           keys_sql(relation), rows);
    }

    static std::string select_list(const std::vector<std::string>& selected) {
        // A row with nothing to render or join on still has to be there.
        if (selected.empty())
            return "NULL AS v1";
        return fmt::format("{}", fmt::join(selected, ", "));
    }

    std::size_t spec_parameters_;
    std::vector<Batch>& out_;
};

}  // namespace

std::vector<Batch> eager_batches(const EagerLevel& root, bool as_array,
                                 std::size_t spec_parameters) {
    std::vector<Batch> batches;
    BatchBuilder(spec_parameters, batches)
        .add(root, nullptr, -1, as_array ? EagerShape::kArray : EagerShape::kObject, {});
    return batches;
}

}  // namespace data_bridge

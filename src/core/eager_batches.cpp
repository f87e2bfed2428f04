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

    std::string related_sql(const EagerLevel& level, const EagerRelation& relation,
                            EagerShape shape, const std::vector<std::string>& selected) const {
        std::vector<std::string> join;
        for (std::size_t i = 0; i < relation.join.size(); i++) {
            const EagerJoinColumn& column = relation.join[i];
            join.push_back(fmt::format("{}.{} {} k.c{}", level.alias, column.child_column,
                                       column.equals, i + 1));
        }
        std::vector<std::string> own(level.conditions.begin() + relation.join_count,
                                     level.conditions.end());
        std::string order = order_terms(level);
        std::string then_order = order.empty() ? "" : ", " + order;
        std::string joined = fmt::format("{} JOIN {} AS {} ON {}", keys_sql(relation), level.table,
                                         level.alias, fmt::join(join, " AND "));
        switch (shape) {
            case EagerShape::kCount:
                return fmt::format(
                    "SELECT k.n, pg_catalog.count(*) FROM {}{} GROUP BY k.n ORDER BY k.n", joined,
                    where_sql(own));
            case EagerShape::kObject:
                // Several matches (no unique key on the join): the first in order, as LIMIT 1.
                return fmt::format("SELECT {}k.n, {} FROM {}{} ORDER BY k.n{}",
                                   relation.at_most_one ? "" : "DISTINCT ON (k.n) ",
                                   select_list(selected), joined, where_sql(own),
                                   relation.at_most_one ? "" : then_order);
            case EagerShape::kArray:
                break;
        }
        if (level.limit_param.empty() && level.offset_param.empty()) {
            return fmt::format("SELECT k.n, {} FROM {}{} ORDER BY k.n{}", select_list(selected),
                               joined, where_sql(own), then_order);
        }
        // A page per parent row: its rows found, ordered and cut on their own.
        std::vector<std::string> conditions = join;
        conditions.insert(conditions.end(), own.begin(), own.end());
        return fmt::format(
            "SELECT k.n, s.* FROM {keys} CROSS JOIN LATERAL (SELECT {select}, "
            "pg_catalog.row_number() OVER ({over}) AS r FROM {table} AS {alias}{where}{order}{page}"
            ") AS s ORDER BY k.n, s.r",
            fmt::arg("keys", keys_sql(relation)), fmt::arg("select", select_list(selected)),
            fmt::arg("over", order.empty() ? "" : "ORDER BY " + order),
            fmt::arg("table", level.table), fmt::arg("alias", level.alias),
            fmt::arg("where", where_sql(conditions)),
            fmt::arg("order", order.empty() ? "" : " ORDER BY " + order),
            fmt::arg("page", page_sql(level)));
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

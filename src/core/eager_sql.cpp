#include "data_bridge/core/eager_sql.hpp"

#include <fmt/format.h>

#include "data_bridge/core/sql_text.hpp"

#include <algorithm>

namespace data_bridge {

namespace {

// jsonb_build_object takes at most 100 arguments: longer lists are concatenated with ||.
std::string build_object(const std::vector<std::pair<std::string, std::string>>& pairs) {
    if (pairs.empty())
        return "'{}'::pg_catalog.jsonb";
    std::vector<std::string> chunks;
    for (std::size_t start = 0; start < pairs.size(); start += 50) {
        std::vector<std::string> args;
        for (std::size_t i = start; i < pairs.size() && i < start + 50; i++) {
            args.push_back(pairs[i].first);
            args.push_back(pairs[i].second);
        }
        chunks.push_back(fmt::format("pg_catalog.jsonb_build_object({})", fmt::join(args, ", ")));
    }
    return fmt::format("{}", fmt::join(chunks, " OPERATOR(pg_catalog.||) "));
}

std::string level_where_sql(const EagerLevel& level) {
    std::vector<std::string> conditions = level.conditions;
    if (!level.budget.empty())
        conditions.push_back(level.budget);
    return where_sql(conditions);
}

std::string order_sql(const EagerLevel& level) {
    std::string terms = order_terms(level);
    return terms.empty() ? "" : " ORDER BY " + terms;
}

// The rows of `level` as a jsonb array in their order ('[]' when none).
std::string array_sql(const EagerLevel& level) {
    std::string order = order_sql(level);
    return fmt::format(
        "SELECT COALESCE(pg_catalog.jsonb_agg(s.doc ORDER BY s.n), '[]'::pg_catalog.jsonb) FROM ("
        "SELECT {doc} AS doc, pg_catalog.row_number() OVER ({over}) AS n FROM {from}"
        "{where}{order}{page}"
        ") AS s",
        fmt::arg("doc", row_document_sql(level)),
        fmt::arg("over", order.empty() ? "" : order.substr(1)), fmt::arg("from", from_sql(level)),
        fmt::arg("where", level_where_sql(level)), fmt::arg("order", order),
        fmt::arg("page", page_sql(level)));
}

std::string relation_sql(const EagerRelation& relation) {
    const EagerLevel& level = relation.level;
    switch (relation.shape) {
        case EagerShape::kCount:
        case EagerShape::kAggregate:
            return fmt::format("(SELECT {} FROM {}{})", relation_value_sql(relation),
                               from_sql(level), level_where_sql(level));
        case EagerShape::kArray:
            return "(" + array_sql(level) + ")";
        case EagerShape::kObject:
            break;
    }
    // A key unique only at commit reads two rows: PostgreSQL refuses a second (21000).
    return fmt::format("(SELECT {} FROM {}{}{} LIMIT {})", row_document_sql(level), from_sql(level),
                       level_where_sql(level), order_sql(level), relation.unique_at_commit ? 2 : 1);
}

}  // namespace

std::string aggregate_sql(const Aggregate& aggregate, const std::string& alias,
                          const std::string& column) {
    return fmt::format("pg_catalog.to_jsonb({})", aggregate_call_sql(aggregate, alias, column));
}

std::string related_order_sql(const EagerRelation& relation, const std::string& quoted_column) {
    // Without the row budget: ordering reads a value, it renders no row.
    const EagerLevel& level = relation.level;
    if (quoted_column.empty()) {
        return fmt::format("(SELECT {} FROM {}{})", relation.value, from_sql(level),
                           where_sql(level.conditions));
    }
    return fmt::format("(SELECT {}.{} FROM {}{} LIMIT 1)", level.alias, quoted_column,
                       from_sql(level), where_sql(level.conditions));
}

std::string aggregate_call_sql(const Aggregate& aggregate, const std::string& alias,
                               const std::string& column) {
    std::string argument = column == "*" ? "*" : alias + "." + column;
    std::string call;
    switch (aggregate.function) {
        case AggregateFunction::kCountDistinct:
            call = fmt::format("pg_catalog.count(DISTINCT {})", argument);
            break;
        default:
            call = fmt::format("pg_catalog.{}({})", aggregate_function_name(aggregate.function),
                               argument);
    }
    return call;
}

std::string relation_value_sql(const EagerRelation& relation) {
    if (relation.shape == EagerShape::kAggregate)
        return relation.aggregate;
    return "pg_catalog.count(*)";
}

std::string order_terms(const EagerLevel& level) {
    std::vector<std::string> terms;
    for (const auto& term : level.order) {
        bool expression = !term.column.empty() && term.column.front() == '(';
        terms.push_back(fmt::format("{}{}{}", expression ? "" : level.alias + ".", term.column,
                                    term.descending ? " DESC" : ""));
    }
    return fmt::format("{}", fmt::join(terms, ", "));
}

std::string join_child_sql(const std::string& child_alias, const EagerJoinColumn& join) {
    return fmt::format("{}.{}", join.child_alias.empty() ? child_alias : join.child_alias,
                       join.child_column);
}

std::string join_condition_sql(const std::string& child_alias, const EagerJoinColumn& join,
                               const std::string& parent_alias) {
    return fmt::format("{} {} {}.{}", join_child_sql(child_alias, join), join.equals, parent_alias,
                       join.parent_column);
}

std::string from_sql(const EagerLevel& level) {
    std::string from = level.table + " AS " + level.alias;
    if (!level.through.table.empty()) {
        from += fmt::format(" JOIN {} AS {} ON {}", level.through.table, level.through.alias,
                            fmt::join(level.through.conditions, " AND "));
    }
    return from;
}

std::string exists_sql(const EagerLevel& level) {
    return fmt::format("EXISTS (SELECT 1 FROM {} WHERE {})", from_sql(level),
                       fmt::join(level.conditions, " AND "));
}

std::string page_sql(const EagerLevel& level) {
    std::string page;
    if (!level.limit_param.empty())
        page += " LIMIT " + level.limit_param;
    if (!level.offset_param.empty())
        page += " OFFSET " + level.offset_param;
    return page;
}

std::string row_document_sql(const EagerLevel& level) {
    std::string base = fmt::format("pg_catalog.to_jsonb({}.*)", level.alias);
    if (level.selected) {
        std::vector<std::pair<std::string, std::string>> columns;
        for (const RenderedColumn& column : level.rendered)
            columns.emplace_back(column.key_literal, level.alias + "." + column.quoted);
        base = build_object(columns);
    }
    std::vector<std::pair<std::string, std::string>> related;
    if (!level.through.rendered.empty()) {
        std::vector<std::pair<std::string, std::string>> columns;
        for (const RenderedColumn& column : level.through.rendered)
            columns.emplace_back(column.key_literal, level.through.alias + "." + column.quoted);
        related.emplace_back(level.through.key_literal, build_object(columns));
    }
    for (const auto& relation : level.relations)
        related.emplace_back(relation.key_literal, relation_sql(relation));
    if (related.empty())
        return base;
    return fmt::format("({} OPERATOR(pg_catalog.||) {})", base, build_object(related));
}

namespace {

// The root's columns the statement reads after the page is cut: the rendered ones and those its
// relations join on. Only these are selected, so column privileges on exactly them suffice, as
// for the same hand-written query.
std::vector<std::string> page_columns(const EagerLevel& root) {
    std::vector<std::string> columns;
    auto add = [&columns](const std::string& quoted) {
        if (std::find(columns.begin(), columns.end(), quoted) == columns.end())
            columns.push_back(quoted);
    };
    for (const RenderedColumn& column : root.rendered)
        add(column.quoted);
    for (const EagerRelation& relation : root.relations) {
        for (const EagerJoinColumn& join : relation.join)
            add(join.parent_column);
    }
    return columns;
}

std::string outer_statement_sql(const EagerLevel& root) {
    std::string order = order_sql(root);
    std::string columns;
    std::vector<std::string> from_page;
    std::vector<std::string> read = page_columns(root);
    for (const std::string& column : read) {
        columns += fmt::format("{}.{}, ", root.alias, column);
        from_page.push_back("p." + column);
    }
    // The place in the page, under a name none of the table's columns has ("#n", "#n#", ...).
    std::string place = "\"#n\"";
    while (std::find(read.begin(), read.end(), place) != read.end())
        place.insert(place.size() - 1, "#");
    // The page of root rows, with their place in it; the rendering sees exactly the table's
    // columns again under the root's own alias (to_jsonb of it has no place).
    std::string page = fmt::format(
        "WITH page AS (SELECT {cols}pg_catalog.row_number() OVER ({over}) AS {place} FROM {table} "
        "AS {a}{where}{order}{limit}) ",
        fmt::arg("place", place), fmt::arg("a", root.alias), fmt::arg("cols", columns),
        fmt::arg("over", order.empty() ? "" : order.substr(1)), fmt::arg("table", root.table),
        fmt::arg("where", level_where_sql(root)), fmt::arg("order", order),
        fmt::arg("limit", page_sql(root)));
    std::string page_rows = fmt::format("page AS p CROSS JOIN LATERAL (SELECT {}) AS {}",
                                        fmt::join(from_page, ", "), root.alias);
    std::vector<std::string> parts;
    parts.push_back(fmt::format("SELECT {} AS doc, 0 AS part, p.{} AS n FROM {}",
                                row_document_sql(root), place, page_rows));
    int part = 0;
    for (const EagerRelation& relation : root.relations) {
        if (!relation.keeps_unmatched)
            continue;
        const EagerLevel& level = relation.level;
        std::vector<std::string> join(level.conditions.begin(),
                                      level.conditions.begin() + relation.join_count);
        std::vector<std::string> own(level.conditions.begin() + relation.join_count,
                                     level.conditions.end());
        own.push_back(fmt::format("NOT EXISTS (SELECT 1 FROM {} WHERE {})", page_rows,
                                  fmt::join(join, " AND ")));
        if (!level.budget.empty())
            own.push_back(level.budget);
        std::string child_order = order_sql(level);
        parts.push_back(fmt::format(
            "SELECT pg_catalog.jsonb_build_object({key}, {doc}), {part}, "
            "pg_catalog.row_number() OVER ({over}) "
            "FROM {from} WHERE {cond}",
            fmt::arg("key", relation.key_literal), fmt::arg("doc", row_document_sql(level)),
            fmt::arg("part", ++part),
            fmt::arg("over", child_order.empty() ? "" : child_order.substr(1)),
            fmt::arg("from", from_sql(level)), fmt::arg("cond", fmt::join(own, " AND "))));
    }
    return fmt::format(
        "{}SELECT COALESCE(pg_catalog.jsonb_agg(s.doc ORDER BY s.part, s.n), "
        "'[]'::pg_catalog.jsonb) "
        "FROM ({}) AS s",
        page, fmt::join(parts, " UNION ALL "));
}

}  // namespace

std::string keyset_condition_sql(const std::vector<KeysetTerm>& terms, bool row_comparison) {
    if (terms.empty())
        return "true";
    if (row_comparison) {
        std::vector<std::string> columns, values;
        for (const KeysetTerm& term : terms) {
            columns.push_back(term.column);
            values.push_back(term.value);
        }
        return fmt::format("ROW({}) {} ROW({})", fmt::join(columns, ", "),
                           terms[0].descending ? terms[0].less : terms[0].greater,
                           fmt::join(values, ", "));
    }
    // Lexicographic, from the last term up: after(i) = beyond(i) OR (same(i) AND after(i+1)).
    std::string condition;
    for (std::size_t i = terms.size(); i-- > 0;) {
        const KeysetTerm& term = terms[i];
        std::string beyond, same;
        if (term.value.empty()) {
            same = term.column + " IS NULL";
            beyond = term.descending ? term.column + " IS NOT NULL" : "";
        } else {
            same = fmt::format("{} {} {}", term.column, term.equals, term.value);
            beyond = term.descending ? fmt::format("{} {} {}", term.column, term.less, term.value)
                                     : fmt::format("({} {} {} OR {} IS NULL)", term.column,
                                                   term.greater, term.value, term.column);
        }
        std::string next = condition.empty() ? "" : fmt::format("({} AND {})", same, condition);
        if (beyond.empty())
            condition = next.empty() ? "false" : next;
        else
            condition = next.empty() ? beyond : fmt::format("({} OR {})", beyond, next);
    }
    return condition;
}

bool has_unmatched_rows(const EagerLevel& root) {
    for (const EagerRelation& relation : root.relations) {
        if (relation.keeps_unmatched)
            return true;
    }
    return false;
}

std::string eager_statement_sql(const EagerLevel& root, bool as_array) {
    if (as_array && has_unmatched_rows(root))
        return outer_statement_sql(root);
    if (as_array)
        return array_sql(root);
    return fmt::format("SELECT {} FROM {} AS {}{}", row_document_sql(root), root.table, root.alias,
                       level_where_sql(root));
}

}  // namespace data_bridge

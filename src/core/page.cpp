#include "data_bridge/core/page.hpp"

#include <algorithm>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

std::vector<OrderTerm> page_order(const std::vector<OrderTerm>& order_by,
                                  const std::vector<std::string>& primary_key) {
    std::vector<OrderTerm> order = order_by;
    for (const std::string& column : primary_key) {
        bool named =
            std::any_of(order_by.begin(), order_by.end(),
                        [&column](const OrderTerm& term) { return term.column == column; });
        if (!named)
            order.push_back({column, false});
    }
    if (order.empty()) {
        throw Error(sqlstate::kInvalidParameterValue, "invalid order_by: the rows have no order",
                    {}, "Give order_by, or page a table with a primary key.");
    }
    return order;
}

std::vector<OrderTerm> reversed_order(const std::vector<OrderTerm>& order) {
    std::vector<OrderTerm> reversed = order;
    for (OrderTerm& term : reversed)
        term.descending = !term.descending;
    return reversed;
}

std::vector<std::string> page_columns(const std::vector<std::string>& selected,
                                      const std::vector<OrderTerm>& order,
                                      std::vector<std::string>& added) {
    std::vector<std::string> columns = selected;
    for (const OrderTerm& term : order) {
        if (std::find(columns.begin(), columns.end(), term.column) == columns.end()) {
            columns.push_back(term.column);
            added.push_back(term.column);
        }
    }
    return columns;
}

JsonValue order_values(const JsonValue& row, const std::vector<OrderTerm>& order) {
    JsonValue values;
    values.kind = JsonValue::Kind::kObject;
    for (const OrderTerm& term : order) {
        const JsonValue* value = row.find(term.column);
        values.members.emplace_back(term.column, value == nullptr ? JsonValue() : *value);
    }
    return values;
}

void drop_keys(JsonValue& row, const std::vector<std::string>& added) {
    auto& members = row.members;
    members.erase(std::remove_if(members.begin(), members.end(),
                                 [&added](const auto& member) {
                                     return std::find(added.begin(), added.end(), member.first) !=
                                            added.end();
                                 }),
                  members.end());
}

namespace {

// `settings` without its " name=value" (values hold no spaces).
std::string without_setting(const std::string& settings, const std::string& name) {
    std::string token = " " + name + "=";
    std::size_t at = settings.find(token);
    if (at == std::string::npos)
        return settings;
    std::size_t end = settings.find(' ', at + token.size());
    return settings.substr(0, at) + (end == std::string::npos ? "" : settings.substr(end));
}

}  // namespace

bool cursor_readable_under(const std::string& written, const std::string& fixed_now,
                           const std::string& dates_now) {
    std::size_t bar = written.find('|');
    if (bar == std::string::npos)
        return false;
    std::string fixed = written.substr(0, bar);
    std::string dates = written.substr(bar + 1);
    bool same_fixed = fixed == fixed_now;
    if (!same_fixed && fixed.find(" IntervalStyle=iso_8601") != std::string::npos) {
        same_fixed =
            without_setting(fixed, "IntervalStyle") == without_setting(fixed_now, "IntervalStyle");
    }
    return same_fixed && (dates.empty() || dates == dates_now);
}

}  // namespace data_bridge

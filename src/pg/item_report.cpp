#include <fmt/format.h>

#include <utility>

#include "data_bridge/pg/item_report.hpp"

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/jsonb.hpp"

namespace data_bridge::pg {

bool skips_failures(const std::string& on_error, const char* all, const char* each) {
    if (on_error == "raise")
        return false;
    if (on_error == "skip")
        return true;
    throw Error(sqlstate::kInvalidParameterValue,
                fmt::format("invalid value for on_error: \"{}\"", on_error), {},
                fmt::format("Use 'raise' ({}) or 'skip' ({}).", all, each));
}

namespace {

Datum success_item(int64 index, const ItemReport& report, const char* result_key) {
    JsonbMember result{result_key, JsonbMember::kJsonb, nullptr, false, 0, 0};
    if (report.jsonb_result) {
        result.jsonb = *report.jsonb_result;
    } else {
        result.kind = JsonbMember::kInteger;
        result.integer = report.count_result.value_or(0);
    }
    return guarded([index, result] {
        JsonbMember members[] = {{"index", JsonbMember::kInteger, nullptr, false, index, 0},
                                 {"ok", JsonbMember::kBool, nullptr, true, 0, 0},
                                 result};
        return jsonb_object_of(members, 3);
    });
}

// The error as PostgreSQL reports it: its SQLSTATE, message, and those of its detail, hint and
// fields (schema, table, column, datatype, constraint) it has, which a driver would read.
Datum failure_item(int64 index, const Error& error) {
    const ErrorFields& fields = error.fields();
    std::vector<JsonbMember> members = {
        {"index", JsonbMember::kInteger, nullptr, false, index, 0},
        {"ok", JsonbMember::kBool, nullptr, false, 0, 0},
        {"sqlstate", JsonbMember::kString, error.code().c_str(), false, 0, 0},
        {"message", JsonbMember::kString, error.what(), false, 0, 0}};
    const std::pair<const char*, const std::string*> optional[] = {
        {"detail", &error.detail()},       {"hint", &error.hint()},
        {"schema", &fields.schema},        {"table", &fields.table},
        {"column", &fields.column},        {"datatype", &fields.datatype},
        {"constraint", &fields.constraint}};
    for (const auto& [key, value] : optional) {
        if (!value->empty())
            members.push_back({key, JsonbMember::kString, value->c_str(), false, 0, 0});
    }
    const JsonbMember* data = members.data();
    int count = (int)members.size();
    return guarded([data, count] { return jsonb_object_of(data, count); });
}

}  // namespace

Datum item_reports_jsonb(const std::vector<ItemReport>& reports, const char* result_key) {
    std::vector<Datum> items;
    for (std::size_t i = 0; i < reports.size(); i++) {
        const ItemReport& report = reports[i];
        items.push_back(report.failure ? failure_item((int64)i, *report.failure)
                                       : success_item((int64)i, report, result_key));
    }
    const Datum* data = items.data();
    int count = (int)items.size();
    return guarded([data, count] { return jsonb_array_of(data, count); });
}

}  // namespace data_bridge::pg

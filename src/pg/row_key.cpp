#include <fmt/format.h>

#include <algorithm>

#include "data_bridge/pg/row_key.hpp"

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"

extern "C" {
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
}
#include "data_bridge/pg/jsonb.hpp"

namespace data_bridge::pg {

namespace {

// {"a": ..., "b": ...} for the key columns a and b.
std::string key_object_example(const std::vector<std::string>& key_columns) {
    std::vector<std::string> members;
    for (const auto& column : key_columns)
        members.push_back(fmt::format("\"{}\": ...", column));
    return fmt::format("{}", fmt::join(members, ", "));
}

KeyMatch match_value(const ColumnInfo& column, Oid value_type, Datum value, bool is_null,
                     Parameters& parameters) {
    std::string placeholder = parameters.add(value_type, value, is_null);
    return key_match(column, value_type, placeholder);
}

}  // namespace

KeyComparison reference_comparison(const ColumnInfo& referencing, Oid referenced_type) {
    std::string quoted = quoted_identifier(referencing.name);
    if (referenced_type == referencing.type)
        return {quoted, equality_operator_sql(referencing.type), ""};
    // The referenced type's equality, as the foreign key's own operator comes from its operator
    // class: an integer column against numeric keys compares as numeric, a domain over citext
    // against citext keys as citext.
    if (compares_directly(referencing.type, referenced_type, referenced_type))
        return {quoted, equality_operator_sql(referenced_type), ""};
    // Of the base type: a domain's typmod and CHECK apply to stored values, not to keys compared.
    return {quoted, equality_operator_sql(referencing.type),
            type_sql_name(base_type(referencing.type))};
}

KeyComparison key_comparison(const ColumnInfo& column, Oid value_type) {
    std::string quoted = quoted_identifier(column.name);
    if (value_type == column.type)
        return {quoted, equality_operator_sql(column.type), ""};
    // Text (what drivers send, and what the text forms receive) is read as the column's type,
    // as an untyped literal in a plain WHERE would be: 'abc' matches a citext 'ABC'. A domain's
    // base type, as for that literal: the domain's typmod and CHECK are not the comparison's.
    std::string value_type_sql = type_sql_name(base_type(column.type));
    if (value_type == TEXTOID || value_type == UNKNOWNOID)
        return {quoted, equality_operator_sql(column.type), value_type_sql};
    // Another type: compared as a plain WHERE col = value compares it (1.5 matches no integer).
    KeyComparison comparison{quoted, equality_operator_sql(column.type), ""};
    if (compares_directly(column.type, value_type, column.type))
        return comparison;
    comparison.convert_to = value_type_sql;
    char category = guarded([value_type] { return TypeCategory(value_type); });
    if (category != TYPCATEGORY_STRING && value_type != UNKNOWNOID) {
        std::string column_type = type_display_name(column.type);
        std::string value_type_name = type_display_name(value_type);
        throw Error(sqlstate::kUndefinedFunction,
                    fmt::format("operator does not exist: {} = {}", column_type, value_type_name),
                    fmt::format("The key column \"{}\" is of type {}.", column.name, column_type),
                    "Pass the key as a value of the column's type, or as text.");
    }
    return comparison;
}

KeyMatch key_match(const ColumnInfo& column, Oid value_type, const std::string& placeholder) {
    KeyComparison comparison = key_comparison(column, value_type);
    return {comparison.column, comparison.equals, value_sql(placeholder, comparison.convert_to)};
}

KeyMatch match_argument(const ColumnInfo& column, FunctionCallInfo fcinfo, int argno,
                        Parameters& parameters) {
    Oid type = guarded([fcinfo, argno] { return get_fn_expr_argtype(fcinfo->flinfo, argno); });
    bool is_null = PG_ARGISNULL(argno);
    return match_value(column, type, is_null ? (Datum)0 : PG_GETARG_DATUM(argno), is_null,
                       parameters);
}

std::vector<KeyMatch> match_key_object(Oid relid, const std::vector<std::string>& key_columns,
                                       const JsonValue& id, const std::string& path,
                                       Parameters& parameters) {
    if (!id.is_object()) {
        throw Error(sqlstate::kInvalidParameterValue,
                    fmt::format("{} must be a JSON object naming the key columns", path),
                    fmt::format("Found a JSON {}.", json_kind_name(id.kind)),
                    fmt::format("Write it as {{{}}}.", key_object_example(key_columns)));
    }
    for (const auto& member : id.members) {
        if (std::find(key_columns.begin(), key_columns.end(), member.first) == key_columns.end()) {
            throw Error(sqlstate::kUndefinedColumn,
                        fmt::format("{} names \"{}\", which is not a key column of \"{}\"", path,
                                    member.first, relation_name(relid)),
                        fmt::format("The key columns are: {}.", joined_columns(key_columns)));
        }
    }
    std::vector<KeyMatch> matches;
    for (const auto& name : key_columns) {
        const JsonValue* value = id.find(name);
        if (value == nullptr) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("{} lacks key column \"{}\"", path, name),
                        fmt::format("The key columns are: {}.", joined_columns(key_columns)));
        }
        if (value->is_null() || value->is_array() || value->is_object()) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("{}.{} must be a string, number or boolean", path, name),
                        fmt::format("Found a JSON {}.", json_kind_name(value->kind)));
        }
        ColumnInfo column = column_info(relid, name);
        const char* text = value->text.c_str();
        Datum datum = guarded([text] { return CStringGetTextDatum(text); });
        matches.push_back(match_value(column, TEXTOID, datum, false, parameters));
    }
    return matches;
}

std::vector<KeyMatch> match_primary_key(Oid relid, FunctionCallInfo fcinfo, int argno,
                                        const char* parameter, Parameters& parameters) {
    std::vector<std::string> key_columns = primary_key_columns(relid);
    if (key_columns.empty()) {
        throw Error(sqlstate::kInvalidColumnReference,
                    fmt::format("table \"{}\" has no primary key", relation_name(relid)), {},
                    "Rows are found by primary key; add one, or use a filter instead.");
    }
    Oid type = guarded([fcinfo, argno] { return get_fn_expr_argtype(fcinfo->flinfo, argno); });
    ColumnInfo first = column_info(relid, key_columns[0]);
    // A one-column key of type jsonb (or a domain over it) takes a jsonb value as the key itself.
    Oid first_base = guarded([&first] { return getBaseType(first.type); });
    bool object_form = type == JSONBOID && !(key_columns.size() == 1 && first_base == JSONBOID);
    if (object_form) {
        return match_key_object(relid, key_columns, jsonb_to_value(PG_GETARG_DATUM(argno)),
                                parameter, parameters);
    }
    // A composite key sent as text (or untyped): the same JSON object, as text.
    if (type == TEXTOID && key_columns.size() > 1) {
        Datum sent = PG_GETARG_DATUM(argno);
        Datum object = guarded([sent] {
            return DirectFunctionCall1(jsonb_in, CStringGetDatum(TextDatumGetCString(sent)));
        });
        return match_key_object(relid, key_columns, jsonb_to_value(object), parameter, parameters);
    }
    if (key_columns.size() > 1) {
        throw Error(sqlstate::kInvalidParameterValue,
                    fmt::format("table \"{}\" has a composite primary key", relation_name(relid)),
                    fmt::format("Its key columns are: {}.", joined_columns(key_columns)),
                    fmt::format("Pass {} as a jsonb object, e.g. '{{\"{}\": ...}}'::jsonb.",
                                parameter, key_columns[0]));
    }
    return {match_argument(first, fcinfo, argno, parameters)};
}

}  // namespace data_bridge::pg

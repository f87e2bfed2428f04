#include "data_bridge/core/eager_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& what,
                      const std::string& detail = {}) {
    throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid {}: {}", path, what),
                detail);
}

void expect_kind(const JsonValue& value, JsonValue::Kind kind, const std::string& path) {
    if (value.kind != kind) {
        bad(path, fmt::format("expected {}, found {}", json_kind_phrase(kind),
                              json_kind_phrase(value.kind)));
    }
}

std::string string_member(const JsonValue& value, const std::string& path) {
    expect_kind(value, JsonValue::Kind::kString, path);
    if (value.text.empty())
        bad(path, "must not be empty");
    return value.text;
}

long long count_member(const JsonValue& value, const std::string& path) {
    if (value.kind != JsonValue::Kind::kNumber ||
        value.text.find_first_of(".eE") != std::string::npos) {
        bad(path, fmt::format("expected a whole number, found {}", json_kind_phrase(value.kind)));
    }
    long long number = 0;
    try {
        number = std::stoll(value.text);
    } catch (const std::exception&) {
        bad(path, "the number is out of range");
    }
    if (number < 0)
        bad(path, "must not be negative", fmt::format("The value given is {}.", number));
    return number;
}

void check_keys(const JsonValue& object, const std::set<std::string>& allowed,
                const std::string& path) {
    for (const auto& member : object.members) {
        if (allowed.count(member.first) == 0) {
            std::vector<std::string> names(allowed.begin(), allowed.end());
            bad(path.empty() ? fmt::format("key \"{}\"", member.first)
                             : fmt::format("{}.{}", path, member.first),
                "unknown key", fmt::format("Known keys: {}.", fmt::join(names, ", ")));
        }
    }
}

std::string member_path(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
}

QueryOptions parse_options(const JsonValue& object, const std::string& path) {
    QueryOptions options;
    if (const JsonValue* filter = object.find("filter")) {
        options.filter = parse_filter(*filter, member_path(path, "filter"));
    }
    if (const JsonValue* order = object.find("order_by")) {
        options.order_by = parse_order_by(*order, member_path(path, "order_by"));
    }
    if (const JsonValue* limit = object.find("limit"); limit != nullptr && !limit->is_null()) {
        options.limit = count_member(*limit, member_path(path, "limit"));
    }
    if (const JsonValue* offset = object.find("offset"); offset != nullptr && !offset->is_null()) {
        options.offset = count_member(*offset, member_path(path, "offset"));
    }
    if (const JsonValue* columns = object.find("select_columns");
        columns != nullptr && !columns->is_null()) {
        std::string columns_path = member_path(path, "select_columns");
        expect_kind(*columns, JsonValue::Kind::kArray, columns_path);
        std::vector<std::string> names;
        for (std::size_t i = 0; i < columns->elements.size(); i++) {
            names.push_back(
                string_member(columns->elements[i], fmt::format("{}[{}]", columns_path, i)));
        }
        options.select_columns = names;
    }
    return options;
}

std::vector<RelationSpec> parse_relations_at(const JsonValue& relations, const std::string& path,
                                             int depth);

RelationSpec parse_relation(const JsonValue& value, const std::string& path, int depth) {
    expect_kind(value, JsonValue::Kind::kObject, path);
    check_keys(value,
               {"name", "table", "foreign_key", "reference_column", "join_type", "select_columns",
                "relations", "filter", "order_by", "limit", "offset", "count", "direction"},
               path);
    RelationSpec relation;
    relation.path = path;
    const JsonValue* name = value.find("name");
    if (name == nullptr)
        bad(path + ".name", "is required");
    relation.name = string_member(*name, path + ".name");
    const JsonValue* table = value.find("table");
    if (table == nullptr)
        bad(path + ".table", "is required");
    relation.table = string_member(*table, path + ".table");
    if (const JsonValue* key = value.find("foreign_key"); key != nullptr && !key->is_null()) {
        relation.foreign_key = string_member(*key, path + ".foreign_key");
    }
    if (const JsonValue* column = value.find("reference_column");
        column != nullptr && !column->is_null()) {
        relation.reference_column = string_member(*column, path + ".reference_column");
    }
    if (const JsonValue* join = value.find("join_type"); join != nullptr && !join->is_null()) {
        std::string word = string_member(*join, path + ".join_type");
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (word == "left") {
            relation.join = JoinType::kLeft;
        } else if (word == "inner") {
            relation.join = JoinType::kInner;
        } else if (word == "right") {
            relation.join = JoinType::kRight;
        } else if (word == "full") {
            relation.join = JoinType::kFull;
        } else {
            bad(path + ".join_type", fmt::format("unknown join type \"{}\"", join->text),
                "Use left, inner, right or full.");
        }
    }
    if (const JsonValue* direction = value.find("direction");
        direction != nullptr && !direction->is_null()) {
        std::string word = string_member(*direction, path + ".direction");
        if (word == "many_to_one") {
            relation.direction = Direction::kManyToOne;
        } else if (word == "one_to_many") {
            relation.direction = Direction::kOneToMany;
        } else {
            bad(path + ".direction", fmt::format("unknown direction \"{}\"", word),
                "Use many_to_one or one_to_many.");
        }
    }
    if (const JsonValue* count = value.find("count"); count != nullptr && !count->is_null()) {
        expect_kind(*count, JsonValue::Kind::kBool, path + ".count");
        relation.count = count->boolean;
    }
    relation.options = parse_options(value, path);
    if (const JsonValue* nested = value.find("relations");
        nested != nullptr && !nested->is_null()) {
        relation.relations = parse_relations_at(*nested, path + ".relations", depth + 1);
    }
    return relation;
}

}  // namespace

const char* filter_op_name(FilterOp op) {
    switch (op) {
        case FilterOp::kEq:
            return "eq";
        case FilterOp::kNeq:
            return "neq";
        case FilterOp::kLt:
            return "lt";
        case FilterOp::kLte:
            return "lte";
        case FilterOp::kGt:
            return "gt";
        case FilterOp::kGte:
            return "gte";
        case FilterOp::kIn:
            return "in";
        case FilterOp::kIs:
            return "is";
        case FilterOp::kLike:
            return "like";
        case FilterOp::kILike:
            return "ilike";
    }
    return "eq";
}

std::vector<FilterTerm> parse_filter(const JsonValue& filter, const std::string& path) {
    if (filter.is_null())
        return {};
    expect_kind(filter, JsonValue::Kind::kObject, path);
    std::vector<FilterTerm> terms;
    for (const auto& member : filter.members) {
        std::string column_path = fmt::format("{}.{}", path, member.first);
        if (member.first.empty())
            bad(column_path, "a column name is empty");
        const JsonValue& condition = member.second;
        if (!condition.is_object()) {
            if (condition.is_array())
                bad(column_path, "expected a value or an operator object, found an array");
            // A bare value is equality; null means IS NULL.
            terms.push_back({member.first, condition.is_null() ? FilterOp::kIs : FilterOp::kEq,
                             condition, column_path});
            continue;
        }
        for (const auto& op_member : condition.members) {
            std::string op_path = fmt::format("{}.{}", column_path, op_member.first);
            FilterOp op = FilterOp::kEq;
            bool known = false;
            for (FilterOp candidate : {FilterOp::kEq, FilterOp::kNeq, FilterOp::kLt, FilterOp::kLte,
                                       FilterOp::kGt, FilterOp::kGte, FilterOp::kIn, FilterOp::kIs,
                                       FilterOp::kLike, FilterOp::kILike}) {
                if (op_member.first == filter_op_name(candidate)) {
                    op = candidate;
                    known = true;
                }
            }
            if (!known) {
                bad(op_path, fmt::format("unknown operator \"{}\"", op_member.first),
                    "Use eq, neq, lt, lte, gt, gte, in, is, like or ilike.");
            }
            const JsonValue& operand = op_member.second;
            if (op == FilterOp::kIn) {
                expect_kind(operand, JsonValue::Kind::kArray, op_path);
                for (std::size_t i = 0; i < operand.elements.size(); i++) {
                    const JsonValue& element = operand.elements[i];
                    if (element.is_array() || element.is_object() || element.is_null()) {
                        bad(fmt::format("{}[{}]", op_path, i),
                            "expected a string, number or boolean");
                    }
                }
            } else if (op == FilterOp::kIs) {
                if (!operand.is_null() && operand.kind != JsonValue::Kind::kBool) {
                    bad(op_path, "expected null, true or false");
                }
            } else if (op == FilterOp::kLike || op == FilterOp::kILike) {
                expect_kind(operand, JsonValue::Kind::kString, op_path);
            } else if (operand.is_array() || operand.is_object() || operand.is_null()) {
                bad(op_path, "expected a string, number or boolean");
            }
            terms.push_back({member.first, op, operand, op_path});
        }
    }
    return terms;
}

namespace {

std::vector<RelationSpec> parse_relations_at(const JsonValue& relations, const std::string& path,
                                             int depth) {
    if (relations.is_null())
        return {};
    expect_kind(relations, JsonValue::Kind::kArray, path);
    // Checked before going deeper: every later step (planning, SQL building) recurses too.
    if (depth > kMaxRelationDepth && !relations.elements.empty()) {
        throw Error(sqlstate::kStatementTooComplex,
                    fmt::format("relations nested more than {} levels deep", kMaxRelationDepth), {},
                    "Load the deeper levels with a second call.");
    }
    std::vector<RelationSpec> parsed;
    for (std::size_t i = 0; i < relations.elements.size(); i++) {
        std::string element_path = fmt::format("{}[{}]", path, i);
        parsed.push_back(parse_relation(relations.elements[i], element_path, depth));
    }
    check_relation_names(parsed);
    return parsed;
}

}  // namespace

void check_relation_names(const std::vector<RelationSpec>& relations) {
    std::set<std::string> names;
    for (const RelationSpec& relation : relations) {
        if (!names.insert(relation.name).second) {
            bad(relation.path + ".name",
                fmt::format("duplicate relation name \"{}\"", relation.name));
        }
    }
}

std::vector<RelationSpec> parse_relations(const JsonValue& relations, const std::string& path) {
    return parse_relations_at(relations, path, 1);
}

FetchSpec parse_fetch_spec(const JsonValue& spec) {
    expect_kind(spec, JsonValue::Kind::kObject, "spec");
    check_keys(
        spec,
        {"table", "id", "filter", "order_by", "limit", "offset", "select_columns", "relations"},
        "");
    FetchSpec fetch;
    const JsonValue* table = spec.find("table");
    if (table == nullptr)
        bad("table", "is required");
    fetch.table = string_member(*table, "table");
    if (const JsonValue* id = spec.find("id")) {
        if (id->is_null())
            bad("id", "must not be null");
        // Checked here, not where the key is bound: a remembered call shape skips that step.
        if (id->is_array())
            bad("id", "must be a string, number or boolean, or an object naming the key columns");
        fetch.id = *id;
        for (const char* key : {"filter", "order_by", "limit", "offset"}) {
            if (spec.find(key) != nullptr)
                bad(key, "cannot be combined with id");
        }
    }
    fetch.options = parse_options(spec, "");
    if (const JsonValue* relations = spec.find("relations")) {
        fetch.relations = parse_relations(*relations, "relations");
    }
    return fetch;
}

namespace {

void shape_text(std::string& out, const std::string& text) {
    out += std::to_string(text.size());
    out += ':';
    out += text;
}

}  // namespace

std::string spec_shape(const QueryOptions& options, const std::vector<RelationSpec>& relations) {
    std::string out = "f[";
    for (const FilterTerm& term : options.filter) {
        shape_text(out, term.column);
        out += filter_op_name(term.op);
        if (term.op == FilterOp::kIs)
            out += term.value.is_null() ? "n" : term.value.text;
        out += ';';
    }
    out += "]o[";
    for (const OrderTerm& term : options.order_by) {
        shape_text(out, term.column);
        out += term.descending ? 'd' : 'a';
    }
    out += ']';
    if (options.limit)
        out += 'l';
    if (options.offset > 0)
        out += 's';
    if (options.select_columns) {
        out += "c[";
        for (const auto& column : *options.select_columns)
            shape_text(out, column);
        out += ']';
    }
    out += "r[";
    for (const RelationSpec& relation : relations) {
        shape_text(out, relation.name);
        shape_text(out, relation.table);
        shape_text(out, relation.foreign_key.value_or(""));
        shape_text(out, relation.reference_column.value_or(""));
        out += std::to_string(static_cast<int>(relation.join));
        out += std::to_string(static_cast<int>(relation.direction));
        out += relation.count ? 'c' : '-';
        out += '{';
        out += spec_shape(relation.options, relation.relations);
        out += '}';
    }
    out += ']';
    return out;
}

void spec_values(const QueryOptions& options, const std::vector<RelationSpec>& relations,
                 std::vector<SpecValue>& out) {
    for (const FilterTerm& term : options.filter) {
        if (term.op == FilterOp::kIs)
            continue;
        SpecValue value;
        if (term.op == FilterOp::kIn) {
            value.kind = SpecValue::kTextArray;
            for (const auto& element : term.value.elements)
                value.texts.push_back(element.text);
        } else {
            value.text = term.value.text;
        }
        out.push_back(std::move(value));
    }
    if (options.limit)
        out.push_back({SpecValue::kInt8, {}, *options.limit, {}});
    if (options.offset > 0)
        out.push_back({SpecValue::kInt8, {}, options.offset, {}});
    for (const RelationSpec& relation : relations)
        spec_values(relation.options, relation.relations, out);
}

}  // namespace data_bridge

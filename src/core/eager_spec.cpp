#include "data_bridge/core/eager_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "data_bridge/core/eager_filter.hpp"
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

Aggregate parse_aggregate(const JsonValue& value, const std::string& path) {
    expect_kind(value, JsonValue::Kind::kObject, path);
    if (value.members.size() != 1) {
        bad(path, "expected exactly one function",
            "Use {\"sum\": \"column\"}; the functions are count, count_distinct, sum, avg, min "
            "and max.");
    }
    const auto& [name, column] = value.members[0];
    Aggregate aggregate;
    bool known = false;
    for (AggregateFunction function :
         {AggregateFunction::kCount, AggregateFunction::kCountDistinct, AggregateFunction::kSum,
          AggregateFunction::kAvg, AggregateFunction::kMin, AggregateFunction::kMax}) {
        if (name == aggregate_function_name(function)) {
            aggregate.function = function;
            known = true;
        }
    }
    if (!known) {
        bad(path + "." + name, fmt::format("unknown aggregate \"{}\"", name),
            "Use count, count_distinct, sum, avg, min or max.");
    }
    aggregate.column = string_member(column, path + "." + name);
    if (aggregate.column == "*" && aggregate.function != AggregateFunction::kCount)
        bad(path + "." + name, "\"*\" is for count only");
    return aggregate;
}

// A key of the junction: one column or constraint name, or a list of columns.
std::vector<std::string> parse_key_columns(const JsonValue& value, const std::string& path) {
    if (!value.is_array())
        return {string_member(value, path)};
    if (value.elements.empty())
        bad(path, "must not be empty");
    std::vector<std::string> columns;
    for (std::size_t i = 0; i < value.elements.size(); i++)
        columns.push_back(string_member(value.elements[i], fmt::format("{}[{}]", path, i)));
    return columns;
}

// "through": "junction" or {"table": …, "source_key": …, "target_key": …, "as": …}.
ThroughSpec parse_through(const JsonValue& value, const std::string& path) {
    ThroughSpec through;
    if (value.kind == JsonValue::Kind::kString) {
        through.table = string_member(value, path);
        return through;
    }
    expect_kind(value, JsonValue::Kind::kObject, path);
    check_keys(value, {"table", "source_key", "target_key", "as"}, path);
    const JsonValue* table = value.find("table");
    if (table == nullptr)
        bad(path + ".table", "is required");
    through.table = string_member(*table, path + ".table");
    if (const JsonValue* key = value.find("source_key"); key != nullptr && !key->is_null())
        through.source_key = parse_key_columns(*key, path + ".source_key");
    if (const JsonValue* key = value.find("target_key"); key != nullptr && !key->is_null())
        through.target_key = parse_key_columns(*key, path + ".target_key");
    if (const JsonValue* as = value.find("as"); as != nullptr && !as->is_null())
        through.as = string_member(*as, path + ".as");
    return through;
}

// How many levels deep a relation goes, itself included; how many relations it holds.
long long relation_height(const RelationSpec& relation) {
    long long below = 0;
    for (const RelationSpec& nested : relation.relations)
        below = std::max(below, relation_height(nested));
    return below + 1;
}

std::size_t relation_count(const RelationSpec& relation) {
    std::size_t count = 1;
    for (const RelationSpec& nested : relation.relations)
        count += relation_count(nested);
    return count;
}

// "recursive": {"max_depth": n} (or null, or true: every level the depth limit allows) on a
// relation to its own table: the relation nested inside itself, n levels in all, each level
// with the relation's filter, order, page, columns and other relations. One statement per level
// (or a join per level for the many-to-one direction); a row met again among its own ancestors
// (a cycle in the data) is marked and not followed (cycle_mark, "is_cycle" unless named).
RelationSpec expand_recursive(RelationSpec relation, const JsonValue& recursive, int depth) {
    std::string path = relation.path + ".recursive";
    long long max_depth = -1;
    bool as_array = false;
    std::string cycle_mark = "is_cycle";
    if (recursive.kind == JsonValue::Kind::kObject) {
        check_keys(recursive, {"max_depth", "as", "cycle_mark"}, path);
        if (const JsonValue* mark = recursive.find("cycle_mark");
            mark != nullptr && !mark->is_null()) {
            cycle_mark = string_member(*mark, path + ".cycle_mark");
            if (cycle_mark.empty())
                bad(path + ".cycle_mark", "must not be empty");
        }
        if (const JsonValue* as = recursive.find("as"); as != nullptr && !as->is_null()) {
            std::string word = string_member(*as, path + ".as");
            if (word != "array" && word != "objects")
                bad(path + ".as", fmt::format("unknown form \"{}\"", word),
                    "Use \"objects\" (each row nesting the next) or \"array\".");
            as_array = word == "array";
        }
        if (const JsonValue* limit = recursive.find("max_depth");
            limit != nullptr && !limit->is_null()) {
            max_depth = count_member(*limit, path + ".max_depth");
            if (max_depth < 1)
                bad(path + ".max_depth", "must be at least 1");
        }
    } else if (recursive.kind != JsonValue::Kind::kBool || !recursive.boolean) {
        bad(path, "expected an object such as {\"max_depth\": 5}, or true");
    }
    if (relation.count || relation.aggregate || relation.through)
        bad(path, "not allowed with count, aggregate or through");
    for (const RelationSpec& nested : relation.relations) {
        if (nested.name == relation.name) {
            bad(nested.path + ".name",
                fmt::format("\"{}\" is the recursive relation's own name", nested.name));
        }
    }
    // The levels count against the depth limit with everything nested in each of them (another
    // recursive relation already expanded), and every copy counts against the relation limit:
    // nested recursions multiply.
    long long below = 0;
    std::size_t nested_relations = 0;
    for (const RelationSpec& nested : relation.relations) {
        below = std::max<long long>(below, relation_height(nested));
        nested_relations += relation_count(nested);
    }
    long long available = kMaxRelationDepth - depth + 1 - below;
    if (available < 1 || max_depth > available) {
        throw Error(sqlstate::kStatementTooComplex,
                    fmt::format("{}.max_depth: relations nested more than {} levels deep", path,
                                kMaxRelationDepth),
                    fmt::format("Here at most {} levels fit, with what each level nests.",
                                std::max<long long>(available, 0)),
                    "Load the deeper levels with a second call.");
    }
    long long levels = max_depth < 0 ? available : max_depth;
    if (static_cast<unsigned long long>(levels) * (1 + nested_relations) > kMaxRelations) {
        throw Error(sqlstate::kStatementTooComplex,
                    fmt::format("{}: more than {} relations in one load", path, kMaxRelations),
                    fmt::format("{} levels of {} relations each.", levels, 1 + nested_relations),
                    "Give max_depth, or nest fewer recursive relations.");
    }
    relation.recursive = true;
    relation.cycle_mark = cycle_mark;
    RelationSpec current = relation;  // the deepest level
    for (long long level = levels - 1; level >= 1; level--) {
        RelationSpec above = relation;
        above.relations.push_back(std::move(current));
        current = std::move(above);
    }
    current.chain_as_array = as_array;  // the top level renders the chain
    return current;
}

RelationSpec parse_relation(const JsonValue& value, const std::string& path, int depth) {
    expect_kind(value, JsonValue::Kind::kObject, path);
    check_keys(value,
               {"name", "table", "foreign_key", "reference_column", "join_type", "select_columns",
                "relations", "filter", "order_by", "limit", "offset", "count", "aggregate",
                "direction", "through", "through_columns", "recursive", "one", "shared"},
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
    if (const JsonValue* one = value.find("one"); one != nullptr && !one->is_null()) {
        expect_kind(*one, JsonValue::Kind::kBool, path + ".one");
        relation.one = one->boolean;
    }
    if (const JsonValue* aggregate = value.find("aggregate");
        aggregate != nullptr && !aggregate->is_null()) {
        relation.aggregate = parse_aggregate(*aggregate, path + ".aggregate");
        if (relation.count)
            bad(path + ".aggregate", "count and aggregate exclude each other");
    }
    if (relation.one && (relation.count || relation.aggregate))
        bad(path + ".one", "not allowed with count or aggregate");
    if (const JsonValue* shared = value.find("shared"); shared != nullptr && !shared->is_null()) {
        expect_kind(*shared, JsonValue::Kind::kBool, path + ".shared");
        relation.shared = shared->boolean;
        if (relation.shared && (relation.count || relation.aggregate))
            bad(path + ".shared", "not allowed with count or aggregate",
                "A shared relation's rows are listed once; a count or aggregate is a value.");
    }
    if (const JsonValue* through = value.find("through");
        through != nullptr && !through->is_null()) {
        relation.through = parse_through(*through, path + ".through");
        // The junction's keys link the tables: the one-foreign-key hints have nothing to name.
        for (const char* key : {"foreign_key", "reference_column", "direction"}) {
            if (const JsonValue* member = value.find(key); member != nullptr && !member->is_null())
                bad(path + "." + key, "not allowed with through",
                    "Name the junction's keys in through.source_key and through.target_key.");
        }
        if (relation.join == JoinType::kRight || relation.join == JoinType::kFull)
            bad(path + ".join_type", "right and full joins are not allowed with through");
    }
    if (const JsonValue* columns = value.find("through_columns");
        columns != nullptr && !columns->is_null()) {
        std::string columns_path = path + ".through_columns";
        if (!relation.through)
            bad(columns_path, "needs through");
        expect_kind(*columns, JsonValue::Kind::kArray, columns_path);
        for (std::size_t i = 0; i < columns->elements.size(); i++) {
            relation.through->columns.push_back(
                string_member(columns->elements[i], fmt::format("{}[{}]", columns_path, i)));
        }
    }
    relation.options = parse_options(value, path);
    if (relation.aggregate) {
        // One value per parent: pages and nested relations have nothing to apply to.
        for (const char* key : {"relations", "limit", "offset", "select_columns"}) {
            if (const JsonValue* member = value.find(key); member != nullptr && !member->is_null())
                bad(path + "." + key, "not allowed with aggregate");
        }
    }
    if (const JsonValue* nested = value.find("relations");
        nested != nullptr && !nested->is_null()) {
        relation.relations = parse_relations_at(*nested, path + ".relations", depth + 1);
    }
    if (const JsonValue* recursive = value.find("recursive");
        recursive != nullptr && !recursive->is_null()) {
        if (relation.shared)
            bad(path + ".shared", "not allowed with recursive");
        return expand_recursive(std::move(relation), *recursive, depth);
    }
    return relation;
}

}  // namespace

namespace {

constexpr FilterOp kAllFilterOps[] = {
    FilterOp::kEq,       FilterOp::kNeq,      FilterOp::kLt,       FilterOp::kLte,
    FilterOp::kGt,       FilterOp::kGte,      FilterOp::kIn,       FilterOp::kNotIn,
    FilterOp::kIs,       FilterOp::kIsNull,   FilterOp::kLike,     FilterOp::kNotLike,
    FilterOp::kILike,    FilterOp::kNotILike, FilterOp::kContains, FilterOp::kContainedBy,
    FilterOp::kOverlaps, FilterOp::kMatch,
};

bool is_plain_scalar(const JsonValue& value) {
    return !value.is_array() && !value.is_object() && !value.is_null();
}

void expect_scalar_elements(const JsonValue& operand, const std::string& path) {
    for (std::size_t i = 0; i < operand.elements.size(); i++) {
        if (!is_plain_scalar(operand.elements[i]))
            bad(fmt::format("{}[{}]", path, i), "expected a string, number or boolean");
    }
}

FilterTerm parse_filter_term(const std::string& column, FilterOp op, const JsonValue& operand,
                             const std::string& path) {
    FilterTerm term{column, op, operand, path, {}};
    switch (op) {
        case FilterOp::kIn:
        case FilterOp::kNotIn:
            expect_kind(operand, JsonValue::Kind::kArray, path);
            expect_scalar_elements(operand, path);
            break;
        case FilterOp::kIs:
            if (!operand.is_null() && operand.kind != JsonValue::Kind::kBool)
                bad(path, "expected null, true or false");
            break;
        case FilterOp::kIsNull:
            expect_kind(operand, JsonValue::Kind::kBool, path);
            break;
        case FilterOp::kLike:
        case FilterOp::kNotLike:
        case FilterOp::kILike:
        case FilterOp::kNotILike:
            expect_kind(operand, JsonValue::Kind::kString, path);
            break;
        case FilterOp::kContains:
        case FilterOp::kContainedBy:
            // Any array or object: JSON for a jsonb column (checked against the column's type
            // when the statement is built).
            if (!operand.is_array() && !operand.is_object() &&
                operand.kind != JsonValue::Kind::kString) {
                bad(path,
                    "expected an array, an object (jsonb), or a string in the column type's "
                    "input syntax");
            }
            break;
        case FilterOp::kOverlaps:
            if (operand.is_array())
                expect_scalar_elements(operand, path);
            else if (operand.kind != JsonValue::Kind::kString)
                bad(path, "expected an array, or a string in the column type's input syntax");
            break;
        case FilterOp::kMatch:
            if (operand.is_object()) {
                check_keys(operand, {"query", "config"}, path);
                const JsonValue* query = operand.find("query");
                if (query == nullptr)
                    bad(path + ".query", "is required");
                expect_kind(*query, JsonValue::Kind::kString, path + ".query");
                term.value = *query;
                if (const JsonValue* config = operand.find("config"))
                    term.config = string_member(*config, path + ".config");
            } else {
                expect_kind(operand, JsonValue::Kind::kString, path);
            }
            break;
        default:
            if (!is_plain_scalar(operand))
                bad(path, "expected a string, number or boolean");
    }
    return term;
}

FilterNode parse_filter_object(const JsonValue& filter, const std::string& path);

// {"or": [filter, …]} and {"and": [filter, …]}: each element a filter object of its own.
FilterNode parse_filter_group(FilterNode::Kind kind, const JsonValue& list,
                              const std::string& path) {
    expect_kind(list, JsonValue::Kind::kArray, path);
    FilterNode group;
    group.kind = kind;
    for (std::size_t i = 0; i < list.elements.size(); i++)
        group.children.push_back(
            parse_filter_object(list.elements[i], fmt::format("{}[{}]", path, i)));
    return group;
}

// {"exists": {"relation": {"table": …, "foreign_key": …}, "filter": {…}}}: related rows that pass
// the filter, without loading them. The relation is linked to the filtered table as a relation
// of it would be.
FilterNode parse_exists(const JsonValue& value, bool negated, const std::string& path) {
    expect_kind(value, JsonValue::Kind::kObject, path);
    check_keys(value, {"relation", "filter"}, path);
    const JsonValue* relation = value.find("relation");
    std::string relation_path = path + ".relation";
    if (relation == nullptr)
        bad(relation_path, "is required");
    expect_kind(*relation, JsonValue::Kind::kObject, relation_path);
    check_keys(*relation,
               {"name", "table", "foreign_key", "reference_column", "direction", "through"},
               relation_path);
    JsonValue named = *relation;  // a name is only needed to load rows: give it one
    if (named.find("name") == nullptr) {
        JsonValue name;
        name.kind = JsonValue::Kind::kString;
        name.text = negated ? "not_exists" : "exists";
        named.members.emplace_back("name", std::move(name));
    }
    auto spec = std::make_shared<RelationSpec>(parse_relation(named, relation_path, 0));
    if (const JsonValue* filter = value.find("filter"))
        spec->options.filter = parse_filter(*filter, path + ".filter");
    FilterNode node;
    node.kind = FilterNode::Kind::kExists;
    node.relation = std::move(spec);
    node.negated = negated;
    return node;
}

FilterNode parse_filter_object(const JsonValue& filter, const std::string& path) {
    expect_kind(filter, JsonValue::Kind::kObject, path);
    FilterNode all;
    for (const auto& member : filter.members) {
        std::string member_path = fmt::format("{}.{}", path, member.first);
        const JsonValue& condition = member.second;
        // Group keywords come first: a column named or/and/not is filtered inside a group's
        // term list only by its other spellings (see README).
        if (member.first == "or" || member.first == "and") {
            all.children.push_back(parse_filter_group(
                member.first == "or" ? FilterNode::Kind::kAny : FilterNode::Kind::kAll, condition,
                member_path));
            continue;
        }
        if (member.first == "exists" || member.first == "not_exists") {
            all.children.push_back(
                parse_exists(condition, member.first == "not_exists", member_path));
            continue;
        }
        if (member.first == "not") {
            FilterNode negation;
            negation.kind = FilterNode::Kind::kNot;
            negation.children.push_back(parse_filter_object(condition, member_path));
            all.children.push_back(std::move(negation));
            continue;
        }
        if (member.first.empty())
            bad(member_path, "a column name is empty");
        FilterNode term_node;
        term_node.kind = FilterNode::Kind::kTerm;
        if (!condition.is_object()) {
            if (condition.is_array())
                bad(member_path, "expected a value or an operator object, found an array");
            // A bare value is equality; null means IS NULL.
            term_node.term = {member.first,
                              condition.is_null() ? FilterOp::kIs : FilterOp::kEq,
                              condition,
                              member_path,
                              {}};
            all.children.push_back(std::move(term_node));
            continue;
        }
        for (const auto& op_member : condition.members) {
            std::string op_path = fmt::format("{}.{}", member_path, op_member.first);
            const FilterOp* op = nullptr;
            for (const FilterOp& candidate : kAllFilterOps) {
                if (op_member.first == filter_op_name(candidate))
                    op = &candidate;
            }
            if (op == nullptr) {
                bad(op_path, fmt::format("unknown operator \"{}\"", op_member.first),
                    "Use eq, neq, lt, lte, gt, gte, in, not_in, is, is_null, like, not_like, "
                    "ilike, not_ilike, contains, contained_by, overlaps or match.");
            }
            term_node.term = parse_filter_term(member.first, *op, op_member.second, op_path);
            all.children.push_back(term_node);
        }
    }
    return all;
}

}  // namespace

const char* aggregate_function_name(AggregateFunction function) {
    switch (function) {
        case AggregateFunction::kCount:
            return "count";
        case AggregateFunction::kCountDistinct:
            return "count_distinct";
        case AggregateFunction::kSum:
            return "sum";
        case AggregateFunction::kAvg:
            return "avg";
        case AggregateFunction::kMin:
            return "min";
        case AggregateFunction::kMax:
            return "max";
    }
    return "count";
}

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
        case FilterOp::kNotIn:
            return "not_in";
        case FilterOp::kIs:
            return "is";
        case FilterOp::kIsNull:
            return "is_null";
        case FilterOp::kLike:
            return "like";
        case FilterOp::kNotLike:
            return "not_like";
        case FilterOp::kILike:
            return "ilike";
        case FilterOp::kNotILike:
            return "not_ilike";
        case FilterOp::kContains:
            return "contains";
        case FilterOp::kContainedBy:
            return "contained_by";
        case FilterOp::kOverlaps:
            return "overlaps";
        case FilterOp::kMatch:
            return "match";
    }
    return "eq";
}

FilterNode parse_filter(const JsonValue& filter, const std::string& path) {
    if (filter.is_null())
        return {};
    return parse_filter_object(filter, path);
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
    check_keys(spec,
               {"table", "id", "filter", "order_by", "after", "limit", "offset", "select_columns",
                "relations"},
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
        for (const char* key : {"filter", "order_by", "after", "limit", "offset"}) {
            if (spec.find(key) != nullptr)
                bad(key, "cannot be combined with id");
        }
    }
    fetch.options = parse_options(spec, "");
    if (const JsonValue* after = spec.find("after"); after != nullptr && !after->is_null()) {
        expect_kind(*after, JsonValue::Kind::kObject, "after");
        for (const auto& [column, value] : after->members) {
            if (value.is_array() || value.is_object())
                bad("after." + column, "expected a string, number, boolean or null");
        }
        fetch.options.after = *after;
    }
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

void through_shape(std::string& out, const std::optional<ThroughSpec>& through) {
    if (!through) {
        out += '-';
        return;
    }
    out += "T(";
    shape_text(out, through->table);
    for (const auto* list : {&through->source_key, &through->target_key, &through->columns}) {
        out += std::to_string(list->size());
        for (const std::string& column : *list)
            shape_text(out, column);
    }
    shape_text(out, through->as);
    out += ')';
}

// Everything of a filter the statement's text depends on: its groups, columns, operators, the
// is/is_null operands (spelled out in SQL), array or not (contains…) and match's configuration.
void filter_shape(std::string& out, const FilterNode& node) {
    switch (node.kind) {
        case FilterNode::Kind::kTerm: {
            const FilterTerm& term = node.term;
            shape_text(out, term.column);
            out += filter_op_name(term.op);
            if (term.op == FilterOp::kIs || term.op == FilterOp::kIsNull)
                out += term.value.is_null() ? "n" : term.value.boolean ? "t" : "f";
            if (term.value.is_array())
                out += 'a';
            if (json_only_operand(term))
                out += 'j';
            if (!term.config.empty())
                out += 'c';
            out += ';';
            return;
        }
        case FilterNode::Kind::kExists: {
            const RelationSpec& relation = *node.relation;
            out += node.negated ? "X!(" : "X(";
            shape_text(out, relation.table);
            shape_text(out, relation.foreign_key.value_or(""));
            shape_text(out, relation.reference_column.value_or(""));
            out += std::to_string(static_cast<int>(relation.direction));
            through_shape(out, relation.through);
            filter_shape(out, relation.options.filter);
            out += ')';
            return;
        }
        case FilterNode::Kind::kAll:
        case FilterNode::Kind::kAny:
        case FilterNode::Kind::kNot:
            out += node.kind == FilterNode::Kind::kAll   ? "A("
                   : node.kind == FilterNode::Kind::kAny ? "O("
                                                         : "N(";
            for (const FilterNode& child : node.children)
                filter_shape(out, child);
            out += ')';
            return;
    }
}

void filter_values(const FilterNode& node, std::vector<SpecValue>& out) {
    if (node.kind == FilterNode::Kind::kExists) {
        filter_values(node.relation->options.filter, out);
        return;
    }
    if (node.kind != FilterNode::Kind::kTerm) {
        for (const FilterNode& child : node.children)
            filter_values(child, out);
        return;
    }
    const FilterTerm& term = node.term;
    std::vector<FilterParameter> parameters = filter_parameters(term);
    for (std::size_t i = 0; i < parameters.size(); i++) {
        SpecValue value;
        if (parameters[i] == FilterParameter::kTextArray) {
            value.kind = SpecValue::kTextArray;
            for (const auto& element : term.value.elements)
                value.texts.push_back(element.text);
        } else if (parameters[i] == FilterParameter::kJson) {
            value.kind = SpecValue::kJson;
            value.json = term.value;
        } else {
            // match binds its query, then its configuration
            value.text = term.op == FilterOp::kMatch && i == 1 ? term.config : term.value.text;
        }
        out.push_back(std::move(value));
    }
}

// `top`: the top level's limit is part of its statement's text (see spec_values).
std::string level_shape(const QueryOptions& options, const std::vector<RelationSpec>& relations,
                        bool top) {
    std::string out = "f[";
    filter_shape(out, options.filter);
    out += "]o[";
    for (const OrderTerm& term : options.order_by) {
        shape_text(out, term.column);
        out += term.descending ? 'd' : 'a';
    }
    out += ']';
    if (options.after) {
        out += "k[";
        for (const auto& [column, value] : options.after->members) {
            shape_text(out, column);
            out += value.is_null() ? 'n' : 'v';
        }
        out += ']';
    }
    if (options.limit)
        out += top ? "l" + std::to_string(*options.limit) + ";" : "l";
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
        out += relation.one ? '1' : '-';
        out += relation.shared ? 'S' : '-';
        out += relation.chain_as_array ? 'A' : '-';
        if (relation.recursive) {
            out += 'R';
            shape_text(out, relation.path);  // levels of one recursion share it
            shape_text(out, relation.cycle_mark);
        }
        through_shape(out, relation.through);
        if (relation.aggregate) {
            out += aggregate_function_name(relation.aggregate->function);
            shape_text(out, relation.aggregate->column);
        }
        out += '{';
        out += level_shape(relation.options, relation.relations, false);
        out += '}';
    }
    out += ']';
    return out;
}

void level_values(const QueryOptions& options, const std::vector<RelationSpec>& relations, bool top,
                  std::vector<SpecValue>& out) {
    filter_values(options.filter, out);
    if (options.after) {
        for (const auto& member : options.after->members) {
            if (!member.second.is_null())
                out.push_back({SpecValue::kText, member.second.text, 0, {}, {}});
        }
    }
    if (options.limit && !top)
        out.push_back({SpecValue::kInt8, {}, *options.limit, {}, {}});
    if (options.offset > 0)
        out.push_back({SpecValue::kInt8, {}, options.offset, {}, {}});
    for (const RelationSpec& relation : relations)
        level_values(relation.options, relation.relations, false, out);
}

}  // namespace

std::string spec_shape(const QueryOptions& options, const std::vector<RelationSpec>& relations) {
    return level_shape(options, relations, true);
}

void spec_values(const QueryOptions& options, const std::vector<RelationSpec>& relations,
                 std::vector<SpecValue>& out) {
    level_values(options, relations, true, out);
}

}  // namespace data_bridge

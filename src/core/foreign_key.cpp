#include "data_bridge/core/foreign_key.hpp"

#include <cctype>
#include <tuple>
#include <type_traits>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

FkAction fk_action_from_code(char code) {
    switch (code) {
        case 'a':
            return FkAction::kNoAction;
        case 'r':
            return FkAction::kRestrict;
        case 'c':
            return FkAction::kCascade;
        case 'n':
            return FkAction::kSetNull;
        case 'd':
            return FkAction::kSetDefault;
        default:
            throw Error(sqlstate::kInternalError,
                        std::string("unrecognized foreign key action code \"") + code + "\"");
    }
}

FkMatch fk_match_from_code(char code) {
    switch (code) {
        case 's':
            return FkMatch::kSimple;
        case 'f':
            return FkMatch::kFull;
        case 'p':
            return FkMatch::kPartial;
        default:
            throw Error(sqlstate::kInternalError,
                        std::string("unrecognized foreign key match code \"") + code + "\"");
    }
}

const char* fk_action_sql(FkAction action) {
    switch (action) {
        case FkAction::kNoAction:
            return "NO ACTION";
        case FkAction::kRestrict:
            return "RESTRICT";
        case FkAction::kCascade:
            return "CASCADE";
        case FkAction::kSetNull:
            return "SET NULL";
        case FkAction::kSetDefault:
            return "SET DEFAULT";
    }
    return "NO ACTION";
}

const char* fk_match_sql(FkMatch match) {
    switch (match) {
        case FkMatch::kSimple:
            return "SIMPLE";
        case FkMatch::kFull:
            return "FULL";
        case FkMatch::kPartial:
            return "PARTIAL";
    }
    return "SIMPLE";
}

FkAction fk_action_from_sql(const std::string& word, const std::string& what) {
    // Fold case and runs of white space, so "set  null" and "Set Null" are both accepted.
    std::string folded;
    for (char c : word) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!folded.empty() && folded.back() != ' ')
                folded.push_back(' ');
        } else {
            folded.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        }
    }
    if (!folded.empty() && folded.back() == ' ')
        folded.pop_back();

    for (FkAction action : {FkAction::kNoAction, FkAction::kRestrict, FkAction::kCascade,
                            FkAction::kSetNull, FkAction::kSetDefault}) {
        if (folded == fk_action_sql(action))
            return action;
    }
    throw Error(sqlstate::kInvalidParameterValue,
                "invalid foreign key action \"" + word + "\" for " + what, {},
                "Use one of CASCADE, RESTRICT, SET NULL, SET DEFAULT or NO ACTION.");
}

std::string joined_columns(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& column : columns) {
        if (!out.empty())
            out += ", ";
        out += column;
    }
    return out;
}

bool same_foreign_key(const ForeignKey& a, const ForeignKey& b) {
    auto facts = [](const ForeignKey& key) {
        return std::tie(key.id, key.name, key.source_relid, key.source.schema, key.source.name,
                        key.source_attnums, key.source_columns, key.target_relid, key.target.schema,
                        key.target.name, key.target_attnums, key.target_columns, key.on_delete,
                        key.on_update, key.on_delete_set_columns, key.match, key.deferrable,
                        key.initially_deferred, key.validated, key.indexed);
    };
    return facts(a) == facts(b);
}

namespace {

// What a string holds outside its object (nothing while it is short enough to sit inside it).
std::size_t heap_bytes(const std::string& text) {
    const char* inside = reinterpret_cast<const char*>(&text);
    bool in_object = text.data() >= inside && text.data() < inside + sizeof text;
    return in_object ? 0 : text.capacity() + 1;
}

template <typename T>
std::size_t heap_bytes(const std::vector<T>& items) {
    std::size_t bytes = items.capacity() * sizeof(T);
    if constexpr (std::is_same_v<T, std::string>) {
        for (const std::string& item : items)
            bytes += heap_bytes(item);
    }
    return bytes;
}

}  // namespace

std::size_t approximate_bytes(const ForeignKey& key) {
    return sizeof key + heap_bytes(key.name) + heap_bytes(key.source.schema) +
           heap_bytes(key.source.name) + heap_bytes(key.source_attnums) +
           heap_bytes(key.source_columns) + heap_bytes(key.target.schema) +
           heap_bytes(key.target.name) + heap_bytes(key.target_attnums) +
           heap_bytes(key.target_columns) + heap_bytes(key.on_delete_set_columns);
}

}  // namespace data_bridge

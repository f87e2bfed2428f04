// The shared library's entry: PG_MODULE_MAGIC and _PG_init.

#include <string>
#include <unordered_map>

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/settings.hpp"
#include "data_bridge/pg/snapshot_guard.hpp"

extern "C" {
#include "miscadmin.h"
}

namespace {

// The C++ runtime (libstdc++, loaded with PostgreSQL's own libraries) binds its calls to
// operator new, memcpy and its own string and hash-table functions lazily: the first such call in
// a process looks the symbol up through every library the server loaded, about 10 µs each in a
// new backend (page faults on their symbol tables). When the postmaster preloads the module,
// making those calls once there lets every backend inherit them bound.
void bind_cxx_runtime() {
    using String = std::string;
    // Called through pointers, so that libstdc++'s own copies run (data_bridge's code calls them
    // where the compiler does not inline), and nothing is folded at compile time.
    String& (String::*volatile append_text)(const char*) = &String::append;
    String& (String::*volatile append_part)(const char*, String::size_type) = &String::append;
    String (*volatile text_plus)(const char*, const String&) = &std::operator+;
    String (*volatile char_plus)(char, const String&) = &std::operator+;
    String (*volatile string_plus)(const String&, const String&) = &std::operator+;
    volatile char first = 'a';
    const char piece[] = {first, 'b', 'c', '\0'};
    String text(64, first);
    text.reserve(256);
    (text.*append_text)(piece);
    (text.*append_part)(piece, 2);
    text.append(text.size(), piece[1]);
    text.push_back(piece[2]);
    text.insert(1, piece);
    text.replace(0, 1, piece);
    text.resize(text.size() + 300, piece[0]);
    String part = text.substr(2, 100);
    text = text_plus(piece, part);
    text = char_plus(piece[0], text);
    text = string_plus(part, text);
    text.assign(text, 1, 200);
    text.erase(0, 1);
    std::unordered_map<String, std::size_t> names;
    names.emplace(text, text.size());
    names.emplace(std::to_string(text.size()), text.compare(piece));
    names.rehash(64);
    // Kept observable, so that the compiler makes every call.
    volatile std::size_t sink = names.size() + text.find(piece);
    (void)sink;
}

}  // namespace

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

void _PG_init(void) {
    data_bridge::pg::define_settings();
    data_bridge::pg::register_fk_cache_callbacks();
    data_bridge::pg::register_catalog_callbacks();
    data_bridge::pg::register_snapshot_guard();
    if (process_shared_preload_libraries_in_progress) {
        try {
            bind_cxx_runtime();
        } catch (...) {
            // Only an optimization: a backend binds what the postmaster could not.
        }
    }
}
}

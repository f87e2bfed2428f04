#include "data_bridge/pg/plan_cache.hpp"

#include <unordered_map>

#include "data_bridge/pg/boundary.hpp"

namespace data_bridge::pg {

namespace {

// Far more shapes than any application uses; past it, everything is dropped and re-prepared.
constexpr std::size_t kMaxPlans = 1024;

std::unordered_map<std::string, SPIPlanPtr> plans;
long plans_prepared = 0;
long plan_hits = 0;

std::string cache_key(const std::string& sql, const std::vector<Oid>& types, bool generic_plan) {
    std::string key = sql;
    key.push_back('\0');
    key.push_back(generic_plan ? 'g' : 'a');
    for (Oid type : types)
        key += std::to_string(type) + ",";
    return key;
}

}  // namespace

SPIPlanPtr cached_plan(const std::string& sql, const std::vector<Oid>& parameter_types,
                       bool generic_plan) {
    std::string key = cache_key(sql, parameter_types, generic_plan);
    auto found = plans.find(key);
    if (found != plans.end()) {
        plan_hits++;
        return found->second;
    }
    if (plans.size() >= kMaxPlans) {
        for (auto& entry : plans) {
            SPIPlanPtr old = entry.second;
            guarded([old] { SPI_freeplan(old); });
        }
        plans.clear();
    }
    const char* text = sql.c_str();
    int count = (int)parameter_types.size();
    Oid* types = const_cast<Oid*>(parameter_types.data());
    int options = generic_plan ? CURSOR_OPT_GENERIC_PLAN : 0;
    SPIPlanPtr plan = guarded([text, count, types, options] {
        SPIPlanPtr prepared = SPI_prepare_cursor(text, count, types, options);
        if (prepared == nullptr) {
            elog(ERROR, "data_bridge: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
        }
        if (SPI_keepplan(prepared) != 0)
            elog(ERROR, "data_bridge: SPI_keepplan failed");
        return prepared;
    });
    plans.emplace(std::move(key), plan);
    plans_prepared++;
    return plan;
}

uint64 execute_plan(SPIPlanPtr plan, const std::vector<Datum>& values,
                    const std::vector<char>& nulls, bool read_only, long row_limit) {
    Datum* value_data = const_cast<Datum*>(values.data());
    const char* null_data = nulls.data();
    return guarded([plan, value_data, null_data, read_only, row_limit] {
        int rc = SPI_execute_plan(plan, value_data, null_data, read_only, row_limit);
        if (rc < 0) {
            elog(ERROR, "data_bridge: SPI_execute_plan failed: %s", SPI_result_code_string(rc));
        }
        return SPI_processed;
    });
}

PlanCacheStats plan_cache_stats() {
    return {(long)plans.size(), plans_prepared, plan_hits};
}

}  // namespace data_bridge::pg

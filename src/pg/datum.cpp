#include "data_bridge/pg/datum.hpp"

namespace data_bridge::pg {

Datum name_datum(const std::string& value) {
    return name_datum(value.c_str());
}

Datum name_datum(const char* value) {
    auto* name = (NameData*)palloc0(NAMEDATALEN);
    namestrcpy(name, value);
    return NameGetDatum(name);
}

Datum text_datum(const std::string& value) {
    return PointerGetDatum(cstring_to_text_with_len(value.data(), (int)value.size()));
}

Datum text_datum(const char* value) {
    return PointerGetDatum(cstring_to_text(value));
}

Datum int8_array_datum(const std::vector<int>& values) {
    auto* datums = (Datum*)palloc(sizeof(Datum) * (values.size() + 1));
    for (std::size_t i = 0; i < values.size(); i++)
        datums[i] = Int64GetDatum(values[i]);
    return array_datum(INT8OID, datums, nullptr, (int)values.size());
}

Datum array_datum(Oid element_type, const Datum* values, const bool* nulls, int count) {
    int16 length;
    bool by_value;
    char align;
    get_typlenbyvalalign(element_type, &length, &by_value, &align);
    int lower_bound = 1;
    return PointerGetDatum(construct_md_array(const_cast<Datum*>(values), const_cast<bool*>(nulls),
                                              1, &count, &lower_bound, element_type, length,
                                              by_value, align));
}

Datum name_array_datum(const std::vector<std::string>& values) {
    auto* elements = (Datum*)palloc(sizeof(Datum) * (values.size() + 1));
    for (std::size_t i = 0; i < values.size(); i++)
        elements[i] = name_datum(values[i]);
    return PointerGetDatum(
        construct_array(elements, (int)values.size(), NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR));
}

Datum text_array_datum(const std::vector<std::string>& values) {
    auto* elements = (Datum*)palloc(sizeof(Datum) * (values.size() + 1));
    for (std::size_t i = 0; i < values.size(); i++)
        elements[i] = text_datum(values[i]);
    return PointerGetDatum(
        construct_array(elements, (int)values.size(), TEXTOID, -1, false, TYPALIGN_INT));
}

}  // namespace data_bridge::pg

#include "data_bridge/pg/datum.hpp"

namespace data_bridge::pg {

Datum name_datum(const std::string& value) {
    auto* name = (NameData*)palloc0(NAMEDATALEN);
    namestrcpy(name, value.c_str());
    return NameGetDatum(name);
}

Datum text_datum(const std::string& value) {
    return PointerGetDatum(cstring_to_text_with_len(value.data(), (int)value.size()));
}

Datum text_datum(const char* value) {
    return PointerGetDatum(cstring_to_text(value));
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

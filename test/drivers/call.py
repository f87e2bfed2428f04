# Calls each data_bridge function through psycopg2 the way its users write queries:
# cursor.execute(sql, params) with %s placeholders. Prints "name<TAB>result" per call.
import json
import os
import re

import psycopg2

calls = json.load(open(os.path.join(os.path.dirname(__file__), "calls.json")))
connection = psycopg2.connect("")  # PGHOST, PGPORT, PGUSER, PGDATABASE
for call in calls:
    sql = re.sub(r"\$\d+", "%s", call["sql"].replace("%", "%%"))
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, call["params"])
            result = cursor.fetchone()[0]
    except psycopg2.Error as error:
        result = "ERROR " + error.pgcode
    connection.rollback()
    print(f"{call['name']}\t{result}")
